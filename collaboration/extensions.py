"""What the collaboration adds to the follow-ups' pages and to the annual
report, registered when the app is ready (``apps.py``): the activity's page
shows the priority areas, promises and measures it serves; the activity list
filters by them; the annual report gets its *Samverkan* chapter; the demo
gets the collaboration's data."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from followups import extensions

from .access import works_with_collaboration
from .demo_registration import register_demo
from .models import CitizenPromise, Measure, PriorityArea
from .report_chapter import register_report_chapter


def activity_section(activity, user):
    """What the activity serves in the collaboration, for staff."""
    if not works_with_collaboration(user):
        return None
    return extensions.Section(
        "collaboration/includes/activity_links.html",
        {
            "areas": list(
                activity.priority_areas.select_related("agreement").order_by(
                    "agreement__first_year", "order"
                )
            ),
            "promises": list(
                activity.citizen_promises.select_related("agreement").order_by("year", "category")
            ),
            "measures": list(
                activity.measures.select_related("plan").order_by("plan__first_year", "order")
            ),
        },
    )


def _covering(year: int) -> Q:
    return Q(agreement__first_year__lte=year, agreement__last_year__gte=year)


def _area_choices(followup) -> list[tuple[str, str]]:
    areas = PriorityArea.objects.filter(_covering(followup.year)).order_by("agreement_id", "order")
    return [(str(area.pk), area.name) for area in areas]


def _promise_choices(followup) -> list[tuple[str, str]]:
    promises = CitizenPromise.objects.filter(year=followup.year).order_by("category", "pk")
    return [(str(promise.pk), promise.category) for promise in promises]


def _measure_choices(followup) -> list[tuple[str, str]]:
    measures = Measure.objects.filter(
        plan__first_year__lte=followup.year, plan__last_year__gte=followup.year
    ).order_by("plan_id", "order")
    return [(str(measure.pk), measure.title) for measure in measures]


def register() -> None:
    if activity_section not in extensions.activity_sections:
        extensions.activity_sections.append(activity_section)
    names = {extension.name for extension in extensions.activity_filters}
    for extension in (
        extensions.ActivityFilterExtension(
            "priority_area",
            _("Priority area"),
            _area_choices,
            lambda queryset, value: queryset.filter(priority_areas=value),
        ),
        extensions.ActivityFilterExtension(
            "promise",
            _("Citizen promise"),
            _promise_choices,
            lambda queryset, value: queryset.filter(citizen_promises=value),
        ),
        extensions.ActivityFilterExtension(
            "measure",
            _("Measure"),
            _measure_choices,
            lambda queryset, value: queryset.filter(measures=value),
        ),
    ):
        if extension.name not in names:
            extensions.activity_filters.append(extension)
    register_report_chapter()
    register_demo()


register()
