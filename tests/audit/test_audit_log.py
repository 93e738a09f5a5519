"""The audit log: which steps are recorded, with whom, when and on what;
administrators read and filter it in admin and nobody changes it."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent, ImmutableError
from followups import services
from followups.models import FollowUp, ReportRendering
from tests.conftest import ADMINISTRATOR
from tests.factories import UserFactory
from tests.followups.approval import approve, download, set_status

pytestmark = pytest.mark.django_db

Action = AuditEvent.Action
PASSWORD = "lösenord-för-test"


def events(**filters) -> list[tuple]:
    """The events in order, without the logins that ``force_login`` records."""
    return list(
        AuditEvent.objects.filter(**filters)
        .exclude(action=Action.LOGIN)
        .order_by("pk")
        .values_list("action", "user__username", "attempted_username", "followup_id")
    )


def test_login_is_recorded_with_user_and_address(client, caseworker):
    client.post(reverse("login"), {"username": caseworker.username, "password": PASSWORD})

    event = AuditEvent.objects.get()
    assert (event.action, event.user, event.ip_address) == (Action.LOGIN, caseworker, "127.0.0.1")
    assert (timezone.now() - event.time).total_seconds() < 60


def test_failed_login_of_an_account_names_the_account(client, caseworker):
    client.post(reverse("login"), {"username": caseworker.username, "password": "fel"})

    assert events() == [(Action.LOGIN_FAILED, caseworker.username, "", None)]


def test_failed_login_of_an_unknown_name_keeps_the_name_typed(client):
    client.post(reverse("login"), {"username": "finns-inte", "password": "fel"})

    assert events() == [(Action.LOGIN_FAILED, None, "finns-inte", None)]


def test_logout_is_recorded(client, caseworker):
    client.force_login(caseworker)

    client.post(reverse("logout"))

    assert events() == [(Action.LOGOUT, caseworker.username, "", None)]


def test_report_preview_and_draft_download_are_recorded(client, caseworker, year):
    client.force_login(caseworker)

    assert client.get(year.url("report-preview")).status_code == 200
    download(client, year)

    assert events() == [
        (Action.REPORT_PREVIEW, caseworker.username, "", year.followup.pk),
        (Action.REPORT_RENDER, caseworker.username, "", year.followup.pk),
        (Action.REPORT_DOWNLOAD, caseworker.username, "", year.followup.pk),
    ]
    rendering = ReportRendering.objects.get()
    assert AuditEvent.objects.get(action=Action.REPORT_RENDER).detail == (
        f"utkast {rendering.fingerprint[:12]}"
    )
    assert AuditEvent.objects.get(action=Action.REPORT_DOWNLOAD).detail == (
        f"utkast {rendering.fingerprint[:12]}"
    )


def test_refused_preview_is_not_recorded_as_a_read(client, reader, year):
    client.force_login(reader)

    assert client.get(year.url("report-preview")).status_code == 404
    assert events() == []


def test_the_whole_cycle_is_recorded_in_order(
    client, caseworker, secretary, administrator, year, django_capture_on_commit_callbacks
):
    followup = year.followup
    services.submit(followup, caseworker)
    services.return_to_draft(followup, secretary, "Komplettera mål 1.2.")
    archive = approve(followup, secretary, django_capture_on_commit_callbacks)
    client.force_login(secretary)
    download(client, year)
    services.reopen(followup, administrator, "Fel siffra i nyckeltal.")

    assert events(followup=followup) == [
        (Action.SUBMIT, caseworker.username, "", followup.pk),
        (Action.RETURN, secretary.username, "", followup.pk),
        (Action.SUBMIT, secretary.username, "", followup.pk),
        (Action.REPORT_RENDER, secretary.username, "", followup.pk),
        (Action.APPROVE, secretary.username, "", followup.pk),
        (Action.REPORT_DOWNLOAD, secretary.username, "", followup.pk),
        (Action.REOPEN, administrator.username, "", followup.pk),
    ]
    approval = AuditEvent.objects.get(action=Action.APPROVE)
    assert approval.detail == f"KS-2022/177.173 v1 sha256:{archive.sha256}"
    assert AuditEvent.objects.get(action=Action.REPORT_DOWNLOAD).detail == (
        f"v1 sha256:{archive.sha256}"
    )


def test_a_refused_step_leaves_no_event(caseworker, year):
    set_status(year.followup, FollowUp.Status.SUBMITTED)

    with pytest.raises(Exception, match="inte längre"):
        services.submit(year.followup, caseworker)

    assert events() == []


def test_events_cannot_be_changed_or_deleted_by_code(caseworker):
    event = AuditEvent.objects.create(action=Action.LOGIN, user=caseworker)

    event.action = Action.LOGOUT
    with pytest.raises(ImmutableError):
        event.save()
    with pytest.raises(ImmutableError):
        event.delete()
    with pytest.raises(ImmutableError):
        AuditEvent.objects.filter(pk=event.pk).update(action=Action.LOGOUT)
    with pytest.raises(ImmutableError):
        AuditEvent.objects.all().delete()

    assert AuditEvent.objects.get().action == Action.LOGIN


def test_a_person_in_the_log_cannot_be_deleted(caseworker):
    from django.db.models import ProtectedError

    AuditEvent.objects.create(action=Action.LOGIN, user=caseworker)

    with pytest.raises(ProtectedError):
        caseworker.delete()


@pytest.fixture
def admin_user_in_group(user_in_group):
    return user_in_group(ADMINISTRATOR, is_staff=True)


def test_administrator_reads_and_filters_the_log_in_admin(
    client, admin_user_in_group, caseworker, year
):
    AuditEvent.objects.create(action=Action.LOGOUT, user=caseworker)
    AuditEvent.objects.create(action=Action.SUBMIT, user=caseworker, followup=year.followup)
    client.force_login(admin_user_in_group)
    url = reverse("admin:audit_auditevent_changelist")

    everything = client.get(url)
    submissions = client.get(url, {"action__exact": Action.SUBMIT})
    by_followup = client.get(url, {"followup__id__exact": year.followup.pk})

    assert everything.status_code == 200
    # The administrator's own login is the third.
    assert everything.context["cl"].result_count == 3
    assert [e.action for e in submissions.context["cl"].result_list] == [Action.SUBMIT]
    assert [e.action for e in by_followup.context["cl"].result_list] == [Action.SUBMIT]
    assert "Granskningslogg" in everything.content.decode()


def test_nobody_adds_changes_or_deletes_events_in_admin(client, caseworker):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    event = AuditEvent.objects.create(action=Action.LOGOUT, user=caseworker)
    client.force_login(superuser)

    add = client.get(reverse("admin:audit_auditevent_add"))
    change = client.post(
        reverse("admin:audit_auditevent_change", args=[event.pk]), {"action": Action.SUBMIT}
    )
    delete = client.post(reverse("admin:audit_auditevent_delete", args=[event.pk]), {"post": "yes"})
    bulk = client.post(
        reverse("admin:audit_auditevent_changelist"),
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )

    assert (add.status_code, change.status_code, delete.status_code) == (403, 403, 403)
    assert bulk.status_code == 200  # the changelist again: the action does not exist
    assert AuditEvent.objects.get(pk=event.pk).action == Action.LOGOUT
    assert AuditEvent.objects.filter(action=Action.LOGOUT).count() == 1


def test_only_administrators_have_the_log(client, user_in_group):
    for name in ["Handläggare", "Nämndsekreterare", "Läsare"]:
        person = user_in_group(name, is_staff=True)
        client.force_login(person)
        assert client.get(reverse("admin:audit_auditevent_changelist")).status_code == 403
    assert (
        Group.objects.get(name=ADMINISTRATOR)
        .permissions.filter(codename="view_auditevent")
        .exists()
    )


@pytest.mark.parametrize("rows", [1, 40])
def test_log_changelist_query_count_is_fixed(
    client, admin_user_in_group, caseworker, year, django_assert_num_queries, rows
):
    for _ in range(rows):
        AuditEvent.objects.create(action=Action.SUBMIT, user=caseworker, followup=year.followup)
    client.force_login(admin_user_in_group)

    with django_assert_num_queries(16):
        response = client.get(reverse("admin:audit_auditevent_changelist"))

    assert response.context["cl"].result_count == rows + 1  # and the login
