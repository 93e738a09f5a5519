"""The models refuse, whatever writes (page, admin, shell, a script): a
status change outside the cycle's services, any change or delete of an
archived report, and any change to a submitted or approved year's content
until it is returned to draft."""

import re
from contextlib import contextmanager
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from followups import services
from followups.models import Activity, ArchivedReport, FollowUp, GoalAssessment
from programmes.models import Goal, IndicatorValue
from tests.factories import (
    ActivityFactory,
    ArchivedReportFactory,
    AreaSummaryFactory,
    GoalAssessmentFactory,
    GuidelineFollowUpFactory,
    IndicatorValueFactory,
    PartnerFactory,
)
from tests.followups.approval import approve_without_archive, year_state

pytestmark = pytest.mark.django_db

SUBMITTED = (
    "Uppföljningen för året är inlämnad. Ingenting i den kan ändras om den inte "
    "lämnas tillbaka som utkast."
)
APPROVED = "Uppföljningen för året är godkänd. Ingenting i den kan ändras."
OUTSIDE_CYCLE = (
    "En uppföljnings status ändras bara genom årets steg (lämna in, lämna tillbaka, "
    "registrera beslut, öppna igen). Ingenting ändrades."
)
ARCHIVED = "En arkiverad rapport är en allmän handling: den kan varken ändras eller tas bort."


@contextmanager
def refused(message: str):
    """The write raises the Swedish message. It runs in a transaction of its
    own, as the pages' writes do, so the test can look at the data after."""
    with pytest.raises(ValidationError, match=re.escape(message)), transaction.atomic():
        yield


# --- the status -----------------------------------------------------------


@pytest.mark.parametrize("status", [FollowUp.Status.SUBMITTED, FollowUp.Status.APPROVED])
def test_save_cannot_move_a_draft_on(year, status):
    year.followup.status = status

    with refused(OUTSIDE_CYCLE):
        year.followup.save()

    assert FollowUp.objects.get(pk=year.followup.pk).status == FollowUp.Status.DRAFT


def test_save_cannot_move_an_approved_year_back_to_draft(year):
    approve_without_archive(year.followup)
    year.followup.status = FollowUp.Status.DRAFT

    with refused(OUTSIDE_CYCLE):
        year.followup.save()

    assert FollowUp.objects.get(pk=year.followup.pk).status == FollowUp.Status.APPROVED


def test_a_queryset_update_cannot_change_a_status(year):
    with refused(OUTSIDE_CYCLE):
        FollowUp.objects.filter(pk=year.followup.pk).update(status=FollowUp.Status.SUBMITTED)

    assert FollowUp.objects.get(pk=year.followup.pk).status == FollowUp.Status.DRAFT


def test_the_cycles_services_still_move_the_year(year, caseworker, secretary):
    submitted = services.submit(year.followup, caseworker)
    returned = services.return_to_draft(submitted, secretary, "Komplettera mål 1.2.")

    assert (submitted.status, returned.status) == ("submitted", "draft")
    assert FollowUp.objects.get(pk=year.followup.pk).status == FollowUp.Status.DRAFT


def test_a_drafts_own_text_can_be_saved(year):
    year.followup.summary = "Året i korthet."
    year.followup.save()

    assert FollowUp.objects.get(pk=year.followup.pk).summary == "Året i korthet."


# --- a submitted or approved year's own fields ------------------------------


@pytest.fixture(params=["submitted", "approved"])
def closed_year(request, year, caseworker):
    year.activity.goals.add(year.goal12)  # a goal linked to nothing else
    if request.param == "submitted":
        services.submit(year.followup, caseworker)
        year.message = SUBMITTED
    else:
        approve_without_archive(year.followup)
        year.message = APPROVED
    year.followup.refresh_from_db()
    year.state = year_state(year.followup)
    return year


def test_a_closed_years_summary_cannot_be_saved(closed_year):
    closed_year.followup.summary = "Ändrad i efterhand."

    with refused(closed_year.message):
        closed_year.followup.save()

    assert year_state(closed_year.followup) == closed_year.state


def test_a_closed_year_cannot_be_changed_or_deleted_in_bulk(closed_year):
    rows = FollowUp.objects.filter(pk=closed_year.followup.pk)

    with refused(SUBMITTED):
        rows.update(summary="Ändrad i efterhand.")
    with refused(SUBMITTED):
        rows.delete()
    with refused(SUBMITTED):
        closed_year.followup.delete()

    assert year_state(closed_year.followup) == closed_year.state


