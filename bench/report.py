"""Rendering benchmark of the annual report (HTML and PDF/A-3a).

What it measures: how long the board's annual report takes to produce, from
the database to the finished PDF, at three sizes of a year:

- the demo data (``load_demo``), the 2021 follow-up: 5 areas, 14 goals,
  13 activities, 4 indicators;
- a realistic year: 5 areas, 40 goals (8 per area), 300 activities with
  varied titles, results of a few sentences, 0–3 districts, 0–2 partners, a
  responsible unit, statuses and some costs, assessments of most goals with an
  analysis of a paragraph or two, a summary per area, 10 indicators (2 per
  area) with 8 years of values each and 2 guidelines with follow-up texts;
- five times the realistic year, in the same shape: 5 areas, 200 goals,
  1,500 activities, 50 indicators × 8 years, 10 guidelines.

The two generated years are programmes of their own (2014–2021, so eight
years of indicator values fit), each with a 2021 follow-up in draft, like
the demo's, in the same database; their rows are made with ``bulk_create``.

Every report is rendered as the app renders it: ``render_report_html(followup,
for_pdf=True)`` (reads the data, draws the SVG charts, renders the template),
then WeasyPrint lays that HTML out (``HTML(...).render()``) and writes the PDF
(``write_pdf(pdf_variant=PDF_VARIANT)``), with the report's own asset fetcher.
After one warm-up render of the demo (the first render loads fonts and
imports matplotlib), each size is rendered three times, in rounds (each round
renders every size once, so a burst of load elsewhere does not fall on one
size only); the tables show the medians.

Columns: "HTML" is ``render_report_html`` (data + charts + template), "Data"
is ``build_report_data`` timed on its own and "SQL" its queries (and those of
the whole HTML rendering), "WeasyPrint" is ``render()`` plus ``write_pdf()``,
"Total" their sum, "Not WP" the share of the total that is not WeasyPrint's
own work (the median of the runs' shares), "s/page" the median total per page.
"Py peak" is the peak of Python allocations traced by ``tracemalloc`` over one
whole render (HTML and PDF), made after the timed ones since tracing slows
Python down and costs memory of its own; "Max RSS" is the process's
resident-set high-water mark from ``resource.getrusage``, read after the
size's first timed render (the first round goes from the smallest size to the
largest). The high-water mark never goes down, so it includes everything the
process held before (Django, the generated data, smaller sizes); the note
under the table gives that floor, read before the first render. A second table
splits the time: the data, the charts and the template alone (rendered with a
prepared context), each timed on its own after every timed render, then
WeasyPrint's layout and its PDF writing; it also gives the process's CPU time
of a whole render, which leaves out time spent waiting for a CPU (the
page-growth comparison is repeated in CPU time, without a target, as a check
on the noise), and the spread of the timed totals.

Targets, at the realistic size: everything but WeasyPrint's own work at most
10 % of the total, and a total under 3 s; and time growing no faster than the
page count: seconds per page at five times the size at most 1.2 times those
of the realistic year. A missed target is reported, not an error: the exit
code is 0 unless something failed (a database error, a report asset refused,
a PDF that is not one).

The benchmark builds and drops a database of its own and never touches the
developer's ``db.sqlite3``: a temporary SQLite file by default, or, when
``DATABASE_URL`` is set, a database called ``bench_report`` on that server
(the user needs the right to create databases; the database named in the URL
need not exist). On PostgreSQL the data is vacuumed and analysed after
filling. Timings from a busy machine are noisy: the report shows the load
average.

Run it from the project folder (it takes about ten minutes on a small machine):

    .venv/bin/python bench/report.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/report.py

``DJANGO_SETTINGS_MODULE`` defaults to ``huddinge_safety.settings.test``;
``DEBUG`` is forced off.
"""

from __future__ import annotations

import gc
import io
import os
import platform
import random
import resource
import secrets
import statistics
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huddinge_safety.settings.test")

import django  # noqa: E402

django.setup()

