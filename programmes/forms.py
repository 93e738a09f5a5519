"""Form fields shared by the workspace and the admin."""

from django import forms
from django.core.exceptions import ValidationError


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
