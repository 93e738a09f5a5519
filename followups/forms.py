from django import forms

from programmes.models import Goal

from .models import Activity, validate_goals_in_programme


class ActivityAdminForm(forms.ModelForm):
    """The admin's activity form: refuses goals of another programme with a
    message by the goals field, before the database sees them."""

    class Meta:
        model = Activity
        fields = [
            "followup",
            "area",
            "title",
            "description",
            "goals",
            "responsible_unit",
            "partners",
            "districts",
            "status",
            "cost",
            "result",
            "continues",
        ]

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