import weasyprint  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench import worker  # noqa: E402
from followups.demo import PROGRAMME as DEMO_PROGRAMME  # noqa: E402
from followups.demo import YEAR as DEMO_YEAR  # noqa: E402
from followups.models import (  # noqa: E402
    Activity,
    AreaSummary,
    FollowUp,
    GoalAssessment,
    GuidelineFollowUp,
    Rating,
    Scale,
)
from followups.report.data import INDICATOR_YEARS, build_report_data  # noqa: E402
from followups.report.render import (  # noqa: E402
    BASE_URL,
    PDF_VARIANT,
    make_asset_fetcher,
    render_report_html,
    report_context,
)
from programmes.models import (  # noqa: E402
    District,
    Goal,
    Guideline,
    Indicator,
    IndicatorValue,
    OrganisationalUnit,
    Partner,
    Programme,
    ResponsibilityArea,
)

RUNS = 3
TARGET_SHARE_PERCENT = 10.0
TARGET_TOTAL_S = 3.0
TARGET_PER_PAGE_RATIO = 1.2
BENCH_DB_NAME = "bench_report"
SEED = 2021
YEAR = 2021
FIRST_YEAR = YEAR - INDICATOR_YEARS + 1  # 2014: eight years of values up to 2021

# The realistic year, multiplied by a size's factor (areas stay five).
AREA_COUNT = 5
GOALS_PER_AREA = 8
ACTIVITIES = 300
INDICATORS_PER_AREA = 2
GUIDELINES = 2

# What render_report_html renders, for timing the template alone.
TEMPLATE = "followups/report/report.html"

DEMO = "Demo 2021"
REALISTIC = "Realistic year"
FIVEFOLD = "5 × realistic"


class BenchError(RuntimeError):
    """The report did not render as it should."""


# --- the database ----------------------------------------------------------


def create_database() -> tuple[str, tempfile.TemporaryDirectory[str] | None]:
    """Creates and migrates the benchmark's own database and switches the
    connection to it. Returns the original database name (for
    ``destroy_test_db``) and the temporary folder of a SQLite file."""
    settings.DEBUG = False
    folder = None
    test_settings = connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "sqlite":
        folder = tempfile.TemporaryDirectory(prefix="bench-report-")
        test_settings["NAME"] = str(Path(folder.name) / "bench_report.sqlite3")
    else:
        test_settings["NAME"] = BENCH_DB_NAME
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=False)
    return old_name, folder


def destroy_database(old_name: str, folder: tempfile.TemporaryDirectory[str] | None) -> None:
    connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=False)
    if folder is not None:
        folder.cleanup()


