"""Personal data: kept to a minimum and removable while the record of what
a person did stays."""

import re

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.urls import reverse

from audit.models import AuditEvent
from followups import services

pytestmark = pytest.mark.django_db

IDENTITY_NUMBER = re.compile(r"person(al)?_?(nummer|number|identity)|ssn|identity_number", re.I)


def test_no_model_stores_a_personal_identity_number():
    fields = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if IDENTITY_NUMBER.search(field.name)
    ]

    assert fields == []


def test_user_model_keeps_only_name_and_work_email_of_the_person():
    user_fields = {f.name for f in apps.get_model("auth", "User")._meta.concrete_fields}

    assert user_fields == {
        "id",
        "password",
        "last_login",
        "is_superuser",
        "username",
        "first_name",
        "last_name",
        "email",
        "is_staff",
        "is_active",
        "date_joined",
    }


def test_anonymise_user_removes_the_person_and_keeps_what_they_did(client, caseworker, year):
    caseworker.first_name, caseworker.last_name = "Karin", "Svensson"
    caseworker.email = "karin.svensson@huddinge.se"
    caseworker.save()
    client.post(reverse("login"), {"username": caseworker.username, "password": "fel"})
    client.force_login(caseworker)
    services.submit(year.followup, caseworker)
    old_username = caseworker.username

    call_command("anonymise_user", old_username, stdout=open("/dev/null", "w"))  # noqa: SIM115

    caseworker.refresh_from_db()
    assert caseworker.username == f"borttagen-{caseworker.pk}"
    assert (caseworker.first_name, caseworker.last_name, caseworker.email) == ("", "", "")
    assert not caseworker.has_usable_password()
    assert (caseworker.is_active, caseworker.is_staff) == (False, False)
    assert not caseworker.groups.exists()
    assert not Session.objects.exists()
    assert not AccessAttempt.objects.filter(username=old_username).exists()
    submission = AuditEvent.objects.get(action=AuditEvent.Action.SUBMIT)
    assert submission.user == caseworker
    assert year.followup.status_changes.get().changed_by == caseworker
    # The session is gone: the next request goes to the login page.
    assert client.get(year.url("followup")).status_code == 302


def test_anonymise_unknown_user_is_an_error():
    with pytest.raises(CommandError, match="Det finns ingen användare"):
        call_command("anonymise_user", "finns-inte")
