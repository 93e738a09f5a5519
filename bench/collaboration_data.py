"""The collaboration pages' benchmark data for ``bench/pages.py``: an
agreement with three priority areas and a saved tertial, a situation
picture with its problems and a decided action plan with its measures, the
activities of the demo's 2021 follow-up linked to them (each activity to
one measure and one priority area, every fifth to a promise)."""

from __future__ import annotations

from datetime import date

from collaboration.models import (
    ActionPlan,
    Agreement,
    CitizenPromise,
    Measure,
    PriorityArea,
    PriorityAreaStatus,
    Problem,
    PromiseRating,
    SituationPicture,
    TertialFollowUp,
)
from followups.models import Activity, FollowUp

PROMISES = 20
TARGET_MS = 150.0


def build_chain(followup: FollowUp, problems: int, measures: int, activities: int) -> tuple:
    """Creates the chain over the follow-up's first ``activities`` public
    activities; returns (agreement, tertial, plan)."""
    label = f"{problems}×{measures}×{activities}"
    agreement = Agreement.objects.create(
        title=f"Mätöverenskommelse {label}", first_year=followup.year, last_year=followup.year + 1
    )
    areas = PriorityArea.objects.bulk_create(
        PriorityArea(agreement=agreement, order=i, name=f"Område {i}") for i in range(1, 4)
    )
    promises = CitizenPromise.objects.bulk_create(
        CitizenPromise(
            agreement=agreement,
            year=followup.year,
            priority_area=areas[i % 3],
            category=f"Kategori {i}",
            text=f"Löfte {i} för prestandamätning.",
        )
        for i in range(PROMISES)
    )
    tertial = TertialFollowUp.objects.create(
        agreement=agreement, year=followup.year, tertial=1, summary="Mätning."
    )
    PriorityAreaStatus.objects.bulk_create(
        PriorityAreaStatus(tertial=tertial, priority_area=area, text="Enligt plan.")
        for area in areas
    )
    PromiseRating.objects.bulk_create(
        PromiseRating(tertial=tertial, promise=promise, rating="on_track") for promise in promises
    )
    picture = SituationPicture.objects.create(
        title=f"Mätlägesbild {label}", made_on=date(2020, 10, 5), first_year=2019, last_year=2019
    )
    found = Problem.objects.bulk_create(
        Problem(picture=picture, order=i, name=f"Problem {i}", extent="Stor.")
        for i in range(problems)
    )
    plan = ActionPlan.objects.create(
        title=f"Mätplan {label}",
        picture=picture,
        first_year=followup.year,
        last_year=followup.year + 1,
        decided_by="Kommunfullmäktige",
        decided_on=date(2020, 12, 14),
    )
    made = Measure.objects.bulk_create(
        Measure(plan=plan, order=i, title=f"Åtgärd {i}") for i in range(measures)
    )
    Measure.problems.through.objects.bulk_create(
        Measure.problems.through(measure_id=m.pk, problem_id=found[i % problems].pk)
        for i, m in enumerate(made)
    )
    chosen = list(
        Activity.objects.filter(followup=followup, is_confidential=False)
        .order_by("pk")
        .values_list("pk", flat=True)[:activities]
    )
    Measure.activities.through.objects.bulk_create(
        Measure.activities.through(measure_id=made[i % measures].pk, activity_id=pk)
        for i, pk in enumerate(chosen)
    )
    PriorityArea.activities.through.objects.bulk_create(
        PriorityArea.activities.through(priorityarea_id=areas[i % 3].pk, activity_id=pk)
        for i, pk in enumerate(chosen)
    )
    CitizenPromise.activities.through.objects.bulk_create(
        CitizenPromise.activities.through(
            citizenpromise_id=promises[i % PROMISES].pk, activity_id=pk
        )
        for i, pk in enumerate(chosen[::5])
    )
    return agreement, tertial, plan


def report_collaboration(results: list) -> int:
    """Prints the collaboration pages' table (``pages.Measurement`` rows, the
    size being the number of activities); returns the missed targets."""
    missed = 0
    print()
    header = (
        f"{'Page':<26} {'Activities':>10} {'Median ms':>10} {'p95 ms':>8} {'Queries':>8} "
        f"{'Bytes':>8}  Median < {TARGET_MS:.0f} ms"
    )
    print(header)
    print("-" * len(header))
    for m in results:
        ok = m.median_ms < TARGET_MS
        missed += not ok
        print(
            f"{m.page:<26} {m.size:>10} {m.median_ms:>10.1f} {m.p95_ms:>8.1f} "
            f"{m.queries:>8} {m.size_bytes:>8}  {'PASS' if ok else 'FAIL'}"
        )
    pages = {m.page for m in results}
    grown = [p for p in sorted(pages) if len({m.queries for m in results if m.page == p}) > 1]
    print()
    if grown:
        missed += len(grown)
        print("Query count changes with the size on: " + ", ".join(grown) + ": FAIL")
    else:
        print("The collaboration pages' query counts do not depend on the size.")
    targets = len(results) + len(pages)
    print(f"Collaboration page targets met: {targets - missed} of {targets}.")
    return missed
