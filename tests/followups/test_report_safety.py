"""User text in the report cannot reach the server's files or the network:
every free-text field the report shows carries HTML that would load a file,
attach one or fetch a style sheet, and the report shows it as text. The
asset fetcher is tested on its own too, as the second wall."""

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from followups.models import FollowUp
from followups.report.render import (
    BASE_URL,
    make_asset_fetcher,
    render_report_pdf,
    report_assets,
)
from tests.factories import (
    ActivityFactory,
    AreaSummaryFactory,
    DistrictFactory,
    FollowUpFactory,
    GoalAssessmentFactory,
    GoalFactory,
    GuidelineFactory,
    GuidelineFollowUpFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    OrganisationalUnitFactory,
    PartnerFactory,
    ProgrammeFactory,
    ResponsibilityAreaFactory,
    UserFactory,
)
from tests.followups import report_pdf

# Marked, the tests that only read the module fixture run with the other
# database tests, before transactional tests flush the database.
pytestmark = pytest.mark.django_db

IMG = '<img src="file:///etc/passwd">'
LINK = '<link rel="attachment" href="file:///etc/hostname">'
IMPORT = "<style>@import url(http://127.0.0.1:9/x.css)</style>"
CSS_URL = '<p style="background: url(file:///etc/passwd)">x</p>'
ALL = f"{IMG} {LINK} {IMPORT} {CSS_URL}"

# Every free-text field the report template shows, and what it holds here.
FIELDS = {
    "programme.name": f"Program {LINK}",
    "programme.municipality": f"Kommun {IMG}",
    "programme.adopted_by": f"Fullmäktige {IMPORT}",
    "programme.overall_goal": f"Övergripande mål {ALL}",
    "followup.summary": f"Sammanfattning {ALL}",
    "followup.registration_number": f"KS {IMG}",  # the field holds 50 characters
    "area.name": f"Område {IMG} {LINK}",
    "area.overarching_goal": f"Delmål {ALL}",
    "areasummary.text": f"Områdets sammanfattning {ALL}",
    "goal.title": f"Mål {ALL}",
    "assessment.analysis": f"Analys {ALL}",
    "activity.title": f"Aktivitet {IMPORT}",
    "activity.result": f"Resultat {ALL}",
    "unit.name": f"Enhet {LINK}",
    "partner.name": f"Samverkanspart {CSS_URL}",
    "district.name": f"Kommundel {IMG}",
    "indicator.name": f"Nyckeltal {IMG} {IMPORT}",
    "indicator.source": f"Källa {LINK}",
    "guideline.name": f"Riktlinje {CSS_URL}",
    "guideline.description": f"Beskrivning {ALL}",
    "guidelinefollowup.text": f"Riktlinjens uppföljning {ALL}",
}

# Only a read of the server's files could put this into the PDF.
PASSWD_LINE = Path("/etc/passwd").read_text().splitlines()[0]  # root:x:0:0:...
HOSTNAME = Path("/etc/hostname").read_text().strip()


def squeeze(text: str) -> str:
    """The text without white space, so line breaks in the PDF do not matter."""
    return "".join(text.split())


