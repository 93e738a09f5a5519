"""The year in spreadsheets: the activity list downloads exactly as
filtered, the whole year as one workbook (web and command alike), headers in
Swedish, numbers as numbers, and no text a spreadsheet could evaluate."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from tests.factories import (
    ActivityFactory,
    AreaSummaryFactory,
    GoalAssessmentFactory,
    GuidelineFollowUpFactory,
    PartnerFactory,
)

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ACTIVITY_HEADERS = [
    "ID",
    "Ansvarsområde",
    "Mål",
    "Rubrik",
    "Ansvarig enhet",
    "Samverkansparter",
    "Kommundelar",
    "Status",
    "Kostnad (kr)",
    "Beskrivning",
    "Resultat",
    "Fortsättning av",
]
# Those who see confidential activities also see whether one is, and why.
STAFF_HEADERS = [*ACTIVITY_HEADERS, "Sekretess", "Sekretessgrund"]


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    return load_workbook(io.BytesIO(response.content))


def rows(sheet) -> list[list]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.fixture
def activities(year):
    year.activity.cost = Decimal(150000)
    year.activity.result = "Genomförd i maj."
    year.activity.save()
    second = ActivityFactory(
        followup=year.followup,
        area=year.area2,
        title="Brandskyddsutbildning",
        goals=[year.goal21],
        partners=[PartnerFactory(name="Södertörns brandförsvarsförbund")],
        cost=None,
        status="ongoing",
    )
    return year.activity, second


def test_the_activity_list_downloads_with_swedish_headers_and_exact_values(
    client, caseworker, year, activities
):
    first, second = activities
    client.force_login(caseworker)

    response = client.get(year.url("activity-export"))

    assert response["Content-Disposition"] == 'attachment; filename="aktiviteter-2021.xlsx"'
    sheet = workbook(response).active
    assert sheet.title == "Aktiviteter"
    assert rows(sheet) == [
        STAFF_HEADERS,
        [
            first.pk,
            "1 Trygghet",
            "1.1",
            "Trygghetsvandring i Skogås",
            "Trygghets- och säkerhetssektionen",
            "Polisen",
            "Skogås",
            first.get_status_display(),
            150000,
            first.description or None,
            "Genomförd i maj.",
            None,
            None,
            None,
        ],
        [
            second.pk,
            "2 Skydd mot olyckor",
            "2.1",
            "Brandskyddsutbildning",
            second.responsible_unit.name if second.responsible_unit else None,
            "Södertörns brandförsvarsförbund",
            None,
            "Pågående",
            None,
            second.description or None,
            second.result or None,
            None,
            None,
            None,
        ],
    ]
    assert isinstance(sheet["I2"].value, int)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:N3"
    assert all(sheet.column_dimensions[c].width >= 8 for c in "ABCDEFGHIJKLMN")
    assert sheet["A1"].font.bold


def test_the_download_is_filtered_and_sorted_as_the_list(client, caseworker, year, activities):
    first, second = activities
    client.force_login(caseworker)

    area = client.get(year.url("activity-export") + f"?area={year.area2.pk}")
    search = client.get(year.url("activity-export") + "?q=trygghetsvandring")
    sorted_ = client.get(year.url("activity-export") + "?sort=-title")
    invalid = client.get(year.url("activity-export") + "?area=999999")

    assert [r[0] for r in rows(workbook(area).active)[1:]] == [second.pk]
    assert [r[0] for r in rows(workbook(search).active)[1:]] == [first.pk]
    assert [r[0] for r in rows(workbook(sorted_).active)[1:]] == [first.pk, second.pk]
    assert rows(workbook(invalid).active) == [STAFF_HEADERS]


def test_the_list_links_to_the_download_with_its_filters(client, caseworker, year):
    client.force_login(caseworker)

    html = client.get(year.url("activity-list") + f"?area={year.area1.pk}&page=1").content.decode()

    assert f'href="{year.url("activity-export")}?area={year.area1.pk}"' in html
    assert "Ladda ner dessa aktiviteter (Excel)" in html


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]
)
def test_no_text_is_written_as_a_formula(client, caseworker, year, text):
    year.activity.title = f"{text}"[:200]
    year.activity.description = text
    year.activity.save()
    client.force_login(caseworker)

    response = client.get(year.url("activity-export"))

    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    sheet = workbook(response).active
    for cell in (sheet["D2"], sheet["J2"]):
        assert cell.data_type == "s"
        # XML reads a lone carriage return as a line feed.
        assert cell.value == text.replace("\r", "\n")
        assert cell.quotePrefix


def test_the_whole_year_is_one_workbook_on_the_web_and_from_the_command(
    client, caseworker, year, activities, tmp_path
):
    GoalAssessmentFactory(followup=year.followup, goal=year.goal11, rating="high", analysis="Bra.")
    AreaSummaryFactory(followup=year.followup, area=year.area1, text="Året i området.")
    GuidelineFollowUpFactory(followup=year.followup, guideline=year.guideline, text="Följd.")
    client.force_login(caseworker)

    response = client.get(year.url("followup-export"))
    output = tmp_path / "år.xlsx"
    call_command("export_year", "--year", "2021", "--output", str(output), stdout=io.StringIO())

    assert response["Content-Disposition"] == 'attachment; filename="uppfoljning-2021.xlsx"'
    web = workbook(response)
    command = load_workbook(output)
    assert web.sheetnames == [
        "Aktiviteter",
        "Målbedömningar",
        "Områdessammanfattningar",
        "Indikatorvärden",
        "Riktlinjer",
    ]
    assert [rows(s) for s in web] == [rows(s) for s in command]
    assert rows(web["Målbedömningar"]) == [
        ["Ansvarsområde", "Målkod", "Mål", "Bedömning", "Analys"],
        ["1 Trygghet", "1.1", "Tryggare offentlig miljö", "I hög grad uppfylld", "Bra."],
        ["1 Trygghet", "1.2", "Barn och unga", None, None],
        ["2 Skydd mot olyckor", "2.1", "Färre bränder", None, None],
    ]
    assert rows(web["Områdessammanfattningar"]) == [
        ["Ansvarsområde", "Sammanfattning"],
        ["1 Trygghet", "Året i området."],
        ["2 Skydd mot olyckor", None],
    ]
    assert rows(web["Indikatorvärden"]) == [
        ["Ansvarsområde", "Indikator", "Enhet", "År", "Värde", "Kommentar", "Exempelvärde"],
        ["1 Trygghet", "Upplevd trygghet", "%", 2020, 64, None, "Nej"],
    ]
    assert rows(web["Riktlinjer"]) == [
        ["Riktlinje", "Uppföljningstext"],
        ["Riktlinjer för klotter", "Följd."],
    ]
    assert len(rows(web["Aktiviteter"])) == 3


def test_the_command_names_a_missing_year_and_writes_nothing(tmp_path):
    from django.core.management import CommandError

    output = tmp_path / "x.xlsx"
    with pytest.raises(CommandError, match=r"Det finns ingen uppföljning för 2031\."):
        call_command("export_year", "--year", "2031", "--output", str(output))
    assert not output.exists()


@pytest.mark.parametrize("count", [1, 30])
def test_the_downloads_take_the_same_queries_whatever_the_size(
    client, caseworker, year, count, django_assert_num_queries
):
    ActivityFactory.create_batch(count, followup=year.followup, area=year.area1)
    client.force_login(caseworker)

    with django_assert_num_queries(12):
        client.get(year.url("activity-export"))
    with django_assert_num_queries(19):
        client.get(year.url("followup-export"))
