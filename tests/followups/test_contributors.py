"""Contributors (Bidragsgivare, issue 11): a person in another department,
linked to one or more organisational units. In a draft year they see the
plan and the year's activities, and add, change, import and continue only
their own units' activities; the rest of the year is not theirs to write."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from followups.models import Activity
from tests.conftest import CONTRIBUTOR, READER
from tests.factories import ActivityFactory, OrganisationalUnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def own_unit(year):
    return year.activity.responsible_unit


@pytest.fixture
def other_unit(db):
    return OrganisationalUnitFactory(name="Socialförvaltningen")


@pytest.fixture
def contributor(user_in_group, own_unit):
    return user_in_group(CONTRIBUTOR, units=[own_unit])


@pytest.fixture
def others(year, other_unit):
    """An activity of a unit the contributor does not report for."""
    return ActivityFactory(
        followup=year.followup, area=year.area2, title="Stödsamtal", responsible_unit=other_unit
    )


def activity_data(year, unit, **changes) -> dict:
    data = {
        "title": "Läxhjälp i Vårby",
        "area": year.area1.pk,
        "goals": [year.goal12.pk],
        "status": "planned",
        "responsible_unit": unit.pk if unit else "",
        "cost": "",
        "version": "0",
    }
    data.update(changes)
    return data


def test_a_contributor_sees_every_units_activities_but_edits_only_their_own(
    client, contributor, year, others
):
    client.force_login(contributor)

    listing = client.get(year.url("activity-list")).content.decode()
    own = client.get(year.url("activity-detail", year.activity.pk)).content.decode()
    theirs = client.get(year.url("activity-detail", others.pk)).content.decode()

    assert "Trygghetsvandring i Skogås" in listing and "Stödsamtal" in listing
    assert "Du rapporterar aktiviteterna för: Trygghets- och säkerhetssektionen." in listing
    assert year.url("activity-update", year.activity.pk) in own
    assert year.url("activity-update", others.pk) not in theirs
    assert year.url("activity-delete", year.activity.pk) not in own
    assert client.get(year.url("activity-update", others.pk)).status_code == 403
    assert client.post(year.url("activity-update", others.pk), {}).status_code == 403


def test_a_contributor_adds_an_activity_for_their_own_unit(client, contributor, year, own_unit):
    client.force_login(contributor)

    response = client.post(year.url("activity-create"), activity_data(year, own_unit))

    assert response.status_code == 302
    saved = Activity.objects.get(title="Läxhjälp i Vårby")
    assert saved.responsible_unit == own_unit
    assert saved.history.earliest().history_user == contributor


@pytest.mark.parametrize("unit", ["other", None])
def test_a_contributor_cannot_add_for_another_unit_or_none(
    client, contributor, year, other_unit, unit
):
    client.force_login(contributor)

    response = client.post(
        year.url("activity-create"), activity_data(year, other_unit if unit else None)
    )

    html = response.content.decode()
    assert response.status_code == 200
    if unit:
        assert (
            "Du kan bara rapportera för dina egna enheter: Trygghets- och säkerhetssektionen."
            in html
        )
    else:
        assert "Detta fält måste fyllas i." in html
    assert not Activity.objects.filter(title="Läxhjälp i Vårby").exists()


def test_a_contributor_is_offered_only_their_own_units(client, contributor, year, other_unit):
    client.force_login(contributor)

    form = client.get(year.url("activity-create")).context["form"]

    assert list(form.fields["responsible_unit"].queryset) == [year.activity.responsible_unit]


def test_a_contributor_changes_their_own_units_activity(client, contributor, year, own_unit):
    client.force_login(contributor)
    data = activity_data(
        year,
        own_unit,
        title="Trygghetsvandring i Skogås",
        result="Genomförd med 40 deltagare.",
        version=str(year.activity.version),
    )

    response = client.post(year.url("activity-update", year.activity.pk), data)

    assert response.status_code == 302
    year.activity.refresh_from_db()
    assert year.activity.result == "Genomförd med 40 deltagare."


def test_a_contributor_cannot_move_their_activity_to_another_unit(
    client, contributor, year, own_unit, other_unit
):
    client.force_login(contributor)
    data = activity_data(year, other_unit, title="Flyttad", version=str(year.activity.version))

    response = client.post(year.url("activity-update", year.activity.pk), data)

    assert response.status_code == 200
    year.activity.refresh_from_db()
    assert year.activity.responsible_unit == own_unit


def test_a_contributor_continues_only_their_own_units_activities(client, contributor, year, others):
    client.force_login(contributor)

    own = client.post(year.url("activity-continue", year.activity.pk))
    theirs = client.post(year.url("activity-continue", others.pk))

    assert own.status_code == 302
    assert Activity.objects.filter(followup__year=2022, continues=year.activity).count() == 1
    assert theirs.status_code == 403
    assert not Activity.objects.filter(continues=others).exists()


def test_a_contributor_writes_no_assessments_summaries_values_and_cannot_submit(
    client, contributor, year
):
    client.force_login(contributor)

    for name, args in [
        ("assessment-overview", []),
        ("area-assessment", [1]),
        ("indicator-values", []),
        ("guideline-texts", []),
        ("followup-submit", []),
        ("followup-export", []),
    ]:
        assert client.get(year.url(name, *args)).status_code == 403, name
        assert client.post(year.url(name, *args), {}).status_code == 403, name
    assert client.post(year.url("followup-summary"), {"summary": "x"}).status_code == 403
    year.followup.refresh_from_db()
    assert year.followup.summary != "x"


def test_the_start_page_tells_a_contributor_what_they_report_for(client, contributor, year):
    client.force_login(contributor)

    html = client.get(year.url("followup")).content.decode()

    assert "Du rapporterar aktiviteterna för: Trygghets- och säkerhetssektionen." in html
    assert year.url("activity-create") in html
    # The plan, to link their activities to.
    plan = html.split("Programmets mål")[1]
    assert "1.1 Tryggare offentlig miljö" in plan and "2.1 Färre bränder" in plan
    # Not the January work's steps, which are not theirs.
    assert year.url("assessment-overview") not in html
    assert year.url("followup-export") not in html


def test_a_contributor_without_units_is_told_to_ask_for_one(client, user_in_group, year):
    client.force_login(user_in_group(CONTRIBUTOR))

    listing = client.get(year.url("activity-list")).content.decode()
    response = client.post(
        year.url("activity-create"), activity_data(year, year.activity.responsible_unit)
    )

    assert "Ditt konto är ännu inte kopplat till någon enhet" in listing
    assert year.url("activity-create") not in listing
    assert response.status_code == 200
    assert not Activity.objects.filter(title="Läxhjälp i Vårby").exists()


def test_a_submitted_year_is_read_only_to_contributors(client, contributor, year, own_unit):
    from tests.followups.approval import set_status

    set_status(year.followup, "submitted")
    client.force_login(contributor)

    assert client.get(year.url("activity-list")).status_code == 200
    assert (
        client.post(year.url("activity-create"), activity_data(year, own_unit)).status_code == 403
    )
    assert client.get(year.url("activity-import")).status_code == 403


# --- spreadsheets ---------------------------------------------------------------


def workbook_bytes(rows: list[list]) -> bytes:
    """A department's own sheet: some of the export's columns, by header."""
    book = Workbook()
    sheet = book.active
    sheet.append(
        ["ID", "Ansvarsområde", "Mål", "Rubrik", "Ansvarig enhet", "Status", "Kostnad (kr)"]
    )
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def upload(client, year, data: bytes):
    return client.post(
        year.url("activity-import"), {"workbook": SimpleUploadedFile("enhet.xlsx", data)}
    )


def test_a_contributor_imports_rows_of_their_own_unit_and_no_others(
    client, contributor, year, others
):
    client.force_login(contributor)
    data = workbook_bytes(
        [
            [
                None,
                "1 Trygghet",
                "1.2",
                "Läxhjälp i Vårby",
                "Trygghets- och säkerhetssektionen",
                "Planerad",
                5000,
            ],
            [None, "1 Trygghet", "1.2", "Fritidsgård", "Socialförvaltningen", "Planerad", None],
            [
                others.pk,
                "2 Skydd mot olyckor",
                "",
                "Stödsamtal",
                "Socialförvaltningen",
                "Pågående",
                None,
            ],
        ]
    )

    preview = upload(client, year, data)

    rows = preview.context["preview"].rows
    assert [(r.number, r.kind) for r in rows] == [(2, "new"), (3, "error"), (4, "error")]
    assert rows[1].errors == [
        "Rad 3, kolumn Ansvarig enhet: Du kan bara rapportera för dina egna enheter: "
        "Trygghets- och säkerhetssektionen."
    ]
    assert rows[2].errors[0] == (
        f"Rad 4, kolumn ID: Aktiviteten med id {others.pk} hör till en annan enhet; du kan bara "
        "ändra dina egna enheters aktiviteter."
    )
    confirm = client.post(year.url("activity-import-confirm"), {"token": preview.context["token"]})
    # Rows with errors: nothing is saved, the upload page again.
    assert confirm.status_code == 302
    assert not Activity.objects.filter(title="Läxhjälp i Vårby").exists()


def test_a_contributors_clean_import_is_saved(client, contributor, year, own_unit):
    client.force_login(contributor)
    data = workbook_bytes(
        [[None, "1 Trygghet", "1.2", "Läxhjälp i Vårby", own_unit.name, "Planerad", 5000]]
    )

    preview = upload(client, year, data)
    confirm = client.post(year.url("activity-import-confirm"), {"token": preview.context["token"]})

    assert confirm.status_code == 302
    saved = Activity.objects.get(title="Läxhjälp i Vårby")
    assert (saved.responsible_unit, saved.cost) == (own_unit, 5000)


def test_a_contributors_template_lists_only_their_units(client, contributor, year, other_unit):
    client.force_login(contributor)

    book = load_workbook(io.BytesIO(client.get(year.url("activity-template")).content))
    lists = book["Listor"]
    header = [c.value for c in lists[1]]
    column = header.index("Ansvarig enhet") + 1
    units = [
        row[0]
        for row in lists.iter_rows(min_row=2, min_col=column, max_col=column, values_only=True)
        if row[0]
    ]

    assert units == ["Trygghets- och säkerhetssektionen"]


def test_the_import_command_holds_a_contributor_to_their_units(
    contributor, year, other_unit, tmp_path
):
    path = tmp_path / "enhet.xlsx"
    path.write_bytes(
        workbook_bytes([[None, "1 Trygghet", "", "Fritidsgård", "Socialförvaltningen", "", None]])
    )
    output = io.StringIO()

    with pytest.raises(CommandError, match="Rader med fel: 1"):
        call_command(
            "import_activities",
            str(path),
            "--year",
            "2021",
            "--user",
            contributor.username,
            stdout=output,
        )

    assert "Du kan bara rapportera för dina egna enheter" in output.getvalue()
    assert not Activity.objects.filter(title="Fritidsgård").exists()


def test_the_import_command_refuses_a_user_who_may_not_import(user_in_group, year, tmp_path):
    reader = user_in_group(READER)
    path = tmp_path / "enhet.xlsx"
    path.write_bytes(workbook_bytes([]))

    with pytest.raises(CommandError, match=f"Användaren {reader.username} får inte importera"):
        call_command("import_activities", str(path), "--year", "2021", "--user", reader.username)