def payload_year() -> FollowUp:
    """A draft year whose every free-text field that reaches the report holds
    hostile HTML (see FIELDS)."""
    programme = ProgrammeFactory(
        name=FIELDS["programme.name"],
        municipality=FIELDS["programme.municipality"],
        adopted_by=FIELDS["programme.adopted_by"],
        overall_goal=FIELDS["programme.overall_goal"],
    )
    followup = FollowUpFactory(
        programme=programme,
        year=2021,
        summary=FIELDS["followup.summary"],
        registration_number=FIELDS["followup.registration_number"],
    )
    area = ResponsibilityAreaFactory(
        programme=programme,
        number=1,
        name=FIELDS["area.name"],
        overarching_goal=FIELDS["area.overarching_goal"],
    )
    AreaSummaryFactory(followup=followup, area=area, text=FIELDS["areasummary.text"])
    goal = GoalFactory(area=area, code="1.1", title=FIELDS["goal.title"])
    GoalAssessmentFactory(followup=followup, goal=goal, analysis=FIELDS["assessment.analysis"])
    ActivityFactory(
        followup=followup,
        area=area,
        goals=[goal],
        title=FIELDS["activity.title"],
        result=FIELDS["activity.result"],
        responsible_unit=OrganisationalUnitFactory(name=FIELDS["unit.name"]),
        partners=[PartnerFactory(name=FIELDS["partner.name"])],
        districts=[DistrictFactory(name=FIELDS["district.name"])],
    )
    indicator = IndicatorFactory(
        area=area, name=FIELDS["indicator.name"], source=FIELDS["indicator.source"]
    )
    IndicatorValueFactory(indicator=indicator, year=2020, value=Decimal(40))
    IndicatorValueFactory(indicator=indicator, year=2021, value=Decimal(45))
    guideline = GuidelineFactory(
        programme=programme,
        name=FIELDS["guideline.name"],
        description=FIELDS["guideline.description"],
    )
    GuidelineFollowUpFactory(
        followup=followup, guideline=guideline, text=FIELDS["guidelinefollowup.text"]
    )
    return followup


@dataclass(frozen=True)
class PayloadReport:
    html: str
    pdf: bytes
    requested: list[str]
    pages: list[str]


@pytest.fixture(scope="module")
def payload_report(django_db_setup, django_db_blocker) -> PayloadReport:
    """The payload year's preview and PDF, rendered once; the database is
    rolled back before any test runs."""
    with django_db_blocker.unblock(), transaction.atomic():
        followup = payload_year()
        client = Client()
        client.force_login(UserFactory(is_superuser=True))
        html = client.get(reverse("report-preview", args=[followup.programme_id, 2021]))
        rendered = render_report_pdf(followup)
        transaction.set_rollback(True)
    return PayloadReport(
        html=html.content.decode(),
        pdf=rendered.pdf,
        requested=rendered.requested,
        pages=report_pdf.page_texts(rendered.pdf),
    )


# The report with hostile text


@pytest.mark.parametrize("field", FIELDS)
def test_every_field_reaches_the_preview_escaped(payload_report, field):
    assert escape(FIELDS[field]) in payload_report.html


def test_preview_holds_none_of_the_payloads_as_markup(payload_report):
    html = payload_report.html

    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in html
    assert re.findall(r"<img|<link rel=\"attachment\"|<style>@import|<p style=", html) == []
    assert "file:///" not in re.sub(r"&lt;.*?&gt;", "", html)  # only inside escaped text


def test_pdf_shows_the_payloads_as_text(payload_report):
    text = squeeze(" ".join(payload_report.pages))

    assert [p for p in (IMG, LINK, IMPORT, CSS_URL) if squeeze(p) not in text] == []
    assert squeeze(FIELDS["guidelinefollowup.text"]) in text


def test_pdf_has_no_attachments(payload_report):
    reader = report_pdf.read(payload_report.pdf)
    root = reader.trailer["/Root"]

    assert list(reader.attachments) == []
    assert "/EmbeddedFiles" not in root.get("/Names", {})
    assert "/AF" not in root  # PDF/A-3 associated files


def test_pdf_holds_nothing_of_the_servers_files(payload_report):
    reader = report_pdf.read(payload_report.pdf)
    lines = {line.strip() for page in payload_report.pages for line in page.splitlines()}
    root = PASSWD_LINE[:10]

    assert root == "root:x:0:0"
    assert root not in " ".join(payload_report.pages)
    assert root.encode() not in payload_report.pdf
    assert [data for data in report_pdf.streams(reader) if root.encode() in data] == []
    # The host name may be short ("vm"): look for it as a line of its own.
    assert HOSTNAME not in lines


