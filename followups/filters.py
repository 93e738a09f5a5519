"""The activity list's filters. They live in the URL's query string, so a
filtered list can be bookmarked and shared."""

import functools

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from programmes.models import District, Goal, OrganisationalUnit, Partner, ResponsibilityArea

from . import extensions
from .models import Activity, FollowUp


def _apply_extension(extension, queryset, name, value):
    return extension.apply(queryset, value).distinct()


class ActivityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        max_length=200,
        help_text=_("Searches title, description and result."),
    )
    area = django_filters.ModelChoiceFilter(
        label=_("Responsibility area"), queryset=ResponsibilityArea.objects.none()
    )
    goal = django_filters.ModelChoiceFilter(
        label=_("Goal"), field_name="goals", queryset=Goal.objects.none()
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Activity.Status.choices)
    district = django_filters.ModelChoiceFilter(
        label=_("District"), field_name="districts", queryset=District.objects.all()
    )
    partner = django_filters.ModelChoiceFilter(
        label=_("Partner"), field_name="partners", queryset=Partner.objects.all()
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("Responsible unit"),
        field_name="responsible_unit",
        queryset=OrganisationalUnit.objects.all(),
    )
    sort = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=[
            ("title", "title"),
            ("area__number", "area"),
            ("status", "status"),
            ("cost", "cost"),
            ("responsible_unit__name", "unit"),
        ],
        field_labels={
            "title": _("Title"),
            "area__number": _("Responsibility area"),
            "status": _("Status"),
            "cost": _("Cost"),
            "responsible_unit__name": _("Responsible unit"),
        },
        empty_label=_("Area and title"),
        widget=forms.Select,
    )

    class Meta:
        model = Activity
        fields: list[str] = []

    def __init__(self, *args, followup: FollowUp, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        programme_id = followup.programme_id
        self.filters["area"].queryset = ResponsibilityArea.objects.filter(programme_id=programme_id)
        self.filters["goal"].queryset = Goal.objects.filter(area__programme_id=programme_id)
        # Filters of apps built on this one (followups.extensions), after the own.
        for extension in extensions.activity_filters:
            self.filters[extension.name] = django_filters.ChoiceFilter(
                label=extension.label,
                choices=functools.partial(extension.choices, followup),
                method=functools.partial(_apply_extension, extension),
            )
        if extensions.activity_filters:
            # The sort order stays last, where people look for it.
            self.filters["sort"] = self.filters.pop("sort")

    def search(self, queryset, name, value):
        words = value.split()
        for word in words:
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(description__icontains=word)
                | Q(result__icontains=word)
            )
        return queryset
