"""Forms of the staff workspace and the admin. Every rule is checked by the
models; these forms add the version check that keeps concurrent edits from
overwriting each other, and offer only choices that belong to the year."""

import re
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programmes.forms import (
    BoundedCharField,
    FiniteDecimalField,
    SwedishDateField,
    VersionCheckedForm,
)
from programmes.models import (
    SHORT_TEXT,
    Goal,
    IndicatorValue,
)

from .models import (
    APPROVED_MESSAGE,
    SUBMITTED_MESSAGE,
    Activity,
    AreaSummary,
    FollowUp,
    GoalAssessment,
    GuidelineFollowUp,
    Rating,
    validate_goals_in_programme,
)

ACTIVITY_FIELDS = [
    "title",
    "area",
    "goals",
    "status",
    "responsible_unit",
    "partners",
    "districts",
    "cost",
    "description",
    "result",
]
CONFIDENTIALITY_FIELDS = ["is_confidential", "confidentiality_ground", "confidentiality_note"]

CONFLICT_MESSAGE = _(
    "Someone else saved this while you were editing, so your changes were not saved. "
    "Their version is shown beside your text; nothing you typed is lost. "
    "Compare, adjust and save again."
)
COMMENT_WITHOUT_VALUE_MESSAGE = _(
    "A comment is saved only with a value: enter the value, or clear the comment."
)
STALE_DELETE_MESSAGE = _(
    "Someone else changed this activity after you opened this page, so it was not "
    "deleted. Here it is as it is now: delete it again if you still want to."
)
DELETED_MESSAGE = _(
    "Someone else deleted this while you were editing, so your changes were not saved. "
    "Your text is still in the form: save it again to keep it."
)


class AmountField(FiniteDecimalField):
    """A number as people write it in Swedish: "150 000", "74,5"."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("localize", True)
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, Decimal) and value == value.to_integral_value():
            return value.quantize(Decimal(1))  # 415, not 415,00
        return super().prepare_value(value)

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"\s", "", value)  # spaces and no-break spaces between thousands
        return super().to_python(value)


# Whole kronor: ASCII digits, either without separators or in groups of three
# separated by one space (a plain, no-break, narrow no-break or thin space),
# so "15 0000" is not silently read as 150 000. A leading minus is let
# through to the model's own message that a cost cannot be negative.
WHOLE_KRONOR = re.compile(r"-?(?:[0-9]+|[0-9]{1,3}(?:[ \u00a0\u202f\u2009][0-9]{3})+)")


class WholeKronorField(forms.DecimalField):
    """A cost in whole kronor as people type it: "150 000", "150000", "0".

    Django's DecimalField reads whatever Python's Decimal reads: "1e5",
    "+5", "5,5" with localisation, Arabic-Indic digits, "Infinity". A cost
    takes none of them. Indicator values, which do take decimals, use
    AmountField.
    """

    widget = forms.TextInput(attrs={"inputmode": "numeric"})
    default_error_messages = {
        "invalid": _("Enter the cost in whole kronor with digits, e.g. 150 000."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int | Decimal):
            return super().to_python(value)
        text = str(value).strip().replace("\u2212", "-")  # a typographic minus sign
        if not WHOLE_KRONOR.fullmatch(text):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return Decimal(re.sub(r"[^-0-9]", "", text))


class ApprovedYearForm(VersionCheckedForm):
    """Admin's form for a year's rows: refuses, with the Swedish message, to
    put anything into a submitted or approved year, and saves only at the
    version the page showed."""

    def clean(self):
        cleaned = super().clean()
        followup = cleaned.get("followup")
        if followup is not None and followup.status == FollowUp.Status.APPROVED:
            raise forms.ValidationError(APPROVED_MESSAGE, code="approved")
        if followup is not None and followup.status == FollowUp.Status.SUBMITTED:
            raise forms.ValidationError(SUBMITTED_MESSAGE, code="submitted")
        return cleaned


class ActivityAdminForm(ApprovedYearForm):
    """The admin's activity form: refuses goals of another programme with a
    message by the goals field, before the database sees them."""

    class Meta:
        model = Activity
        fields = ["followup", *ACTIVITY_FIELDS, "continues", *CONFIDENTIALITY_FIELDS]
        field_classes = {"cost": WholeKronorField}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "goals" in self.fields:
            goals = Goal.objects.select_related("area")
            if self.instance.followup_id is not None:
                # An existing activity is offered only its own programme's goals.
                goals = goals.filter(area__programme_id=self.instance.followup.programme_id)
            self.fields["goals"].queryset = goals

    def clean(self) -> dict:
        cleaned = super().clean()
        followup = cleaned.get("followup")
        goals = cleaned.get("goals")
        if followup is not None and goals:
            try:
                validate_goals_in_programme(followup.programme_id, goals)
            except forms.ValidationError as error:
                self.add_error("goals", error)
        return cleaned


class VersionedForm(forms.ModelForm):
    """A model form that remembers which version of the row the user started
    from, and refuses to save over a newer one.

    After a refused save, ``conflict`` holds the row as someone else saved it
    (or ``None`` with ``deleted`` set), and the hidden version is moved on so
    that saving again, after comparing, is a deliberate choice.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version if self.instance.pk else 0
        self.conflict = None
        self.deleted = False

    def save_if_unchanged(self) -> bool:
        """Saves the row (and its many-to-many fields) unless it changed since
        the form was shown. Call inside ``transaction.atomic``."""
        instance = self.save(commit=False)
        if not instance.save_if_unchanged(self.cleaned_data["version"]):
            self._record_conflict()
            return False
        self.save_m2m()
        return True

    def _record_conflict(self) -> None:
        model = type(self.instance)
        current = None
        if self.instance.pk is not None:
            current = model.objects.filter(pk=self.instance.pk).first()
        else:
            current = self.find_existing()
        if current is None:
            self.deleted = True
            self.add_error(None, DELETED_MESSAGE)
            return
        self.conflict = current
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = current.version
        self.add_error(None, CONFLICT_MESSAGE)

    # Fields that identify the row a form creates (e.g. the follow-up and the
    # goal of an assessment), to find one someone else created meanwhile.
    natural_key: tuple[str, ...] = ()

    def find_existing(self):
        if not self.natural_key:
            return None
        model = type(self.instance)
        return model.objects.filter(
            **{name: getattr(self.instance, name) for name in self.natural_key}
        ).first()


