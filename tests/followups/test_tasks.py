"""The report through the real background worker: asking starts (or joins)
one job, the worker renders it, the download is then the stored file and an
unchanged report is never rendered twice; a failing render is retried a
bounded number of times and explained in Swedish; the decision's document is
rendered by the worker before the secretary confirms.

``.ci/run`` runs this file twice: on the database backend and, with
TASKS_REDIS_URL set, on Redis (RQ). The data is committed (the worker sees
only committed rows), so each test restores the database afterwards.
"""

import threading
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from followups.models import ArchivedReport, FollowUp, ReportRendering
from tests.factories import ActivityFactory
from tests.followups import report_pdf
from tests.followups.approval import content
from tests.followups.worker import empty_queue, queued_jobs, run_worker

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WAITING = "Rapporten väntar på sin tur att tas fram."
READY = "Rapporten är klar."
FAILED = (
    "Rapporten kunde inte tas fram (3 försök). Försök igen om en stund; om det "
    "misslyckas igen, kontakta systemförvaltaren och berätta när det hände."
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


@pytest.fixture(autouse=True)
def queue():
    empty_queue()
    yield
    empty_queue()


def ask(client, year) -> ReportRendering:
    """Asks for the draft PDF; returns the rendering the answer waits for."""
    response = client.get(year.url("report-pdf"))
    assert response.status_code == 302
    rendering = ReportRendering.objects.order_by("-pk").first()
    assert response["Location"] == year.url("report-rendering", rendering.pk)
    return rendering


def test_asking_for_a_draft_starts_one_job_and_shows_a_page_that_waits(client, caseworker, year):
    client.force_login(caseworker)

    rendering = ask(client, year)
    page = client.get(year.url("report-rendering", rendering.pk))
    status = client.get(year.url("report-rendering-status", rendering.pk))
    again = ask(client, year)

    assert page.status_code == 200
    html = page.content.decode()
    assert WAITING in html
    # Refreshes by itself without inline script: a script file (the CSP's
    # script-src 'self') and, for browsers without script, a meta refresh.
    assert '<noscript><meta http-equiv="refresh" content="1"></noscript>' in html
    assert '<script src="/static/js/rendering-status.js" defer></script>' in html
    assert "<script>" not in html
    assert 'data-status-url="' + year.url("report-rendering-status", rendering.pk) in html
    assert status.json() == {
        "status": "queued",
        "label": "Väntar på sin tur",
        "message": WAITING,
        "ready": False,
        "failed": False,
        "download_url": "",
    }
    assert status["Cache-Control"] == "no-store"
    assert again == rendering
    assert (ReportRendering.objects.count(), queued_jobs()) == (1, 1)
    assert rendering.kind == "draft"
    assert rendering.requested_by == caseworker


def test_the_worker_renders_it_and_the_download_is_the_stored_file(
    client, caseworker, year, django_assert_num_queries
):
    client.force_login(caseworker)
    rendering = ask(client, year)

    run_worker()

    rendering.refresh_from_db()
    assert (rendering.status, rendering.attempts, rendering.error) == ("ready", 1, "")
    assert queued_jobs() == 0
    status = client.get(year.url("report-rendering-status", rendering.pk)).json()
    assert (status["ready"], status["message"]) == (True, READY)
    assert status["download_url"] == year.url("report-rendering-file", rendering.pk)
    page = client.get(year.url("report-rendering", rendering.pk)).content.decode()
    assert READY in page
    assert "http-equiv" not in page
    assert "rendering-status.js" not in page
    with default_storage.open(rendering.file, "rb") as stored:
        stored_pdf = stored.read()
    download = client.get(year.url("report-pdf"))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    pdf = content(download)
    assert pdf == stored_pdf
    assert content(client.get(status["download_url"])) == stored_pdf
    pages = report_pdf.page_texts(pdf)
    assert len(pages) == rendering.pages
    assert all("UTKAST" in page for page in pages)
    assert rendering.file.startswith(f"renderings/2021/{year.programme.pk}/draft-")


def test_an_unchanged_draft_is_served_at_once_in_the_same_queries_whatever_its_size(
    client, caseworker, year
):
    client.force_login(caseworker)

    def served_queries() -> int:
        ask(client, year)
        run_worker()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(year.url("report-pdf"))
        assert response.status_code == 200
        return len(queries)

    small = served_queries()
    ActivityFactory.create_batch(25, followup=year.followup, area=year.area1)
    large = served_queries()

    assert small == large
    # Asked for twice, rendered twice: once per content, never again.
    assert ReportRendering.objects.count() == 2
    for _ in range(3):
        assert client.get(year.url("report-pdf")).status_code == 200
    assert (ReportRendering.objects.count(), queued_jobs()) == (2, 0)


def test_any_change_to_the_data_makes_a_new_rendering(client, caseworker, year):
    client.force_login(caseworker)
    first = ask(client, year)
    run_worker()

    year.activity.title = "Nattvandring i Vårby gård"
    year.activity.save()
    second = ask(client, year)
    run_worker()

    assert first != second
    second.refresh_from_db()
    assert second.status == "ready"
    text = " ".join(report_pdf.page_texts(content(client.get(year.url("report-pdf")))))
    assert "Nattvandring i Vårby gård" in text


def test_a_render_that_keeps_failing_is_tried_three_times_then_explained_in_swedish(
    client, caseworker, year, settings, media
):
    client.force_login(caseworker)
    working = settings.STORAGES
    settings.STORAGES = {
        **working,
        "default": {"BACKEND": "tests.storages.FullDiskForRenderingsStorage"},
    }
    rendering = ask(client, year)

    run_worker()

    rendering.refresh_from_db()
    assert (rendering.status, rendering.attempts) == ("failed", 3)
    assert rendering.error.startswith("OSError: [Errno 28] No space left on device")
    assert [path for path in media.rglob("*") if path.is_file()] == []  # not even a temporary
    page = client.get(year.url("report-rendering", rendering.pk)).content.decode()
    assert FAILED in page
    assert "<title>Fel: Rapporten kunde inte tas fram" in page
    assert f'href="{year.url("report-pdf")}">Försök igen</a>' in page
    assert client.get(year.url("report-rendering-status", rendering.pk)).json()["failed"]

    # The disk has room again: asking again restarts the same rendering.
    settings.STORAGES = working
    again = ask(client, year)
    run_worker()

    again.refresh_from_db()
    assert again.pk == rendering.pk
    assert (again.status, again.attempts) == ("ready", 1)


def test_the_decisions_document_is_rendered_by_the_worker_before_the_secretary_confirms(
    client, secretary, caseworker, year, django_assert_num_queries
):
    from followups import services

    services.submit(year.followup, caseworker)
    client.force_login(secretary)
    response = client.post(
        year.url("followup-decision"),
        {
            "decided_by": "Kommunstyrelsen",
            "decision_date": "2022-03-07",
            "decision_paragraph": "§ 11",
            "registration_number": "KS-2022/177.173",
        },
    )
    rendering = ReportRendering.objects.get(kind="decision")
    confirm = year.url("followup-decision-confirm", rendering.pk)
    assert response["Location"] == confirm
    assert "Bekräfta beslutet och arkivera rapporten" not in client.get(confirm).content.decode()

    run_worker()

    page = client.get(confirm).content.decode()
    assert "Bekräfta beslutet och arkivera rapporten" in page
    document = content(client.get(year.url("report-rendering-file", rendering.pk)))
    texts = report_pdf.page_texts(document)
    assert "Kommunstyrelsen 7 mars 2022, § 11" in texts[0]
    assert not any("UTKAST" in text for text in texts)
    assert FollowUp.objects.get(pk=year.followup.pk).status == "submitted"
    with django_assert_num_queries(19):
        confirmed = client.post(confirm)
    assert confirmed.status_code == 302
    archive = ArchivedReport.objects.get()
    with default_storage.open(archive.file.name, "rb") as stored:
        assert stored.read() == document
    assert FollowUp.objects.get(pk=year.followup.pk).status == "approved"


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite has one writer at a time; CI runs this on PostgreSQL.",
)
def test_two_people_asking_at_once_get_one_rendering_and_one_job(caseworker, secretary, year):
    barrier = threading.Barrier(2)
    locations: list[str] = []

    def ask_now(user) -> None:
        client = Client()
        client.force_login(user)
        try:
            barrier.wait(timeout=10)
            locations.append(client.get(year.url("report-pdf"))["Location"])
        finally:
            connection.close()

    for _round in range(5):
        ReportRendering.objects.all().delete()
        empty_queue()
        locations.clear()
        threads = [threading.Thread(target=ask_now, args=[u]) for u in (caseworker, secretary)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

        rendering = ReportRendering.objects.get()
        assert locations == [year.url("report-rendering", rendering.pk)] * 2
        assert queued_jobs() == 1
