"""Everything the annual report shows, gathered in a fixed number of queries
whatever the number of activities, goals or indicators."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Prefetch

from programmes.models import (
    District,
    Goal,
    Guideline,
    Indicator,
    IndicatorValue,
    Partner,
    ResponsibilityArea,
)

from ..models import Activity, AreaSummary, FollowUp, GoalAssessment, GuidelineFollowUp, Rating

# How many years of an indicator's series the report shows, up to the year.
INDICATOR_YEARS = 8


# Each level's symbol: as many filled circles as the level is good, so the
# table reads the same in black and white (colour is never the only carrier).
LEVEL_SYMBOLS = {1: "●●●●", 2: "●●●○", 3: "●●○○", 4: "●○○○", 0: "–"}


@dataclass
class GoalRow:
    goal: Goal
    rating: str  # empty: not yet assessed
    rating_label: str
    analysis: str

    @property
    def level(self) -> int:
        """1 (best) to 4 on either scale; 0 when not yet assessed."""
        return Rating.level(self.rating)

    @property
    def symbol(self) -> str:
        return LEVEL_SYMBOLS[self.level]


@dataclass
class IndicatorRow:
    indicator: Indicator
    values: list[IndicatorValue]
    chart: str = ""  # inline SVG, filled in by the renderer


@dataclass
class AreaChapter:
    area: ResponsibilityArea
    summary: str
    goals: list[GoalRow]
    activities: list[Activity]
    indicators: list[IndicatorRow]
    # Confidential activities are never in the report, only counted here.
    confidential_count: int = 0


@dataclass
class RatingCount:
    rating: str
    label: str
    count: int


@dataclass
class ReportData:
    followup: FollowUp
    chapters: list[AreaChapter]
    rating_counts: list[RatingCount]
    guidelines: list[tuple[Guideline, str]]
    rating_chart: str = ""
    example_values: bool = False
    activity_count: int = 0
    total_cost: int = 0
    confidential_count: int = 0

    @property
    def goal_rows(self) -> list[GoalRow]:
        """Every goal of the programme, area by area: the overview table."""
        return [row for chapter in self.chapters for row in chapter.goals]


def build_report_data(followup: FollowUp) -> ReportData:
    """Reads the year's report content in twelve queries. Confidential
    activities are not read, only counted per area."""
    programme_id = followup.programme_id
    first_year = followup.year - INDICATOR_YEARS + 1
    areas = list(
        ResponsibilityArea.objects.filter(programme_id=programme_id).prefetch_related(
            Prefetch("goals", queryset=Goal.objects.order_by("order", "code")),
            Prefetch(
                "indicators",
                queryset=Indicator.objects.order_by("order", "name").prefetch_related(
                    Prefetch(
                        "values",
                        queryset=IndicatorValue.objects.filter(
                            year__gte=first_year, year__lte=followup.year
                        ).order_by("year"),
                        to_attr="series",
                    )
                ),
            ),
        )
    )
    assessments = {
        a.goal_id: a for a in GoalAssessment.objects.filter(followup=followup).order_by()
    }
    summaries = dict(
        AreaSummary.objects.filter(followup=followup).order_by().values_list("area_id", "text")
    )
    activities = list(
        followup.activities.public()
        .select_related("responsible_unit")
        .prefetch_related(
            Prefetch("districts", queryset=District.objects.order_by("name")),
            Prefetch("partners", queryset=Partner.objects.order_by("name")),
        )
        .order_by("title", "pk")
    )
    confidential = dict(
        followup.activities.filter(is_confidential=True)
        .order_by()
        .values_list("area_id")
        .annotate(n=Count("pk"))
    )
    texts = dict(
        GuidelineFollowUp.objects.filter(followup=followup)
        .order_by()
        .values_list("guideline_id", "text")
    )
    guidelines = [
        (guideline, texts.get(guideline.pk, ""))
        for guideline in Guideline.objects.filter(programme_id=programme_id)
    ]

    labels = dict(Rating.choices)
    chapters = []
    counts: Counter[str] = Counter()
    example_values = False
    for area in areas:
        rows = []
        for goal in area.goals.all():
            assessment = assessments.get(goal.pk)
            rating = assessment.rating if assessment else ""
            counts[rating] += 1
            rows.append(
                GoalRow(
                    goal,
                    rating,
                    str(labels.get(rating, "")),
                    assessment.analysis if assessment else "",
                )
            )
        indicator_rows = []
        for indicator in area.indicators.all():
            example_values = example_values or any(v.is_example for v in indicator.series)
            indicator_rows.append(IndicatorRow(indicator, indicator.series))
        chapters.append(
            AreaChapter(
                area=area,
                summary=summaries.get(area.pk, ""),
                goals=rows,
                activities=[a for a in activities if a.area_id == area.pk],
                indicators=indicator_rows,
                confidential_count=confidential.get(area.pk, 0),
            )
        )
    rating_counts = [
        RatingCount(r.value, str(r.label), counts[r.value])
        for r in Rating.for_scale(followup.scale)
    ]
    rating_counts.append(RatingCount("", "", counts[""]))
    return ReportData(
        followup=followup,
        chapters=chapters,
        rating_counts=rating_counts,
        guidelines=guidelines,
        example_values=example_values,
        activity_count=len(activities),
        total_cost=int(sum(a.cost or 0 for a in activities)),
        confidential_count=sum(confidential.values()),
    )
