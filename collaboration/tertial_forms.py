"""The forms of the tertial page: the follow-up's summary and readiness, a
status text per priority area, a rating and comment per promise. Each
remembers the version of the row it showed (``VersionedForm``), so a page
saved over someone else's newer save is refused."""

from django import forms
from django.utils.translation import gettext_lazy as _

from followups.forms import VersionedForm

from .models import PriorityAreaStatus, PromiseRating, TertialFollowUp


class LightForm(VersionedForm):
    """Rendered by ``collaboration/includes/light_form.html`` rather than
    crispy: a tertial shows a form per priority area and promise, and
    crispy's nested templates cost a third of a large page's time. The
    widgets get Bootstrap's classes here, and a field with errors is marked
    invalid and described by its errors."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if widget.is_hidden:
                continue
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select"
            else:
                widget.attrs["class"] = "form-control"

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                bound = self[name]
                attrs = self.fields[name].widget.attrs
                attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                described = [f"{bound.auto_id}_errors"]
                if bound.help_text:
                    described.append(f"{bound.auto_id}_helptext")
                attrs["aria-describedby"] = " ".join(described)


class TertialForm(LightForm):
    class Meta:
        model = TertialFollowUp
        fields = ["summary", "ready"]
        labels = {"ready": _("Ready for the steering group")}
        widgets = {"summary": forms.Textarea(attrs={"rows": 6})}


class AreaStatusForm(LightForm):
    natural_key = ("tertial", "priority_area")

    class Meta:
        model = PriorityAreaStatus
        fields = ["text"]
        labels = {"text": _("What was done in the tertial")}
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}


class PromiseRatingForm(LightForm):
    natural_key = ("tertial", "promise")

    class Meta:
        model = PromiseRating
        fields = ["rating", "comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rating"].choices = [("", _("Not rated")), *PromiseRating.Rating.choices]
