"""How far a year's follow-up has come: the start page's figures, and the
link between strategy and operations that the auditors found weak (goals no
activity contributes to, activities linked to no goal)."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, Max, OuterRef, Q

from programmes.models import (
    Goal,
    Guideline,
    Indicator,
    IndicatorValue,
    OrganisationalUnit,
    ResponsibilityArea,
)

from .models import Activity, AreaSummary, FollowUp, GoalAssessment, GuidelineFollowUp

# The start page lists this many unlinked activities and counts the rest.
UNLINKED_SHOWN = 20


@dataclass
class Step:
    done: int
    total: int

    @property
    def complete(self) -> bool:
        return self.done == self.total


@dataclass
class Progress:
    goals: Step
    areas: Step
    indicators: Step
    guidelines: Step
    activities_by_status: list[tuple[Activity.Status, int]]
    activity_count: int
    goals_without_activity: list[Goal]
    activities_without_goal: list[Activity]  # the first UNLINKED_SHOWN of them
    activities_without_goal_count: int


def followup_progress(followup: FollowUp, include_confidential: bool = True) -> Progress:
    """Computes the figures in seven queries, whatever the number of rows;
    ``include_confidential=False`` counts as if confidential activities did
    not exist (for those who may not see them)."""
    programme_id = followup.programme_id
    activities = Activity.objects.filter(followup=followup)
    if not include_confidential:
        activities = activities.public()
    goals = list(
        Goal.objects.filter(area__programme_id=programme_id)
        .select_related("area")
        .annotate(
            assessed=Exists(
                GoalAssessment.objects.filter(followup=followup, goal=OuterRef("pk")).exclude(
                    rating=""
                )
            ),
            has_activity=Exists(activities.filter(goals=OuterRef("pk"))),
        )
    )
    areas = ResponsibilityArea.objects.filter(programme_id=programme_id).aggregate(
        total=Count("pk"),
        done=Count(
            "pk",
            filter=Q(
                Exists(
                    AreaSummary.objects.filter(followup=followup, area=OuterRef("pk")).exclude(
                        text=""
                    )
                )
            ),
        ),
    )
    indicators = Indicator.objects.filter(area__programme_id=programme_id).aggregate(
        total=Count("pk"),
        done=Count(
            "pk",
            filter=Q(
                Exists(IndicatorValue.objects.filter(indicator=OuterRef("pk"), year=followup.year))
            ),
        ),
    )
    guidelines = Guideline.objects.filter(programme_id=programme_id).aggregate(
        total=Count("pk"),
        done=Count(
            "pk",
            filter=Q(
                Exists(
                    GuidelineFollowUp.objects.filter(
                        followup=followup, guideline=OuterRef("pk")
                    ).exclude(text="")
                )
            ),
        ),
    )
    counts = dict(activities.order_by().values_list("status").annotate(n=Count("pk")))
    unlinked = activities.filter(
        ~Exists(Activity.goals.through.objects.filter(activity_id=OuterRef("pk")))
    )
    return Progress(
        goals=Step(sum(g.assessed for g in goals), len(goals)),
        areas=Step(areas["done"], areas["total"]),
        indicators=Step(indicators["done"], indicators["total"]),
        guidelines=Step(guidelines["done"], guidelines["total"]),
        activities_by_status=[(status, counts.get(status, 0)) for status in Activity.Status],
        activity_count=sum(counts.values()),
        goals_without_activity=[g for g in goals if not g.has_activity],
        activities_without_goal=list(unlinked.order_by("title", "pk")[:UNLINKED_SHOWN]),
        activities_without_goal_count=unlinked.count(),
    )


@dataclass
class UnitReport:
    unit: OrganisationalUnit
    activities: int
    last_change: datetime | None


def unit_reports(followup: FollowUp, include_confidential: bool = True) -> list[UnitReport]:
    """Per organisational unit: how many of the year's activities it is
    responsible for and when one of them was last saved (or deleted), so the
    section sees who has not reported yet. Two queries, whatever the size.
    ``include_confidential=False`` leaves confidential activities out."""
    counted = Q(activities__followup=followup)
    changes = Activity.history.filter(followup_id=followup.pk, responsible_unit_id__isnull=False)
    if not include_confidential:
        counted &= Q(activities__is_confidential=False)
        changes = changes.filter(is_confidential=False)
    units = OrganisationalUnit.objects.annotate(
        reported=Count("activities", filter=counted)
    ).order_by("name")
    last = dict(
        changes.values("responsible_unit_id")
        .annotate(last=Max("history_date"))
        .values_list("responsible_unit_id", "last")
    )
    return [UnitReport(unit, unit.reported, last.get(unit.pk)) for unit in units]