def test_fetcher_was_asked_for_the_style_sheet_and_fonts_only(payload_report):
    fonts = report_pdf.fonts(report_pdf.read(payload_report.pdf))

    assert sorted(payload_report.requested) == sorted(report_assets())
    assert payload_report.requested[0] == BASE_URL + "static/css/report.css"
    # Three font files asked for, three fonts in the PDF.
    assert len(fonts) == len(payload_report.requested) - 1 == 3


# Long text


def test_very_long_analysis_is_rendered_to_its_last_words(year):
    ending = " Detta är analysens allra sista mening."
    sentence = "Måluppfyllelsen analyseras utförligt med stöd av nyckeltalen. "
    analysis = (sentence * 4000)[: 200_000 - len(ending)] + ending
    assert len(analysis) == 200_000
    GoalAssessmentFactory(followup=year.followup, goal=year.goal11, analysis=analysis)

    rendered = render_report_pdf(year.followup)

    reader = report_pdf.read(rendered.pdf)
    # Read from the back (pypdf is slow on many pages): the analysis ends in
    # the first chapter, before area 2 and the annex.
    tail = ""
    for page in reversed(reader.pages):
        tail = page.extract_text() + tail
        if "Detta är analysens" in tail:
            break
    assert squeeze(ending) in squeeze(tail)
    assert rendered.pages > 40


# The fetcher on its own


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.css",
        "https://example.org/",
        "data:text/css,body%7Bbackground:url(file:///etc/passwd)%7D",
        "data:text/plain;base64,cm9vdA==",
        BASE_URL + "static/css/../../../../etc/passwd",
        BASE_URL + "report-fonts/../../etc/hostname",
        "HTTP://REPORT.INVALID/static/css/report.css",
    ],
)
def test_fetcher_refuses_everything_but_the_reports_assets(url):
    fetcher = make_asset_fetcher()

    with pytest.raises(ValueError, match="The report may not load"):
        fetcher.fetch(url)

    assert fetcher.requested == [url]


def test_fetcher_refuses_the_style_sheet_by_its_file_url():
    path = Path(finders.find("css/report.css"))

    with pytest.raises(ValueError, match="The report may not load"):
        make_asset_fetcher().fetch(path.as_uri())


def test_fetcher_answers_the_style_sheet_with_the_files_bytes():
    response = make_asset_fetcher().fetch(BASE_URL + "static/css/report.css")

    assert response.read() == Path(finders.find("css/report.css")).read_bytes()
    assert response.content_type == "text/css"


def test_fetcher_answers_each_font_with_its_file():
    assets = report_assets()

    for url in [u for u in assets if "/report-fonts/" in u]:
        assert make_asset_fetcher().fetch(url).read() == assets[url].read_bytes()
    assert sorted(u.rsplit("/", 1)[1] for u in assets if "/report-fonts/" in u) == [
        "DejaVuSans-Bold.ttf",
        "DejaVuSans-Oblique.ttf",
        "DejaVuSans.ttf",
    ]


def test_markup_that_escaped_the_template_still_loads_nothing():
    """The second wall: even raw HTML rendered through the fetcher gets no
    file, no attachment and no style sheet from outside."""
    html = (
        '<html lang="sv"><head><link rel="stylesheet" href="/static/css/report.css"></head>'
        f'<body>{IMG}{LINK}<a rel="attachment" href="file:///etc/passwd">a</a>{IMPORT}'
        f"{CSS_URL}</body></html>"
    )

    rendered = render_report_pdf(FollowUp(), html=html)

    reader = report_pdf.read(rendered.pdf)
    assert list(reader.attachments) == []
    assert [data for data in report_pdf.streams(reader) if b"root:x:0:0" in data] == []
    # Asked for, and refused.
    assert {"file:///etc/passwd", "file:///etc/hostname", "http://127.0.0.1:9/x.css"} <= set(
        rendered.requested
    )
