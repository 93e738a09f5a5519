"""The forms of the tertial page: the follow-up's summary and readiness, a
status text per priority area, a rating and comment per promise. Each
remembers the version of the row it showed (``VersionedForm``), so a page
saved over someone else's newer save is refused."""

from django import forms
from django.utils.translation import gettext_lazy as _

from followups.forms import VersionedForm

from .models import PriorityAreaStatus, PromiseRating, TertialFollowUp


class TertialForm(VersionedForm):
    class Meta:
        model = TertialFollowUp
        fields = ["summary", "ready"]
        labels = {"ready": _("Ready for the steering group")}
        widgets = {"summary": forms.Textarea(attrs={"rows": 6})}


class AreaStatusForm(VersionedForm):
    natural_key = ("tertial", "priority_area")

    class Meta:
        model = PriorityAreaStatus
        fields = ["text"]
        labels = {"text": _("What was done in the tertial")}
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}


class PromiseRatingForm(VersionedForm):
    natural_key = ("tertial", "promise")

    class Meta:
        model = PromiseRating
        fields = ["rating", "comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rating"].choices = [("", _("Not rated")), *PromiseRating.Rating.choices]
