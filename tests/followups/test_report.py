"""The annual report's content: the Huddinge demo year rendered as PDF and as
the browser preview, from one template. The demo is rendered once per module
(as draft, submitted and approved); the tests only read the results."""

import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client, TestCase, override_settings
from django.urls import reverse

from followups import decisions, demo, services
from followups.models import FollowUp, Rating
from followups.report.data import build_report_data
from tests.factories import (
    ActivityFactory,
    DistrictFactory,
    IndicatorValueFactory,
    PartnerFactory,
)
from tests.followups import report_pdf
from tests.followups.approval import DECISION, content, get_pdf, stored_bytes
from tests.followups.report_pdf import flat

# Marked, the tests that only read the module fixture run with the other
# database tests, before transactional tests flush the role groups that
# load_demo needs.
pytestmark = pytest.mark.django_db

AREAS = [
    "1 Trygghetsskapande och brottsförebyggande arbete",
    "2 Skydd mot olyckor",
    "3 Krisberedskap",
    "4 Civilt försvar",
    "5 Internt skydds- och säkerhetsarbete",
]
ANNEXES = [
    "Bilaga 1: Riktlinjer för klotterrelaterad skadegörelse",
    "Bilaga 2: Riktlinjer för att förebygga och förhindra våldsbejakande extremism",
]
# The demo's agreement 2021-2022 gives the collaboration's chapter Samverkan.
CHAPTERS = ["Sammanfattning", "Utveckling över tid", *AREAS, "Samverkan", *ANNEXES]
TITLE = "Uppföljning av Program för trygghet och säkerhet 2018–2021 avseende år 2021"
RATING_LABELS = {Rating.PARTLY: "Delvis uppfylld", Rating.HIGH: "I hög grad uppfylld"}
NOT_ASSESSED = "Ännu inte bedömt"


@dataclass(frozen=True)
class DemoReport:
    pdf: bytes  # the draft, as downloaded
    content_type: str
    pages: list[str]
    html: str  # the draft's preview
    submitted_pages: list[str]
    approved_pages: list[str]


@pytest.fixture(scope="module")
def demo_report(django_db_setup, django_db_blocker, tmp_path_factory) -> DemoReport:
    """Renders the demo year three times (draft and submitted as downloaded,
    approved as archived); the database is rolled back before any test runs,
    so nothing of it is left for other tests."""
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=str(media)),
        transaction.atomic(),
    ):
        call_command("load_demo", "--password", "x", stdout=io.StringIO())
        followup = FollowUp.objects.get(year=2021)
        users = get_user_model().objects
        client = Client()
        client.force_login(users.get(username="handlaggare"))
        args = [followup.programme_id, 2021]
        html = client.get(reverse("report-preview", args=args)).content.decode()
        download = get_pdf(client, reverse("report-pdf", args=args))
        draft = content(download)

        services.submit(followup, users.get(username="handlaggare"))
        submitted = content(get_pdf(client, reverse("report-pdf", args=args)))
        # This transaction never commits: write the archive as the commit would.
        with TestCase.captureOnCommitCallbacks(execute=True):
            archive = decisions.register_decision(
                followup, users.get(username="sekreterare"), **DECISION
            )
        approved = stored_bytes(archive.file.name)
        transaction.set_rollback(True)
    return DemoReport(
        pdf=draft,
        content_type=download["Content-Type"],
        pages=report_pdf.page_texts(draft),
        html=html,
        submitted_pages=report_pdf.page_texts(submitted),
        approved_pages=report_pdf.page_texts(approved),
    )


# What the PDF says


def test_pdf_holds_the_five_area_chapters_in_order(demo_report):
    assert demo_report.content_type == "application/pdf"
    chapter_pages = [report_pdf.first_page_starting_with(demo_report.pages, a) for a in AREAS]

    assert chapter_pages == sorted(chapter_pages)
    assert len(set(chapter_pages)) == 5


def test_pdf_gives_each_goal_its_rating_label(demo_report):
    text = flat(" ".join(demo_report.pages))
    expected = []
    for goals in demo.GOALS.values():
        for code, title, _description in goals:
            rating = demo.ASSESSMENTS.get(code, ("", ""))[0]
            expected.append(f"{code} {title} Bedömning: {RATING_LABELS.get(rating, NOT_ASSESSED)}")

    assert len(expected) == 14
    assert [line for line in expected if line not in text] == []
    for line in [
        "1.1 Ökad trygghet i den offentliga miljön Bedömning: Delvis uppfylld",
        "1.2 Barn och unga ges goda förutsättningar och skyddas mot brott "
        "Bedömning: I hög grad uppfylld",
        "3.1 Kommunen har en aktuell risk- och sårbarhetsanalys Bedömning: Ännu inte bedömt",
    ]:
        assert line in text


