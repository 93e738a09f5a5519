"""Page-speed benchmark of the staff workspace's busiest pages.

What it measures: the server-side handling time (Django's test client, no
network, no browser) of five GET requests made by the demo caseworker
("handlaggare") in the 2021 follow-up of the demo programme:

- the follow-up's start page        /programmes/<id>/2021/
- the activity list, unfiltered     /programmes/<id>/2021/activities/
- the activity list, filtered       ...activities/?status=done&district=<Flemingsberg>
- the activity list's last page     ...activities/?page=<last>
- the new-activity form             ...activities/new/

each at two sizes of the year: 50 activities and 5,000 activities (the demo's
13 topped up with generated ones). Every page is requested twice to warm up,
once more to count its SQL queries, then 30 times with ``time.perf_counter``;
the table shows the median and the 95th percentile in milliseconds, the
queries of one request, the activity rows a list page shows (the filtered
list shows only a few at 50 activities, a full page at 5,000) and the response
size. Targets: a median under 100 ms
for every page, and a list page at 5,000 activities at most 1.5 times as slow
as at 50. Then the programme page (issue 12, ``/programmes/<id>/``) of a
programme with 40 goals followed up over 4 and over 12 years
(``bench/programme_data.py``): a median under 150 ms and the same number of
queries at both sizes. A missed target is reported, not an error: the exit code is 0 unless
something failed (a page not answering 200, a database error).

The benchmark builds and drops a database of its own and never touches the
developer's ``db.sqlite3``: a temporary SQLite file by default, or, when
``DATABASE_URL`` is set, a database called ``bench_pages`` on that server
(the user needs the right to create databases; the database named in the URL
need not exist). On PostgreSQL the data is vacuumed and analysed after
filling, so the planner has statistics and autovacuum stays out of the timings.
Timings from a busy machine are noisy: the report shows the load average.

Run it from the project folder:

    .venv/bin/python bench/pages.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/huddinge_bench .venv/bin/python bench/pages.py

``DJANGO_SETTINGS_MODULE`` defaults to ``huddinge_safety.settings.test``;
``DEBUG`` is forced off.
"""

from __future__ import annotations

import io
import math
import os
import platform
import random
import secrets
import sys
import tempfile
import time
from datetime import datetime
from decimal import Decimal
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huddinge_safety.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from followups.demo import PROGRAMME as DEMO_PROGRAMME  # noqa: E402
from followups.demo import YEAR as DEMO_YEAR  # noqa: E402
from followups.models import Activity, FollowUp  # noqa: E402
from followups.views.activities import ActivityListView  # noqa: E402
from programmes.models import District, Goal, OrganisationalUnit, Partner  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from collaboration_data import build_chain, report_collaboration  # noqa: E402
from measuring import RUNS, WARMUPS, Measurement, Page, PageError, measure  # noqa: E402
from programme_data import build_programme, report_programme  # noqa: E402

SIZES = (50, 5000)
USERNAME = "handlaggare"
TARGET_MEDIAN_MS = 100.0
TARGET_RATIO = 1.5
BENCH_DB_NAME = "bench_pages"
SEED = 2021

PAGE_START = "Follow-up start page"
PAGE_LIST = "Activity list"
PAGE_FILTERED = "Activity list, filtered"
PAGE_LAST = "Activity list, last page"
PAGE_NEW = "New-activity form"
LIST_PAGES = (PAGE_LIST, PAGE_FILTERED, PAGE_LAST)
PAGE_PROGRAMME = "Programme over the years"
PAGE_TRACE = "Action plan trace"
PAGE_TERTIAL = "Tertial follow-up"
# (problems, measures, activities): the demo's size, and the target's.
CHAIN_SIZES = ((3, 5, 13), (20, 60, 500))
PROGRAMME_YEARS = (4, 12)  # with 40 goals


# --- the database ----------------------------------------------------------


