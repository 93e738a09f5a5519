"""The archive is written before the approval commits and only ever serves
the archived bytes: a storage that fails (full, read-only, the name taken)
makes the decision fail in Swedish and changes nothing; a transaction that
fails after the file was written leaves an orphan that verify_reports lists
and remove_orphan_reports removes; a file that no longer matches its
checksum is an error page, an audit event and a failing /healthz, never a PDF.
The storages here really fail (tests/storages.py)."""

import io
import os
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse

from audit.models import AuditEvent
from followups import decisions, services
from followups.models import ArchivedReport, FollowUp, ReportRendering, StatusChange
from followups.renderings import run_rendering
from huddinge_safety.storage import AtomicFileSystemStorage
from tests.followups.approval import DECISION, approve, approve_without_archive

pytestmark = pytest.mark.django_db

NOTHING_CHANGED = "Ingenting ändrades: året är fortfarande inlämnat."


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def prepared(year, caseworker, secretary):
    """A submitted year whose decision document the worker has rendered."""
    services.submit(year.followup, caseworker)
    rendering = decisions.prepare_decision(year.followup, secretary, enqueue=False, **DECISION)
    run_rendering(rendering.pk)
    rendering.refresh_from_db()
    assert rendering.is_ready
    return rendering


def use_storage(settings, backend: str) -> None:
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": backend}}


def database_state(followup: FollowUp) -> tuple:
    return (
        FollowUp.objects.filter(pk=followup.pk).values().get(),
        ArchivedReport.objects.count(),
        StatusChange.objects.filter(to_status="approved").count(),
        AuditEvent.objects.filter(action=AuditEvent.Action.APPROVE).count(),
        FollowUp.history.filter(id=followup.pk).count(),
    )


def archive_files(media: Path) -> list[Path]:
    folder = media / "reports"
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


@pytest.mark.parametrize(
    ("backend", "reason"),
    [
        ("tests.storages.FullDiskStorage", "OSError"),
        ("tests.storages.ReadOnlyArchiveStorage", "OSError"),
    ],
)
def test_a_storage_that_fails_makes_the_decision_fail_in_swedish_and_changes_nothing(
    client, settings, secretary, prepared, media, backend, reason
):
    followup = prepared.followup
    before = database_state(followup)
    use_storage(settings, backend)
    client.force_login(secretary)

    response = client.post(reverse_confirm(prepared))

    assert response.status_code == 409
    page = response.content.decode()
    assert "Beslutet registrerades inte" in page
    assert f"Rapporten kunde inte skrivas till arkivet ({reason})." in page
    assert NOTHING_CHANGED in page
    assert database_state(followup) == before
    assert archive_files(media) == []


def test_a_name_already_taken_in_the_archive_makes_the_decision_fail(
    client, secretary, prepared, media
):
    followup = prepared.followup
    before = database_state(followup)
    taken = decisions._archive_name(followup, 1, prepared.sha256)
    default_storage.save(taken, ContentFile(b"someone else's file"))
    client.force_login(secretary)

    response = client.post(reverse_confirm(prepared))

    assert response.status_code == 409
    assert "Arkivet behöll inte rapporten som den skrevs." in response.content.decode()
    assert database_state(followup) == before
    # The file that was there is untouched and no second copy is left.
    assert [p.read_bytes() for p in archive_files(media)] == [b"someone else's file"]


def test_a_transaction_that_fails_after_the_file_was_written_leaves_an_orphan_that_is_listed_and_removed(  # noqa: E501
    secretary, prepared, media
):
    followup = prepared.followup
    before = database_state(followup)

    with pytest.raises(RuntimeError), transaction.atomic():
        archive = decisions.confirm_decision(prepared, secretary)
        raise RuntimeError("the commit fails")  # e.g. the database went away

    assert database_state(followup) == before
    assert archive_files(media) == [media / archive.file.name]
    out = io.StringIO()
    call_command("verify_reports", stdout=out)
    assert f"FÖRÄLDRALÖS {archive.file.name}" in out.getvalue()
    removed = io.StringIO()
    call_command("remove_orphan_reports", stdout=removed)
    assert f"Tog bort {archive.file.name}" in removed.getvalue()
    assert archive_files(media) == []


def test_remove_orphan_reports_never_removes_an_archived_report(
    secretary, year, media, django_capture_on_commit_callbacks
):
    archive = approve(year.followup, secretary, django_capture_on_commit_callbacks)
    default_storage.save("reports/2021/stray.pdf", ContentFile(b"%PDF stray"))

    dry = io.StringIO()
    call_command("remove_orphan_reports", "--dry-run", stdout=dry)
    call_command("remove_orphan_reports", stdout=io.StringIO())

    assert "Skulle ta bort reports/2021/stray.pdf" in dry.getvalue()
    assert archive_files(media) == [media / archive.file.name]


def test_verify_reports_fails_on_an_approved_year_without_its_file(year):
    approve_without_archive(year.followup)

    with pytest.raises(CommandError):
        call_command("verify_reports", stdout=io.StringIO(), stderr=(err := io.StringIO()))

    assert f"GODKÄND UTAN ARKIV {year.followup}" in err.getvalue()


