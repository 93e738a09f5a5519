"""Every archived version of a year's report has its own download, its
exact bytes with its checksum beside it, and readers keep the report the
board decided on while the year is reopened."""

import hashlib
from pathlib import Path

import pytest

from followups import services
from followups.models import ArchivedReport
from tests.followups.approval import approve, content, stored_bytes

pytestmark = pytest.mark.django_db

STEM = "uppfoljning-trygghet-och-sakerhet-2021"
REOPENED = (
    "Året har öppnats igen för ändringar efter beslutet. Till ett nytt beslut fattas "
    "gäller den beslutade rapporten, version 1 (Kommunstyrelsen 2022-03-07 § 11)."
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def reopened(year, caseworker, secretary, administrator, django_capture_on_commit_callbacks):
    approve(year.followup, secretary, django_capture_on_commit_callbacks)
    services.reopen(year.followup, administrator, "Fel i mål 1.2.")
    year.followup.refresh_from_db()
    return year


def test_a_reader_keeps_the_decided_report_while_the_year_is_reopened(client, reader, reopened):
    archive = ArchivedReport.objects.get(followup=reopened.followup)
    client.force_login(reader)

    page = client.get(reopened.url("followup"))
    download = client.get(reopened.url("archived-report", 1))

    assert page.status_code == 200
    html = page.content.decode()
    assert REOPENED in html
    assert f'href="{reopened.url("archived-report", 1)}"' in html
    assert "Ladda ner den beslutade rapporten, version 1 (PDF)" in html
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == f'attachment; filename="{STEM}-version-1.pdf"'
    pdf = content(download)
    assert pdf == stored_bytes(archive.file.name)
    assert hashlib.sha256(pdf).hexdigest() == archive.sha256
    # The reopened year's working state stays hidden from readers.
    assert client.get(reopened.url("report-pdf")).status_code == 403
    assert client.get(reopened.url("report-preview")).status_code == 403
    assert client.get(reopened.url("followup-summary")).status_code == 403


def test_each_version_downloads_its_own_bytes_with_its_checksum_on_the_page(
    client, caseworker, secretary, reopened, django_capture_on_commit_callbacks
):
    # What the year was reopened for is corrected, then decided on again.
    reopened.followup.summary = "Rättad sammanfattning efter beslutet."
    reopened.followup.save()
    second = approve(reopened.followup, secretary, django_capture_on_commit_callbacks)
    first = ArchivedReport.objects.get(followup=reopened.followup, number=1)
    client.force_login(caseworker)

    html = client.get(reopened.url("followup")).content.decode()
    downloads = [content(client.get(reopened.url("archived-report", n))) for n in (1, 2)]

    assert downloads == [stored_bytes(first.file.name), stored_bytes(second.file.name)]
    assert downloads[0] != downloads[1]
    for archive in (first, second):
        row_start = html.index(f"<tr><td>{archive.number}</td>")
        row = html[row_start : html.index("</tr>", row_start)]
        assert f'<code class="text-break">{archive.sha256}</code>' in row
        assert f'href="{reopened.url("archived-report", archive.number)}"' in row
        assert f"Ladda ner version {archive.number} (PDF)" in row
    # Approved again: the notice is gone, the current download is version 2.
    assert "Året har öppnats igen" not in html
    assert content(client.get(reopened.url("report-pdf"))) == downloads[1]


def test_a_version_that_does_not_exist_is_not_found(client, reader, reopened):
    client.force_login(reader)

    assert client.get(reopened.url("archived-report", 2)).status_code == 404


def test_a_draft_never_decided_stays_hidden_from_readers(client, reader, year):
    client.force_login(reader)

    assert client.get(year.url("followup")).status_code == 404
    assert client.get(year.url("archived-report", 1)).status_code == 404
