"""The import's confirmation saves all rows at once (followups/bulk_save.py):
it must leave exactly what saving each row's form would leave — the links,
one history record per activity with the user, the file in its reason and
the links of that moment — and refuse, saving nothing, when the year or an
activity changed after the preview."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from followups.history import change_log
from followups.models import Activity
from tests.factories import DistrictFactory, PartnerFactory
from tests.followups.approval import set_status

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def exported_and_edited(client, year, change) -> bytes:
    book = load_workbook(io.BytesIO(client.get(year.url("activity-export")).content))
    change(book.active)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def upload(client, year, data: bytes):
    response = client.post(
        year.url("activity-import"), {"workbook": SimpleUploadedFile("enheter.xlsx", data)}
    )
    assert response.status_code == 200
    return response


def confirm(client, year, preview):
    return client.post(year.url("activity-import-confirm"), {"token": preview.context["token"]})


def test_changed_links_are_saved_and_recorded_in_the_history(client, caseworker, year):
    DistrictFactory(name="Vårby")
    PartnerFactory(name="Södertörns brandförsvarsförbund")
    client.force_login(caseworker)

    def change(sheet):
        sheet["C2"] = "1.1, 1.2"  # goals
        sheet["F2"] = "Södertörns brandförsvarsförbund"  # partners
        sheet["G2"] = "Vårby"  # districts
        sheet.append(
            [None, "2 Skydd mot olyckor", "2.1", "Brandövning", None, None, "Vårby", "Planerad"]
        )

    preview = upload(client, year, exported_and_edited(client, year, change))
    assert [row.kind for row in preview.context["preview"].rows] == ["changed", "new"]
    saved = confirm(client, year, preview)

    assert saved["Location"] == year.url("activity-list")
    activity = Activity.objects.get(pk=year.activity.pk)
    assert [g.code for g in activity.goals.order_by("code")] == ["1.1", "1.2"]
    assert [p.name for p in activity.partners.all()] == ["Södertörns brandförsvarsförbund"]
    assert [d.name for d in activity.districts.all()] == ["Vårby"]
    assert activity.version == 2
    latest = activity.history.latest("history_date")
    assert (latest.history_type, latest.history_user, latest.history_change_reason) == (
        "~",
        caseworker,
        "Import från enheter.xlsx",
    )
    # The history record holds the links as they were saved.
    assert sorted(r.goal.code for r in latest.goals.all()) == ["1.1", "1.2"]
    assert [r.district.name for r in latest.districts.all()] == ["Vårby"]
    log = change_log(activity)
    assert log[0].action == "Ändrad"
    assert set(log[0].fields) == {"mål", "samverkansparter", "kommundelar"}
    new = Activity.objects.get(title="Brandövning")
    (created,) = new.history.all()
    assert (created.history_type, created.version) == ("+", 1)
    assert [r.district.name for r in created.districts.all()] == ["Vårby"]


def test_an_activity_changed_after_the_preview_refuses_the_whole_import(client, caseworker, year):
    client.force_login(caseworker)

    def change(sheet):
        sheet["K2"] = "Resultat ur arbetsboken."
        sheet.append(
            [None, "2 Skydd mot olyckor", "2.1", "Brandövning", None, None, None, "Planerad"]
        )

    preview = upload(client, year, exported_and_edited(client, year, change))
    assert [row.kind for row in preview.context["preview"].rows] == ["changed", "new"]
    # A colleague saves the activity (through a form) while the preview is on screen.
    year.activity.result = "Kollegans resultat."
    assert year.activity.save_if_unchanged(year.activity.version)

    refused = client.post(
        year.url("activity-import-confirm"), {"token": preview.context["token"]}, follow=True
    )

    assert "Någon ändrade årets aktiviteter efter din förhandsgranskning" in (
        refused.content.decode()
    )
    year.activity.refresh_from_db()
    assert year.activity.result == "Kollegans resultat."
    assert not Activity.objects.filter(title="Brandövning").exists()


def test_a_year_submitted_after_the_preview_refuses_the_import(client, caseworker, year):
    client.force_login(caseworker)
    preview = upload(
        client,
        year,
        exported_and_edited(client, year, lambda sheet: sheet.__setitem__("K2", "Nytt.")),
    )
    set_status(year.followup, "submitted")

    refused = confirm(client, year, preview)

    assert refused.status_code == 403
    year.activity.refresh_from_db()
    assert year.activity.result != "Nytt."


def test_the_bulk_save_refuses_a_row_whose_version_moved_on(year, caseworker):
    """The last guard, for a change between the fresh check and the write."""
    from followups.imports import apply_import, build_preview

    data = io.BytesIO()
    book = load_workbook(io.BytesIO(_export_bytes(year)))
    book.active["K2"] = "Nytt resultat."
    book.save(data)
    preview = build_preview(year.followup, "fil.xlsx", data.getvalue(), caseworker)
    Activity.objects.filter(pk=year.activity.pk).update(version=7)

    with pytest.raises(Exception, match="Rad 2: någon ändrade aktiviteten efter"):
        apply_import(preview, year.followup, caseworker)

    year.activity.refresh_from_db()
    assert year.activity.result != "Nytt resultat."


def _export_bytes(year) -> bytes:
    from followups.spreadsheets import activities_workbook

    return activities_workbook(year.followup.activities.all())
