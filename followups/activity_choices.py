"""The activity form's choices read once, for an import that checks
thousands of rows against the same lists: the same rules as the web form
(the year's programme's areas and goals, active reference entries plus those
the activity already has), looked up in memory instead of one query per
field and row."""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError

from programmes.models import District, Goal, OrganisationalUnit, Partner, ResponsibilityArea

from .models import FollowUp


@dataclass
class ActivityChoices:
    areas: list[ResponsibilityArea]
    goals: list[Goal]  # their areas loaded
    units: dict[int, OrganisationalUnit]
    partners: dict[int, Partner]
    districts: dict[int, District]

    @classmethod
    def read(cls, followup: FollowUp) -> "ActivityChoices":
        """Five queries, whatever the number of rows to check."""
        programme_id = followup.programme_id
        return cls(
            areas=list(ResponsibilityArea.objects.filter(programme_id=programme_id)),
            goals=list(Goal.objects.filter(area__programme_id=programme_id).select_related("area")),
            units={u.pk: u for u in OrganisationalUnit.objects.all()},
            partners={p.pk: p for p in Partner.objects.all()},
            districts={d.pk: d for d in District.objects.all()},
        )


def _lookup(allowed: dict, value, message: str):
    try:
        found = allowed.get(int(value))
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise ValidationError(message, code="invalid_choice", params={"value": value})
    return found


class PreloadedChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that finds its value among objects read before
    (``allowed``, by primary key). It has no queryset: it checks, it is
    never rendered."""

    def __init__(self, *, allowed: dict | None = None, **kwargs) -> None:
        super().__init__(queryset=None, **kwargs)
        self.allowed = allowed or {}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        return _lookup(self.allowed, value, self.error_messages["invalid_choice"])


class PreloadedMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that finds its values among objects read
    before; cleans to a list of them. Never rendered, like the above."""

    def __init__(self, *, allowed: dict | None = None, **kwargs) -> None:
        super().__init__(queryset=None, **kwargs)
        self.allowed = allowed or {}

    def clean(self, value):
        value = self.prepare_value(value)
        if not value:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if not isinstance(value, list | tuple):
            raise ValidationError(self.error_messages["invalid_list"], code="invalid_list")
        chosen = []
        for item in value:
            found = _lookup(self.allowed, item, self.error_messages["invalid_choice"])
            if found not in chosen:
                chosen.append(found)
        self.run_validators(value)
        return chosen


def offered(objects: dict, current_ids) -> dict:
    """The active entries and those the activity already has."""
    current = set(current_ids)
    return {pk: obj for pk, obj in objects.items() if obj.is_active or pk in current}


def preloaded_like(field: forms.ModelChoiceField):
    """A preloaded field with the model form field's rules and texts."""
    kind = (
        PreloadedMultipleChoiceField
        if isinstance(field, forms.ModelMultipleChoiceField)
        else PreloadedChoiceField
    )
    return kind(
        required=field.required,
        label=field.label,
        help_text=field.help_text,
        error_messages=field.error_messages,
    )