def test_the_confirmation_archives_exactly_the_document_the_secretary_read(
    client, secretary, prepared
):
    with default_storage.open(prepared.file, "rb") as stored:
        read = stored.read()
    client.force_login(secretary)

    assert client.post(reverse_confirm(prepared)).status_code == 302

    archive = ArchivedReport.objects.get()
    with default_storage.open(archive.file.name, "rb") as stored:
        assert stored.read() == read
    assert (archive.sha256, archive.size) == (prepared.sha256, len(read))


def test_a_decision_document_of_an_earlier_submission_cannot_be_confirmed(
    client, secretary, caseworker, prepared
):
    followup = prepared.followup
    services.return_to_draft(followup, secretary, "Komplettera.")
    services.submit(followup, caseworker)
    client.force_login(secretary)

    response = client.post(reverse_confirm(prepared))

    assert response.status_code == 409
    assert (
        "Uppföljningen har ändrats sedan rapporten togs fram; registrera beslutet igen."
        in response.content.decode()
    )
    assert FollowUp.objects.get(pk=followup.pk).status == "submitted"


def reverse_confirm(rendering: ReportRendering) -> str:
    followup = rendering.followup
    return reverse(
        "followup-decision-confirm", args=[followup.programme_id, followup.year, rendering.pk]
    )


# Serving the archive


def corrupt(name: str) -> None:
    """Changes one byte of the stored file, keeping its size."""
    path = Path(default_storage.path(name))
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def test_a_changed_archive_file_is_an_error_page_an_audit_event_and_a_failing_healthz(
    client, reader, secretary, year, django_capture_on_commit_callbacks
):
    archive = approve(year.followup, secretary, django_capture_on_commit_callbacks)
    client.force_login(reader)
    assert client.get(year.url("report-pdf")).status_code == 200
    assert client.get(reverse("healthz")).status_code == 200
    # The checksum's result is cached per file; a change of its bytes is a
    # new modification time, so the next look hashes it again.
    corrupt(archive.file.name)
    stat = os.stat(default_storage.path(archive.file.name))
    os.utime(default_storage.path(archive.file.name), ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))

    response = client.get(year.url("report-pdf"))
    health = client.get(reverse("healthz"))

    assert response.status_code == 500
    assert response["Content-Type"] == "text/html; charset=utf-8"
    page = response.content.decode()
    assert "Den arkiverade rapporten kan inte visas" in page
    assert f"Den arkiverade filen {archive.file.name} stämmer inte med sin kontrollsumma." in page
    event = AuditEvent.objects.get(action=AuditEvent.Action.REPORT_INTEGRITY)
    assert (event.user, event.followup_id) == (reader, year.followup.pk)
    assert health.status_code == 503
    assert health.content.decode().splitlines() == [
        "failing",
        "database: ok",
        f"archived reports: FAILED: Den arkiverade filen {archive.file.name} stämmer inte "
        "med sin kontrollsumma.",
    ]
    # Load balancers asking about the database alone still get 200.
    assert client.get(reverse("healthz"), {"check": "database"}).status_code == 200


def test_a_shortened_archive_file_is_refused_by_its_size(
    client, reader, secretary, year, django_capture_on_commit_callbacks
):
    archive = approve(year.followup, secretary, django_capture_on_commit_callbacks)
    path = Path(default_storage.path(archive.file.name))
    path.write_bytes(path.read_bytes()[:100])
    client.force_login(reader)

    response = client.get(year.url("report-pdf"))

    assert response.status_code == 500
    assert (
        f"Den arkiverade filen {archive.file.name} har 100 byte, inte {archive.size}."
        in response.content.decode()
    )


# The storage itself


class BrokenFile(File):
    """Content whose second chunk cannot be read, like a write interrupted
    by a full disk."""

    def __init__(self) -> None:
        super().__init__(io.BytesIO(b"x" * 10), name="broken.pdf")

    def chunks(self, chunk_size=None):
        yield b"%PDF-1.7 first part"
        raise OSError(28, "No space left on device")


def test_a_write_that_fails_part_way_leaves_nothing_under_the_final_name(tmp_path):
    storage = AtomicFileSystemStorage(location=tmp_path)

    with pytest.raises(OSError, match="No space left"):
        storage.save("reports/2021/report.pdf", BrokenFile())

    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_the_storage_never_replaces_an_existing_file(tmp_path):
    storage = AtomicFileSystemStorage(location=tmp_path)
    first = storage.save("reports/a.pdf", ContentFile(b"first"))

    second = storage.save("reports/a.pdf", ContentFile(b"second"))

    assert first == "reports/a.pdf" != second
    assert (tmp_path / "reports" / "a.pdf").read_bytes() == b"first"
    assert [p.name for p in (tmp_path / "reports").iterdir() if p.name.startswith(".tmp-")] == []


def test_register_decision_in_process_fails_with_the_storage_and_keeps_the_year(
    settings, secretary, caseworker, year, media
):
    services.submit(year.followup, caseworker)
    before = database_state(year.followup)
    use_storage(settings, "tests.storages.FullDiskStorage")

    with pytest.raises(ValidationError) as error:
        decisions.register_decision(year.followup, secretary, **DECISION)

    assert NOTHING_CHANGED in error.value.messages[0]
    assert database_state(year.followup) == before
    assert archive_files(media) == []
