"""Form fields shared by the workspace and the admin."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from .models import TextLengthValidator, locked_in_transaction


class FiniteDecimalField(forms.DecimalField):
    """A decimal field that refuses "NaN", "sNaN" and "Infinity" on reading.

    Django's DecimalField lets them through ``to_python`` and refuses them
    only in ``validate``; a form's ``has_changed`` compares before that, and
    comparing a signalling NaN raises: a server error instead of "Fyll i ett
    nummer."
    """

    def to_python(self, value):
        value = super().to_python(value)
        if value is not None and not value.is_finite():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return value


class BoundedCharField(forms.CharField):
    """A text field whose bound (``max_length``) is checked as the browser
    counts it and refused with "Texten får vara högst … tecken lång (nu …)"
    (``programmes.models.TextLengthValidator``) instead of Django's generic
    message. The widget still gets ``maxlength``."""

    def __init__(self, *, max_length: int | None = None, **kwargs) -> None:
        super().__init__(max_length=max_length, **kwargs)
        if max_length is not None:
            self.validators = [v for v in self.validators if type(v) is not MaxLengthValidator]
            self.validators.append(TextLengthValidator(max_length))


# Swedish month names; their first three letters already tell them apart.
MONTHS = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]
# ASCII digits only: \d would take Arabic-Indic and other digits too.
ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
WRITTEN_DATE = re.compile(r"([0-9]{1,2})\s+([^\W\d_]{3,9})\.?\s+([0-9]{4})")


def parse_swedish_date(text: str) -> datetime.date | None:
    """The date in "2022-03-07" (also "2022-3-7") or "7 mars 2022" (any
    case, a leading zero, the month's first three letters or more with or
    without a dot: "7 mar. 2022"); None for anything else, impossible dates
    ("2022-02-30", "31 april 2022") included.

    Day/month with slashes ("7/3/2022") is refused: Swedes read it as 7
    March, Django's Swedish input formats as 3 July."""
    text = text.strip()
    if match := ISO_DATE.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := WRITTEN_DATE.fullmatch(text):
        name = match[2].casefold()
        months = [number for number, full in enumerate(MONTHS, 1) if full.startswith(name)]
        if len(months) != 1:
            return None
        day, month, year = int(match[1]), months[0], int(match[3])
    else:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


class SwedishDateInput(forms.DateInput):
    """``<input type="date">``: browsers show a date picker. Its value is
    always ISO, the only form the picker reads; a browser without a picker
    shows a text box that takes what SwedishDateField takes."""

    input_type = "date"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class SwedishDateField(forms.DateField):
    """A date typed as Swedes write it (see ``parse_swedish_date``), shown
    in a date picker."""

    widget = SwedishDateInput
    default_error_messages = {"invalid": _("Enter the date as 2022-03-07 or 7 mars 2022.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        parsed = parse_swedish_date(str(value))
        if parsed is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed

    def bound_data(self, data, initial):
        # A form shown again after an error shows the typed date in ISO, so
        # a browser's picker keeps it (it would show "7 mars 2022" as empty).
        if isinstance(data, str):
            parsed = parse_swedish_date(data)
            if parsed is not None:
                return parsed
        return super().bound_data(data, initial)


ADMIN_CONFLICT_MESSAGE = _(
    "Someone else saved this after you opened the page, so your changes were not saved. "
    "Open the page again to see their version, and make your changes there."
)


class VersionCheckedForm(forms.ModelForm):
    """For admin forms of versioned rows (``Versioned``): the page carries
    the version it showed, and the save goes through only at that version.

    ``clean()`` re-reads the stored row under a row lock (admin saves in one
    transaction, so the lock holds until the save commits) and refuses a
    newer one with a Swedish message; the save then moves the version on.
    One query when the row exists.
    """

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["seen_version"].initial = self.instance.version if self.instance.pk else 0

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None or not self.has_changed():
            return cleaned
        rows = locked_in_transaction(type(self.instance)._base_manager.filter(pk=self.instance.pk))
        stored = rows.values_list("version", flat=True).first()
        if stored is None or cleaned.get("seen_version") != stored:
            raise ValidationError(ADMIN_CONFLICT_MESSAGE, code="conflict")
        self.instance.version = stored + 1
        return cleaned
