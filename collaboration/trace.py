"""The chain of an action plan, from the situation picture to the result:
each problem, the measures addressing it, the activities carrying them out
year by year with their status and result, and what breaks the chain
(problems with no measure, measures with no activity, activities of a
priority area that serve no promise and no measure). Read in a fixed number
of queries whatever the number of problems, measures and activities."""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from followups.models import Activity
from programmes.models import District

from .links import add_detail_urls
from .models import ActionPlan, Measure, Problem


@dataclass
class YearActivities:
    year: int
    activities: list[Activity]


@dataclass
class MeasureTrace:
    measure: Measure
    years: list[YearActivities]

    @property
    def has_activity(self) -> bool:
        return any(year.activities for year in self.years)


@dataclass
class ProblemTrace:
    problem: Problem
    measures: list[MeasureTrace]


@dataclass
class Trace:
    plan: ActionPlan
    problems: list[ProblemTrace]
    measures: list[MeasureTrace]
    # Activities of a priority area in the plan's years that serve no
    # promise and no measure.
    unlinked: list[Activity] = field(default_factory=list)

    @property
    def problems_without_measure(self) -> list[Problem]:
        return [trace.problem for trace in self.problems if not trace.measures]

    @property
    def measures_without_activity(self) -> list[Measure]:
        return [trace.measure for trace in self.measures if not trace.has_activity]

    @property
    def has_gaps(self) -> bool:
        return bool(
            self.problems_without_measure or self.measures_without_activity or self.unlinked
        )


def _activities(confidential: bool):
    # What a row shows: the title, status and result, and the activity's page.
    activities = (
        Activity.objects.select_related("followup")
        .only("title", "status", "result", "followup__year", "followup__programme_id")
        .order_by("followup__year", "title", "pk")
    )
    return activities if confidential else activities.public()


RESULT_WORDS = 40


def _result_start(activity: Activity) -> None:
    """The start of the activity's result, for its row (worked out here, not
    by a template filter per row)."""
    words = activity.result.split()
    activity.result_start = " ".join(words[:RESULT_WORDS]) + (
        " …" if len(words) > RESULT_WORDS else ""
    )


def build_trace(plan: ActionPlan, *, confidential: bool) -> Trace:
    """The plan's trace in six queries. ``confidential``: whether the
    reader may see confidential activities (else they are left out)."""
    problems = list(
        Problem.objects.filter(picture_id=plan.picture_id).prefetch_related(
            Prefetch("districts", queryset=District.objects.order_by("name"))
        )
    )
    measures = list(
        plan.measures.select_related("responsible_unit").prefetch_related(
            Prefetch("activities", queryset=_activities(confidential)),
            "problems",
        )
    )
    years = list(plan.years)
    measure_traces = {}
    addresses: dict[int, list[MeasureTrace]] = {problem.pk: [] for problem in problems}
    for measure in measures:
        by_year = {year: [] for year in years}
        for activity in add_detail_urls(list(measure.activities.all())):
            _result_start(activity)
            by_year.setdefault(activity.followup.year, []).append(activity)
        trace = MeasureTrace(
            measure, [YearActivities(year, by_year[year]) for year in sorted(by_year)]
        )
        measure_traces[measure.pk] = trace
        for problem in measure.problems.all():
            addresses.setdefault(problem.pk, []).append(trace)
    problem_traces = [ProblemTrace(problem, addresses[problem.pk]) for problem in problems]
    unlinked = list(
        _activities(confidential)
        .filter(
            followup__year__in=years,
            priority_areas__agreement__first_year__lte=plan.last_year,
            priority_areas__agreement__last_year__gte=plan.first_year,
            citizen_promises__isnull=True,
            measures__isnull=True,
        )
        .distinct()
    )
    return Trace(plan, problem_traces, list(measure_traces.values()), unlinked)
