"""The decision date, in the workspace and in admin: a date picker, and the
date typed as Swedes write it ("2022-03-07", "7 mars 2022") is the date
stored; anything else, impossible dates included, is refused in Swedish."""

from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse

from followups import services
from followups.models import FollowUp, ReportRendering

pytestmark = pytest.mark.django_db

BAD_DATE = "Ange datumet som 2022-03-07 eller 7 mars 2022."
DECISION = {
    "decided_by": "Kommunstyrelsen",
    "decision_paragraph": "11",
    "registration_number": "KS-2022/177.173",
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def submitted(year, caseworker):
    services.submit(year.followup, caseworker)
    year.followup.refresh_from_db()
    return year


def test_decision_date_is_a_date_picker(client, secretary, submitted):
    client.force_login(secretary)

    html = client.get(submitted.url("followup-decision")).content.decode()

    assert '<input type="date" name="decision_date"' in html


@pytest.mark.parametrize(
    "typed",
    [
        "2022-03-07",
        "2022-3-7",
        "7 mars 2022",
        "7 Mars 2022",
        "07 mars 2022",
        "7 mar 2022",
        "7 mar. 2022",
        " 7 mars 2022 ",
    ],
)
def test_decision_date_typed_in_swedish_is_the_date_used(client, secretary, submitted, typed):
    client.force_login(secretary)

    response = client.post(submitted.url("followup-decision"), {**DECISION, "decision_date": typed})

    rendering = ReportRendering.objects.get(kind=ReportRendering.Kind.DECISION)
    assert response.status_code == 302
    assert response["Location"] == submitted.url("followup-decision-confirm", rendering.pk)
    assert rendering.decision_date == date(2022, 3, 7)


@pytest.mark.parametrize(
    "typed",
    [
        "2022-02-30",
        "31 april 2022",
        "29 februari 2022",
        "7/3/2022",
        "3/7/2022",
        "7.3.2022",
        "7 mars",
        "7 march 2022",
        "٢٠٢٢-٠٣-٠٧",
        "2022-03-07T10:00",
    ],
)
def test_decision_date_that_is_no_date_is_refused_in_swedish(client, secretary, submitted, typed):
    client.force_login(secretary)

    response = client.post(submitted.url("followup-decision"), {**DECISION, "decision_date": typed})

    assert response.status_code == 200
    assert response.context["form"].errors == {"decision_date": [BAD_DATE]}
    assert BAD_DATE in response.content.decode()
    assert not ReportRendering.objects.exists()
    submitted.followup.refresh_from_db()
    assert (submitted.followup.status, submitted.followup.decision_date) == (
        FollowUp.Status.SUBMITTED,
        None,
    )


def test_a_refused_form_shows_a_typed_date_in_iso_for_the_picker(client, secretary, submitted):
    client.force_login(secretary)

    response = client.post(
        submitted.url("followup-decision"),
        {**DECISION, "decision_paragraph": "", "decision_date": "7 mars 2022"},
    )

    assert response.status_code == 200
    assert 'type="date" name="decision_date" value="2022-03-07"' in response.content.decode()


# Admin


def admin_followup_data(year, decision_date: str) -> dict:
    return {
        "programme": str(year.programme.pk),
        "year": "2021",
        "scale": year.followup.scale,
        "summary": "",
        "registration_number": "KS-2022/177.173",
        "decided_by": "Kommunstyrelsen",
        "decision_date": decision_date,
        "decision_paragraph": "§ 11",
        "seen_version": str(year.followup.version),
    }


def test_admin_decision_date_is_a_date_picker(admin_client, year):
    url = reverse("admin:followups_followup_change", args=[year.followup.pk])

    html = admin_client.get(url).content.decode()

    assert 'type="date" name="decision_date"' in html


@pytest.mark.parametrize("typed", ["2022-03-07", "7 mars 2022"])
def test_admin_decision_date_typed_in_swedish_is_stored(admin_client, year, typed):
    url = reverse("admin:followups_followup_change", args=[year.followup.pk])

    response = admin_client.post(url, admin_followup_data(year, typed))

    assert response.status_code == 302
    year.followup.refresh_from_db()
    assert year.followup.decision_date == date(2022, 3, 7)


@pytest.mark.parametrize("typed", ["31 april 2022", "3/7/2022"])
def test_admin_decision_date_that_is_no_date_is_refused(admin_client, year, typed):
    url = reverse("admin:followups_followup_change", args=[year.followup.pk])

    response = admin_client.post(url, admin_followup_data(year, typed))

    assert response.status_code == 200
    assert BAD_DATE in response.content.decode()
    year.followup.refresh_from_db()
    assert year.followup.decision_date is None
