"""Production settings: `check --deploy` is clean with the documented
environment, production refuses to start without it, and every answer
carries the security headers and cookie flags."""

import importlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from followups.models import ReportRendering
from followups.renderings import run_rendering
from tests.followups.conftest import year  # noqa: F401 - the workspace fixture

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "SECRET_KEY": "x9!Vq2#hL7@tR4$wZ8%nB3^mK6&pD1*sF5(gJ0)cY7-uE2+aW9=oI4",
    "ALLOWED_HOSTS": "trygghet.huddinge.se",
    "CSRF_TRUSTED_ORIGINS": "https://trygghet.huddinge.se",
    "DATABASE_URL": "postgres://app@db.invalid:5432/huddinge_safety",
    "MEDIA_ROOT": "/srv/huddinge-safety/media",
}
CSP = {
    "default-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
    "style-src 'self'",
    "script-src 'self'",
    "img-src 'self' data:",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # Only what a service manager would pass: nothing of this test run's own
    # environment (the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE, which
    # check --deploy rightly warns about).
    clean = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args, "--settings=huddinge_safety.settings.production"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_reports_nothing_with_the_documented_environment():
    result = manage("check", "--deploy", "--fail-level", "DEBUG", env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (1 silenced)." in result.stdout


@pytest.mark.parametrize("missing", sorted(PRODUCTION_ENV))
def test_production_refuses_to_start_without(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}

    result = manage("check", env=env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"Production needs the environment variable(s) {missing} " in result.stderr


@pytest.fixture
def production(settings, monkeypatch):
    """The production module's security settings applied to this test."""
    for name, value in PRODUCTION_ENV.items():
        monkeypatch.setenv(name, value)
    module = importlib.import_module("huddinge_safety.settings.production")
    module = importlib.reload(module)
    for name in [
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_SSL_REDIRECT",
        "SECURE_REDIRECT_EXEMPT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
    ]:
        setattr(settings, name, getattr(module, name))
    return module


def assert_security_headers(response):
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert set(response["Content-Security-Policy"].split("; ")) == CSP
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_page_has_the_security_headers(production, client, caseworker, year):  # noqa: F811
    client.force_login(caseworker)

    response = client.get(year.url("followup"), secure=True)

    assert response.status_code == 200
    assert_security_headers(response)


def test_pdf_download_has_the_security_headers(production, client, caseworker, year):  # noqa: F811
    client.force_login(caseworker)
    waiting = client.get(year.url("report-pdf"), secure=True, follow=True)
    run_rendering(ReportRendering.objects.get().pk)  # the worker's part
    download_response = client.get(year.url("report-pdf"), secure=True)

    assert waiting.status_code == 200
    assert_security_headers(waiting)
    assert download_response.status_code == 200
    assert download_response["Content-Type"] == "application/pdf"
    assert_security_headers(download_response)


def test_login_page_has_the_security_headers_and_strict_cookies(production, client, caseworker):
    page = client.get(reverse("login"), secure=True)
    assert_security_headers(page)
    csrf = page.cookies["csrftoken"]
    assert (csrf["secure"], csrf["httponly"], csrf["samesite"]) == (True, True, "Lax")

    response = client.post(
        reverse("login"),
        {"username": caseworker.username, "password": "lösenord-för-test"},
        secure=True,
    )

    assert_security_headers(response)
    session = response.cookies["sessionid"]
    assert (session["secure"], session["httponly"], session["samesite"]) == (True, True, "Lax")
    # No expiry date: the cookie ends when the browser closes.
    assert (session["expires"], session["max-age"]) == ("", "")


def test_plain_http_is_sent_to_https_except_the_health_check(production, client):
    login = client.get(reverse("login"))
    health = client.get(reverse("healthz"))

    assert login.status_code == 301
    assert login["Location"] == "https://testserver/login/"
    assert health.status_code == 200


def test_proxy_header_marks_the_request_secure(production, client):
    response = client.get(reverse("login"), HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 200
    assert "Strict-Transport-Security" in response


def test_session_ends_after_a_working_day_without_requests(client, caseworker, year):  # noqa: F811
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client.force_login(caseworker)
    assert client.get(year.url("followup")).status_code == 200
    session = Session.objects.get()
    idle = session.expire_date - timezone.now()
    assert 8 * 3600 - 60 < idle.total_seconds() <= 8 * 3600

    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now())

    assert client.get(year.url("followup"))["Location"].startswith(reverse("login"))


def test_each_request_renews_the_session(client, caseworker, year):  # noqa: F811
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client.force_login(caseworker)
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=5))

    client.get(year.url("followup"))

    renewed = Session.objects.get().expire_date - timezone.now()
    assert renewed.total_seconds() > 7 * 3600


def test_templates_have_no_inline_script_or_style():
    offenders = []
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)|<style\b|\sstyle=\"|\son[a-z]+=", text):
            offenders.append(str(template.relative_to(ROOT)))

    assert offenders == []