def test_pdf_shows_the_indicator_figures_of_the_sources(demo_report):
    lines = {line.strip() for page in demo_report.pages for line in page.splitlines()}

    assert "Värde 474 415" in lines  # klotterärenden 2020, 2021
    assert "Värde 77 64 74" in lines  # åtgärdade i tid 2019, 2020, 2021 (%)


def test_cover_names_the_programme_year_and_registration_number(demo_report):
    cover = flat(demo_report.pages[0])

    assert cover.startswith(
        "Huddinge kommun Uppföljning av Program för trygghet och säkerhet 2018–2021 "
        "avseende år 2021 Diarienummer KS-2022/177.173 Status Utkast"
    )
    assert "Programmet antaget Kommunfullmäktige 2018-06-18" in cover


def test_contents_page_numbers_are_the_pages_the_chapters_begin_on(demo_report):
    contents = demo_report.pages[1]
    entries = report_pdf.toc_entries(contents)

    assert flat(contents).startswith("Innehåll ")
    assert list(entries) == CHAPTERS
    assert entries == {
        title: report_pdf.first_page_starting_with(demo_report.pages, title) for title in CHAPTERS
    }
    # After cover, contents and the summary with its goal table, counts and
    # chart on one page (the chart once had a page of its own), and the
    # development over time on three (an area's table and chart together).
    assert entries["Utveckling över tid"] == 4
    assert entries[AREAS[0]] == 7


def test_every_page_says_page_x_of_y(demo_report):
    total = len(demo_report.pages)

    footers = [report_pdf.FOOTER_PAGE.findall(text) for text in demo_report.pages]

    assert footers == [[(str(number), str(total))] for number in range(1, total + 1)]
    assert all("Huddinge kommun · Dnr KS-2022/177.173" in text for text in demo_report.pages)


def test_every_page_of_a_draft_and_a_submitted_report_is_marked_draft(demo_report):
    draft = [text.count("UTKAST") for text in demo_report.pages]
    submitted = [text.count("UTKAST") for text in demo_report.submitted_pages]

    assert draft == [1] * len(demo_report.pages)
    assert submitted == [1] * len(demo_report.submitted_pages)


def test_no_page_of_an_approved_report_is_marked_draft(demo_report):
    assert [text for text in demo_report.approved_pages if "UTKAST" in text] == []
    assert "Status Godkänd Beslut Kommunstyrelsen 7 mars 2022, § 11 Datum 2022-03-07" in flat(
        demo_report.approved_pages[0]
    )


# The PDF as a document


def test_pdf_metadata_names_title_author_and_language(demo_report):
    reader = report_pdf.read(demo_report.pdf)

    assert (reader.metadata.title, reader.metadata.author) == (TITLE, "Huddinge kommun")
    assert reader.trailer["/Root"]["/Lang"] == "sv"


def test_pdf_declares_pdf_a_3a_in_its_xmp_metadata(demo_report):
    reader = report_pdf.read(demo_report.pdf)
    packet = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    xmp = ET.fromstring(packet)  # noqa: S314 - the packet of a PDF this test rendered
    pdfaid = "{http://www.aiim.org/pdfa/ns/id/}"

    declared = {
        (element.get(f"{pdfaid}part"), element.get(f"{pdfaid}conformance"))
        for element in xmp.iter()
        if element.get(f"{pdfaid}part")
    }

    assert declared == {("3", "A")}


def test_pdf_is_tagged_with_a_heading_per_chapter(demo_report):
    reader = report_pdf.read(demo_report.pdf)
    root = reader.trailer["/Root"]

    kinds = report_pdf.structure_kinds(reader)

    assert root["/MarkInfo"] == {"/Marked": True}
    # The cover title and one per chapter, as in the HTML.
    assert kinds["/H1"] == 1 + len(CHAPTERS)
    # The rating chart, five areas over the years and four indicator charts.
    assert kinds["/Figure"] == 10
    # Every goal, the rating counts, five areas over the years, four indicator series.
    assert kinds["/Table"] == 11