class AssessmentForm(VersionedForm):
    """One goal's rating (on the follow-up's scale) and analysis."""

    natural_key = ("followup", "goal")

    class Meta:
        model = GoalAssessment
        fields = ["rating", "analysis"]
        widgets = {"analysis": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        scale = self.instance.followup.scale
        self.fields["rating"].choices = [("", _("Not yet assessed"))] + [
            (rating.value, rating.label) for rating in Rating.for_scale(scale)
        ]


class AreaSummaryForm(VersionedForm):
    natural_key = ("followup", "area")

    class Meta:
        model = AreaSummary
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6})}


class GuidelineTextForm(VersionedForm):
    natural_key = ("followup", "guideline")

    class Meta:
        model = GuidelineFollowUp
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6})}


class FollowUpSummaryForm(VersionedForm):
    class Meta:
        model = FollowUp
        fields = ["summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 8})}


class ReturnForm(forms.Form):
    comment = BoundedCharField(
        label=_("Why is the follow-up returned?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=SHORT_TEXT,
        help_text=_("The comment is kept with the follow-up's history."),
    )


class IndicatorValueForm(VersionedForm):
    """The year's value of one indicator. An empty value means "no value":
    it creates nothing, and clears a value saved before."""

    natural_key = ("indicator", "year")

    class Meta:
        model = IndicatorValue
        fields = ["value", "comment"]
        widgets = {"comment": forms.TextInput}
        field_classes = {"value": AmountField}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["value"].required = False

    def clean(self):
        cleaned = super().clean()
        # Without a value nothing is stored, so a comment typed here would
        # be lost while the page says "saved". (Clearing a value whose
        # comment is left as it was deletes both, as intended.)
        if (
            cleaned.get("value") is None
            and "value" not in self.errors
            and cleaned.get("comment")
            and "comment" in self.changed_data
        ):
            self.add_error("value", COMMENT_WITHOUT_VALUE_MESSAGE)
        return cleaned

    def _post_clean(self) -> None:
        if self.cleaned_data.get("value") is None:
            return  # nothing to validate: the value is being left out or cleared
        super()._post_clean()

    def save_if_unchanged(self) -> bool:
        """Saves, or deletes a cleared value, unless someone else saved first.
        A value entered here is real data, so it is no longer example data."""
        if self.cleaned_data.get("value") is None:
            if self.instance.pk is None:
                return True
            if not self.instance.delete_if_unchanged(self.cleaned_data["version"]):
                self._record_conflict()
                return False
            return True
        if self.has_changed():
            self.instance.is_example = False
        return super().save_if_unchanged()


class DecisionForm(forms.Form):
    """The board's decision as the minutes record it."""

    decided_by = forms.CharField(label=_("Decided by"), max_length=100)
    decision_date = SwedishDateField(
        label=_("Decision date"), help_text=_("As in the minutes, e.g. 2022-03-07.")
    )
    decision_paragraph = forms.CharField(
        label=_("Paragraph"), max_length=20, help_text=_("For example § 11.")
    )
    registration_number = forms.CharField(
        label=_("Registration number"),
        max_length=50,
        help_text=_("The diarienummer, for example KS-2022/177.173."),
    )

    def __init__(self, *args, followup: FollowUp, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decided_by"].initial = followup.decided_by or "Kommunstyrelsen"
        self.fields["registration_number"].initial = followup.registration_number

    def clean_decision_date(self):
        value = self.cleaned_data["decision_date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The decision date cannot be in the future."))
        return value

    def clean_decision_paragraph(self):
        value = " ".join(self.cleaned_data["decision_paragraph"].split())
        if value.isdigit():
            value = f"§ {value}"
        if not re.fullmatch(r"§ ?\d+[a-z]?", value):
            raise forms.ValidationError(_("Write the paragraph as in the minutes, e.g. § 11."))
        return value.replace("§", "§ ").replace("  ", " ")


class ReopenForm(forms.Form):
    reason = BoundedCharField(
        label=_("Why is the approved follow-up reopened?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=SHORT_TEXT,
        help_text=_("The reason is kept with the follow-up's history."),
    )
