"""The fingerprint of a report: a SHA-256 over everything that reaches the
PDF, so an unchanged report is served from its stored file and any change
makes a new one.

What goes in: every column of every row of the tables the report reads
(``content_querysets``: the year, its programme, areas, goals, indicators
and those they continue with their values in the report's years,
assessments, summaries, activities with their units, districts and
partners, guidelines and their texts, the state, scale and ratings of the
programme's earlier years, and what the chapters other apps add read), the
kind of document and the decision's fields, the day for a draft (its cover
carries the date), and the code version: the report's templates, style
sheet, fonts, translations, this package's code, the added chapters'
templates and code, and the versions of WeasyPrint and matplotlib (whose
fonts the report embeds). A fixed number of queries that read plain rows,
no model instances and no rendering; a test keeps the list of tables in
step with ``build_report_data``.
"""

import functools
import hashlib
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from ..models import FollowUp
from .chapters import chapter_querysets, registered

REPORT_PACKAGE = Path(__file__).resolve().parent
FINGERPRINT_VERSION = "2"


@functools.cache
def code_version() -> str:
    """A hash of the files and libraries that shape the PDF, once per process."""
    from importlib.metadata import version

    from django.contrib.staticfiles import finders

    from .render import FONTS, STYLESHEET, _font_dir

    digest = hashlib.sha256(FINGERPRINT_VERSION.encode())
    digest.update(
        # Versions read from the installed metadata: importing either
        # library would cost half a second on a web worker's first ask.
        f"weasyprint {version('weasyprint')} pydyf {version('pydyf')} "
        f"matplotlib {version('matplotlib')}".encode()
    )
    files = sorted(REPORT_PACKAGE.glob("*.py"))
    files += sorted((settings.BASE_DIR / "templates" / "followups" / "report").glob("*.html"))
    files.append(Path(finders.find(STYLESHEET)))
    files += [_font_dir() / font for font in FONTS]
    files += _chapter_files()
    files += sorted(
        Path(path) for path in settings.LOCALE_PATHS for path in Path(path).rglob("*.mo")
    )
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _chapter_files() -> list[Path]:
    """The templates and code of the chapters other apps add."""
    import inspect

    from django.template.loader import get_template

    files = []
    for chapter in registered:
        files.append(Path(get_template(chapter.template).origin.name))
        files.append(Path(inspect.getfile(chapter.build)))
    return files


def _rows(queryset, columns: tuple[str, ...] = ()) -> list[tuple]:
    """The columns (by default every concrete column) of the queryset's rows,
    in primary-key order: plain tuples, no model instances (the cost of an
    unchanged draft)."""
    model = queryset.model
    columns = columns or tuple(field.attname for field in model._meta.concrete_fields)
    return list(queryset.order_by("pk").values_list(*columns))


def _earlier_years(followup: FollowUp) -> list[tuple]:
    """What *Utveckling över tid* and the year-before ratings show of the
    programme's other years: their state and scale, and their ratings (not
    their texts, which this report does not show)."""
    from ..models import GoalAssessment

    years = FollowUp.objects.filter(
        programme_id=followup.programme_id, year__lte=followup.year
    ).exclude(pk=followup.pk)
    return [
        (years, ("pk", "year", "status", "scale")),
        (
            GoalAssessment.objects.filter(followup__in=years),
            ("pk", "followup_id", "goal_id", "rating"),
        ),
    ]


def content_querysets(followup: FollowUp) -> list:
    """The tables ``build_report_data`` reads, limited as it limits them:
    one query each, whatever the size of the year (and one to find the
    indicators the programme's series continue), then those of the chapters
    other apps add (``chapters``). An entry is a queryset, or a queryset and
    the columns that matter of it."""
    from programmes.models import (
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

    from ..models import Activity, AreaSummary, GoalAssessment, GuidelineFollowUp
    from ..trends import series_members
    from .data import INDICATOR_YEARS

    programme_id = followup.programme_id
    own = Indicator.objects.filter(area__programme_id=programme_id)
    chains, _links = series_members(list(own.values_list("pk", flat=True)))
    indicators = sorted({pk for chain in chains.values() for pk in chain})
    activities = Activity.objects.filter(followup=followup)
    district_links = Activity.districts.through.objects.filter(activity__followup=followup)
    partner_links = Activity.partners.through.objects.filter(activity__followup=followup)
    return [
        FollowUp.objects.filter(pk=followup.pk),
        Programme.objects.filter(pk=programme_id),
        ResponsibilityArea.objects.filter(programme_id=programme_id),
        Goal.objects.filter(area__programme_id=programme_id),
        Indicator.objects.filter(pk__in=indicators),
        IndicatorValue.objects.filter(
            indicator_id__in=indicators,
            year__gte=followup.year - INDICATOR_YEARS + 1,
            year__lte=followup.year,
        ),
        GoalAssessment.objects.filter(followup=followup),
        AreaSummary.objects.filter(followup=followup),
        activities,
        OrganisationalUnit.objects.filter(pk__in=activities.values("responsible_unit_id")),
        district_links,
        District.objects.filter(pk__in=district_links.values("district_id")),
        partner_links,
        Partner.objects.filter(pk__in=partner_links.values("partner_id")),
        GuidelineFollowUp.objects.filter(followup=followup),
        Guideline.objects.filter(programme_id=programme_id),
        *_earlier_years(followup),
        *chapter_querysets(followup),
    ]


def report_fingerprint(followup: FollowUp, kind: str, decision: dict | None = None) -> str:
    """The fingerprint of the year's report of the given kind ("draft" or
    "decision", with the decision's fields): one query per table the
    report reads (``content_querysets``), no model instances."""
    digest = hashlib.sha256(code_version().encode())
    digest.update(f"{kind} {settings.LANGUAGE_CODE}".encode())
    if kind == "draft":
        # A draft's cover carries the day it was rendered.
        digest.update(timezone.localdate().isoformat().encode())
    digest.update(repr(sorted((decision or {}).items())).encode())
    for entry in content_querysets(followup):
        queryset, columns = entry if isinstance(entry, tuple) else (entry, ())
        digest.update(queryset.model._meta.label.encode())
        for row in _rows(queryset, columns):
            digest.update(repr(row).encode())
    return digest.hexdigest()
