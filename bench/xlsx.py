"""Spreadsheet benchmark: the activity list out to XLSX and back in.

What it measures, for a year of 50 and of 5,000 activities (the demo's
topped up with generated ones, as ``bench/pages.py`` does):

- **export**: the demo caseworker's download of the whole activity list
  (``activities/export.xlsx`` through Django's test client, so the filter,
  the queries and the workbook are all in it);
- **preview**: reading that workbook back with one change in every row
  (each row's result text) and checking every row with the web form's rules
  (``followups.imports.build_preview``), as the upload's preview does;
- **commit**: saving every changed row in one transaction, with its history
  entry (``apply_import``), as the confirmation does.

Each step is timed once with ``time.perf_counter`` (the preview and the
commit change the database, so they cannot be repeated on the same data),
then run again under ``tracemalloc`` on a fresh copy of the year for its
peak of Python memory. Targets (issue 11): 5,000 rows exported in at most
5 s and previewed plus committed in at most 20 s, and a peak memory that
grows with the rows no more than 20 KiB a row (what a checked form and its
row cost; the read itself streams). A missed target is reported, not an
error.

Run it from the project folder (its own temporary database, never
``db.sqlite3``; ``DATABASE_URL`` for PostgreSQL, as in ``bench/pages.py``):

    .venv/bin/python bench/xlsx.py
"""

from __future__ import annotations

import io
import random
import sys
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from bench.pages import (
    create_database,
    database_description,
    destroy_database,
    load_average,
    load_demo,
    refresh_statistics,
    top_up,
)
from followups.demo import YEAR
from followups.imports import MAX_BYTES, apply_import, build_preview
from followups.models import Activity, FollowUp

SIZES = (50, 5_000)
EXPORT_TARGET_S = 5.0
IMPORT_TARGET_S = 20.0
BYTES_PER_ROW_TARGET = 20 * 1024


@dataclass
class Result:
    size: int
    file_bytes: int
    export_s: float
    preview_s: float
    commit_s: float
    changed: int
    export_peak: int
    import_peak: int


def export(client: Client, followup: FollowUp) -> bytes:
    url = reverse("activity-export", args=[followup.programme_id, followup.year])
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return response.content


def changed_workbook(data: bytes) -> bytes:
    """The export with every row's result changed, as a department that
    filled in the year's results sends it back."""
    book = load_workbook(io.BytesIO(data))
    sheet = book.active
    headers = [cell.value for cell in sheet[1]]
    column = headers.index("Resultat") + 1
    for row in range(2, sheet.max_row + 1):
        cell = sheet.cell(row=row, column=column)
        cell.value = f"{cell.value or ''} Uppdaterat i arbetsboken.".strip()
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def import_once(followup: FollowUp, data: bytes, user) -> tuple[float, float, int]:
    """Preview and commit in a transaction that is rolled back, so the same
    year can be imported again. Returns the two times and the changed rows."""
    with transaction.atomic():
        started = time.perf_counter()
        preview = build_preview(followup, "bench.xlsx", data, user)
        previewed = time.perf_counter()
        if preview.has_errors:
            errors = [e for row in preview.rows for e in row.errors][:3]
            raise RuntimeError(f"the benchmark's workbook has errors: {errors}")
        apply_import(preview, followup, user)
        committed = time.perf_counter()
        changed = len(preview.changes)
        transaction.set_rollback(True)
    return previewed - started, committed - previewed, changed


def peak(function) -> int:
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def measure(size: int, client: Client, user, rng: random.Random) -> Result:
    followup = FollowUp.objects.get(year=YEAR)
    top_up(followup, size, rng)
    refresh_statistics()
    export(client, followup)  # warm: templates, translations, openpyxl
    started = time.perf_counter()
    data = export(client, followup)
    export_s = time.perf_counter() - started
    workbook = changed_workbook(data)
    if len(workbook) > MAX_BYTES:
        raise RuntimeError(f"{len(workbook)} bytes: over the import's limit of {MAX_BYTES}")
    preview_s, commit_s, changed = import_once(followup, workbook, user)
    export_peak = peak(lambda: export(client, followup))
    import_peak = peak(lambda: import_once(followup, workbook, user))
    return Result(
        size, len(workbook), export_s, preview_s, commit_s, changed, export_peak, import_peak
    )


def mib(value: int) -> str:
    return f"{value / 1024 / 1024:.1f} MiB"


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def report(results: list[Result]) -> None:
    print()
    print(f"Database: {database_description()}; load average {load_average()}")
    print()
    print(
        "| activities | file | export | preview | commit | preview + commit "
        "| peak export | peak import |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        print(
            f"| {r.size:,} | {r.file_bytes / 1024:.0f} KiB | {r.export_s:.2f} s | "
            f"{r.preview_s:.2f} s | {r.commit_s:.2f} s | {r.preview_s + r.commit_s:.2f} s | "
            f"{mib(r.export_peak)} | {mib(r.import_peak)} |"
        )
    small, large = results[0], results[-1]
    rows = large.size - small.size
    export_per_row = (large.export_peak - small.export_peak) / rows
    import_per_row = (large.import_peak - small.import_peak) / rows
    print()
    print(
        f"Export of {large.size:,} in {large.export_s:.2f} s (target ≤ {EXPORT_TARGET_S:.0f} s): "
        f"{verdict(large.export_s <= EXPORT_TARGET_S)}."
    )
    total = large.preview_s + large.commit_s
    print(
        f"Preview + commit of {large.size:,} in {total:.2f} s "
        f"(target ≤ {IMPORT_TARGET_S:.0f} s): {verdict(total <= IMPORT_TARGET_S)}."
    )
    print(
        f"Peak memory per extra row: export {export_per_row / 1024:.1f} KiB, import "
        f"{import_per_row / 1024:.1f} KiB (target ≤ {BYTES_PER_ROW_TARGET // 1024} KiB): "
        f"{verdict(max(export_per_row, import_per_row) <= BYTES_PER_ROW_TARGET)}."
    )
    print(f"Every row changed and saved: {all(r.changed == r.size for r in results)}.")


def main() -> int:
    print("Spreadsheet benchmark: building a database of its own …")
    old_name, folder = create_database()
    try:
        load_demo()
        user = get_user_model().objects.get(username="handlaggare")
        client = Client()
        client.force_login(user)
        rng = random.Random(11)  # noqa: S311 (generated test data, not secrets)
        # The demo's confidential activity is exported and imported like any
        # other for a caseworker; the sizes count every activity of the year.
        assert Activity.objects.filter(followup__year=YEAR).count() <= SIZES[0]
        results = [measure(size, client, user, rng) for size in SIZES]
        report(results)
    except RuntimeError as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return 1
    finally:
        destroy_database(old_name, folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
