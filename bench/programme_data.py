"""The programme page's benchmark data for ``bench/pages.py``: a programme
of 5 areas with 40 goals and 10 indicators, followed up over a number of
years, every goal assessed and every indicator valued in every year (the
years approved but the last, a draft, as in January)."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from django.utils import timezone

from followups.models import FollowUp, GoalAssessment, Rating, Scale
from programmes.models import Goal, Indicator, IndicatorValue, Programme, ResponsibilityArea

AREAS = 5
GOALS_PER_AREA = 8  # 40 goals
INDICATORS_PER_AREA = 2
TARGET_PROGRAMME_MS = 150.0


def build_programme(years: int, rng: random.Random) -> Programme:
    """Creates the programme and its years with ``bulk_create`` (no history,
    no signals: the models' guards would refuse assessments of approved
    years, which is the state wanted here)."""
    first = 2040 - years  # clear of the demo's years, whose tertials an approved year freezes
    programme = Programme.objects.create(
        name=f"Mätprogram {years} år",
        first_year=first,
        last_year=first + years - 1,
        overall_goal="Ett tryggt och säkert Huddinge.",
        adopted_by="Kommunfullmäktige",
        adopted_on=date(first - 1, 12, 1),
    )
    goals, indicators = [], []
    for number in range(1, AREAS + 1):
        area = ResponsibilityArea.objects.create(
            programme=programme, number=number, name=f"Område {number}"
        )
        goals += Goal.objects.bulk_create(
            Goal(area=area, code=f"{number}.{i}", title=f"Mål {number}.{i}", order=i)
            for i in range(1, GOALS_PER_AREA + 1)
        )
        indicators += Indicator.objects.bulk_create(
            Indicator(
                area=area,
                name=f"Nyckeltal {number}.{i}",
                unit=Indicator.Unit.PERCENT,
                target=Decimal(80),
                order=i,
            )
            for i in range(1, INDICATORS_PER_AREA + 1)
        )
    now = timezone.now()
    followups = FollowUp.objects.bulk_create(
        FollowUp(
            programme=programme,
            year=year,
            scale=Scale.UNTIL_2020 if year < first + years // 2 else Scale.FROM_2021,
            status=FollowUp.Status.DRAFT if year == programme.last_year else "approved",
            decision_date=None if year == programme.last_year else date(year + 1, 3, 1),
            approved_at=None if year == programme.last_year else now,
        )
        for year in programme.years
    )
    GoalAssessment.objects.bulk_create(
        GoalAssessment(
            followup=followup,
            goal=goal,
            rating=rng.choice(Rating.for_scale(followup.scale)),
            analysis="Genererad bedömning för prestandamätning.",
        )
        for followup in followups
        for goal in goals
    )
    IndicatorValue.objects.bulk_create(
        IndicatorValue(indicator=indicator, year=year, value=Decimal(rng.randint(40, 95)))
        for indicator in indicators
        for year in programme.years
    )
    return programme


def report_programme(results: list) -> int:
    """Prints the programme page's table (``pages.Measurement`` rows, the
    size being the number of years); returns the number of missed targets."""
    missed = 0
    print()
    header = (
        f"{'Page':<26} {'Years':>5} {'Median ms':>10} {'p95 ms':>8} {'Queries':>8} "
        f"{'Bytes':>8}  Median < {TARGET_PROGRAMME_MS:.0f} ms"
    )
    print(header)
    print("-" * len(header))
    for m in results:
        ok = m.median_ms < TARGET_PROGRAMME_MS
        missed += not ok
        print(
            f"{m.page:<26} {m.size:>5} {m.median_ms:>10.1f} {m.p95_ms:>8.1f} "
            f"{m.queries:>8} {m.size_bytes:>8}  {'PASS' if ok else 'FAIL'}"
        )
    counts = {m.queries for m in results}
    print()
    if len(counts) == 1:
        print("The programme page's query count does not depend on the number of years.")
    else:
        missed += 1
        print("The programme page's query count changes with the number of years: FAIL")
    print(f"Programme page targets met: {len(results) + 1 - missed} of {len(results) + 1}.")
    return missed
