"""The staff pages' forms for promises, priority areas' activities,
situation pictures, problems and measures. They offer only choices that
belong to the agreement, the picture or the plan, and refuse a save when
someone else saved the same row since the form was opened (the row's
newest history record is the version the form saw)."""

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from followups.models import Activity
from programmes.forms import SwedishDateField
from programmes.models import locked_in_transaction

from .models import CitizenPromise, Measure, PriorityArea, Problem, SituationPicture

CONFLICT_MESSAGE = _(
    "Someone else saved this meanwhile. Nothing was saved: reload the page to see their "
    "changes, then make yours again."
)


def history_mark(instance) -> str:
    """The id of the row's newest history record ("" for a new row)."""
    if instance.pk is None:
        return ""
    newest = instance.history.order_by("-history_id").values_list("history_id", flat=True)
    return str(newest.first() or "")


class HistoryMarkField(forms.CharField):
    """The hidden version a form was opened at (``history_mark``)."""

    widget = forms.HiddenInput


class ConflictCheckedForm(forms.ModelForm):
    """A model form that saves only if the row is as the user saw it."""

    seen = HistoryMarkField(required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["seen"].initial = history_mark(self.instance)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None and not self._unchanged_since_seen(cleaned):
            raise forms.ValidationError(CONFLICT_MESSAGE, code="conflict")
        return cleaned

    def _unchanged_since_seen(self, cleaned) -> bool:
        return cleaned.get("seen", "") == history_mark(self.instance)

    def save_if_unchanged(self):
        """Saves in one transaction unless someone saved the row since the
        form was opened: checked again under the row's lock, which holds
        until the save commits. Returns the row, or None (saving nothing,
        the form carrying the conflict) when it was newer."""
        with transaction.atomic():
            if self.instance.pk is not None:
                rows = type(self.instance).objects.filter(pk=self.instance.pk)
                locked_in_transaction(rows).exists()
                if not self._unchanged_since_seen(self.cleaned_data):
                    self.add_error(None, forms.ValidationError(CONFLICT_MESSAGE, code="conflict"))
                    return None
            return self.save()


def activities_of_years(years, *, confidential: bool):
    """The activities of the years to link to, confidential ones only for
    those who may see them."""
    activities = (
        Activity.objects.filter(followup__year__in=list(years))
        .select_related("followup")
        .order_by("followup__year", "title")
    )
    return activities if confidential else activities.public()


class ActivityChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.followup.year}: {obj.title}"


class LinkedActivitiesMixin:
    """Limits the ``activities`` field to the given years' activities and
    keeps the links to activities the user may not see (confidential ones)."""

    def limit_activities(self, years, confidential: bool) -> None:
        field = self.fields["activities"]
        field.queryset = activities_of_years(years, confidential=confidential)
        field.required = False
        self.hidden_links = []
        if self.instance.pk is not None and not confidential:
            self.hidden_links = list(
                self.instance.activities.filter(is_confidential=True).values_list("pk", flat=True)
            )

    def _save_m2m(self):
        super()._save_m2m()
        if self.hidden_links:
            self.instance.activities.add(*self.hidden_links)


class PromiseForm(LinkedActivitiesMixin, ConflictCheckedForm):
    class Meta:
        model = CitizenPromise
        fields = [
            "year",
            "priority_area",
            "category",
            "text",
            "municipality_commits",
            "partners",
            "activities",
            "seen",
        ]
        field_classes = {"activities": ActivityChoiceField}
        widgets = {"partners": forms.CheckboxSelectMultiple}

    def __init__(self, *args, agreement, confidential: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.agreement = agreement
        self.fields["priority_area"].queryset = agreement.priority_areas.all()
        self.fields["year"].widget = forms.Select(choices=[(y, y) for y in agreement.years])
        self.limit_activities(agreement.years, confidential)

    def clean(self):
        cleaned = super().clean()
        year = cleaned.get("year")
        wrong = [a for a in cleaned.get("activities", []) if year and a.followup.year != year]
        if wrong:
            self.add_error(
                "activities",
                _("A promise of %(year)s is carried out by activities of %(year)s.")
                % {"year": year},
            )
        return cleaned


class PriorityAreaActivitiesForm(LinkedActivitiesMixin, ConflictCheckedForm):
    class Meta:
        model = PriorityArea
        fields = ["activities", "seen"]
        field_classes = {"activities": ActivityChoiceField}

    def __init__(self, *args, confidential: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.limit_activities(self.instance.agreement.years, confidential)


class SituationForm(ConflictCheckedForm):
    class Meta:
        model = SituationPicture
        fields = [
            "title",
            "made_on",
            "first_year",
            "last_year",
            "municipality_made",
            "partners",
            "analysis",
            "seen",
        ]
        field_classes = {"made_on": SwedishDateField}
        widgets = {"partners": forms.CheckboxSelectMultiple}


class ProblemForm(ConflictCheckedForm):
    class Meta:
        model = Problem
        fields = [
            "order",
            "name",
            "mapping",
            "extent",
            "consequences",
            "districts",
            "sources",
            "seen",
        ]
        widgets = {"districts": forms.CheckboxSelectMultiple}

    def __init__(self, *args, picture, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.picture = picture


class MeasureForm(LinkedActivitiesMixin, ConflictCheckedForm):
    class Meta:
        model = Measure
        fields = [
            "order",
            "title",
            "description",
            "problems",
            "responsible_unit",
            "activities",
            "seen",
        ]
        field_classes = {"activities": ActivityChoiceField}
        widgets = {"problems": forms.CheckboxSelectMultiple}

    def __init__(self, *args, plan, confidential: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        self.fields["problems"].queryset = plan.picture.problems.all()
        self.limit_activities(plan.years, confidential)
