"""The collaboration's PDF reports: the steering group's tertial report
(download and command) through the annual report's safe pipeline, and the
annual report's chapter *Samverkan*."""

import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from collaboration.report_chapter import build, register_report_chapter
from collaboration.tertial_report import render_tertial_report, tertial_report_html
from collaboration.tertials import find_tertial, tertial_data
from followups.models import FollowUp
from followups.report import chapters
from followups.report.data import build_report_data
from followups.report.fingerprint import report_fingerprint
from followups.report.render import render_report_html, render_report_pdf, report_assets
from tests.collaboration.factories import (
    AgreementFactory,
    CitizenPromiseFactory,
    PriorityAreaFactory,
    PriorityAreaStatusFactory,
    PromiseRatingFactory,
    TertialFollowUpFactory,
)
from tests.collaboration.tertial_setup import make_tertials
from tests.conftest import CONTRIBUTOR, READER
from tests.followups import report_pdf
from tests.followups.report_pdf import flat

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script><link rel="attachment" href="file:///etc/passwd">'


@pytest.fixture
def tertials(year):
    return make_tertials(year)


@pytest.fixture
def rated(tertials):
    """T1 2021 with a status per area (one hostile), both promises rated."""
    tertial = TertialFollowUpFactory(agreement=tertials.agreement, summary="Ett lugnt tertial.")
    PriorityAreaStatusFactory(
        tertial=tertial, priority_area=tertials.safety, text="Vandringar i Skogås."
    )
    PriorityAreaStatusFactory(tertial=tertial, priority_area=tertials.drugs, text=HOSTILE)
    PromiseRatingFactory(
        tertial=tertial, promise=tertials.safety_promise, rating="done", comment="Alla fyra."
    )
    PromiseRatingFactory(tertial=tertial, promise=tertials.drugs_promise, rating="delayed")
    return tertial


def pdf_text(pdf: bytes) -> list[str]:
    return report_pdf.page_texts(pdf)


# The tertial report


def test_the_report_holds_the_areas_districts_activities_and_ratings_in_swedish(rated):
    rendered = render_tertial_report(find_tertial(rated.agreement, 2021, 1))
    pages = pdf_text(rendered.pdf)
    text = flat(" ".join(pages))

    assert "Huddinge kommun" in pages[0]
    assert "Tertialrapport T1 2021" in flat(pages[0])
    assert "Samverkansöverenskommelse mellan Huddinge kommun och Polisen" in flat(pages[0])
    assert (
        "Parter Huddinge kommun, Lokalpolisområde Huddinge, Södertörns brandförsvarsförbund"
        in flat(pages[0])
    )
    assert "Diarienummer KS-2018/91.103" in flat(pages[0])
    assert "Tertial T1 januari–april 2021" in flat(pages[0])
    assert (
        "Otrygghet i offentlig miljö Vad som gjordes under tertialen Vandringar i Skogås. "
        "Aktiviteter 2021 Flemingsberg Ungdomsgård i Flemingsberg – Genomförd "
        "Skogås Trygghetsvandring i Skogås – Planerad"
    ) in text
    assert (
        "Övriga kommundelar och hela kommunen Informationskampanj om narkotika – Pågående" in text
    )
    assert "Narkotika Vi arbetar mot öppen narkotikahandel. Bedömning: Försenat" in text
    assert (
        "Trygghet i offentlig miljö Vi genomför trygghetsvandringar i Skogås. "
        "Bedömning: Genomfört Alla fyra. Åtar sig: Huddinge kommun, Lokalpolisområde Huddinge "
        "Genomförs av: Trygghetsvandring i Skogås – Planerad"
    ) in text
    assert "Hemlig insats" not in text
    assert "Fjolårets vandring" not in text
    # The hostile status text is printed as text, and nothing was fetched for it.
    assert '<script>alert("x")</script>' in text
    assert set(rendered.requested) <= set(report_assets())


def test_the_html_escapes_user_text(rated):
    html = tertial_report_html(tertial_data(find_tertial(rated.agreement, 2021, 1)))

    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert 'href="file:' not in html


def test_the_report_is_tagged_pdf_a_3a_with_embedded_fonts_and_a_heading_per_part(rated):
    reader = report_pdf.read(render_tertial_report(rated).pdf)
    root = reader.trailer["/Root"]
    packet = root["/Metadata"].get_object().get_data()
    xmp = ET.fromstring(packet)  # noqa: S314 - the packet of a PDF this test rendered
    pdfaid = "{http://www.aiim.org/pdfa/ns/id/}"
    declared = {
        (element.get(f"{pdfaid}part"), element.get(f"{pdfaid}conformance"))
        for element in xmp.iter()
        if element.get(f"{pdfaid}part")
    }
    fonts = report_pdf.fonts(reader)

    assert declared == {("3", "A")}
    assert root["/MarkInfo"] == {"/Marked": True}
    assert root["/Lang"] == "sv"
    # The cover, the summary, the two priority areas and the promises.
    assert report_pdf.structure_kinds(reader)["/H1"] == 5
    assert fonts
    assert all(report_pdf.font_is_embedded(font) for font in fonts)
    # The cover's title is no bookmark, as in the annual report.
    assert [title for title, _page in report_pdf.outline(reader)] == [
        "Sammanfattning",
        "Otrygghet i offentlig miljö",
        "Narkotika",
        "Medborgarlöften 2021",
    ]


