"""Confidential activities (issue 11): seen only by Handläggare,
Nämndsekreterare and Administratör; never in the report (HTML or PDF), in a
reader's or a contributor's pages, or in the exports they can download; the
report says per area how many are left out, without their titles.

A unique marker stands in every text field of the confidential activity, so
that any leak of it shows up as the marker in the output."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from followups.models import Activity, ConfidentialityGround
from followups.report.render import render_report_html
from followups.services import continue_next_year
from tests.conftest import CONTRIBUTOR
from tests.factories import ActivityFactory, DistrictFactory
from tests.followups.approval import approve, content
from tests.followups.report_pdf import flat, page_texts

pytestmark = pytest.mark.django_db

MARKER = "HEMLIGMARKÖR"
SECRET_COST = 7654321
COST_SHOWN = ("7654321", "7 654 321", "7\xa0654\xa0321")


def assert_secret_absent(text: str, where: str = "") -> None:
    assert MARKER not in text, where
    for shown in COST_SHOWN:
        assert shown not in text, where


@pytest.fixture
def secret(year):
    """A confidential activity of area 1 with the marker in every text, and
    a public one of area 2 that continues nothing."""
    activity = ActivityFactory(
        followup=year.followup,
        area=year.area1,
        title=f"{MARKER} rubrik",
        description=f"{MARKER} beskrivning",
        result=f"{MARKER} resultat",
        goals=[year.goal12],
        responsible_unit=year.activity.responsible_unit,
        # Reference lists are shared and public; the activity's own texts are not.
        partners=year.activity.partners.all(),
        districts=[DistrictFactory(name="Vårby")],
        cost=SECRET_COST,
        is_confidential=True,
        confidentiality_ground=ConfidentialityGround.OSL_18_8,
        confidentiality_note=f"{MARKER} grund",
    )
    activity.full_clean()
    return activity


@pytest.fixture
def contributor(user_in_group, year):
    """A Bidragsgivare of the unit that is responsible for both activities."""
    return user_in_group(CONTRIBUTOR, units=[year.activity.responsible_unit])


def sheet_text(response) -> str:
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    return " ".join(
        str(cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    )


# --- the report ------------------------------------------------------------


def test_the_report_counts_the_confidential_activity_in_its_area_without_its_texts(year, secret):
    html = render_report_html(year.followup)

    assert_secret_absent(html)
    assert "1 aktivitet inom området redovisas inte i rapporten på grund av sekretess." in html
    assert "Därutöver är 1 aktivitet sekretessbelagd och redovisas inte här." in html
    assert "Trygghetsvandring i Skogås" in html
    # Only area 1's chapter has the line: area 2 has none.
    assert html.count("på grund av sekretess") == 1


def test_two_confidential_activities_are_counted_in_the_plural(year, secret):
    ActivityFactory(
        followup=year.followup,
        area=year.area1,
        is_confidential=True,
        confidentiality_ground=ConfidentialityGround.SECURITY_PROTECTION,
    )

    html = render_report_html(year.followup)

    assert "2 aktiviteter inom området redovisas inte i rapporten på grund av sekretess." in html


def test_without_confidential_activities_the_report_has_no_count_line(year):
    assert "sekretess" not in render_report_html(year.followup)


def test_the_archived_pdf_has_neither_the_marker_nor_the_titles_only_the_count(
    client, reader, secretary, year, secret, django_capture_on_commit_callbacks
):
    approve(year.followup, secretary, django_capture_on_commit_callbacks)
    client.force_login(reader)

    pdf = content(client.get(year.url("report-pdf")))

    text = flat(" ".join(page_texts(pdf)))
    assert_secret_absent(text)
    assert MARKER.encode() not in pdf
    assert "1 aktivitet inom området redovisas inte i rapporten på grund av sekretess." in text


# --- what readers and contributors can open ----------------------------------


def test_no_page_a_reader_can_open_shows_the_marker(
    client, reader, secretary, year, secret, django_capture_on_commit_callbacks
):
    approve(year.followup, secretary, django_capture_on_commit_callbacks)
    client.force_login(reader)

    for name in ["followup", "followup-summary", "report-preview"]:
        response = client.get(year.url(name))
        assert response.status_code == 200, name
        assert_secret_absent(response.content.decode(), name)
    assert_secret_absent(client.get(reverse("start"), follow=True).content.decode())


def test_no_page_or_download_a_contributor_can_open_shows_the_marker(
    client, contributor, year, secret
):
    public = ActivityFactory(
        followup=year.followup, area=year.area2, title="Fortsättning", continues=None
    )
    client.force_login(contributor)

    pages = [
        year.url("followup"),
        year.url("followup-summary"),
        year.url("activity-list"),
        # A search for its text finds nothing (the marker itself would be
        # echoed in the search box).
        year.url("activity-list") + "?q=rubrik",
        year.url("activity-list") + f"?goal={year.goal12.pk}",
        year.url("activity-detail", year.activity.pk),
        year.url("activity-detail", public.pk),
        year.url("activity-update", year.activity.pk),
        year.url("activity-create"),
        year.url("activity-import"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_secret_absent(response.content.decode(), url)
    for url in [year.url("activity-export"), year.url("activity-template")]:
        assert_secret_absent(sheet_text(client.get(url)), url)
    # The confidential activity itself does not exist for them.
    for name in ["activity-detail", "activity-update", "activity-continue"]:
        assert client.get(year.url(name, secret.pk)).status_code == 404, name


def test_the_contributors_list_and_start_page_count_only_what_they_see(
    client, contributor, year, secret
):
    client.force_login(contributor)

    listing = client.get(year.url("activity-list")).content.decode()
    start = client.get(year.url("followup")).content.decode()

    assert "1 aktivitet" in listing
    assert "1 aktivitet" in start
    # Goal 1.2 has only the confidential activity: to them it has none.
    assert "1.2 Barn och unga" in start.split("Mål som ingen aktivitet bidrar till")[1]


def test_a_continuation_does_not_name_the_confidential_activity_it_continues(
    client, contributor, year, secret
):
    """Unmarking a continued copy shows it, but not the confidential source."""
    copy = continue_next_year(secret, contributor)
    assert copy.is_confidential
    assert copy.confidentiality_ground == ConfidentialityGround.OSL_18_8
    Activity.objects.filter(pk=copy.pk).update(
        is_confidential=False,
        confidentiality_ground="",
        confidentiality_note="",
        title="Offentlig fortsättning",
        description="",
    )
    client.force_login(contributor)
    url = reverse("activity-detail", args=[year.programme.pk, 2022, copy.pk])

    page = client.get(url).content.decode()
    sheet = sheet_text(client.get(reverse("activity-export", args=[year.programme.pk, 2022])))

    assert "Offentlig fortsättning" in page
    assert MARKER not in page
    assert "Offentlig fortsättning" in sheet
    assert MARKER not in sheet


# --- staff see it, and know it is confidential ------------------------------


@pytest.mark.parametrize("role", ["caseworker", "secretary", "administrator"])
def test_staff_see_the_confidential_activity_and_its_ground(client, request, year, secret, role):
    client.force_login(request.getfixturevalue(role))

    listing = client.get(year.url("activity-list")).content.decode()
    detail = client.get(year.url("activity-detail", secret.pk)).content.decode()

    assert f"{MARKER} rubrik" in listing
    assert "Sekretess" in listing
    assert f"{MARKER} beskrivning" in detail
    assert "OSL 18 kap. 8 § (säkerhets- och bevakningsåtgärder)" in detail
    assert f"{MARKER} grund" in detail


def test_the_staff_export_marks_the_confidential_row_with_its_ground(
    client, caseworker, year, secret
):
    client.force_login(caseworker)

    book = load_workbook(io.BytesIO(client.get(year.url("activity-export")).content))
    rows = {row[0]: row for row in book.active.iter_rows(min_row=2, values_only=True)}

    assert rows[secret.pk][-2:] == (
        "Ja",
        f"OSL 18 kap. 8 § (säkerhets- och bevakningsåtgärder): {MARKER} grund",
    )
    assert rows[year.activity.pk][-2:] == (None, None)


def test_the_whole_year_workbook_has_the_confidential_activity_for_staff(
    client, secretary, year, secret
):
    client.force_login(secretary)

    assert f"{MARKER} rubrik" in sheet_text(client.get(year.url("followup-export")))


def test_the_export_command_can_leave_confidential_activities_out(year, secret, tmp_path):
    from django.core.management import call_command

    everything, public = tmp_path / "alla.xlsx", tmp_path / "offentlig.xlsx"
    call_command("export_year", "--year", "2021", "--output", str(everything), stdout=io.StringIO())
    call_command(
        "export_year",
        "--year",
        "2021",
        "--output",
        str(public),
        "--without-confidential",
        stdout=io.StringIO(),
    )

    def text(path):
        book = load_workbook(path)
        return " ".join(
            str(c.value) for s in book.worksheets for r in s.iter_rows() for c in r if c.value
        )

    assert f"{MARKER} rubrik" in text(everything)
    assert MARKER not in text(public)
    assert "Trygghetsvandring i Skogås" in text(public)


# --- marking an activity confidential -----------------------------------------


def form_data(year, **changes) -> dict:
    data = {
        "title": "Skalskydd",
        "area": year.area1.pk,
        "status": "planned",
        "version": "0",
        "is_confidential": "on",
        "confidentiality_ground": ConfidentialityGround.OSL_18_8,
        "confidentiality_note": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_a_caseworker_marks_an_activity_confidential_with_its_ground(client, caseworker, year):
    client.force_login(caseworker)

    response = client.post(year.url("activity-create"), form_data(year))

    assert response.status_code == 302
    saved = Activity.objects.get(title="Skalskydd")
    assert saved.is_confidential
    assert saved.confidentiality_ground == ConfidentialityGround.OSL_18_8


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"confidentiality_ground": ""},
            "En sekretessbelagd aktivitet behöver sin sekretessgrund.",
        ),
        (
            {"confidentiality_ground": ConfidentialityGround.OTHER, "confidentiality_note": "  "},
            "Ange sekretessgrunden i texten när den inte finns i listan.",
        ),
        ({"confidentiality_ground": "osl_99"}, "Välj ett giltigt alternativ."),
        ({"confidentiality_note": "x" * 201}, "som mest 200 tecken (den har 201)"),
    ],
)
def test_a_confidential_activity_without_a_valid_ground_is_refused(
    client, caseworker, year, changes, message
):
    client.force_login(caseworker)

    response = client.post(year.url("activity-create"), form_data(year, **changes))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Activity.objects.filter(title="Skalskydd").exists()


def test_unticking_confidential_with_the_ground_left_is_refused_not_cleared(
    client, caseworker, year, secret
):
    """Nothing typed is dropped silently: the ground stays until cleared."""
    client.force_login(caseworker)
    data = form_data(year, title="Nu offentlig", version=str(secret.version), is_confidential=None)

    refused = client.post(year.url("activity-update", secret.pk), data)

    assert refused.status_code == 200
    assert (
        "En sekretessgrund är angiven, men aktiviteten är inte markerad som sekretessbelagd: "
        "kryssa i Sekretessbelagd eller ta bort grunden." in refused.content.decode()
    )
    secret.refresh_from_db()
    assert secret.is_confidential

    data.update(confidentiality_ground="", confidentiality_note="")
    saved = client.post(year.url("activity-update", secret.pk), data)

    assert saved.status_code == 302
    secret.refresh_from_db()
    assert (secret.is_confidential, secret.confidentiality_ground, secret.confidentiality_note) == (
        False,
        "",
        "",
    )


def test_the_database_refuses_a_ground_on_a_public_activity(year):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.filter(pk=year.activity.pk).update(
            confidentiality_ground=ConfidentialityGround.OSL_18_8
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.filter(pk=year.activity.pk).update(is_confidential=True)


def test_contributors_are_not_offered_the_confidentiality_fields(client, contributor, year):
    client.force_login(contributor)

    page = client.get(year.url("activity-create")).content.decode()
    response = client.post(
        year.url("activity-create"),
        form_data(year, responsible_unit=year.activity.responsible_unit.pk),
    )

    assert 'name="is_confidential"' not in page
    assert response.status_code == 302
    # The posted box is ignored: a contributor's activity is public.
    assert Activity.objects.get(title="Skalskydd").is_confidential is False
