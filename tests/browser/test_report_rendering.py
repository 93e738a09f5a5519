"""The report's PDF as a user gets it in a browser: the page that waits for
the background job updates itself (with a script file, or without
JavaScript by reloading) and offers the download; the secretary's decision
waits for the final document, then confirms it. The worker runs in the
test's process while the browser waits. Every page is checked with axe-core.
"""

import pytest
from playwright.sync_api import Page, expect

from followups import services
from followups.models import ArchivedReport, FollowUp
from tests.followups.worker import empty_queue, run_worker

from .conftest import PASSWORD, assert_accessible, assert_accessible_without_javascript, login
from .test_workspace import followup_url, load_demo

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WAITING = "Rapporten väntar på sin tur att tas fram."
READY = "Rapporten är klar."


@pytest.fixture(autouse=True)
def queue(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    empty_queue()
    yield
    empty_queue()


def test_the_waiting_page_updates_itself_and_offers_the_download(page: Page, live_server):
    followup = load_demo()
    login(page, live_server, "handlaggare", PASSWORD)

    page.goto(followup_url(live_server, followup) + "report.pdf")

    expect(page.get_by_role("heading", level=1)).to_have_text("Rapporten för 2021 som PDF")
    status = page.get_by_role("status").filter(has_text="Rapporten")
    expect(status).to_have_text(WAITING)
    download = page.get_by_role("link", name="Ladda ner rapporten (PDF)")
    expect(download).to_be_hidden()
    assert_accessible(page)
    page.evaluate("window.notReloaded = true")

    run_worker()

    expect(status).to_have_text(READY, timeout=15_000)
    expect(download).to_be_visible()
    # Updated in place by the script: the page was not loaded again.
    assert page.evaluate("window.notReloaded") is True
    assert_accessible(page)
    with page.expect_download() as pending:
        download.click()
    path = pending.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert pending.value.suggested_filename == "uppfoljning-trygghet-och-sakerhet-2021.pdf"


def test_without_javascript_the_waiting_page_reloads_until_ready(
    page_without_javascript: Page, live_server
):
    page = page_without_javascript
    followup = load_demo()
    login(page, live_server, "handlaggare", PASSWORD)

    page.goto(followup_url(live_server, followup) + "report.pdf")
    expect(page.get_by_text(WAITING)).to_be_visible()
    assert_accessible_without_javascript(page)

    run_worker()

    expect(page.get_by_text(READY)).to_be_visible(timeout=15_000)
    expect(page.get_by_role("link", name="Ladda ner rapporten (PDF)")).to_be_visible()
    assert_accessible_without_javascript(page)


def test_secretary_reads_the_final_document_then_confirms_the_decision(page: Page, live_server):
    followup = load_demo()
    services.submit(followup, _user())
    login(page, live_server, "sekreterare", PASSWORD)
    page.goto(followup_url(live_server, followup) + "decision/")

    page.get_by_label("Beslutande organ").fill("Kommunstyrelsen")
    page.get_by_label("Beslutsdatum").fill("2022-03-07")
    page.get_by_label("Paragraf").fill("§ 11")
    page.get_by_label("Diarienummer").fill("KS-2022/177.173")
    page.get_by_role("button", name="Ta fram det slutliga dokumentet").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Bekräfta beslutet om uppföljningen 2021"
    )
    expect(page.get_by_text(WAITING)).to_be_visible()
    confirm = page.get_by_role("button", name="Bekräfta beslutet och arkivera rapporten")
    expect(confirm).to_have_count(0)
    assert_accessible(page)

    run_worker()

    expect(confirm).to_be_visible(timeout=15_000)
    expect(page.get_by_role("link", name="Öppna det slutliga dokumentet (PDF)")).to_be_visible()
    assert FollowUp.objects.get(pk=followup.pk).status == "submitted"
    assert_accessible(page)
    confirm.click()

    expect(page.get_by_role("status").filter(has_text="Beslutet är registrerat")).to_have_text(
        "Beslutet är registrerat och rapporten för 2021 arkiverad (version 1)."
    )
    assert FollowUp.objects.get(pk=followup.pk).status == "approved"
    assert ArchivedReport.objects.filter(followup=followup).count() == 1
    assert_accessible(page)


def _user():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="handlaggare")
