"""The programme across its years: each goal's rating per year, each area's
goals over the levels per year, every indicator's series (followed back
through the indicators it continues) and what state each year is in.

Read in a fixed number of queries whatever the number of years, goals or
indicators. Readers get the same picture built from approved years only.
"""

import dataclasses
import itertools
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from programmes.models import Goal, Indicator, IndicatorValue, Programme, ResponsibilityArea

from .models import FollowUp, GoalAssessment, Rating, Scale
from .report.charts import indicator_chart, trend_chart

LEVELS = (1, 2, 3, 4)
# Each level's symbol: as many filled circles as the level is good, so a
# table reads the same in black and white (colour is never the only carrier).
LEVEL_SYMBOLS = {1: "●●●●", 2: "●●●○", 3: "●●○○", 4: "●○○○", 0: "–"}


@dataclass(frozen=True)
class TrendYear:
    year: int
    status: str
    status_label: str
    scale: str
    # The scale differs from the year shown before this one.
    scale_changed: bool = False

    @property
    def is_approved(self) -> bool:
        return self.status == FollowUp.Status.APPROVED

    @property
    def scale_label(self) -> str:
        return str(Scale(self.scale).label)


@dataclass(frozen=True)
class RatingCell:
    year: TrendYear
    rating: str  # empty: not assessed

    @property
    def level(self) -> int:
        return Rating.level(self.rating)

    @property
    def label(self) -> str:
        return str(Rating(self.rating).label) if self.rating else ""

    @property
    def symbol(self) -> str:
        return LEVEL_SYMBOLS[self.level]


@dataclass
class GoalTrend:
    goal: Goal
    cells: list[RatingCell]


@dataclass(frozen=True)
class YearDistribution:
    """How many of an area's goals reached each level (1 best … 4) in a year."""

    year: TrendYear
    counts: tuple[int, int, int, int]
    unassessed: int


@dataclass
class AreaTrend:
    area: ResponsibilityArea
    goals: list[GoalTrend]
    distribution: list[YearDistribution]
    chart: str = ""  # inline SVG, drawn by the page or the report

    @property
    def has_unassessed(self) -> bool:
        return any(year.unassessed for year in self.distribution)

    @property
    def level_rows(self) -> list[tuple[str, list[int]]]:
        """The distribution as a table: each level's name and its number of
        goals per year, then those not yet assessed where there are any."""
        rows = [
            (name, [year.counts[index] for year in self.distribution])
            for index, name in enumerate(level_names())
        ]
        if self.has_unassessed:
            rows.append((_("Not yet assessed"), [year.unassessed for year in self.distribution]))
        return rows


@dataclass(frozen=True)
class SeriesPoint:
    year: int
    value: Decimal
    is_example: bool
    # Not approved in the programme the value belongs to (staff only see these).
    status_label: str = ""
    change: str = ""  # against the value before, in words


@dataclass
class IndicatorTrend:
    indicator: Indicator
    points: list[SeriesPoint]
    chart: str = ""

    @property
    def continued(self) -> bool:
        """Whether part of the series comes from an earlier programme's indicator."""
        return self.indicator.continues_id is not None


@dataclass
class ProgrammeTrends:
    programme: Programme
    years: list[TrendYear]
    areas: list[AreaTrend]
    indicators: list[IndicatorTrend] = field(default_factory=list)

    @property
    def scale_changes(self) -> list[TrendYear]:
        return [year for year in self.years if year.scale_changed]

    @property
    def has_unapproved_years(self) -> bool:
        return any(not year.is_approved for year in self.years)


def _level_pairs():
    return zip(
        LEVELS,
        Rating.for_scale(Scale.UNTIL_2020),
        Rating.for_scale(Scale.FROM_2021),
        strict=True,
    )


def level_names() -> list[str]:
    """The one ordinal axis both scales are placed on: "1 Mycket god / I
    mycket hög grad uppfylld" … "4 Ej godtagbar / Ej uppfyllt" (the audit
    equates the scales level by level: godtagbar = delvis uppfylld)."""
    return [f"{level} {old.label} / {new.label}" for level, old, new in _level_pairs()]