def create_database() -> tuple[str, tempfile.TemporaryDirectory[str] | None]:
    """Creates and migrates the benchmark's own database and switches the
    connection to it. Returns the original database name (for
    ``destroy_test_db``) and the temporary folder of a SQLite file."""
    settings.DEBUG = False
    if "testserver" not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    # setup_test_environment() is left out on purpose: it instruments template
    # rendering so that the test client copies the context of every template
    # rendered, which would add time production does not spend.
    folder = None
    test_settings = connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "sqlite":
        folder = tempfile.TemporaryDirectory(prefix="bench-pages-")
        test_settings["NAME"] = str(Path(folder.name) / "bench_pages.sqlite3")
    else:
        test_settings["NAME"] = BENCH_DB_NAME
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=False)
    return old_name, folder


def destroy_database(old_name: str, folder: tempfile.TemporaryDirectory[str] | None) -> None:
    connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=False)
    if folder is not None:
        folder.cleanup()


# --- the data ----------------------------------------------------------------

TOPICS = [
    "Trygghetsvandring",
    "Trygghetsdialog",
    "Belysningsöversyn",
    "Klottersanering",
    "Brandskyddsutbildning",
    "Krisledningsövning",
    "Informationskampanj",
    "Föräldravandring",
    "Samverkansmöte med polisen",
    "Risk- och sårbarhetsanalys",
    "Utbildning i civilt försvar",
    "Skalskyddsöversyn",
    "Sommarlovsaktiviteter",
    "Nattvandring",
    "Kameraöversyn",
    "Drogförebyggande föreläsning",
]
PLACES = [
    "i Flemingsberg",
    "i Skogås",
    "i Vårby",
    "i Huddinge centrum",
    "i Segeltorp",
    "vid Annerstaskolan",
    "i kommunhuset",
    "på fritidsgårdarna",
    "i Trångsund",
    "för hela kommunen",
]
STATUS_WEIGHTS = {
    Activity.Status.DONE: 40,
    Activity.Status.ONGOING: 30,
    Activity.Status.PLANNED: 15,
    Activity.Status.POSTPONED: 10,
    Activity.Status.CANCELLED: 5,
}


def load_demo() -> None:
    call_command("load_demo", f"--password={secrets.token_urlsafe(16)}", stdout=io.StringIO())


def top_up(followup: FollowUp, total: int, rng: random.Random) -> None:
    """Adds generated activities until the follow-up has ``total``: rows and
    many-to-many rows by ``bulk_create`` (no history, no signals)."""
    existing = followup.activities.count()
    missing = total - existing
    if missing <= 0:
        return
    goals = list(Goal.objects.filter(area__programme_id=followup.programme_id))
    goals_by_area: dict[int, list[Goal]] = {}
    for goal in goals:
        goals_by_area.setdefault(goal.area_id, []).append(goal)
    area_ids = sorted(goals_by_area)
    units = list(OrganisationalUnit.objects.values_list("pk", flat=True))
    partners = list(Partner.objects.values_list("pk", flat=True))
    districts = list(District.objects.values_list("pk", flat=True))
    statuses = list(STATUS_WEIGHTS)
    weights = list(STATUS_WEIGHTS.values())

    activities = []
    for number in range(existing + 1, total + 1):
        area_id = rng.choice(area_ids)
        activities.append(
            Activity(
                followup=followup,
                area_id=area_id,
                title=f"{rng.choice(TOPICS)} {rng.choice(PLACES)} ({number})",
                description="Genererad aktivitet för prestandamätning. " * rng.randint(1, 6),
                result="Genererat resultat." if rng.random() < 0.5 else "",
                status=rng.choices(statuses, weights)[0],
                responsible_unit_id=rng.choice(units) if rng.random() < 0.9 else None,
                cost=Decimal(rng.randrange(5_000, 2_000_000, 1_000))
                if rng.random() < 0.6
                else None,
            )
        )
    created = Activity.objects.bulk_create(activities, batch_size=500)
    if any(activity.pk is None for activity in created):
        raise RuntimeError("The database returned no keys from bulk_create.")

    goal_rows, district_rows, partner_rows = [], [], []
    for activity in created:
        own = goals_by_area[activity.area_id]
        chosen = rng.sample(own, min(rng.randint(1, 3), len(own)))
        goal_rows += [
            Activity.goals.through(activity_id=activity.pk, goal_id=goal.pk) for goal in chosen
        ]
        district_rows += [
            Activity.districts.through(activity_id=activity.pk, district_id=pk)
            for pk in rng.sample(districts, rng.randint(0, 3))
        ]
        partner_rows += [
            Activity.partners.through(activity_id=activity.pk, partner_id=pk)
            for pk in rng.sample(partners, rng.randint(0, 2))
        ]
    Activity.goals.through.objects.bulk_create(goal_rows, batch_size=1000)
    Activity.districts.through.objects.bulk_create(district_rows, batch_size=1000)
    Activity.partners.through.objects.bulk_create(partner_rows, batch_size=1000)