def refresh_statistics() -> None:
    """Gives PostgreSQL's planner statistics of the new rows, as a database in
    use has, and keeps autovacuum from starting on them mid-measurement."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


# --- the data ----------------------------------------------------------------

TOPICS = [
    "Trygghetsvandring",
    "Trygghetsdialog med boende",
    "Översyn av belysning",
    "Klottersanering och förebyggande målning",
    "Brandskyddsutbildning för personal",
    "Krisledningsövning",
    "Informationskampanj om inbrottsskydd",
    "Föräldravandringar",
    "Samverkansmöte med lokalpolisen",
    "Risk- och sårbarhetsanalys",
    "Utbildning i civilt försvar",
    "Översyn av skalskydd",
    "Sommarlovsaktiviteter för unga",
    "Nattvandring",
    "Översyn av trygghetskameror",
    "Drogförebyggande föreläsning",
    "Kontinuitetsplanering",
    "Övning i stabsarbete",
    "Utbildning i informationssäkerhet",
    "Hot- och våldsutbildning för medarbetare",
    "Platssamverkan kring centrumanläggningen",
    "Socialt preventivt arbete på fritidsgårdar",
    "Trygghetsmätning",
    "Insats mot våld i nära relationer",
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
    "i Sjödalen",
    "i Länna",
    "vid Kungens kurva",
    "i Fullersta",
]
SUFFIXES = ["", "", "", "", ", etapp 2", ", uppföljning", " (vår)", " (höst)", ", pilot"]

SENTENCES = [
    "Insatsen genomfördes enligt plan tillsammans med berörda förvaltningar.",
    "Arbetet försenades under våren på grund av pandemins restriktioner.",
    "Deltagarna var nöjda och efterfrågade fler tillfällen under kommande år.",
    "Ett tjugotal invånare deltog och lämnade synpunkter på den fysiska miljön.",
    "Synpunkterna har sammanställts och lämnats över till ansvarig förvaltning.",
    "Belysningen har förbättrats på tre gångstråk som upplevdes som otrygga.",
    "Polisen och kommunen har tagit fram en gemensam lägesbild för området.",
    "Åtgärderna följs upp i samband med nästa års trygghetsmätning.",
    "Utbildningen nådde cirka 120 medarbetare i kommunens verksamheter.",
    "Resultatet visar att fler verksamheter nu har ett systematiskt brandskyddsarbete.",
    "Övningen visade att rutinerna för larm och uppstart av krisledningen fungerar.",
    "Några brister i kommunikationen mellan förvaltningarna behöver åtgärdas.",
    "Kostnaden blev lägre än beräknat eftersom delar av arbetet gjordes i egen regi.",
    "Arbetet fortsätter under nästa år med fokus på de mest utsatta områdena.",
    "Samverkan med fastighetsägarna har stärkts genom regelbundna möten.",
    "Andelen åtgärdade felanmälningar inom given tid ökade jämfört med föregående år.",
    "Insatsen har ännu inte utvärderats, men de första erfarenheterna är goda.",
    "Ungdomar har varit delaktiga i planeringen och genomförandet av aktiviteterna.",
    "En handlingsplan med tydlig ansvarsfördelning har tagits fram.",
    "Det förebyggande arbetet har prioriterats i enlighet med programmets mål.",
    "Behovet av fortsatt stöd från civilsamhällets organisationer är stort.",
    "Rapporten med rekommendationer har presenterats för kommunstyrelsens förvaltning.",
    "Antalet anmälda skadegörelsebrott minskade något i området under året.",
    "Medarbetarna upplever att det är tydligare vart de ska vända sig vid hot.",
    "Insatsen finansierades med de bostadssociala medlen.",
    "Uppföljningen visar att målgruppen nåddes i högre grad än tidigare år.",
    "Det saknas fortfarande rutiner för att följa upp insatsen på längre sikt.",
    "Arbetet har samordnats med den regionala krisberedskapen.",
]
GOAL_TITLES = [
    "Ökad upplevd trygghet i den offentliga miljön",
    "Barn och unga skyddas mot brott och utsatthet",
    "Minskat bruk av alkohol, narkotika, doping, tobak och spel",
    "En ren och trygg utemiljö",
    "Lokal samverkan utifrån en gemensam lägesbild",
    "Våld i nära relationer upphör",
    "Färre bränder och olyckor i kommunens verksamheter",
    "Systematiskt brandskyddsarbete i alla verksamheter",
    "En aktuell risk- och sårbarhetsanalys",
    "En övad och samordnad krisledning",
    "Planering för verksamhet under höjd beredskap",
    "Nyckelpersoner utbildade i civilt försvar",
    "En trygg och säker arbetsmiljö för medarbetarna",
    "Informationssäkerhet anpassad efter risk",
    "Fysiskt skydd av kommunens lokaler",
    "Minskad skadegörelse i kommunens fastigheter",
]
AREA_NAMES = [
    "Trygghetsskapande och brottsförebyggande arbete",
    "Skydd mot olyckor",
    "Krisberedskap",
    "Civilt försvar",
    "Internt skydds- och säkerhetsarbete",
]
INDICATOR_NAMES = [
    ("Invånare som känner sig trygga utomhus en sen kväll", Indicator.Unit.PERCENT, True),
    ("Anmälda skadegörelsebrott", Indicator.Unit.COUNT, False),
    ("Bostadsbränder", Indicator.Unit.COUNT, False),
    ("Verksamheter med systematiskt brandskyddsarbete", Indicator.Unit.PERCENT, True),
    ("Kostnad för klottersanering", Indicator.Unit.SEK, False),
    ("Medarbetare utbildade i krisledning", Indicator.Unit.COUNT, True),
    ("Felanmälningar om klotter åtgärdade inom given tid", Indicator.Unit.PERCENT, True),
    ("Rapporterade hot- och våldsincidenter mot medarbetare", Indicator.Unit.COUNT, False),
    ("Kostnad för skalskydd och larm", Indicator.Unit.SEK, False),
    ("Nyckelpersoner utbildade i civilt försvar", Indicator.Unit.PERCENT, True),
]
SOURCES = ["SCB:s medborgarundersökning", "Kolada", "Kommunens felanmälan", "Polisens statistik"]
STATUS_WEIGHTS = {
    Activity.Status.DONE: 50,
    Activity.Status.ONGOING: 25,
    Activity.Status.PLANNED: 10,
    Activity.Status.POSTPONED: 10,
    Activity.Status.CANCELLED: 5,
}


def sentences(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.sample(SENTENCES, rng.randint(low, high)))


def paragraphs(rng: random.Random, low: int, high: int) -> str:
    """Paragraphs of three to six sentences, separated by blank lines (the
    template's ``linebreaks`` makes each a ``<p>``)."""
    return "\n\n".join(sentences(rng, 3, 6) for _ in range(rng.randint(low, high)))


def load_demo() -> int:
    """Loads the demo; returns its follow-up's id."""
    # One argument with "=": a random password may begin with "-", which
    # argparse would take for an option of its own.
    password = secrets.token_urlsafe(16)
    call_command("load_demo", f"--password={password}", stdout=io.StringIO())
    return FollowUp.objects.get(
        programme__name=DEMO_PROGRAMME["name"],
        programme__first_year=DEMO_PROGRAMME["first_year"],
        year=DEMO_YEAR,
    ).pk


@transaction.atomic
def build_year(name: str, factor: int, rng: random.Random) -> int:
    """A programme 2014–2021 of its own with a 2021 follow-up ``factor`` times
    the realistic year; returns the follow-up's id. Rows are made with
    ``bulk_create`` (no history, no signals); the reference lists (units,
    partners, districts) are the demo's."""
    programme = Programme.objects.create(
        name=name,
        first_year=FIRST_YEAR,
        last_year=YEAR,
        adopted_by="Kommunfullmäktige",
        adopted_on=date(FIRST_YEAR - 1, 12, 14),
        overall_goal="Huddinge ska vara en trygg och säker kommun för alla som bor, "
        "verkar och vistas där.",
        description=paragraphs(rng, 1, 1),
    )
    areas = ResponsibilityArea.objects.bulk_create(
        ResponsibilityArea(
            programme=programme,
            number=number,
            name=AREA_NAMES[number - 1],
            overarching_goal=sentences(rng, 1, 2),
        )
        for number in range(1, AREA_COUNT + 1)
    )
    goals = Goal.objects.bulk_create(
        Goal(
            area=area,
            code=f"{area.number}.{order}",
            title=rng.choice(GOAL_TITLES),
            description=sentences(rng, 1, 3),
            order=order,
        )
        for area in areas
        for order in range(1, GOALS_PER_AREA * factor + 1)
    )
    indicators = Indicator.objects.bulk_create(
        Indicator(
            area=area,
            name=f"{indicator_name} ({area.number}.{order})",
            unit=unit,
            higher_is_better=higher,
            source=rng.choice(SOURCES),
            description=sentences(rng, 1, 2),
            order=order,
        )
        for area in areas
        for order, (indicator_name, unit, higher) in enumerate(
            rng.sample(INDICATOR_NAMES * factor, INDICATORS_PER_AREA * factor), start=1
        )
    )
    values = []
    for indicator in indicators:
        level = {
            Indicator.Unit.PERCENT: rng.uniform(40, 85),
            Indicator.Unit.COUNT: rng.uniform(20, 900),
            Indicator.Unit.SEK: rng.uniform(100_000, 5_000_000),
        }[indicator.unit]
        for year in range(FIRST_YEAR, YEAR + 1):
            level *= rng.uniform(0.9, 1.1)
            if indicator.unit == Indicator.Unit.PERCENT:
                level = min(level, 99.0)
            value = round(level, 1) if indicator.unit == Indicator.Unit.PERCENT else round(level)
            values.append(IndicatorValue(indicator=indicator, year=year, value=Decimal(str(value))))
    IndicatorValue.objects.bulk_create(values, batch_size=500)
    guidelines = Guideline.objects.bulk_create(
        Guideline(
            programme=programme,
            name=f"Riktlinjer för trygghetsarbetet, del {order}",
            description=sentences(rng, 1, 2),
            order=order,
        )
        for order in range(1, GUIDELINES * factor + 1)
    )

    followup = FollowUp.objects.create(
        programme=programme,
        year=YEAR,
        scale=Scale.FROM_2021,
        registration_number=f"KS-{YEAR + 1}/{rng.randint(100, 999)}.173",
        summary=paragraphs(rng, 2, 3),
    )
    ratings = Rating.for_scale(followup.scale)
    assessments = []
    for goal in goals:
        draw = rng.random()
        if draw < 0.85:  # assessed
            assessments.append(
                GoalAssessment(
                    followup=followup,
                    goal=goal,
                    rating=rng.choice(ratings),
                    analysis=paragraphs(rng, 1, 2),
                )
            )
        elif draw < 0.92:  # being written, not yet rated
            assessments.append(
                GoalAssessment(followup=followup, goal=goal, analysis=paragraphs(rng, 1, 1))
            )
    GoalAssessment.objects.bulk_create(assessments, batch_size=500)
    AreaSummary.objects.bulk_create(
        AreaSummary(followup=followup, area=area, text=paragraphs(rng, 1, 3)) for area in areas
    )
    GuidelineFollowUp.objects.bulk_create(
        GuidelineFollowUp(followup=followup, guideline=guideline, text=paragraphs(rng, 1, 3))
        for guideline in guidelines
    )
    add_activities(followup, areas, goals, ACTIVITIES * factor, rng)
    return followup.pk


def add_activities(
    followup: FollowUp,
    areas: list[ResponsibilityArea],
    goals: list[Goal],
    count: int,
    rng: random.Random,
) -> None:
    goals_by_area: dict[int, list[Goal]] = {}
    for goal in goals:
        goals_by_area.setdefault(goal.area_id, []).append(goal)
    units = list(OrganisationalUnit.objects.values_list("pk", flat=True))
    partners = list(Partner.objects.values_list("pk", flat=True))
    districts = list(District.objects.values_list("pk", flat=True))
    statuses = list(STATUS_WEIGHTS)
    weights = list(STATUS_WEIGHTS.values())
    activities = []
    for _ in range(count):
        status = rng.choices(statuses, weights)[0]
        has_result = status != Activity.Status.PLANNED or rng.random() < 0.3
        activities.append(
            Activity(
                followup=followup,
                area=rng.choice(areas),
                title=f"{rng.choice(TOPICS)} {rng.choice(PLACES)}{rng.choice(SUFFIXES)}",
                description=sentences(rng, 1, 3),
                result=sentences(rng, 2, 5) if has_result else "",
                status=status,
                responsible_unit_id=rng.choice(units),
                cost=Decimal(rng.randrange(5_000, 2_000_000, 1_000))
                if rng.random() < 0.5
                else None,
            )
        )
    created = Activity.objects.bulk_create(activities, batch_size=500)
    if any(activity.pk is None for activity in created):
        raise BenchError("The database returned no keys from bulk_create.")
    goal_rows, district_rows, partner_rows = [], [], []
    for activity in created:
        own = goals_by_area[activity.area_id]
        goal_rows += [
            Activity.goals.through(activity_id=activity.pk, goal_id=goal.pk)
            for goal in rng.sample(own, min(rng.randint(1, 3), len(own)))
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


# --- the measurement ---------------------------------------------------------


@dataclass
class Size:
    label: str
    followup_id: int
    areas: int = 0
    goals: int = 0
    activities: int = 0
    indicators: int = 0
    guidelines: int = 0

    def count(self) -> None:
        followup = FollowUp.objects.get(pk=self.followup_id)
        programme = followup.programme_id
        self.areas = ResponsibilityArea.objects.filter(programme=programme).count()
        self.goals = Goal.objects.filter(area__programme=programme).count()
        self.activities = followup.activities.count()
        self.indicators = Indicator.objects.filter(area__programme=programme).count()
        self.guidelines = Guideline.objects.filter(programme=programme).count()


@dataclass
class Run:
    html_s: float
    layout_s: float  # WeasyPrint's render()
    write_s: float  # WeasyPrint's write_pdf()
    cpu_s: float  # the process's CPU time over the whole render
    pages: int
    pdf_bytes: int
    html_bytes: int

    @property
    def weasyprint_s(self) -> float:
        return self.layout_s + self.write_s

    @property
    def total_s(self) -> float:
        return self.html_s + self.weasyprint_s

    @property
    def share(self) -> float:
        """Percent of the total that is not WeasyPrint's own work."""
        return 100 * self.html_s / self.total_s


@dataclass
class Measurement:
    size: Size
    runs: list[Run] = field(default_factory=list)
    data_s: list[float] = field(default_factory=list)
    charts_s: list[float] = field(default_factory=list)  # report_context less the data
    template_s: list[float] = field(default_factory=list)
    data_queries: int = 0
    html_queries: int = 0
    python_peak_bytes: int = 0
    max_rss_bytes: int = 0

    def median(self, attribute: str) -> float:
        return statistics.median(getattr(run, attribute) for run in self.runs)

    @property
    def pages(self) -> int:
        return self.runs[-1].pages

    @property
    def per_page_s(self) -> float:
        return self.median("total_s") / self.pages

    @property
    def cpu_per_page_s(self) -> float:
        return self.median("cpu_s") / self.pages


def fresh_followup(size: Size) -> FollowUp:
    """Read anew for every render, so nothing cached on it (the programme)
    carries over from the last one."""
    return FollowUp.objects.get(pk=size.followup_id)


def render_once(size: Size) -> Run:
    """Renders the report as ``render_report_pdf`` does, timing the parts."""
    followup = fresh_followup(size)
    # Charts are cached by content; measure the render that draws them (the
    # first after any change of the year's data), as before that cache.
    cache.clear()
    gc.collect()
    cpu_started = time.process_time()
    started = time.perf_counter()
    html = render_report_html(followup, for_pdf=True)
    rendered = time.perf_counter()
    fetcher = make_asset_fetcher()
    document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render()
    laid_out = time.perf_counter()
    pdf = document.write_pdf(pdf_variant=PDF_VARIANT)
    written = time.perf_counter()
    cpu_s = time.process_time() - cpu_started

    refused = [url for url in fetcher.requested if url not in fetcher.assets]
    if refused:
        raise BenchError(f"{size.label}: the report asked for URLs it may not load: {refused}")
    if not pdf.startswith(b"%PDF-"):
        raise BenchError(f"{size.label}: WeasyPrint wrote no PDF.")
    shown = html.count('<div class="activity">')
    if shown != size.activities:
        raise BenchError(f"{size.label}: the report shows {shown} of {size.activities} activities.")
    return Run(
        html_s=rendered - started,
        layout_s=laid_out - rendered,
        write_s=written - laid_out,
        cpu_s=cpu_s,
        pages=len(document.pages),
        pdf_bytes=len(pdf),
        html_bytes=len(html.encode()),
    )


def max_rss_bytes() -> int:
    """The process's resident-set high-water mark (kilobytes on Linux, bytes
    on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def measure_python_peak(measurement: Measurement) -> None:
    """One more render with ``tracemalloc`` on: the peak of Python allocations."""
    gc.collect()
    tracemalloc.start()
    try:
        render_once(measurement.size)
        measurement.python_peak_bytes = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def count_queries(measurement: Measurement) -> None:
    """The queries of the data alone and of the whole HTML rendering."""
    followup = fresh_followup(measurement.size)
    with CaptureQueriesContext(connection) as captured:
        build_report_data(followup)
    measurement.data_queries = len(captured.captured_queries)
    followup = fresh_followup(measurement.size)
    with CaptureQueriesContext(connection) as captured:
        render_report_html(followup, for_pdf=True)
    measurement.html_queries = len(captured.captured_queries)


def time_parts(measurement: Measurement) -> None:
    """Times the data alone, the data with the charts (``report_context``),
    and the template rendered with that context."""
    followup = fresh_followup(measurement.size)
    gc.collect()
    started = time.perf_counter()
    build_report_data(followup)
    data_s = time.perf_counter() - started
    followup = fresh_followup(measurement.size)
    gc.collect()
    started = time.perf_counter()
    context = report_context(followup, for_pdf=True)
    context_s = time.perf_counter() - started
    gc.collect()
    started = time.perf_counter()
    render_to_string(TEMPLATE, context)
    measurement.template_s.append(time.perf_counter() - started)
    measurement.data_s.append(data_s)
    measurement.charts_s.append(context_s - data_s)


def run() -> tuple[list[Measurement], int]:
    """Builds the three sizes and measures them; returns the measurements and
    the RSS high-water mark before the first render."""
    rng = random.Random(SEED)  # noqa: S311 - reproducible test data, not a secret
    started = time.perf_counter()
    sizes = [
        Size(DEMO, load_demo()),
        Size(REALISTIC, build_year("Trygghetsprogram, realistiskt år", 1, rng)),
        Size(FIVEFOLD, build_year("Trygghetsprogram, fem gånger större", 5, rng)),
    ]
    refresh_statistics()
    for size in sizes:
        size.count()
    print(f"  data ready in {time.perf_counter() - started:.1f} s")
    floor = max_rss_bytes()
    measurements = [Measurement(size) for size in sizes]

    print("  warming up (fonts, matplotlib) …")
    render_once(sizes[0])
    for measurement in measurements:
        count_queries(measurement)
    for number in range(1, RUNS + 1):
        print(f"  timed round {number} of {RUNS} …")
        for measurement in measurements:
            measurement.runs.append(render_once(measurement.size))
            if number == 1:
                # Smallest size first: the high-water mark includes this render.
                measurement.max_rss_bytes = max_rss_bytes()
            time_parts(measurement)
    print("  one traced render per size (tracemalloc) …")
    for measurement in measurements:
        measure_python_peak(measurement)
    return measurements, floor


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


def mib(size: int) -> float:
    return size / 1024 / 1024


def print_table(header: str, rows: list[str]) -> None:
    print(header)
    print("-" * len(header))
    for row in rows:
        print(row)
    print()


def report(measurements: list[Measurement], floor: int, database: str) -> int:
    """Prints the tables and the verdicts; returns the number of missed targets."""
    import matplotlib
    import pydyf

    print()
    print(f"Date:        {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}")
    print(f"Python:      {platform.python_version()} ({platform.python_implementation()})")
    print(f"Django:      {django.get_version()}, settings {os.environ['DJANGO_SETTINGS_MODULE']}")
    print(
        f"WeasyPrint:  {weasyprint.__version__} (pydyf {pydyf.__version__}), "
        f"matplotlib {matplotlib.__version__}, PDF variant {PDF_VARIANT}"
    )
    print(f"Database:    {connection.vendor} – {database}")
    print(f"Method:      1 warm-up render, then {RUNS} timed renders per size (medians)")
    print(f"Load:        {load_average()} (1, 5, 15 min; {os.cpu_count()} CPUs)")
    print()

    print_table(
        f"{'Size':<16} {'Areas':>5} {'Goals':>6} {'Activities':>10} {'Indicators':>10} "
        f"{'Guidelines':>10}",
        [
            f"{m.size.label:<16} {m.size.areas:>5} {m.size.goals:>6} {m.size.activities:>10} "
            f"{m.size.indicators:>10} {m.size.guidelines:>10}"
            for m in measurements
        ],
    )
    print_table(
        f"{'Size':<16} {'Pages':>5} {'HTML s':>7} {'Data s':>7} {'SQL':>6} {'WeasyPrint s':>12} "
        f"{'Total s':>8} {'Not WP':>7} {'s/page':>7} {'PDF KiB':>8} {'Py peak MiB':>11} "
        f"{'Max RSS MiB':>11}",
        [
            f"{m.size.label:<16} {m.pages:>5} {m.median('html_s'):>7.3f} "
            f"{statistics.median(m.data_s):>7.3f} {f'{m.data_queries}/{m.html_queries}':>6} "
            f"{m.median('weasyprint_s'):>12.3f} {m.median('total_s'):>8.3f} "
            f"{m.median('share'):>6.1f}% {m.per_page_s:>7.3f} {m.runs[-1].pdf_bytes / 1024:>8.0f} "
            f"{mib(m.python_peak_bytes):>11.1f} {mib(m.max_rss_bytes):>11.1f}"
            for m in measurements
        ],
    )
    print(
        "SQL: queries of build_report_data / of the whole HTML rendering.\n"
        "Py peak: tracemalloc, peak of Python allocations over one traced render (HTML and PDF).\n"
        "Max RSS: resource.getrusage, high-water mark of the whole process after the size's first\n"
        f"render ({mib(floor):.1f} MiB before the first render)."
    )
    print()
    print_table(
        f"{'Where the time goes':<16} {'Data s':>7} {'Charts s':>9} {'Template s':>10} "
        f"{'Layout s':>9} {'write_pdf s':>11} {'HTML KiB':>9} {'Layout ms/page':>14} "
        f"{'CPU s':>7} {'CPU s/page':>10} {'Total min–max s':>15}",
        [
            f"{m.size.label:<16} {statistics.median(m.data_s):>7.3f} "
            f"{statistics.median(m.charts_s):>9.3f} "
            f"{statistics.median(m.template_s):>10.3f} "
            f"{m.median('layout_s'):>9.3f} {m.median('write_s'):>11.3f} "
            f"{m.runs[-1].html_bytes / 1024:>9.0f} {1000 * m.median('layout_s') / m.pages:>14.1f} "
            f"{m.median('cpu_s'):>7.3f} {m.cpu_per_page_s:>10.3f} "
            f"{f'{min(r.total_s for r in m.runs):.2f}–{max(r.total_s for r in m.runs):.2f}':>15}"
            for m in measurements
        ],
    )
    print(
        "Data: build_report_data. Charts: report_context (data + SVG charts) less the data.\n"
        "(Data, Charts and Template are timed separately, after each timed render.)\n"
        "Template: render_to_string with that context. Layout: WeasyPrint's HTML(...).render().\n"
        "write_pdf: document.write_pdf(). CPU: the process's CPU time over one whole render; it\n"
        "leaves out waiting for a CPU, not a CPU slowed by its neighbours (shared caches, a\n"
        "virtual machine's host). Total min–max: the spread of the timed renders."
    )
    print()

    by_label = {m.size.label: m for m in measurements}
    realistic, fivefold = by_label[REALISTIC], by_label[FIVEFOLD]
    ratio = fivefold.per_page_s / realistic.per_page_s
    checks = [
        (
            f"Realistic year: not WeasyPrint ≤ {TARGET_SHARE_PERCENT:.0f} % of the total",
            f"{realistic.median('share'):.1f} %",
            realistic.median("share") <= TARGET_SHARE_PERCENT,
        ),
        (
            f"Realistic year: total < {TARGET_TOTAL_S:.0f} s",
            f"{realistic.median('total_s'):.2f} s",
            realistic.median("total_s") < TARGET_TOTAL_S,
        ),
        (
            f"5 × size: s/page ≤ {TARGET_PER_PAGE_RATIO} × the realistic year's",
            f"{fivefold.per_page_s:.3f} / {realistic.per_page_s:.3f} = {ratio:.2f}×",
            ratio <= TARGET_PER_PAGE_RATIO,
        ),
    ]
    print_table(
        f"{'Target':<52} {'Measured':>24}  Result",
        [f"{name:<52} {value:>24}  {verdict(ok)}" for name, value, ok in checks],
    )
    missed = sum(not ok for _, _, ok in checks)
    cpu_ratio = fivefold.cpu_per_page_s / realistic.cpu_per_page_s
    print(
        f"Seconds per page in CPU time instead: {fivefold.cpu_per_page_s:.3f} / "
        f"{realistic.cpu_per_page_s:.3f} = {cpu_ratio:.2f}× (no target; a check on noise)."
    )
    print(f"Targets met: {len(checks) - missed} of {len(checks)}.")
    return missed


def main() -> int:
    print(f"Report-rendering benchmark: building a database of its own ({connection.vendor}) …")
    old_name, folder = create_database()
    try:
        measurements, floor = run()
        report(measurements, floor, database_description())
        print()
        print("The report through the background worker (bench/worker.py) …")
        through_worker = worker.run([(m.size.label, m.size.followup_id) for m in measurements])
        worker.report(through_worker, REALISTIC)
    except BenchError as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return 1
    finally:
        destroy_database(old_name, folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