def programme_trends(
    programme: Programme, *, approved_only: bool, until_year: int | None = None
) -> ProgrammeTrends:
    """The programme's years (those with a follow-up, up to ``until_year``)
    and its indicators' series, in nine queries. ``approved_only`` leaves
    out every year not approved, and every indicator value of one."""
    areas = ResponsibilityArea.objects.filter(programme=programme).prefetch_related(
        Prefetch("goals", queryset=Goal.objects.order_by("order", "code"))
    )
    years, area_trends = rating_trends(
        programme, list(areas), approved_only=approved_only, until_year=until_year
    )
    indicators = indicator_trends(programme, approved_only=approved_only, until_year=until_year)
    return ProgrammeTrends(programme, years, area_trends, indicators)


def rating_trends(
    programme: Programme,
    areas: list[ResponsibilityArea],
    *,
    approved_only: bool,
    until_year: int | None = None,
) -> tuple[list[TrendYear], list[AreaTrend]]:
    """The years and, per area (goals prefetched in order), each goal's
    rating per year and the area's distribution over the levels (two
    queries)."""
    followups = FollowUp.objects.filter(programme=programme).order_by("year")
    if until_year is not None:
        followups = followups.filter(year__lte=until_year)
    if approved_only:
        followups = followups.filter(status=FollowUp.Status.APPROVED)
    rows = list(followups.values_list("pk", "year", "status", "scale"))
    statuses = dict(FollowUp.Status.choices)
    years, previous_scale = [], None
    for _pk, year, status, scale in rows:
        changed = previous_scale is not None and scale != previous_scale
        years.append(TrendYear(year, status, str(statuses[status]), scale, changed))
        previous_scale = scale
    ratings = {
        (goal_id, year): rating
        for goal_id, year, rating in GoalAssessment.objects.filter(
            followup_id__in=[row[0] for row in rows]
        )
        .order_by()
        .values_list("goal_id", "followup__year", "rating")
    }
    return years, [_area_trend(area, years, ratings) for area in areas]


def _area_trend(area, years: list[TrendYear], ratings: dict) -> AreaTrend:
    goal_trends = [
        GoalTrend(goal, [RatingCell(year, ratings.get((goal.pk, year.year), "")) for year in years])
        for goal in area.goals.all()
    ]
    distribution = []
    for index, year in enumerate(years):
        levels = [trend.cells[index].level for trend in goal_trends]
        counts = tuple(levels.count(level) for level in LEVELS)
        distribution.append(YearDistribution(year, counts, levels.count(0)))
    return AreaTrend(area, goal_trends, distribution)


def series_members(indicator_ids: list[int]) -> tuple[dict[int, list[int]], dict]:
    """Each indicator's series: itself and the indicators it continues,
    newest first, and every indicator's (continues, programme, first year of
    the programme). One query: the links are few (one row per indicator
    ever made), so all are read rather than one query per programme back."""
    links = {
        pk: (continues, programme_id, first_year)
        for pk, continues, programme_id, first_year in Indicator.objects.order_by().values_list(
            "pk", "continues_id", "area__programme_id", "area__programme__first_year"
        )
    }
    chains = {}
    for pk in indicator_ids:
        chain, current = [], pk
        while current is not None and current not in chain:  # stops on a cycle
            chain.append(current)
            current = links.get(current, (None,))[0]
        chains[pk] = chain
    return chains, links


def indicator_trends(
    programme: Programme,
    *,
    approved_only: bool,
    until_year: int | None = None,
    since_year: int | None = None,
) -> list[IndicatorTrend]:
    """Every indicator of the programme with its series (``since_year`` to
    ``until_year``): its own values and those of the indicators it
    continues, followed back (four queries). Where two of them have a value
    for the same year, the newer programme's counts."""
    own = list(
        Indicator.objects.filter(area__programme=programme).order_by(
            "area__number", "order", "name"
        )
    )
    if not own:
        return []
    chains, links = series_members([indicator.pk for indicator in own])
    members = {pk for chain in chains.values() for pk in chain}
    programmes = {links[pk][1] for pk in members}
    followups = {
        (programme_id, year): status
        for programme_id, year, status in FollowUp.objects.filter(
            programme_id__in=programmes
        ).values_list("programme_id", "year", "status")
    }
    values = IndicatorValue.objects.filter(indicator_id__in=members).order_by("year")
    if until_year is not None:
        values = values.filter(year__lte=until_year)
    if since_year is not None:
        values = values.filter(year__gte=since_year)
    by_indicator: dict[int, list[IndicatorValue]] = {}
    for value in values:
        by_indicator.setdefault(value.indicator_id, []).append(value)
    statuses = dict(FollowUp.Status.choices)
    approved = FollowUp.Status.APPROVED
    published = {p for (p, _year), status in followups.items() if status == approved}

    def shown(value: IndicatorValue) -> tuple[bool, str]:
        """Whether the value is shown, and its year's state when not approved."""
        _continues, programme_id, first_year = links[value.indicator_id]
        status = followups.get((programme_id, value.year))
        if status == approved:
            return True, ""
        if status is None:
            # A year with no follow-up: the baseline before the programme
            # began, which its approved reports show, or not yet followed up.
            baseline = value.year < first_year and programme_id in published
            if approved_only:
                return baseline, ""
            return True, "" if baseline else str(_("no follow-up"))
        return not approved_only, str(statuses[status])

    trends = []
    for indicator in own:
        taken: dict[int, SeriesPoint] = {}
        for member in chains[indicator.pk]:
            for value in by_indicator.get(member, []):
                visible, state = shown(value)
                if visible and value.year not in taken:
                    taken[value.year] = SeriesPoint(
                        value.year, value.value, value.is_example, state
                    )
        points = [taken[year] for year in sorted(taken)]
        trends.append(IndicatorTrend(indicator, _with_changes(indicator, points)))
    return trends


