"""The Content-Security-Policy in a real browser: pages, the report preview
with its charts, and admin run without a single violation, and the charts
keep their drawing when inline style is forbidden."""

import pytest
from playwright.sync_api import Page

from .conftest import PASSWORD, login
from .test_workspace import followup_url, load_demo

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def visit_collecting_violations(page: Page, urls: list[str]) -> dict[str, list[str]]:
    """Opens each URL and returns the CSP violations the browser reported."""
    violations: dict[str, list[str]] = {}
    current: list[str] = []
    page.on(
        "console",
        lambda message: (
            current.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    for url in urls:
        current.clear()
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        page.wait_for_load_state("load")
        if current:
            violations[url] = list(current)
    return violations


def test_workspace_and_report_run_without_csp_violations(page: Page, live_server):
    followup = load_demo()
    activity = followup.activities.order_by("pk").first()
    base = followup_url(live_server, followup)
    login(page, live_server, "handlaggare", PASSWORD)

    violations = visit_collecting_violations(
        page,
        [
            base,
            f"{base}activities/",
            f"{base}activities/{activity.pk}/",
            f"{base}activities/{activity.pk}/edit/",
            f"{base}assessments/1/",
            f"{base}indicators/",
            f"{base}report/",
            # The page that waits for the PDF: its script asks for the status.
            f"{base}report.pdf",
            f"{live_server.url}/password/",
        ],
    )

    assert violations == {}


def test_the_waiting_page_asks_for_its_status_without_csp_violations(page: Page, live_server):
    followup = load_demo()
    login(page, live_server, "handlaggare", PASSWORD)
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    with page.expect_response(lambda response: response.url.endswith("/status/")) as polled:
        page.goto(f"{followup_url(live_server, followup)}report.pdf")

    assert polled.value.status == 200
    assert polled.value.json()["status"] == "queued"
    assert violations == []


def test_report_charts_keep_their_lines_under_the_policy(page: Page, live_server):
    followup = load_demo()
    login(page, live_server, "handlaggare", PASSWORD)
    page.goto(f"{followup_url(live_server, followup)}report/")

    # The indicator line is drawn in the programme's blue, not left unstroked.
    strokes = page.locator("figure.chart svg polyline").evaluate_all(
        "paths => paths.map(p => getComputedStyle(p).stroke)"
    )

    assert "rgb(31, 78, 121)" in strokes


def test_admin_runs_without_csp_violations(page: Page, live_server):
    followup = load_demo()
    activity = followup.activities.order_by("pk").first()
    login(page, live_server, "admin", PASSWORD)
    admin = f"{live_server.url}/admin/"

    violations = visit_collecting_violations(
        page,
        [
            admin,
            f"{admin}followups/activity/",
            f"{admin}followups/activity/{activity.pk}/change/",
            f"{admin}programmes/goal/add/",
            f"{admin}audit/auditevent/",
            f"{admin}axes/accessattempt/",
        ],
    )

    assert violations == {}