def refresh_statistics() -> None:
    """Gives PostgreSQL's planner statistics of the new rows, as a database in
    use has, and keeps autovacuum from starting on them mid-measurement."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


# --- the measurement ---------------------------------------------------------


def pages(followup: FollowUp) -> list[Page]:
    """The five pages, with the rows each list page should show."""
    args = [followup.programme_id, followup.year]
    activity_list = reverse("activity-list", args=args)
    per_page = ActivityListView.paginate_by
    total = followup.activities.count()
    last_page = max(1, math.ceil(total / per_page))
    flemingsberg = District.objects.get(name="Flemingsberg").pk
    matches = followup.activities.filter(
        status=Activity.Status.DONE, districts=flemingsberg
    ).count()
    return [
        Page(PAGE_START, reverse("followup", args=args), None),
        Page(PAGE_LIST, activity_list, min(per_page, total)),
        Page(
            PAGE_FILTERED,
            f"{activity_list}?status=done&district={flemingsberg}",
            min(per_page, matches),
        ),
        Page(PAGE_LAST, f"{activity_list}?page={last_page}", total - (last_page - 1) * per_page),
        Page(PAGE_NEW, reverse("activity-create", args=args), None),
    ]


def run() -> list[Measurement]:
    load_demo()
    followup = FollowUp.objects.get(
        programme__name=DEMO_PROGRAMME["name"],
        programme__first_year=DEMO_PROGRAMME["first_year"],
        year=DEMO_YEAR,
    )
    client = Client()
    client.force_login(get_user_model().objects.get(username=USERNAME))
    rng = random.Random(SEED)  # noqa: S311 - reproducible test data, not a secret
    results = []
    for size in SIZES:
        started = time.perf_counter()
        top_up(followup, size, rng)
        refresh_statistics()
        count = followup.activities.count()
        if count != size:
            raise RuntimeError(f"Expected {size} activities, found {count}.")
        print(f"  {size:>5} activities ready in {time.perf_counter() - started:.1f} s, measuring …")
        results += measure(client, size, pages(followup))
    return results


def run_collaboration_pages() -> list[Measurement]:
    """The trace of an action plan and the tertial page at the demo's size
    (the demo's own plan and T1 2021) and at 20 problems, 60 measures and
    500 activities (the year topped up to 5,000 activities before)."""
    from collaboration.models import ActionPlan, TertialFollowUp

    followup = FollowUp.objects.get(
        programme__name=DEMO_PROGRAMME["name"],
        programme__first_year=DEMO_PROGRAMME["first_year"],
        year=DEMO_YEAR,
    )
    client = Client()
    client.force_login(get_user_model().objects.get(username=USERNAME))
    demo_plan = ActionPlan.objects.get(is_example=True)
    demo_tertial = TertialFollowUp.objects.get(
        agreement__registration_number="KS-2018/91.103", year=DEMO_YEAR, tertial=1
    )
    results = []
    for problems, measures, activities in CHAIN_SIZES:
        if activities <= 13:
            plan, tertial = demo_plan, demo_tertial
        else:
            _agreement, tertial, plan = build_chain(followup, problems, measures, activities)
            refresh_statistics()
        print(f"  chain of {problems}×{measures}×{activities} ready, measuring …")
        tertial_url = reverse("tertial", args=[tertial.agreement_id, tertial.year, tertial.tertial])
        results += measure(
            client,
            activities,
            [
                Page(PAGE_TRACE, reverse("action-plan", args=[plan.pk]), None),
                Page(PAGE_TERTIAL, tertial_url, None),
            ],
        )
    return results


def run_programme_page() -> list[Measurement]:
    """The programme page (years × goals, the areas' charts, the indicator
    series) at 4 and 12 years of 40 goals, as the caseworker sees it."""
    client = Client()
    client.force_login(get_user_model().objects.get(username=USERNAME))
    rng = random.Random(SEED)  # noqa: S311 - reproducible test data, not a secret
    results = []
    for years in PROGRAMME_YEARS:
        programme = build_programme(years, rng)
        refresh_statistics()
        print(f"  programme of {years} years ready, measuring …")
        url = reverse("programme-trends", args=[programme.pk])
        results += measure(client, years, [Page(PAGE_PROGRAMME, url, None)])
    return results


# --- the report --------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def load_average() -> str:
    """The machine's load: timings from a busy machine are noisy."""
    try:
        return ", ".join(f"{load:.2f}" for load in os.getloadavg())
    except OSError:
        return "unknown"


def database_description() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
            return f"SQLite {cursor.fetchone()[0]} (temporary file)"
        name = connection.settings_dict["NAME"]
        if connection.vendor == "postgresql":
            cursor.execute("show server_version")
            return f"PostgreSQL {cursor.fetchone()[0]} (database {name})"
    return f"{connection.vendor} (database {name})"


def report(results: list[Measurement], database: str) -> int:
    """Prints the tables; returns the number of missed targets."""
    missed = 0
    print()
    print(f"Date:      {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}")
    print(f"Python:    {platform.python_version()} ({platform.python_implementation()})")
    print(f"Django:    {django.get_version()}, settings {os.environ['DJANGO_SETTINGS_MODULE']}")
    print(f"Database:  {connection.vendor} – {database}")
    print(f"Method:    {WARMUPS} warm-ups, then {RUNS} timed GETs per page (test client)")
    print(f"Load:      {load_average()} (1, 5, 15 min; {os.cpu_count()} CPUs)")
    print()
    header = (
        f"{'Page':<26} {'Size':>5} {'Median ms':>10} {'p95 ms':>8} {'Queries':>8} "
        f"{'Rows':>5} {'Bytes':>8}  Median < {TARGET_MEDIAN_MS:.0f} ms"
    )
    print(header)
    print("-" * len(header))
    for m in results:
        ok = m.median_ms < TARGET_MEDIAN_MS
        missed += not ok
        rows = "" if m.rows is None else m.rows
        print(
            f"{m.page:<26} {m.size:>5} {m.median_ms:>10.1f} {m.p95_ms:>8.1f} "
            f"{m.queries:>8} {rows:>5} {m.size_bytes:>8}  {verdict(ok)}"
        )

    small, large = SIZES
    by_key = {(m.page, m.size): m for m in results}
    print()
    header = (
        f"{'Page':<26} {'Median ' + str(small):>11} {'Median ' + str(large):>11} "
        f"{'Ratio':>6} {'Queries':>9}  Ratio ≤ {TARGET_RATIO}×"
    )
    print(header)
    print("-" * len(header))
    grown = []
    for page in dict.fromkeys(m.page for m in results):
        before, after = by_key[(page, small)], by_key[(page, large)]
        ratio = after.median_ms / before.median_ms
        queries = f"{before.queries}→{after.queries}"
        if after.queries != before.queries:
            grown.append(page)
        if page in LIST_PAGES:
            ok = ratio <= TARGET_RATIO
            missed += not ok
            result = verdict(ok)
        else:
            result = "(no target)"
        print(
            f"{page:<26} {before.median_ms:>11.1f} {after.median_ms:>11.1f} "
            f"{ratio:>5.2f}× {queries:>9}  {result}"
        )
    print()
    if grown:
        print("Query count changes with the number of activities on: " + ", ".join(grown))
    else:
        print("Query counts do not depend on the number of activities.")
    targets = len(results) + len(LIST_PAGES)
    print(f"Targets met: {targets - missed} of {targets}.")
    return missed


def main() -> int:
    print(f"Page-speed benchmark: building a database of its own ({connection.vendor}) …")
    old_name, folder = create_database()
    try:
        results = run()
        programme = run_programme_page()
        collaboration = run_collaboration_pages()
        report(results, database_description())
        report_programme(programme)
        report_collaboration(collaboration)
    except PageError as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return 1
    finally:
        destroy_database(old_name, folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
