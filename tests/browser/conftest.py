"""Browser fixtures: one headless Chromium per test session, a fresh context
per test, and helpers to log in and to check a page with axe-core.

Playwright's own browser download does not work where the suite runs, so the
tests drive the distribution's Chromium.
"""

import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db import connections
from playwright.sync_api import Browser, Error, Page, expect, sync_playwright

# Playwright's sync API runs an event loop in the test thread, and Django
# refuses database access from a thread with a running loop unless told to.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
VIEWPORT = {"width": 1280, "height": 900}
# The password load_demo gives the demo users in these tests.
PASSWORD = "demo-lösenord-2021"


@pytest.fixture(scope="session")
def browser(django_db_setup) -> Browser:
    # Between its calls Playwright's sync API leaves its event loop marked as
    # running, and from then on Django hands this thread other connection
    # objects (contextvar-local instead of thread-local). The snapshot that
    # serialized_rollback restores after each flush (the role groups of a
    # data migration) lives on the old ones, so it is carried over.
    snapshots = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    with sync_playwright() as playwright:
        for alias, snapshot in snapshots.items():
            connections[alias]._test_serialized_contents = snapshot
        try:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        except Error as error:
            first_line = error.message.splitlines()[0] if error.message else repr(error)
            reason = f"Chromium could not be launched from {CHROMIUM} ({first_line})"
            if os.environ.get("CI"):
                pytest.fail(f"{reason}. The browser tests must run in CI.", pytrace=False)
            pytest.skip(f"{reason}. Install it with `apt-get install chromium`.")
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Page:
    context = browser.new_context(viewport=VIEWPORT)
    yield context.new_page()
    context.close()


@pytest.fixture
def page_without_javascript(browser: Browser) -> Page:
    context = browser.new_context(viewport=VIEWPORT, java_script_enabled=False)
    yield context.new_page()
    context.close()


def login(page: Page, live_server, username: str, password: str) -> None:
    """Logs in through the login form and waits for the page it leads to."""
    page.goto(f"{live_server.url}/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("main").get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()


def assert_accessible(page: Page) -> None:
    """Runs axe-core on the page as it is now and fails listing every violation."""
    results = Axe().run(page)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def assert_accessible_without_javascript(page: Page) -> None:
    """Checks a page of a context without JavaScript, where axe-core cannot run
    (its promise never settles): the same markup is served at the same URL to a
    scripted page, so stylesheets and relative links resolve as they did."""
    url = page.url
    html = page.content()
    context = page.context.browser.new_context(viewport=VIEWPORT)
    try:
        twin = context.new_page()
        twin.route(
            lambda requested: requested == url,
            lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8"),
        )
        twin.goto(url)
        assert_accessible(twin)
    finally:
        context.close()