def test_every_font_is_embedded(demo_report):
    fonts = report_pdf.fonts(report_pdf.read(demo_report.pdf))

    names = sorted(str(font["/BaseFont"]).split("+", 1)[1] for font in fonts)
    assert names == ["DejaVu-Sans", "DejaVu-Sans-Bold", "DejaVu-Sans-Italic"]
    assert [report_pdf.font_is_embedded(font) for font in fonts] == [True, True, True]


def test_bookmarks_lead_to_the_chapters(demo_report):
    reader = report_pdf.read(demo_report.pdf)
    contents = report_pdf.toc_entries(demo_report.pages[1])

    bookmarks = report_pdf.outline(reader)

    assert [title for title, _page in bookmarks] == ["Innehåll", *CHAPTERS]
    assert dict(bookmarks[1:]) == contents


# Charts


def svg_texts(html: str) -> list[str]:
    """The <text> elements inside the page's <svg> elements."""
    return [
        text
        for svg in re.findall(r"<svg\b.*?</svg>", html, flags=re.DOTALL)
        for text in re.findall(r"<text\b[^>]*>([^<]*)</text>", svg)
    ]


def test_charts_are_inline_svg_whose_words_are_text(demo_report):
    texts = svg_texts(demo_report.html)

    # The summary's chart, one per area over the years, one per indicator.
    assert demo_report.html.count("<svg") == 1 + 5 + 4
    assert {"Antal mål", "Delvis uppfylld", "Ännu inte bedömt", "antal", "%"} <= set(texts)
    assert {"2019", "2020", "2021"} <= set(texts)


def test_chart_axis_labels_can_be_extracted_from_the_pdf(demo_report):
    reader = report_pdf.read(demo_report.pdf)
    lines = [{line.strip() for line in text.splitlines()} for text in demo_report.pages]

    # Tables print "År 2019 2020 2021" on one line; a year alone on its line
    # is a chart's axis label.
    assert any({"2019", "2020", "2021", "%"} <= page for page in lines)
    assert any({"Antal mål", "Delvis uppfylld", "Ännu inte bedömt"} <= page for page in lines)
    # Drawn as vectors, not pictures.
    assert report_pdf.xobject_kinds(reader)["/Image"] == 0


# One template for preview and PDF


def test_preview_and_pdf_have_the_same_chapter_headings(demo_report):
    headings = re.findall(r"<h1>([^<]*)</h1>", demo_report.html)
    bookmarks = [title for title, _page in report_pdf.outline(report_pdf.read(demo_report.pdf))]

    assert headings == CHAPTERS
    assert headings == bookmarks[1:]
    assert '<h2 id="toc-heading" class="toc-heading">Innehåll</h2>' in demo_report.html
    assert "Uppföljning av Program för trygghet och säkerhet 2018–2021" in demo_report.html


# Query counts


@pytest.mark.parametrize("activities", [1, 60])
def test_report_data_takes_a_fixed_number_of_queries(django_assert_num_queries, year, activities):
    district, partner = DistrictFactory(), PartnerFactory()
    ActivityFactory.create_batch(
        activities - 1,
        followup=year.followup,
        area=year.area2,
        goals=[year.goal21],
        districts=[district],
        partners=[partner],
    )
    followup = FollowUp.objects.get(pk=year.followup.pk)

    # Its own sixteen, and the collaboration chapter's one (no agreement).
    with django_assert_num_queries(17):
        data = build_report_data(followup)

    assert data.activity_count == activities
    assert [len(chapter.activities) for chapter in data.chapters] == [1, activities - 1]


@pytest.mark.parametrize("activities", [1, 60])
def test_report_preview_takes_a_fixed_number_of_queries(
    client, caseworker, django_assert_num_queries, year, activities
):
    district, partner = DistrictFactory(), PartnerFactory()
    ActivityFactory.create_batch(
        activities - 1,
        followup=year.followup,
        area=year.area2,
        districts=[district],
        partners=[partner],
    )
    client.force_login(caseworker)

    with django_assert_num_queries(26):
        response = client.get(year.url("report-preview"))

    assert response.content.decode().count('<div class="activity">') == activities


def test_indicator_series_shows_up_to_eight_years_until_the_year(year):
    for value_year in range(2012, 2023):
        if value_year != 2020:  # the year fixture has 2020 already
            IndicatorValueFactory(indicator=year.indicator, year=value_year)

    data = build_report_data(year.followup)

    (row,) = data.chapters[0].indicators
    assert [value.year for value in row.values] == list(range(2014, 2022))
