"""Form fields shared by the workspace and the admin."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

from .models import TextLengthValidator


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
