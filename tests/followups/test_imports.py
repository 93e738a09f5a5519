"""Activities from a workbook: a preview before anything is saved, every
row checked by the web form's rules with Swedish errors naming row and
column, all rows or none on confirming, the same file twice changes nothing,
and files that are no plain workbook (macros, bombs, too large) refused."""

import io
import os
import time
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from audit.models import AuditEvent
from followups import services
from followups.imports import MAX_BYTES
from followups.models import Activity
from tests.factories import GoalFactory, ResponsibilityAreaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def exported(client, year) -> bytes:
    return client.get(year.url("activity-export")).content


def edited(data: bytes, change) -> bytes:
    workbook = load_workbook(io.BytesIO(data))
    change(workbook.active)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def upload(client, year, data: bytes, name: str = "aktiviteter.xlsx"):
    return client.post(year.url("activity-import"), {"workbook": SimpleUploadedFile(name, data)})


def confirm(client, year, preview):
    return client.post(year.url("activity-import-confirm"), {"token": preview.context["token"]})


def state(year) -> list[dict]:
    return list(Activity.objects.filter(followup=year.followup).order_by("pk").values())


def test_the_same_workbook_imported_changes_nothing(client, caseworker, year):
    client.force_login(caseworker)
    before = state(year)

    preview = upload(client, year, exported(client, year))

    assert preview.status_code == 200
    assert [(r.number, r.kind) for r in preview.context["preview"].rows] == [(2, "unchanged")]
    html = preview.content.decode()
    assert "Arbetsboken ändrar ingenting" in html
    assert "Ingenting är sparat än. Nya: 0, ändrade: 0, oförändrade: 1, med fel: 0." in html
    assert state(year) == before


def test_changed_and_new_rows_are_previewed_then_saved_all_at_once(client, caseworker, year):
    client.force_login(caseworker)

    def change(sheet):
        sheet["D2"] = "Trygghetsvandring i Skogås centrum"
        sheet.append(
            [
                None,
                "2 Skydd mot olyckor",
                "2.1",
                "Brandskyddsutbildning",
                None,
                "Polisen",
                "Skogås",
                "Planerad",
                "12 000",
                "Två kurser.",
                None,
                None,
            ]
        )

    data = edited(exported(client, year), change)
    before = state(year)
    preview = upload(client, year, data, "bidrag från förvaltningen.xlsx")

    assert [(r.number, r.kind, r.title) for r in preview.context["preview"].rows] == [
        (2, "changed", "Trygghetsvandring i Skogås centrum"),
        (3, "new", "Brandskyddsutbildning"),
    ]
    assert state(year) == before  # the preview saves nothing

    saved = confirm(client, year, preview)

    assert saved.status_code == 302
    year.activity.refresh_from_db()
    assert (year.activity.title, year.activity.version) == ("Trygghetsvandring i Skogås centrum", 2)
    new = Activity.objects.get(title="Brandskyddsutbildning")
    assert (new.area, new.cost, new.status) == (year.area2, Decimal(12000), "planned")
    assert [g.code for g in new.goals.all()] == ["2.1"]
    assert [p.name for p in new.partners.all()] == ["Polisen"]
    reasons = {h.history_change_reason for h in year.activity.history.all()}
    assert "Import från bidrag från förvaltningen.xlsx" in reasons
    event = AuditEvent.objects.get(action=AuditEvent.Action.IMPORT)
    assert event.detail == "bidrag från förvaltningen.xlsx: 1 new, 1 changed"
    # The same file again: nothing changes the second time.
    again = upload(client, year, data, "bidrag från förvaltningen.xlsx")
    assert {r.kind for r in again.context["preview"].rows} == {"unchanged"}


ERRORS = {
    "a goal of another programme": (
        lambda year: ("C2", GoalFactory(area=ResponsibilityAreaFactory(), code="9.9").code),
        "Rad 2, kolumn Mål: Målet 9.9 finns inte i programmet.",
    ),
    "an unknown district": (
        lambda year: ("G2", "Atlantis"),
        "Rad 2, kolumn Kommundelar: Atlantis finns inte i referenslistan.",
    ),
    "a negative cost": (
        lambda year: ("I2", -5),
        "Rad 2, kolumn Kostnad (kr): Kontrollera att detta värde är större än eller lika med 0.",
    ),
    "a title of 200,000 characters": (
        lambda year: ("D2", "x" * 200_000),
        "Rad 2, kolumn Rubrik:",
    ),
    "an id of no activity of the year": (
        lambda year: ("A2", 987654),
        "Rad 2, kolumn ID: Ingen aktivitet i uppföljningen 2021 har id 987654.",
    ),
}


