"""Nothing of an approved year can be changed: not through the workspace
(403) and not through the models (ValidationError), while other years stay
editable. The admin: test_report_lock_admin.py."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from followups.models import Activity, AreaSummary, GoalAssessment, GuidelineFollowUp
from programmes.models import IndicatorValue
from tests.conftest import ADMINISTRATOR, CASEWORKER
from tests.factories import IndicatorFactory, IndicatorValueFactory
from tests.followups.approval import LOCKED, fill_and_approve, year_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(year):
    fill_and_approve(year)
    return year


# The workspace


def workspace_post(year, page: str) -> tuple[str, dict]:
    """A POST that would change the year if it were a draft."""
    goal, indicator, guideline = year.goal11.pk, year.indicator.pk, year.guideline.pk
    activity = {"title": "Ändrad", "area": year.area1.pk, "status": "done", "version": "1"}
    posts = {
        "activity-create": (year.url("activity-create"), {**activity, "version": "0"}),
        "activity-update": (year.url("activity-update", year.activity.pk), activity),
        "activity-delete": (year.url("activity-delete", year.activity.pk), {}),
        "area-assessment": (
            year.url("area-assessment", 1),
            {
                f"goal-{goal}-rating": "partly",
                f"goal-{goal}-analysis": "Ändrad.",
                f"goal-{goal}-version": "1",
                f"goal-{year.goal12.pk}-rating": "",
                f"goal-{year.goal12.pk}-analysis": "Ny.",
                f"goal-{year.goal12.pk}-version": "0",
                "summary-text": "Ändrad.",
                "summary-version": "1",
            },
        ),
        "indicator-values": (
            year.url("indicator-values"),
            {
                f"indicator-{indicator}-value": "99",
                f"indicator-{indicator}-comment": "Ändrad.",
                f"indicator-{indicator}-version": "1",
            },
        ),
        "guideline-texts": (
            year.url("guideline-texts"),
            {f"guideline-{guideline}-text": "Ändrad.", f"guideline-{guideline}-version": "1"},
        ),
        "followup-summary": (
            year.url("followup-summary"),
            {"followup-summary": "Ändrad.", "followup-version": str(year.followup.version)},
        ),
        "followup-submit": (year.url("followup-submit"), {}),
    }
    return posts[page]


PAGES = [
    "activity-create",
    "activity-update",
    "activity-delete",
    "area-assessment",
    "indicator-values",
    "guideline-texts",
    "followup-summary",
    "followup-submit",
]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", [CASEWORKER, ADMINISTRATOR])
def test_nobody_changes_an_approved_year_in_the_workspace(
    client, user_in_group, approved, role, page
):
    before = year_state(approved.followup)
    client.force_login(user_in_group(role))
    url, data = workspace_post(approved, page)

    response = client.post(url, data)

    assert response.status_code == 403
    assert year_state(approved.followup) == before


# The models


def refused(change) -> list[str]:
    """Runs the change in its own savepoint and returns the refusal's messages."""
    with pytest.raises(ValidationError) as error, transaction.atomic():
        change()
    return error.value.messages


def test_model_refuses_to_save_or_delete_an_approved_years_activity(approved):
    activity = Activity.objects.get(pk=approved.activity.pk)
    activity.title = "Ändrad i skalet"

    assert refused(activity.save) == [LOCKED]
    assert refused(activity.delete) == [LOCKED]
    assert Activity.objects.get(pk=activity.pk).title == "Trygghetsvandring i Skogås"


@pytest.mark.parametrize(
    ("model", "field"),
    [(GoalAssessment, "analysis"), (AreaSummary, "text"), (GuidelineFollowUp, "text")],
)
def test_model_refuses_to_save_or_delete_an_approved_years_texts(approved, model, field):
    text = model.objects.get(followup=approved.followup)
    setattr(text, field, "Ändrad i skalet")
    before = year_state(approved.followup)

    assert refused(text.save) == [LOCKED]
    assert refused(text.delete) == [LOCKED]
    assert year_state(approved.followup) == before


@pytest.mark.parametrize(
    "change",
    [
        lambda y: y.activity.goals.add(y.goal12),
        lambda y: y.activity.goals.clear(),
        lambda y: y.activity.partners.clear(),
        lambda y: y.activity.districts.set([]),
    ],
    ids=["goals.add", "goals.clear", "partners.clear", "districts.set"],
)
def test_model_refuses_to_change_an_approved_activitys_links(approved, change):
    before = year_state(approved.followup)

    assert refused(lambda: change(approved)) == [LOCKED]
    assert year_state(approved.followup) == before


