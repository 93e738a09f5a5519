"""Who may read the annual report, and what they get: staff preview and
download every year's report, readers only approved ones; an approved
year's download is always the archived file."""

from pathlib import Path

import pytest
from django.urls import reverse

from followups.models import FollowUp
from followups.report.render import render_report_pdf
from programmes.models import Goal
from tests.conftest import ADMINISTRATOR, CASEWORKER, SECRETARY
from tests.followups.approval import approve, approve_without_archive, download, stored_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    """Each test its own MEDIA_ROOT, so archives never meet."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


def test_every_download_of_an_approved_year_is_the_archived_file(
    client, reader, secretary, year, django_capture_on_commit_callbacks
):
    archive = approve(year.followup, secretary, django_capture_on_commit_callbacks)
    archived = stored_bytes(archive.file.name)
    client.force_login(reader)

    first, second = download(client, year), download(client, year)
    Goal.objects.filter(pk=year.goal11.pk).update(title="Ändrad efter beslutet")
    after_change = download(client, year)

    assert first == second == after_change == archived
    # The change is real: a new rendering would differ.
    assert render_report_pdf(year.followup).pdf != archived


@pytest.mark.parametrize("role", [CASEWORKER, SECRETARY, ADMINISTRATOR])
def test_staff_preview_and_download_a_draft(client, user_in_group, year, role):
    client.force_login(user_in_group(role))

    preview = client.get(year.url("report-preview"))
    pdf = download(client, year)

    assert preview.status_code == 200
    assert '<div class="draft-mark" aria-hidden="true">UTKAST</div>' in preview.content.decode()
    assert pdf.startswith(b"%PDF-")


@pytest.mark.parametrize("status", ["draft", "submitted"])
def test_reader_does_not_find_a_report_that_is_not_approved(client, reader, year, status):
    FollowUp._base_manager.filter(pk=year.followup.pk).update(status=status)
    client.force_login(reader)

    assert client.get(year.url("report-preview")).status_code == 404
    assert client.get(year.url("report-pdf")).status_code == 404


def test_reader_reads_and_downloads_an_approved_report(
    client, reader, secretary, year, django_capture_on_commit_callbacks
):
    archive = approve(year.followup, secretary, django_capture_on_commit_callbacks)
    client.force_login(reader)

    preview = client.get(year.url("report-preview"))

    assert preview.status_code == 200
    assert "<h1>1 Trygghet</h1>" in preview.content.decode()
    assert "UTKAST" not in preview.content.decode()
    assert download(client, year) == stored_bytes(archive.file.name)


@pytest.mark.parametrize(
    "page", ["report-preview", "report-pdf", "followup-decision", "followup-reopen"]
)
def test_anonymous_user_is_sent_to_login(client, year, page):
    url = year.url(page)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_approved_year_without_its_archive_is_an_error_page_not_a_pdf(client, reader, year):
    approve_without_archive(year.followup)  # approved, but no file was ever written
    client.force_login(reader)

    response = client.get(year.url("report-pdf"))

    assert response.status_code == 500
    assert response["Content-Type"] == "text/html; charset=utf-8"
    page = response.content.decode()
    assert "Den arkiverade rapporten kan inte visas" in page
    assert "Det godkända året har ingen arkiverad rapport." in page