def _with_changes(indicator: Indicator, points: list[SeriesPoint]) -> list[SeriesPoint]:
    described = points[:1]
    for before, point in itertools.pairwise(points):
        change = describe_change(indicator, before.value, point.value, before.year)
        described.append(dataclasses.replace(point, change=change))
    return described


def _amount(indicator: Indicator, difference: Decimal) -> str:
    """The size of a change with its unit: "10 procentenheter", "59 ärenden",
    "1 500 kronor"."""
    rounded = difference.quantize(Decimal("0.01")).normalize()
    number = floatformat(rounded, f"{max(0, -rounded.as_tuple().exponent)}g")
    # A fraction reads as plural in Swedish ("1,5 procentenheter").
    count = int(difference) if difference == int(difference) else 2
    if indicator.unit == Indicator.Unit.PERCENT:
        unit = ngettext("percentage point", "percentage points", count)
    elif indicator.unit == Indicator.Unit.SEK:
        unit = ngettext("krona", "kronor", count)
    else:
        unit = indicator.counted
    return f"{number} {unit}".strip()


def describe_change(indicator: Indicator, before: Decimal, after: Decimal, before_year: int) -> str:
    """The change from one value to the next in words, with what it means
    for the indicator's direction: "ökning med 10 procentenheter jämfört
    med 2020, en förbättring"."""
    difference = after - before
    if difference == 0:
        return _("unchanged compared with %(year)s") % {"year": before_year}
    params = {"amount": _amount(indicator, abs(difference)), "year": before_year}
    better = (difference > 0) == indicator.higher_is_better
    if difference > 0:
        if better:
            return _("increase of %(amount)s compared with %(year)s, an improvement") % params
        return _("increase of %(amount)s compared with %(year)s, a deterioration") % params
    if better:
        return _("decrease of %(amount)s compared with %(year)s, an improvement") % params
    return _("decrease of %(amount)s compared with %(year)s, a deterioration") % params


def draw_area_charts(years: list[TrendYear], areas: list[AreaTrend]) -> None:
    """Draws each area's distribution chart (``AreaTrend.chart``)."""
    labels = [[f"{level} {old.label} /", str(new.label)] for level, old, new in _level_pairs()]
    changes = [index for index, year in enumerate(years) if year.scale_changed]
    year_labels = [str(year.year) for year in years]
    for area in areas:
        counts = [[*d.counts, d.unassessed] for d in area.distribution]
        with_unassessed = area.has_unassessed
        area.chart = trend_chart(
            year_labels,
            counts if with_unassessed else [row[:4] for row in counts],
            [*labels, [str(_("Not yet assessed"))]] if with_unassessed else labels,
            changes,
        )


def series_chart(indicator: Indicator, points: list[SeriesPoint]) -> str:
    """The indicator's series drawn with its target (empty without values)."""
    if not points:
        return ""
    target = indicator.target
    return indicator_chart(
        [point.year for point in points],
        [float(point.value) for point in points],
        indicator.get_unit_display(),
        float(target) if target is not None else None,
    )


def draw_indicator_charts(indicators: list[IndicatorTrend]) -> None:
    """Draws each indicator's series with its target (``IndicatorTrend.chart``)."""
    for trend in indicators:
        trend.chart = series_chart(trend.indicator, trend.points)
