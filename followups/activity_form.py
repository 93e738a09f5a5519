"""The workspace's activity form: the web form, and (with ``choices``) the
same rules for an import's thousands of rows without a query per row."""

from django import forms
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from programmes.models import District, Goal, OrganisationalUnit, Partner, ResponsibilityArea

from .access import contributed_unit_ids, own_units_only, sees_confidential, writes_every_unit
from .activity_choices import (
    ActivityChoices,
    PreloadedChoiceField,
    PreloadedMultipleChoiceField,
    offered,
    preloaded_like,
)
from .forms import ACTIVITY_FIELDS, CONFIDENTIALITY_FIELDS, VersionedForm, WholeKronorField
from .models import Activity, FollowUp, validate_goals_in_programme


class ActivityForm(VersionedForm):
    """The workspace's activity form: only the year's programme's areas and
    goals (grouped by area), and only active reference entries (plus those
    already chosen, so editing an old activity loses nothing).

    ``user`` narrows it to what the person may write: a contributor chooses
    among their own units (and must choose one), and only staff who see
    confidential activities mark one confidential. ``confidentiality=False``
    leaves the confidentiality fields out (the import keeps them as they
    are)."""

    class Meta:
        model = Activity
        fields = [*ACTIVITY_FIELDS, *CONFIDENTIALITY_FIELDS]
        widgets = {
            "goals": forms.CheckboxSelectMultiple,
            "partners": forms.CheckboxSelectMultiple,
            "districts": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 4}),
            "result": forms.Textarea(attrs={"rows": 4}),
        }
        field_classes = {"cost": WholeKronorField}

    def __init__(
        self,
        *args,
        followup: FollowUp,
        user=None,
        confidentiality: bool = True,
        choices: ActivityChoices | None = None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instance.followup = followup
        if choices is not None:
            # Many rows against the same lists (an import): no queries.
            self._use_choices(choices, user)
            self.instance.checked_against_preloaded_choices = True
        else:
            self._read_choices(followup, user)
        if not confidentiality or (
            user is not None and not (sees_confidential(user) and writes_every_unit(user))
        ):
            for name in CONFIDENTIALITY_FIELDS:
                del self.fields[name]
        self.fields["cost"].help_text = _("Whole kronor, e.g. 150000.")

    def _read_choices(self, followup: FollowUp, user) -> None:
        programme_id = followup.programme_id
        areas = list(ResponsibilityArea.objects.filter(programme_id=programme_id))
        self.fields["area"].queryset = ResponsibilityArea.objects.filter(programme_id=programme_id)
        self.fields["area"].choices = [("", "---------")] + [(a.pk, str(a)) for a in areas]
        goals = list(Goal.objects.filter(area__programme_id=programme_id).select_related("area"))
        self.fields["goals"].queryset = Goal.objects.filter(area__programme_id=programme_id)
        self.fields["goals"].choices = [
            (str(area), [(g.pk, str(g)) for g in goals if g.area_id == area.pk]) for area in areas
        ]
        chosen = self.instance.pk is not None
        for name, model in (
            ("responsible_unit", OrganisationalUnit),
            ("partners", Partner),
            ("districts", District),
        ):
            offered = Q(is_active=True)
            if chosen:
                offered |= Q(activities=self.instance)
            self.fields[name].queryset = model.objects.filter(offered).distinct()
        if user is not None and own_units_only(user):
            self._limit_to_own_units(user)

    def _use_choices(self, choices: ActivityChoices, user) -> None:
        """The same offer as ``_read_choices``, from lists read once. The
        instance's many-to-many values come from its prefetched rows."""
        instance = self.instance
        has_pk = instance.pk is not None
        units = offered(choices.units, [instance.responsible_unit_id])
        if user is not None and own_units_only(user):
            own = contributed_unit_ids(user)
            units = {pk: unit for pk, unit in units.items() if pk in own}
            self._own_units_messages(", ".join(sorted(u.name for u in units.values())))
        allowed = {
            "area": {a.pk: a for a in choices.areas},
            "goals": {g.pk: g for g in choices.goals},
            "responsible_unit": units,
            "partners": offered(
                choices.partners, [p.pk for p in instance.partners.all()] if has_pk else []
            ),
            "districts": offered(
                choices.districts, [d.pk for d in instance.districts.all()] if has_pk else []
            ),
        }
        for name, objects in allowed.items():
            field = self.fields[name]
            if not isinstance(field, PreloadedChoiceField | PreloadedMultipleChoiceField):
                field = self.fields[name] = preloaded_like(field)
            field.allowed = objects

    def _limit_to_own_units(self, user) -> None:
        field = self.fields["responsible_unit"]
        offered = Q(is_active=True)
        if self.instance.responsible_unit_id is not None:
            offered |= Q(pk=self.instance.responsible_unit_id)
        field.queryset = OrganisationalUnit.objects.filter(
            offered, pk__in=contributed_unit_ids(user)
        )
        self._own_units_messages(", ".join(unit.name for unit in field.queryset.order_by("name")))

    def _own_units_messages(self, names: str) -> None:
        field = self.fields["responsible_unit"]
        field.required = True
        names = names or "–"
        # Lazy, so each message is in the language of the page it is shown on.
        field.help_text = format_lazy(_("You report for: {units}."), units=names)
        field.error_messages["invalid_choice"] = format_lazy(
            _("You can report only for your own units: {units}."), units=names
        )

    def clean_goals(self):
        goals = self.cleaned_data["goals"]
        if not isinstance(goals, list):  # a queryset; preloaded goals have their areas
            goals = goals.select_related("area")
        validate_goals_in_programme(self.instance.followup.programme_id, goals)
        return self.cleaned_data["goals"]