@pytest.mark.parametrize("case", ERRORS.values(), ids=ERRORS.keys())
def test_a_bad_row_is_an_error_naming_row_and_column_and_nothing_is_saved(
    client, caseworker, year, case
):
    make, message = case
    client.force_login(caseworker)
    cell, value = make(year)
    data = edited(exported(client, year), lambda sheet: sheet.__setitem__(cell, value))
    before = state(year)

    preview = upload(client, year, data)

    assert preview.status_code == 200
    rows = preview.context["preview"].rows
    assert rows[0].kind == "error"
    assert any(error.startswith(message) for error in rows[0].errors), rows[0].errors
    html = preview.content.decode()
    assert "Rätta raderna med fel" in html
    assert 'name="token"' not in html
    assert state(year) == before


def zip_with(parts: dict[str, bytes]) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return output.getvalue()


XML_BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
        for i in range(1, 10)
    )
    + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<sheetData><row><c t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
)


def with_sheet_xml(data: bytes, sheet_xml: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/worksheets/sheet1.xml"] = sheet_xml
    return zip_with(parts)


REFUSED = {
    "an old .xls": (
        lambda good: (good, "aktiviteter.xls"),
        "Bara Excel-arbetsböcker (.xlsx) kan importeras; aktiviteter.xls är en annan sorts fil.",
    ),
    "a macro workbook": (
        lambda good: (
            zip_with({"xl/vbaProject.bin": b"macro", "[Content_Types].xml": b"<x/>"}),
            "med makro.xlsx",
        ),
        "Arbetsböcker med makron kan inte importeras; spara den som .xlsx.",
    ),
    "a text file named .xlsx": (
        lambda good: (b"title;area\nA;1\n", "aktiviteter.xlsx"),
        "Filen är ingen Excel-arbetsbok (.xlsx).",
    ),
    "more than 5 MB": (
        lambda good: (b"PK\x03\x04" + b"0" * MAX_BYTES, "stor.xlsx"),
        "Filen är större än 5 MB; dela upp den i mindre arbetsböcker.",
    ),
    "a zip bomb": (
        lambda good: (
            zip_with({"xl/worksheets/sheet1.xml": b"\0" * (60 * 1024 * 1024)}),
            "bomb.xlsx",
        ),
        "Arbetsboken packas upp till mycket mer än sin storlek; den lästes inte.",
    ),
    "an XML bomb": (
        lambda good: (with_sheet_xml(good, XML_BOMB), "xmlbomb.xlsx"),
        "Arbetsboken kunde inte läsas (",
    ),
}


@pytest.mark.parametrize("case", REFUSED.values(), ids=REFUSED.keys())
def test_a_file_that_is_no_plain_workbook_is_refused_in_swedish(client, caseworker, year, case):
    make, message = case
    client.force_login(caseworker)
    data, name = make(exported(client, year))
    before = state(year)

    response = upload(client, year, data, name)

    assert response.status_code == 200
    assert "preview" not in response.context
    errors = response.context["form"].errors["workbook"]
    assert any(error.startswith(message) for error in errors), errors
    assert state(year) == before


def test_a_submitted_year_refuses_import(client, caseworker, year, tmp_path):
    client.force_login(caseworker)
    data = exported(client, year)
    services.submit(year.followup, caseworker)
    path = tmp_path / "a.xlsx"
    path.write_bytes(data)

    page = client.get(year.url("activity-import"))
    posted = upload(client, year, data)
    with pytest.raises(CommandError, match="Uppföljningen för 2021 är inlämnad"):
        call_command(
            "import_activities", str(path), "--year", "2021", "--user", caseworker.username
        )

    assert (page.status_code, posted.status_code) == (403, 403)


def test_the_command_previews_and_exits_non_zero_on_any_error_row(
    client, caseworker, year, tmp_path
):
    client.force_login(caseworker)
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(edited(exported(client, year), lambda s: s.__setitem__("G2", "Atlantis")))
    good = tmp_path / "good.xlsx"
    good.write_bytes(edited(exported(client, year), lambda s: s.__setitem__("K2", "Klart.")))
    before = state(year)
    out = io.StringIO()

    with pytest.raises(CommandError, match=r"Rader med fel: 1; ingenting sparades\."):
        call_command(
            "import_activities",
            str(bad),
            "--year",
            "2021",
            "--user",
            caseworker.username,
            stdout=out,
        )
    call_command(
        "import_activities",
        str(good),
        "--year",
        "2021",
        "--user",
        caseworker.username,
        "--dry-run",
        stdout=out,
    )
    assert state(year) == before
    call_command(
        "import_activities",
        str(good),
        "--year",
        "2021",
        "--user",
        caseworker.username,
        stdout=out,
    )

    text = out.getvalue()
    assert "2\tFel\tTrygghetsvandring i Skogås" in text
    assert "Rad 2, kolumn Kommundelar: Atlantis finns inte i referenslistan." in text
    assert "Provkörning: ingenting sparades." in text
    assert "Importerat: 0 nya och 1 ändrade aktiviteter." in text
    year.activity.refresh_from_db()
    assert year.activity.result == "Klart."


def test_the_template_has_the_columns_and_drop_down_lists(client, caseworker, year):
    client.force_login(caseworker)

    response = client.get(year.url("activity-template"))

    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["Aktiviteter"]
    assert [c.value for c in sheet[1]][:4] == ["ID", "Ansvarsområde", "Mål", "Rubrik"]
    ranges = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    assert set(ranges) == {"B2:B5001", "E2:E5001", "F2:F5001", "G2:G5001", "H2:H5001"}
    lists = workbook["Listor"]
    assert lists.sheet_state == "hidden"
    assert [c.value for c in lists["A"] if c.value][1:] == ["1 Trygghet", "2 Skydd mot olyckor"]
    assert "Planerad" in [c.value for c in lists["E"]]
    assert ranges["F2:F5001"].showErrorMessage is False  # several partners per cell
    assert ranges["H2:H5001"].showErrorMessage is True


def test_upload_and_confirmation_need_the_csrf_token(caseworker, year):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(caseworker)
    page = client.get(year.url("activity-import"))
    token = str(page.context["csrf_token"])
    data = edited(exported(client, year), lambda s: s.__setitem__("K2", "Klart."))

    def post_file(**extra):
        workbook = SimpleUploadedFile("a.xlsx", data)
        return client.post(year.url("activity-import"), {"workbook": workbook, **extra})

    refused_upload = post_file()
    preview = post_file(csrfmiddlewaretoken=token)
    pending = preview.context["token"]
    refused_confirm = client.post(year.url("activity-import-confirm"), {"token": pending})
    before = state(year)
    accepted = client.post(
        year.url("activity-import-confirm"), {"token": pending, "csrfmiddlewaretoken": token}
    )

    assert (refused_upload.status_code, preview.status_code) == (403, 200)
    assert refused_confirm.status_code == 403
    assert accepted.status_code == 302
    assert state(year) != before
    year.activity.refresh_from_db()
    assert year.activity.result == "Klart."


def test_a_preview_shows_stored_and_uploaded_scripts_as_text(client, caseworker, year):
    client.force_login(caseworker)
    script = '<script>alert("x")</script>'
    data = edited(
        exported(client, year),
        lambda s: (s.__setitem__("D2", script), s.__setitem__("G2", script)),
    )

    html = upload(client, year, data, f"{script}.xlsx").content.decode()

    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_a_preview_never_confirmed_is_removed_by_the_daily_clean_up(
    client, caseworker, year, settings
):
    client.force_login(caseworker)
    upload(client, year, exported(client, year), "gammal.xlsx")
    pending = sorted((Path(settings.MEDIA_ROOT) / "imports").iterdir())
    assert len(pending) == 1
    day_ago = time.time() - 25 * 3600
    os.utime(pending[0], (day_ago, day_ago))
    # Another person's preview from a moment ago stays.
    fresh = Path(settings.MEDIA_ROOT) / "imports" / "fresh.xlsx"
    fresh.write_bytes(b"PK")
    out = io.StringIO()

    call_command("cleanup_renderings", stdout=out)

    assert not pending[0].exists()
    assert fresh.exists()
    assert "1 obekräftade importer borttagna." in out.getvalue()
