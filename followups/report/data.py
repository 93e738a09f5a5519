"""Everything the annual report shows, gathered in a fixed number of queries
whatever the number of activities, goals or indicators."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch

from programmes.models import (
    District,
    Goal,
    Guideline,
    Indicator,
    Partner,
    ResponsibilityArea,
)

from ..models import Activity, AreaSummary, FollowUp, GoalAssessment, GuidelineFollowUp, Rating
from ..trends import (
    LEVEL_SYMBOLS,
    AreaTrend,
    RatingCell,
    SeriesPoint,
    TrendYear,
    indicator_trends,
    rating_trends,
)
from .chapters import BuiltChapter, build_chapters

# How many years of an indicator's series the report shows, up to the year.
INDICATOR_YEARS = 8


@dataclass
class GoalRow:
    goal: Goal
    rating: str  # empty: not yet assessed
    rating_label: str
    analysis: str
    # The goal's rating the year before, when the programme has that year.
    previous: RatingCell | None = None

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
    values: list[SeriesPoint]  # with the years of the indicators it continues
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
    # Utveckling över tid: the programme's years up to this one.
    trend_years: list[TrendYear] = field(default_factory=list)
    area_trends: list[AreaTrend] = field(default_factory=list)
    previous_year: TrendYear | None = None
    # The chapters other apps add after the area chapters (``chapters``).
    extra_chapters: list[BuiltChapter] = field(default_factory=list)

    @property
    def goal_rows(self) -> list[GoalRow]:
        """Every goal of the programme, area by area: the overview table."""
        return [row for chapter in self.chapters for row in chapter.goals]


def build_report_data(followup: FollowUp) -> ReportData:
    """Reads the year's report content in fifteen queries, and those of the
    chapters other apps add (``chapters.build_chapters``). Confidential
    activities are not read, only counted per area."""
    programme_id = followup.programme_id
    areas = list(
        ResponsibilityArea.objects.filter(programme_id=programme_id).prefetch_related(
            Prefetch("goals", queryset=Goal.objects.order_by("order", "code"))
        )
    )
    trend_years, area_trends = rating_trends(
        programme_id, areas, approved_only=False, until_year=followup.year
    )
    before = [index for index, y in enumerate(trend_years) if y.year == followup.year - 1]
    series: dict[int, list] = {}
    for trend in indicator_trends(
        programme_id,
        approved_only=False,
        until_year=followup.year,
        since_year=followup.year - INDICATOR_YEARS + 1,
    ):
        series.setdefault(trend.indicator.area_id, []).append(
            IndicatorRow(trend.indicator, trend.points)
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
    for area, area_trend in zip(areas, area_trends, strict=True):
        rows = []
        for goal, goal_trend in zip(area.goals.all(), area_trend.goals, strict=True):
            assessment = assessments.get(goal.pk)
            rating = assessment.rating if assessment else ""
            counts[rating] += 1
            rows.append(
                GoalRow(
                    goal,
                    rating,
                    str(labels.get(rating, "")),
                    assessment.analysis if assessment else "",
                    goal_trend.cells[before[0]] if before else None,
                )
            )
        indicator_rows = series.get(area.pk, [])
        example_values = example_values or any(
            point.is_example for row in indicator_rows for point in row.values
        )
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
        trend_years=trend_years,
        area_trends=area_trends,
        previous_year=trend_years[before[0]] if before else None,
        extra_chapters=build_chapters(followup),
    )