def test_staff_download_a_draft_marked_utkast_on_every_page(client, secretary, rated):
    client.force_login(secretary)

    response = client.get(reverse("tertial-report", args=[rated.agreement_id, 2021, 1]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="tertialrapport-2021-t1.pdf"'
    pages = pdf_text(response.content)
    assert [page.count("UTKAST") for page in pages] == [1] * len(pages)
    assert "Utkast: ännu inte klar för styrgruppen" in flat(pages[0])


def test_a_ready_tertial_is_not_marked_draft_and_readers_may_read_it(client, user_in_group, rated):
    rated.ready = True
    rated.save()
    client.force_login(user_in_group(READER))

    response = client.get(reverse("tertial-report", args=[rated.agreement_id, 2021, 1]))

    assert response.status_code == 200
    pages = pdf_text(response.content)
    assert [page for page in pages if "UTKAST" in page] == []
    assert "Status Klar för styrgruppen" in flat(pages[0])


def test_readers_find_no_tertial_that_is_not_ready_or_not_saved(client, user_in_group, rated):
    client.force_login(user_in_group(READER))

    not_ready = client.get(reverse("tertial-report", args=[rated.agreement_id, 2021, 1]))
    unsaved = client.get(reverse("tertial-report", args=[rated.agreement_id, 2021, 2]))

    assert (not_ready.status_code, unsaved.status_code) == (404, 404)


def test_staff_get_the_empty_draft_of_a_tertial_nobody_saved(client, caseworker, tertials):
    client.force_login(caseworker)

    response = client.get(tertials.url("tertial-report", 2022, 3))

    assert response.status_code == 200
    text = flat(" ".join(pdf_text(response.content)))
    assert "Tertialrapport T3 2022" in text
    assert "UTKAST" in text
    assert "Ingen sammanfattning har skrivits." in text
    assert "Överenskommelsen har inga medborgarlöften detta år." not in text  # 2022 has one
    assert "Nästa år" in text
    assert "Bedömning: Ej bedömt" in text


def test_contributors_may_not_download_the_report(client, user_in_group, rated):
    rated.ready = True
    rated.save()
    client.force_login(user_in_group(CONTRIBUTOR))

    response = client.get(reverse("tertial-report", args=[rated.agreement_id, 2021, 1]))

    assert response.status_code == 403


# The command


def test_the_command_writes_the_pdf_of_an_unsaved_tertial(tertials, tmp_path):
    output = tmp_path / "t2.pdf"
    stdout = io.StringIO()

    call_command(
        "render_tertial_report",
        "--agreement", str(tertials.agreement.pk),
        "--year", "2021",
        "--tertial", "2",
        "--output", str(output),
        stdout=stdout,
    )  # fmt: skip

    text = flat(" ".join(pdf_text(output.read_bytes())))
    assert "Tertialrapport T2 2021" in text
    assert "UTKAST" in text
    assert stdout.getvalue().startswith(f"Skrev {output} (")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"agreement": 999}, "Det finns ingen överenskommelse med id 999."),
        ({"year": 2020}, "Året måste ligga inom överenskommelsens period 2021–2022."),
        ({"tertial": 4}, "Tertialen måste vara 1, 2 eller 3."),
        (
            {"output": "/nonexistent-folder/t1.pdf"},
            "Kan inte skriva filen /nonexistent-folder/t1.pdf.",
        ),
    ],
    ids=["agreement", "year", "tertial", "output"],
)
def test_the_command_refuses_bad_arguments_in_swedish(tertials, tmp_path, arguments, message):
    options = {
        "agreement": tertials.agreement.pk,
        "year": 2021,
        "tertial": 1,
        "output": str(tmp_path / "t1.pdf"),
        **arguments,
    }
    argv = [part for name, value in options.items() for part in (f"--{name}", str(value))]

    with pytest.raises(CommandError) as refused:
        call_command("render_tertial_report", *argv)

    assert str(refused.value) == message
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("where", ["under a file", "a folder"])
def test_the_command_refuses_a_path_it_cannot_write_to(tertials, tmp_path, where):
    # Deterministic whoever runs it (root may write into any folder, but
    # not below a regular file, nor over a folder).
    blocker = tmp_path / "blocker"
    if where == "under a file":
        blocker.write_text("a file, not a folder")
        output = blocker / "t1.pdf"
    else:
        blocker.mkdir()
        output = blocker
    with pytest.raises(CommandError, match="Kan inte skriva filen"):
        call_command(
            "render_tertial_report",
            f"--agreement={tertials.agreement.pk}",
            "--year=2021",
            "--tertial=1",
            f"--output={output}",
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocker"]
    assert blocker.is_file() or list(blocker.iterdir()) == []


# The annual report's chapter Samverkan


@pytest.fixture
def samverkan():
    """The chapter registered as the app registers it, and the registry
    put back afterwards, so no other test sees a chapter it did not ask for."""
    before = list(chapters.registered)
    register_report_chapter()
    yield
    chapters.registered[:] = before


@pytest.fixture
def rated_year(rated, tertials):
    """T2 after T1: the drugs promise rated again, the safety promise left blank."""
    t2 = TertialFollowUpFactory(agreement=tertials.agreement, tertial=2)
    PromiseRatingFactory(tertial=t2, promise=tertials.drugs_promise, rating="on_track")
    PromiseRatingFactory(tertial=t2, promise=tertials.safety_promise, rating="")
    return tertials


def test_the_chapter_gives_each_promise_its_latest_rating_of_the_year(samverkan, rated_year, year):
    unrated = CitizenPromiseFactory(
        agreement=rated_year.agreement,
        priority_area=rated_year.drugs,
        category="Barn och unga",
        text="Vi lovar.",
    )

    data = build_report_data(FollowUp.objects.get(pk=year.followup.pk))

    (chapter,) = data.extra_chapters
    assert (chapter.key, chapter.title) == ("collaboration", "Samverkan")
    (part,) = chapter.context["agreements"]
    assert [area.name for area in part.priority_areas] == [
        "Otrygghet i offentlig miljö",
        "Narkotika",
    ]
    assert [district.name for district in part.districts] == ["Flemingsberg", "Skogås"]
    assert [(row.promise.pk, row.outcome) for row in part.promises] == [
        (unrated.pk, "Ej följt upp"),
        (rated_year.drugs_promise.pk, "T2: Pågår enligt plan"),
        (rated_year.safety_promise.pk, "T1: Genomfört"),
    ]


def test_the_chapter_is_left_out_when_no_agreement_covers_the_year(samverkan, year):
    PriorityAreaFactory(agreement=AgreementFactory(first_year=2022, last_year=2023))
    AgreementFactory(first_year=2019, last_year=2021, status="draft")  # in preparation

    data = build_report_data(FollowUp.objects.get(pk=year.followup.pk))

    assert data.extra_chapters == []
    html = render_report_html(FollowUp.objects.get(pk=year.followup.pk))
    assert "<h1>Samverkan</h1>" not in html
    assert 'href="#collaboration"' not in html


@pytest.mark.parametrize("agreements", [1, 5])
def test_the_chapter_takes_a_fixed_number_of_queries(
    samverkan, django_assert_num_queries, rated_year, year, agreements
):
    for _number in range(agreements - 1):
        tertial = TertialFollowUpFactory(agreement=AgreementFactory(first_year=2020))
        PromiseRatingFactory.create_batch(3, tertial=tertial)
    followup = FollowUp.objects.get(pk=year.followup.pk)

    with django_assert_num_queries(6):
        context = build(followup)

    assert len(context["agreements"]) == agreements


def test_a_new_rating_makes_a_new_fingerprint(samverkan, rated_year, year):
    followup = FollowUp.objects.get(pk=year.followup.pk)
    before = report_fingerprint(followup, "draft")

    rated_year.drugs_promise.ratings.filter(tertial__tertial=2).update(rating="done")

    assert report_fingerprint(followup, "draft") != before


def test_the_annual_report_has_samverkan_after_the_area_chapters(samverkan, rated_year, year):
    followup = FollowUp.objects.get(pk=year.followup.pk)

    html = render_report_html(followup)
    rendered = render_report_pdf(followup)

    headings = re.findall(r"<h1>([^<]*)</h1>", html)
    assert headings == [
        "Sammanfattning",
        "Utveckling över tid",
        "1 Trygghet",
        "2 Skydd mot olyckor",
        "Samverkan",
        "Bilaga 1: Riktlinjer för klotter",
    ]
    reader = report_pdf.read(rendered.pdf)
    assert [title for title, _page in report_pdf.outline(reader)][1:] == headings
    pages = report_pdf.page_texts(rendered.pdf)
    contents = report_pdf.toc_entries(pages[1])
    page = report_pdf.first_page_starting_with(pages, "Samverkan")
    assert contents["Samverkan"] == page
    text = flat(pages[page - 1])
    assert (
        "Samverkansöverenskommelse mellan Huddinge kommun och Polisen 2021–2022 "
        "Samverkansöverenskommelse · Parter: Huddinge kommun, Lokalpolisområde Huddinge, "
        "Södertörns brandförsvarsförbund · Diarienummer: KS-2018/91.103 "
        "Prioriterade områden Otrygghet i offentlig miljö Narkotika "
        "Fokusområden: Flemingsberg, Skogås Medborgarlöften 2021 "
        "Narkotika: Vi arbetar mot öppen narkotikahandel. Utfall: T2: Pågår enligt plan "
        "Trygghet i offentlig miljö: Vi genomför trygghetsvandringar i Skogås. "
        "Utfall: T1: Genomfört"
    ) in text


def test_followups_never_import_collaboration():
    package = Path(__file__).resolve().parents[2] / "followups"
    importing = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if re.search(r"^\s*(from|import) collaboration\b", path.read_text(), re.MULTILINE)
    ]

    assert importing == []