@pytest.mark.parametrize(
    "change",
    [
        lambda y: y.goal12.activities.add(y.activity),
        lambda y: y.activity.partners.first().activities.remove(y.activity),
        lambda y: y.activity.districts.first().activities.clear(),
    ],
    ids=["goal.activities.add", "partner.activities.remove", "district.activities.clear"],
)
def test_model_refuses_to_change_an_approved_activitys_links_from_the_other_side(approved, change):
    before = year_state(approved.followup)

    assert refused(lambda: change(approved)) == [LOCKED]
    assert year_state(approved.followup) == before


@pytest.mark.parametrize(
    "make",
    [
        lambda y: GoalAssessment(followup=y.followup, goal=y.goal12, rating="high"),
        lambda y: AreaSummary(followup=y.followup, area=y.area2, text="Ny."),
        lambda y: Activity(followup=y.followup, area=y.area1, title="Ny"),
    ],
    ids=["assessment", "area summary", "activity"],
)
def test_model_refuses_new_texts_in_an_approved_year(approved, make):
    before = year_state(approved.followup)

    assert refused(make(approved).save) == [LOCKED]
    assert year_state(approved.followup) == before


def test_model_refuses_to_move_an_activity_out_of_an_approved_year(approved):
    activity = Activity.objects.get(pk=approved.activity.pk)
    activity.followup = approved.previous  # 2020, a draft

    assert refused(activity.save) == [LOCKED]
    assert Activity.objects.get(pk=activity.pk).followup == approved.followup


def test_model_refuses_to_move_an_assessment_out_of_an_approved_year(approved):
    assessment = GoalAssessment.objects.get(followup=approved.followup)
    GoalAssessment.objects.filter(followup=approved.previous).delete()
    assessment.followup = approved.previous

    assert refused(assessment.save) == [LOCKED]
    assert GoalAssessment.objects.get(pk=assessment.pk).followup == approved.followup


def test_model_refuses_an_indicator_value_of_the_approved_year(approved):
    value = IndicatorValue.objects.get(indicator=approved.indicator, year=2021)
    value.value = Decimal(99)
    new = IndicatorValue(
        indicator=IndicatorFactory(area=approved.area2), year=2021, value=Decimal(1)
    )

    assert refused(value.save) == [LOCKED]
    assert refused(value.delete) == [LOCKED]
    assert refused(new.save) == [LOCKED]
    assert list(IndicatorValue.objects.filter(year=2021).values_list("value", flat=True)) == [
        Decimal(70)
    ]


def test_model_refuses_to_move_an_indicator_value_out_of_the_approved_year(approved):
    value = IndicatorValue.objects.get(indicator=approved.indicator, year=2021)
    value.year = 2019

    assert refused(value.save) == [LOCKED]
    assert IndicatorValue.objects.get(pk=value.pk).year == 2021


def test_another_years_indicator_value_still_saves(approved):
    value = IndicatorValue.objects.get(indicator=approved.indicator, year=2020)
    value.value = Decimal(66)

    value.save()
    IndicatorValue.objects.create(indicator=approved.indicator, year=2019, value=Decimal(60))

    assert list(
        IndicatorValue.objects.filter(indicator=approved.indicator)
        .order_by("year")
        .values_list("year", "value")
    ) == [(2019, Decimal(60)), (2020, Decimal(66)), (2021, Decimal(70))]


def test_an_approved_year_locks_only_its_own_programmes_values(approved):
    other = IndicatorValueFactory(year=2021, value=Decimal(5))  # another programme's indicator

    other.value = Decimal(6)
    other.save()

    assert IndicatorValue.objects.get(pk=other.pk).value == Decimal(6)


@pytest.mark.parametrize("kind", ["partners", "districts"])
def test_deleting_a_reference_entry_an_approved_year_uses_is_refused(approved, kind):
    """Retired entries stay for old years: deleting one would silently take it
    out of the approved year's activities."""
    entry = getattr(approved.activity, kind).get()
    before = year_state(approved.followup)

    with pytest.raises((ValidationError, ProtectedError)), transaction.atomic():
        entry.delete()

    assert year_state(approved.followup) == before