# --- a submitted or approved year's content --------------------------------

CONTENT_WRITES = {
    "a new activity": lambda y: ActivityFactory(followup=y.followup, area=y.area1),
    "an activity changed": lambda y: (
        setattr(y.activity, "title", "Ändrad"),
        y.activity.save(),
    ),
    "an activity deleted": lambda y: y.activity.delete(),
    "activities deleted in bulk": lambda y: Activity.objects.filter(pk=y.activity.pk).delete(),
    "a goal linked": lambda y: y.activity.goals.add(y.goal21),
    "a partner linked from its side": lambda y: PartnerFactory().activities.add(y.activity),
    "the districts cleared": lambda y: y.activity.districts.clear(),
    "a linked goal deleted": lambda y: Goal.objects.get(pk=y.goal12.pk).delete(),
    "a new assessment": lambda y: GoalAssessmentFactory(followup=y.followup, goal=y.goal21),
    "a new area summary": lambda y: AreaSummaryFactory(followup=y.followup, area=y.area1),
    "a new guideline text": lambda y: GuidelineFollowUpFactory(
        followup=y.followup, guideline=y.guideline
    ),
    "the year's indicator value added": lambda y: IndicatorValueFactory(
        indicator=y.indicator, year=2021, value=Decimal(70)
    ),
    "last year's value moved into this year": lambda y: (
        setattr(value := IndicatorValue.objects.get(indicator=y.indicator), "year", 2021),
        value.save(),
    ),
}


@pytest.mark.parametrize("write", CONTENT_WRITES.values(), ids=CONTENT_WRITES.keys())
def test_nothing_of_a_closed_years_content_can_be_written(closed_year, write):
    with refused(closed_year.message):
        write(closed_year)

    assert year_state(closed_year.followup) == closed_year.state


def test_returned_to_draft_the_content_can_be_changed_again(year, caseworker, secretary):
    submitted = services.submit(year.followup, caseworker)
    with refused(SUBMITTED):
        GoalAssessmentFactory(followup=year.followup, goal=year.goal12)

    services.return_to_draft(submitted, secretary, "Komplettera mål 1.2.")
    GoalAssessmentFactory(followup=year.followup, goal=year.goal12, rating="high")

    assert GoalAssessment.objects.get(followup=year.followup, goal=year.goal12).rating == "high"


def test_another_years_value_stays_open_while_this_one_is_submitted(year, caseworker):
    services.submit(year.followup, caseworker)

    value = IndicatorValue.objects.get(indicator=year.indicator, year=2020)
    value.value = Decimal(65)
    value.save()

    assert IndicatorValue.objects.get(pk=value.pk).value == Decimal(65)


# --- archived reports --------------------------------------------------------


@pytest.fixture
def archive(year):
    approve_without_archive(year.followup)
    return ArchivedReportFactory(followup=year.followup, number=1, sha256="ab" * 32)


def stored(archive) -> dict:
    return ArchivedReport.objects.filter(pk=archive.pk).values().get()


def test_an_archived_report_cannot_be_changed(archive):
    before = stored(archive)
    archive.sha256 = "cd" * 32

    with refused(ARCHIVED):
        archive.save()

    assert stored(archive) == before


def test_an_archived_report_cannot_be_deleted(archive):
    before = stored(archive)

    with refused(ARCHIVED):
        archive.delete()

    assert stored(archive) == before


def test_archived_reports_cannot_be_changed_or_deleted_in_bulk(archive):
    before = stored(archive)
    rows = ArchivedReport.objects.filter(pk=archive.pk)

    with refused(ARCHIVED):
        rows.update(decision_date=date(2030, 1, 1))
    with refused(ARCHIVED):
        rows.delete()
    with refused(ARCHIVED):
        ArchivedReport.objects.bulk_update([archive], ["sha256"])

    assert stored(archive) == before


def test_a_second_archived_version_can_be_created_beside_the_first(archive, year):
    second = ArchivedReportFactory(followup=year.followup, number=2, sha256="ef" * 32)

    assert list(ArchivedReport.objects.filter(followup=year.followup).values_list("number")) == [
        (2,),
        (1,),
    ]
    assert second.pk != archive.pk
