"""Login protection: lockout after repeated failures (django-axes), the same
message whether the account exists or not, unlocking by an administrator,
safe `next` redirects, and Swedish password rules."""

import re
from collections import Counter
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from audit.models import AuditEvent
from tests.conftest import ADMINISTRATOR

pytestmark = pytest.mark.django_db

PASSWORD = "lösenord-för-test"
LOCKED = (
    "För många misslyckade inloggningsförsök. Inloggningen är spärrad i 15 minuter. "
    "Försök igen senare eller be en administratör att häva spärren."
)
WRONG = "Ange ett korrekt användarnamn och lösenord."


def login(client, username, password, ip="10.1.1.1", **data):
    return client.post(
        reverse("login"), {"username": username, "password": password, **data}, REMOTE_ADDR=ip
    )


def without_token(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def fail_five_times(client, username, ip="10.1.1.1"):
    for _ in range(5):
        login(client, username, "fel-lösenord", ip=ip)


def test_four_failures_do_not_lock(client, caseworker):
    for _ in range(4):
        response = login(client, caseworker.username, "fel-lösenord")
        assert response.status_code == 200
        assert WRONG in response.content.decode()

    assert login(client, caseworker.username, PASSWORD).status_code == 302


def test_five_failures_lock_the_account_even_with_the_right_password(client, caseworker):
    fail_five_times(client, caseworker.username)

    response = login(client, caseworker.username, PASSWORD)

    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_locked_account_is_locked_from_another_address_too(client, caseworker):
    fail_five_times(client, caseworker.username, ip="10.1.1.1")

    response = login(client, caseworker.username, PASSWORD, ip="10.2.2.2")

    assert response.status_code == 429


def test_locked_address_cannot_try_other_accounts(client, caseworker, secretary):
    for name in ["a", "b", "c", "d", "e"]:
        login(client, name, "fel", ip="10.9.9.9")

    assert login(client, secretary.username, PASSWORD, ip="10.9.9.9").status_code == 429
    assert login(client, secretary.username, PASSWORD, ip="10.3.3.3").status_code == 302


def test_lockout_message_is_the_same_for_unknown_and_known_accounts(client, caseworker):
    fail_five_times(client, caseworker.username, ip="10.1.1.1")
    fail_five_times(client, "finns-inte", ip="10.2.2.2")

    known = login(client, caseworker.username, PASSWORD, ip="10.3.3.3")
    unknown = login(client, "finns-inte", "vad-som-helst", ip="10.4.4.4")

    assert known.status_code == unknown.status_code == 429
    assert LOCKED in known.content.decode()
    assert LOCKED in unknown.content.decode()
    # Nothing but the CSRF token differs between the two answers.
    assert without_token(known) == without_token(unknown)


def test_failure_message_does_not_reveal_whether_the_account_exists(client, caseworker):
    known = login(client, caseworker.username, "fel")
    unknown = login(client, "finns-inte", "fel", ip="10.5.5.5")

    assert known.context["form"].errors == unknown.context["form"].errors
    assert WRONG in known.content.decode()


def test_lockout_ends_after_fifteen_minutes(client, caseworker):
    fail_five_times(client, caseworker.username)
    # Fifteen minutes pass.
    for attempt in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=attempt.pk).update(
            attempt_time=attempt.attempt_time - timedelta(minutes=16)
        )

    assert login(client, caseworker.username, PASSWORD).status_code == 302


def test_administrator_unlocks_in_admin(client, caseworker, user_in_group):
    fail_five_times(client, caseworker.username)
    administrator = user_in_group(ADMINISTRATOR, is_staff=True)
    client.force_login(administrator)
    attempts = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert attempts.status_code == 200
    assert caseworker.username in attempts.content.decode()

    for attempt in AccessAttempt.objects.all():
        response = client.post(
            reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
        )
        assert response.status_code == 302
    client.logout()

    assert login(client, caseworker.username, PASSWORD).status_code == 302


def test_lockout_is_in_the_audit_log(client, caseworker):
    fail_five_times(client, caseworker.username)

    actions = Counter(AuditEvent.objects.filter(user=caseworker).values_list("action", flat=True))

    assert actions == {AuditEvent.Action.LOGIN_FAILED: 5, AuditEvent.Action.LOCKED_OUT: 1}


def test_successful_login_resets_the_failure_count(client, caseworker):
    for _ in range(4):
        login(client, caseworker.username, "fel")
    login(client, caseworker.username, PASSWORD)
    client.post(reverse("logout"))
    for _ in range(4):
        login(client, caseworker.username, "fel")

    assert login(client, caseworker.username, PASSWORD).status_code == 302


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "\\\\evil.example",
        "javascript:alert(1)",
        "http://testserver.evil.example/",
        "https:///evil.example",
    ],
)
def test_next_cannot_send_anyone_to_another_site(client, caseworker, target):
    response = login(client, caseworker.username, PASSWORD, next=target)

    assert response.status_code == 302
    assert response["Location"] == reverse("start")


def test_next_within_the_site_is_followed(client, caseworker, year):
    target = year.url("activity-list")

    response = login(client, caseworker.username, PASSWORD, next=target)

    assert response["Location"] == target


def test_next_is_escaped_in_the_login_form(client):
    response = client.get(reverse("login"), {"next": '/"><script>alert(1)</script>'})

    assert "<script>alert(1)" not in response.content.decode()
    assert "&quot;&gt;&lt;script&gt;" in response.content.decode()


@pytest.mark.parametrize(
    ("password", "messages"),
    [
        ("1234", ["Det här lösenordet är för kort.", "Detta lösenord är enbart numeriskt."]),
        ("password", ["Detta lösenord är alldeles för vanligt."]),
    ],
)
def test_password_rules_are_swedish_and_keep_the_old_password(
    client, caseworker, password, messages
):
    client.force_login(caseworker)

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
    )

    assert response.status_code == 200
    for message in messages:
        assert message in response.content.decode()
    caseworker.refresh_from_db()
    assert caseworker.check_password(PASSWORD)


def test_password_change_with_a_good_password(client, caseworker):
    client.force_login(caseworker)
    new = "Trygg-Huddinge-2026!"

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )

    assert response["Location"] == reverse("password_change_done")
    caseworker.refresh_from_db()
    assert caseworker.check_password(new)
    assert "Lösenordet är bytt" in client.get(reverse("password_change_done")).content.decode()


def test_password_change_needs_login(client):
    response = client.get(reverse("password_change"))

    assert response["Location"] == f"{reverse('login')}?next={reverse('password_change')}"
