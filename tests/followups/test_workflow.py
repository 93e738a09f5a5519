"""Submitting a year for decision and returning it to draft."""

import pytest
from django.core.exceptions import ValidationError

from followups import services
from followups.models import FollowUp, StatusChange

pytestmark = pytest.mark.django_db


def test_caseworker_submits_draft(client, caseworker, year):
    client.force_login(caseworker)

    confirm = client.get(year.url("followup-submit"))
    response = client.post(year.url("followup-submit"))

    assert "Bedömda mål: 0 av 3" in confirm.content.decode()
    assert response["Location"] == year.url("followup")
    year.followup.refresh_from_db()
    assert year.followup.status == FollowUp.Status.SUBMITTED
    change = StatusChange.objects.get()
    assert (change.from_status, change.to_status, change.changed_by) == (
        "draft",
        "submitted",
        caseworker,
    )


def test_secretary_cannot_submit(client, secretary, year):
    client.force_login(secretary)

    response = client.post(year.url("followup-submit"))

    assert response.status_code == 403
    year.followup.refresh_from_db()
    assert year.followup.status == FollowUp.Status.DRAFT


def test_submitting_twice_is_refused(client, caseworker, year):
    client.force_login(caseworker)
    client.post(year.url("followup-submit"))

    response = client.post(year.url("followup-submit"))

    assert response.status_code == 403
    assert StatusChange.objects.count() == 1


def test_service_refuses_a_step_from_the_wrong_status(caseworker, year):
    services.submit(year.followup, caseworker)

    with pytest.raises(ValidationError) as error:
        services.submit(year.followup, caseworker)

    assert error.value.messages == [
        "Uppföljningen har inte längre status utkast utan inlämnad. Ingenting ändrades."
    ]
    assert StatusChange.objects.count() == 1


def test_secretary_returns_submitted_follow_up_with_comment(client, caseworker, secretary, year):
    services.submit(year.followup, caseworker)
    client.force_login(secretary)

    response = client.post(year.url("followup-return"), {"comment": "Analys saknas för 1.2."})

    assert response["Location"] == year.url("followup")
    year.followup.refresh_from_db()
    assert year.followup.status == FollowUp.Status.DRAFT
    change = StatusChange.objects.first()
    assert (change.to_status, change.comment, change.changed_by) == (
        "draft",
        "Analys saknas för 1.2.",
        secretary,
    )
    page = client.get(year.url("followup")).content.decode()
    assert "Analys saknas för 1.2." in page


@pytest.mark.parametrize("comment", ["", "   "])
def test_return_without_comment_is_refused(client, caseworker, secretary, year, comment):
    services.submit(year.followup, caseworker)
    client.force_login(secretary)

    response = client.post(year.url("followup-return"), {"comment": comment})

    assert response.status_code == 200
    assert "Detta fält måste fyllas i." in response.content.decode()
    year.followup.refresh_from_db()
    assert year.followup.status == FollowUp.Status.SUBMITTED


def test_caseworker_cannot_return(client, caseworker, year):
    services.submit(year.followup, caseworker)
    client.force_login(caseworker)

    response = client.post(year.url("followup-return"), {"comment": "Ångrar mig."})

    assert response.status_code == 403
    year.followup.refresh_from_db()
    assert year.followup.status == FollowUp.Status.SUBMITTED


def test_returned_year_can_be_edited_again(client, caseworker, secretary, year):
    services.submit(year.followup, caseworker)
    services.return_to_draft(year.followup, secretary, "Komplettera.")
    client.force_login(caseworker)

    assert client.get(year.url("activity-create")).status_code == 200
