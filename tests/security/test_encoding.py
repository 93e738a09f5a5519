"""Form input that is not valid UTF-8 is refused, not altered: Django would
turn it into replacement characters (U+FFFD) or read the whole body as
Latin-1. The answer is 400 with a Swedish page, before any view or the CSRF
check reads the form, and nothing is saved. A real "�" typed by the user,
sent as valid UTF-8, is saved like any other character.

The bodies are posted raw, through a client that checks CSRF tokens."""

import pytest
from django.apps import apps
from django.test import Client

from followups.models import FollowUp
from tests.conftest import CASEWORKER
from tests.security.fuzz import database_state

pytestmark = pytest.mark.django_db

REFUSED = (
    "Formuläret innehöll tecken som inte kunde läsas (ogiltig UTF-8). Inget sparades. "
    "Gå tillbaka, kontrollera texten och försök igen."
)
URLENCODED = "application/x-www-form-urlencoded"
BOUNDARY = "grans-7MA4YWxkTrZu0gW"


@pytest.fixture
def summary(year, user_in_group):
    """The follow-up summary's page, a caseworker logged in with a CSRF
    token: (client, url, token)."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user_in_group(CASEWORKER))
    url = year.url("followup-summary")
    assert client.get(url).status_code == 200
    return client, url, client.cookies["csrftoken"].value


def urlencoded(summary_text: bytes, token: str, version: int = 1) -> bytes:
    return b"followup-summary=%s&followup-version=%d&csrfmiddlewaretoken=%s" % (
        summary_text,
        version,
        token.encode(),
    )


def multipart(fields: list[tuple[bytes, bytes]], files: list[tuple[bytes, bytes]] = ()) -> bytes:
    parts = [
        b'--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
        % (BOUNDARY.encode(), name, value)
        for name, value in fields
    ]
    parts += [
        b'--%s\r\nContent-Disposition: form-data; name="attachment"; filename="%s"\r\n'
        b"Content-Type: application/octet-stream\r\n\r\n%s\r\n" % (BOUNDARY.encode(), name, data)
        for name, data in files
    ]
    return b"".join(parts) + b"--%s--\r\n" % BOUNDARY.encode()


def summary_fields(text: bytes, token: str) -> list[tuple[bytes, bytes]]:
    return [
        (b"followup-summary", text),
        (b"followup-version", b"1"),
        (b"csrfmiddlewaretoken", token.encode()),
    ]


def assert_refused(response, before) -> None:
    assert response.status_code == 400
    html = response.content.decode()
    assert REFUSED in html
    assert "<title>Formuläret kunde inte läsas" in html
    assert database_state() == before


@pytest.mark.parametrize(
    "text",
    [
        b"F%C3%B6re+%FF%FE+efter",  # bytes that are never UTF-8
        b"%C3",  # a sequence cut short
        b"%C3%28",  # a lead byte with no continuation
        b"%C0%AF",  # an overlong "/"
        b"%ED%A0%80",  # a UTF-16 surrogate
        b"%F4%90%80%80",  # beyond U+10FFFF
        b"F\xf6re",  # Latin-1 "ö", not even percent-encoded
    ],
    ids=["ff-fe", "cut", "no-continuation", "overlong", "surrogate", "too-high", "raw-latin-1"],
)
def test_urlencoded_form_that_is_not_utf8_is_refused_and_nothing_saved(year, summary, text):
    client, url, token = summary
    before = database_state()

    response = client.generic("POST", url, urlencoded(text, token), content_type=URLENCODED)

    assert_refused(response, before)
    followup = FollowUp.objects.get(pk=year.followup.pk)
    assert (followup.summary, followup.version) == ("", 1)


def test_a_field_name_that_is_not_utf8_is_refused(summary):
    client, url, token = summary
    before = database_state()
    body = urlencoded(b"Text", token) + b"&n%E4mn=x"

    response = client.generic("POST", url, body, content_type=URLENCODED)

    assert_refused(response, before)


def test_a_real_replacement_character_in_valid_utf8_is_saved(year, summary):
    client, url, token = summary
    # "Före � efter", a dash and "100 %"; the "�" as its UTF-8 bytes EF BF BD.
    text = b"F%C3%B6re+%EF%BF%BD+efter+%E2%80%93+100+%25"

    response = client.generic("POST", url, urlencoded(text, token), content_type=URLENCODED)

    assert response.status_code == 302
    followup = FollowUp.objects.get(pk=year.followup.pk)
    assert (followup.summary, followup.version) == ("Före \ufffd efter – 100 %", 2)


def test_the_csrf_check_still_applies_to_a_valid_form(year, summary):
    client, url, _token = summary
    body = urlencoded(b"F%C3%B6re", "x" * 64)

    response = client.generic("POST", url, body, content_type=URLENCODED)

    assert response.status_code == 403
    assert FollowUp.objects.get(pk=year.followup.pk).summary == ""


@pytest.mark.parametrize("text", [b"F\xf6re", b"\xff\xfe", b"\xe2\x80"])
def test_multipart_form_that_is_not_utf8_is_refused_and_nothing_saved(year, summary, text):
    client, url, token = summary
    before = database_state()

    response = client.generic(
        "POST",
        url,
        multipart(summary_fields(text, token)),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )

    assert_refused(response, before)
    assert FollowUp.objects.get(pk=year.followup.pk).summary == ""


def test_multipart_with_a_real_replacement_character_and_binary_file_is_saved(year, summary):
    # File contents are never decoded: a PDF's bytes are not text.
    client, url, token = summary
    text = "Före \ufffd efter".encode()

    response = client.generic(
        "POST",
        url,
        multipart(summary_fields(text, token), files=[(b"rapport.pdf", b"%PDF-\xff\xfe\x00")]),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )

    assert response.status_code == 302
    assert FollowUp.objects.get(pk=year.followup.pk).summary == "Före \ufffd efter"


@pytest.mark.parametrize("method", ["PUT", "PATCH"])
def test_put_and_patch_are_checked_too(summary, method):
    client, url, token = summary
    before = database_state()

    # Django reads the CSRF token of anything but a POST from the header.
    csrf = {"X-CSRFToken": token}

    refused = client.generic(
        method, url, urlencoded(b"%FF", token), content_type=URLENCODED, headers=csrf
    )
    checked = client.generic(
        method,
        url,
        multipart(summary_fields(b"\xff", token)),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        headers=csrf,
    )
    valid = client.generic(
        method, url, urlencoded(b"%C3%B6", token), content_type=URLENCODED, headers=csrf
    )

    assert (refused.status_code, checked.status_code) == (400, 400)
    assert valid.status_code == 405  # the view takes no PUT or PATCH
    assert database_state() == before


def test_a_query_string_that_is_not_utf8_is_no_form_and_not_refused(year, user_in_group):
    client = Client()
    client.force_login(user_in_group(CASEWORKER))

    response = client.get(year.url("activity-list") + "?q=%FF")

    assert response.status_code == 200


def test_login_that_is_not_utf8_is_refused_before_anything_is_recorded():
    client = Client(enforce_csrf_checks=True)
    client.get("/login/")
    token = client.cookies["csrftoken"].value
    body = b"username=l%E4sare&password=x&csrfmiddlewaretoken=" + token.encode()

    response = client.generic("POST", "/login/", body, content_type=URLENCODED)

    assert response.status_code == 400
    assert REFUSED in response.content.decode()
    assert apps.get_model("axes", "AccessAttempt").objects.count() == 0
    assert apps.get_model("audit", "AuditEvent").objects.count() == 0
