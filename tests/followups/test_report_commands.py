"""The report's management commands: render_report writes a year's PDF (the
archived file once the year is approved) and verify_reports checks every
archived file against its checksum."""

import hashlib
import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from programmes.models import Goal
from tests.factories import ArchivedReportFactory, FollowUpFactory, ProgrammeFactory
from tests.followups import report_pdf
from tests.followups.approval import approve, approve_without_archive, stored_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    """Each test its own MEDIA_ROOT, so archives never meet."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(*args: str) -> tuple[str, str]:
    """The CommandError's message and what the command wrote to stderr."""
    err = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command(*args, stdout=io.StringIO(), stderr=err)
    return str(error.value), err.getvalue()


# render_report


def test_render_report_writes_a_drafts_pdf(year, tmp_path):
    output = tmp_path / "rapport.pdf"

    stdout, _stderr = run("render_report", "--year", "2021", "--output", str(output))

    pdf = output.read_bytes()
    assert stdout == f"Skrev {output} ({len(pdf)} byte).\n"
    pages = report_pdf.page_texts(pdf)
    cover = report_pdf.flat(pages[0])
    assert f"Uppföljning av {year.programme.name}" in cover
    assert "avseende år 2021" in cover
    assert all("UTKAST" in text for text in pages)


def test_render_report_of_an_approved_year_writes_the_archived_file(
    year, secretary, django_capture_on_commit_callbacks, tmp_path
):
    archive = approve(year.followup, secretary, django_capture_on_commit_callbacks)
    # A plan text changed after the decision must not reach the approved report.
    Goal.objects.filter(pk=year.goal11.pk).update(title="Ändrad efter beslutet")
    output = tmp_path / "godkänd.pdf"

    run("render_report", "--year", "2021", "--output", str(output))

    assert output.read_bytes() == stored_bytes(archive.file.name)
    assert hashlib.sha256(output.read_bytes()).hexdigest() == archive.sha256


def test_render_report_needs_the_programme_when_several_have_the_year(year, tmp_path):
    other = FollowUpFactory(
        programme=ProgrammeFactory(name="Program för krisberedskap", first_year=2019), year=2021
    )
    output = tmp_path / "rapport.pdf"

    message, _stderr = run_failing("render_report", "--year", "2021", "--output", str(output))
    assert message == "Flera program har en uppföljning för 2021; ange ett med --programme."
    assert not output.exists()

    run(
        "render_report",
        "--year",
        "2021",
        "--programme",
        str(other.programme_id),
        "--output",
        str(output),
    )
    cover = report_pdf.flat(report_pdf.page_texts(output.read_bytes())[0])
    assert "Uppföljning av Program för krisberedskap 2019–2021 avseende år 2021" in cover


@pytest.mark.parametrize("programme", [None, "other"])
def test_render_report_of_a_year_without_follow_up_fails_in_swedish(year, tmp_path, programme):
    output = tmp_path / "rapport.pdf"
    args = ["render_report", "--year", "2019", "--output", str(output)]
    if programme:
        args += ["--programme", str(year.programme.pk + 1)]

    message, _stderr = run_failing(*args)

    assert message == "Det finns ingen uppföljning för 2019."
    assert not output.exists()


def test_render_report_for_another_programmes_year_fails(year, tmp_path):
    message, _stderr = run_failing(
        "render_report",
        "--year",
        "2021",
        "--programme",
        str(year.programme.pk + 100),
        "--output",
        str(tmp_path / "x.pdf"),
    )

    assert message == "Det finns ingen uppföljning för 2021."


# verify_reports


def archived_file(content: bytes, **fields):
    """An archived report row with its file on storage and the right checksum."""
    archive = ArchivedReportFactory(
        sha256=hashlib.sha256(content).hexdigest(), size=len(content), **fields
    )
    default_storage.save(archive.file.name, ContentFile(content))
    return archive


def test_verify_reports_passes_on_an_archive_written_by_a_decision(
    year, secretary, django_capture_on_commit_callbacks
):
    approve(year.followup, secretary, django_capture_on_commit_callbacks)

    stdout, stderr = run("verify_reports")

    assert stdout == "Alla 1 arkiverade rapporter stämmer med sina kontrollsummor.\n"
    assert stderr == ""


def test_verify_reports_names_a_file_with_a_changed_byte(media):
    intact = archived_file(b"%PDF-1.7 first report")
    changed = archived_file(b"%PDF-1.7 second report")
    path = media / changed.file.name
    data = bytearray(path.read_bytes())
    data[10] ^= 0x01
    path.write_bytes(bytes(data))

    message, stderr = run_failing("verify_reports")

    assert message == "1 av 2 arkiverade rapporter klarade inte kontrollen."
    # Each bad file is named on stderr; the CommandError carries the count.
    assert stderr == (
        f"ÄNDRAD {changed.file.name} ({changed}): väntade {changed.sha256}, "
        f"fann {hashlib.sha256(bytes(data)).hexdigest()}\n"
    )
    assert intact.file.name not in stderr


def test_verify_reports_names_a_deleted_file(media):
    archive = archived_file(b"%PDF-1.7 report")
    (media / archive.file.name).unlink()

    message, stderr = run_failing("verify_reports")

    assert message == "1 av 1 arkiverade rapporter klarade inte kontrollen."
    assert stderr == f"SAKNAS {archive.file.name} ({archive})\n"


def test_verify_reports_with_no_archives_passes():
    stdout, _stderr = run("verify_reports")

    assert stdout == "Alla 0 arkiverade rapporter stämmer med sina kontrollsummor.\n"


def test_render_report_of_an_approved_year_without_its_file_fails_with_a_command_error(
    year, tmp_path
):
    """Like the download (404 "Den arkiverade rapportfilen saknas."), the
    command must say the archive is missing, not crash with a traceback."""
    approve_without_archive(year.followup)  # approved, but no file was ever written
    output = tmp_path / "rapport.pdf"

    with pytest.raises(CommandError):
        call_command("render_report", "--year", "2021", "--output", str(output))

    assert not output.exists()


@pytest.mark.parametrize(
    "command", ["verify_reports", "remove_orphan_reports", "cleanup_renderings", "render_report"]
)
def test_the_commands_run_the_system_checks_first_as_manage_py_does(command):
    # manage.py runs the system checks before a command (call_command does
    # not by default): a command's own method named like BaseCommand's
    # check() broke verify_reports from the shell.
    from django.core.management import load_command_class

    instance = load_command_class("followups", command)

    instance.check()  # the system checks: nothing raised, nothing shadowed
