"""The rules a year's follow-up must obey, proved both where the database
refuses bad rows and where model validation names the field in Swedish."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from followups.forms import ActivityAdminForm
from followups.models import (
    Activity,
    AreaSummary,
    FollowUp,
    GoalAssessment,
    GuidelineFollowUp,
    Rating,
    Scale,
)
from tests.factories import (
    ActivityFactory,
    AreaSummaryFactory,
    FollowUpFactory,
    GoalAssessmentFactory,
    GoalFactory,
    GuidelineFactory,
    GuidelineFollowUpFactory,
    ProgrammeFactory,
    ResponsibilityAreaFactory,
    StatusChangeFactory,
)

pytestmark = pytest.mark.django_db

LEVELS_2021 = "I mycket hög grad uppfylld, I hög grad uppfylld, Delvis uppfylld, Ej uppfyllt"
LEVELS_2020 = "Mycket god, God, Godtagbar, Ej godtagbar"
SCALE_2021_RATINGS = ["very_high", "high", "partly", "not_met"]
SCALE_2020_RATINGS = ["very_good", "good", "acceptable", "not_acceptable"]


def goal_message(goal) -> str:
    return f"Målet {goal} hör inte till uppföljningens program."


def unsaved_assessment(followup: FollowUp, rating: str) -> GoalAssessment:
    """An assessment, not yet saved, of a saved goal of the follow-up's programme."""
    return GoalAssessment(
        followup=followup, goal=GoalFactory(area__programme=followup.programme), rating=rating
    )


def unsaved_activity(**fields) -> Activity:
    """An activity, not yet saved, in a saved follow-up and area of its programme."""
    followup = FollowUpFactory()
    if "area" not in fields:
        fields["area"] = ResponsibilityAreaFactory(programme=followup.programme)
    return ActivityFactory.build(followup=followup, **fields)


def activity_admin_form(followup: FollowUp, area, goals) -> ActivityAdminForm:
    return ActivityAdminForm(
        data={
            "followup": followup.pk,
            "area": area.pk,
            "title": "Trygghetsvandring i Flemingsberg",
            "status": "planned",
            "goals": [goal.pk for goal in goals],
        }
    )


# One follow-up per programme and year, inside the programme's period


def test_second_followup_for_the_same_year_is_refused_by_the_database():
    followup = FollowUpFactory(year=2021)

    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUp.objects.create(programme=followup.programme, year=2021)

    assert FollowUp.objects.filter(programme=followup.programme).count() == 1


def test_second_followup_for_the_same_year_is_refused_by_validation():
    followup = FollowUpFactory(year=2021)
    duplicate = FollowUpFactory.build(programme=followup.programme, year=2021)

    with pytest.raises(ValidationError) as refused:
        duplicate.full_clean()

    assert refused.value.message_dict == {
        "__all__": ["Programmet har redan en uppföljning för det här året."]
    }


def test_followups_of_other_years_and_programmes_are_accepted():
    followup = FollowUpFactory(year=2021)
    FollowUpFactory(programme=followup.programme, year=2020)
    FollowUpFactory(year=2021)

    assert FollowUp.objects.filter(year=2021).count() == 2
    assert followup.programme.followups.count() == 2


@pytest.mark.parametrize("year", [2017, 2022])
def test_followup_year_outside_the_programme_period_is_refused(year):
    followup = FollowUpFactory.build(programme=ProgrammeFactory(), year=year)

    with pytest.raises(ValidationError) as refused:
        followup.full_clean()

    assert refused.value.message_dict == {
        "year": ["Året måste ligga inom programperioden 2018–2021."]
    }


@pytest.mark.parametrize("year", [2018, 2021])
def test_followup_year_at_the_ends_of_the_period_is_accepted(year):
    FollowUpFactory.build(programme=ProgrammeFactory(), year=year).full_clean()


# An approved follow-up carries its decision


@pytest.mark.parametrize(
    "decision",
    [
        {"decision_date": None, "approved_at": None},
        {"decision_date": datetime.date(2022, 2, 7), "approved_at": None},
        {"decision_date": None, "approved_at": datetime.datetime(2022, 2, 8, tzinfo=datetime.UTC)},
    ],
    ids=["neither", "no-approval-time", "no-decision-date"],
)
def test_approved_followup_without_decision_is_refused_by_the_database(decision):
    programme = ProgrammeFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUp.objects.create(programme=programme, year=2021, status="approved", **decision)

    assert FollowUp.objects.count() == 0


def test_approved_followup_without_decision_is_refused_by_validation():
    followup = FollowUpFactory.build(programme=ProgrammeFactory(), status="approved")

    with pytest.raises(ValidationError) as refused:
        followup.full_clean()

    assert refused.value.message_dict == {
        "__all__": ["En godkänd uppföljning måste ha beslutsdatum och tidpunkt för godkännandet."]
    }


def test_approved_followup_with_decision_is_accepted():
    followup = FollowUpFactory(
        status="approved",
        decision_date=datetime.date(2022, 2, 7),
        approved_at=timezone.now(),
    )

    followup.full_clean()
    followup.refresh_from_db()
    assert followup.is_approved


# One assessment, summary and guideline text per part and follow-up

# (factory, the part's field, the Swedish message of the unique constraint)
ONE_PER_PART = [
    (GoalAssessmentFactory, "goal", "Målet är redan bedömt i den här uppföljningen."),
    (
        AreaSummaryFactory,
        "area",
        "Ansvarsområdet har redan en sammanfattning i den här uppföljningen.",
    ),
    (
        GuidelineFollowUpFactory,
        "guideline",
        "Riktlinjen är redan uppföljd i den här uppföljningen.",
    ),
]
PART_IDS = ["assessment", "area-summary", "guideline-text"]


@pytest.mark.parametrize(("factory", "part", "message"), ONE_PER_PART, ids=PART_IDS)
def test_second_text_for_the_same_part_is_refused_by_the_database(factory, part, message):
    first = factory()
    model = factory._meta.model

    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(followup=first.followup, **{part: getattr(first, part)})

    assert model.objects.count() == 1


@pytest.mark.parametrize(("factory", "part", "message"), ONE_PER_PART, ids=PART_IDS)
def test_second_text_for_the_same_part_is_refused_by_validation(factory, part, message):
    first = factory()
    duplicate = factory._meta.model(followup=first.followup, **{part: getattr(first, part)})

    with pytest.raises(ValidationError) as refused:
        duplicate.full_clean()

    assert refused.value.message_dict == {"__all__": [message]}


def test_the_same_goal_may_be_assessed_in_each_year():
    assessment = GoalAssessmentFactory()
    next_year = FollowUpFactory(programme=assessment.followup.programme, year=2020)
    other = GoalAssessment(followup=next_year, goal=assessment.goal)

    other.full_clean()
    other.save()

    assert assessment.goal.assessments.count() == 2


# Parts of another programme


@pytest.mark.parametrize(
    ("model", "part", "make_part", "message"),
    [
        (GoalAssessment, "goal", GoalFactory, "Målet måste höra till uppföljningens program."),
        (
            AreaSummary,
            "area",
            ResponsibilityAreaFactory,
            "Ansvarsområdet måste höra till uppföljningens program.",
        ),
        (
            GuidelineFollowUp,
            "guideline",
            GuidelineFactory,
            "Riktlinjen måste höra till uppföljningens program.",
        ),
    ],
    ids=PART_IDS,
)
def test_text_for_a_part_of_another_programme_is_refused(model, part, make_part, message):
    text = model(followup=FollowUpFactory(), **{part: make_part()})

    with pytest.raises(ValidationError) as refused:
        text.full_clean()

    assert refused.value.message_dict == {"__all__": [message]}


def test_texts_for_parts_of_the_followups_own_programme_are_accepted():
    followup = FollowUpFactory()
    programme = followup.programme

    unsaved_assessment(followup, rating="").full_clean()
    AreaSummary(followup=followup, area=ResponsibilityAreaFactory(programme=programme)).full_clean()
    GuidelineFollowUp(
        followup=followup, guideline=GuidelineFactory(programme=programme)
    ).full_clean()


# The goal-fulfilment scale


OWN_LEVELS = [(Scale.FROM_2021, 2021, rating) for rating in SCALE_2021_RATINGS] + [
    (Scale.UNTIL_2020, 2020, rating) for rating in SCALE_2020_RATINGS
]
OTHER_LEVELS = [(Scale.FROM_2021, 2021, rating, LEVELS_2021) for rating in SCALE_2020_RATINGS] + [
    (Scale.UNTIL_2020, 2020, rating, LEVELS_2020) for rating in SCALE_2021_RATINGS
]


@pytest.mark.parametrize(("scale", "year", "rating"), OWN_LEVELS)
def test_a_scale_accepts_its_own_levels(scale, year, rating):
    unsaved_assessment(FollowUpFactory(scale=scale, year=year), rating).full_clean()


@pytest.mark.parametrize(("scale", "year", "rating", "levels"), OTHER_LEVELS)
def test_a_scale_refuses_the_levels_of_the_other_scale(scale, year, rating, levels):
    assessment = unsaved_assessment(FollowUpFactory(scale=scale, year=year), rating)

    with pytest.raises(ValidationError) as refused:
        assessment.full_clean()

    assert refused.value.message_dict == {
        "rating": [f"Bedömningen måste göras enligt uppföljningens skala: {levels}."]
    }


@pytest.mark.parametrize("scale", [Scale.FROM_2021, Scale.UNTIL_2020])
def test_not_yet_assessed_is_valid_on_either_scale(scale):
    GoalAssessmentFactory(followup__scale=scale, rating="").full_clean()


def test_rating_outside_both_scales_is_refused_by_the_database():
    assessment = GoalAssessmentFactory(rating="high")

    with pytest.raises(IntegrityError), transaction.atomic():
        GoalAssessment.objects.filter(pk=assessment.pk).update(rating="excellent")

    assessment.refresh_from_db()
    assert assessment.rating == "high"


def test_rating_outside_both_scales_is_refused_by_validation():
    assessment = unsaved_assessment(FollowUpFactory(), rating="excellent")

    with pytest.raises(ValidationError) as refused:
        assessment.full_clean()

    # Model.clean() runs after a field error, as Form.clean() does, so the
    # scale check adds its own message.
    assert refused.value.message_dict == {
        "rating": [
            "Värdet 'excellent' är inget giltigt alternativ.",
            f"Bedömningen måste göras enligt uppföljningens skala: {LEVELS_2021}.",
        ]
    }


def test_scale_change_is_refused_when_goals_are_rated_on_the_old_scale():
    assessment = GoalAssessmentFactory(followup__scale=Scale.FROM_2021, rating=Rating.HIGH)
    followup = assessment.followup
    followup.scale = Scale.UNTIL_2020

    with pytest.raises(ValidationError) as refused:
        followup.full_clean()

    assert refused.value.message_dict == {
        "scale": [
            "Mål i den här uppföljningen är bedömda enligt den andra skalan. "
            "Ändra de bedömningarna först."
        ]
    }


def test_scale_change_is_accepted_while_no_goal_is_rated():
    assessment = GoalAssessmentFactory(followup__scale=Scale.FROM_2021, rating="")
    followup = assessment.followup
    followup.scale = Scale.UNTIL_2020

    followup.full_clean()


# Activities: goals and area of the activity's own programme


def test_admin_form_refuses_a_goal_of_another_programme_and_saves_nothing():
    followup = FollowUpFactory()
    area = ResponsibilityAreaFactory(programme=followup.programme)
    foreign = GoalFactory()
    form = activity_admin_form(followup, area, goals=[GoalFactory(area=area), foreign])

    assert not form.is_valid()
    assert form.errors == {"goals": [goal_message(foreign)]}
    assert Activity.objects.count() == 0


def test_admin_form_saves_goals_of_the_activitys_programme():
    followup = FollowUpFactory()
    area = ResponsibilityAreaFactory(programme=followup.programme)
    goals = [
        GoalFactory(area=area),
        GoalFactory(area=ResponsibilityAreaFactory(programme=followup.programme)),
    ]
    form = activity_admin_form(followup, area, goals)

    assert form.is_valid(), form.errors
    activity = form.save()

    activity.refresh_from_db()
    assert activity.title == "Trygghetsvandring i Flemingsberg"
    assert set(activity.goals.all()) == set(goals)


def test_adding_a_goal_of_another_programme_is_refused_and_adds_nothing():
    activity = ActivityFactory()
    own = GoalFactory(area=activity.area)
    foreign = GoalFactory()

    # add() runs in atomic(savepoint=False): the refusal spoils the enclosing
    # transaction, so callers wrap it in a savepoint of their own.
    with pytest.raises(ValidationError) as refused, transaction.atomic():
        activity.goals.add(own, foreign)

    assert refused.value.messages == [goal_message(foreign)]
    assert list(activity.goals.all()) == []


def test_adding_an_activity_of_another_programme_to_a_goal_is_refused():
    activity = ActivityFactory()
    foreign = GoalFactory()

    with pytest.raises(ValidationError) as refused, transaction.atomic():
        foreign.activities.add(activity)

    assert refused.value.messages == [goal_message(foreign)]
    assert list(foreign.activities.all()) == []


def test_goals_of_the_activitys_programme_are_added_both_ways():
    activity = ActivityFactory()
    first = GoalFactory(area=activity.area)
    second = GoalFactory(area=ResponsibilityAreaFactory(programme=activity.followup.programme))

    activity.goals.add(first)
    second.activities.add(activity)

    assert set(activity.goals.all()) == {first, second}


def test_activity_area_of_another_programme_is_refused():
    activity = unsaved_activity(area=ResponsibilityAreaFactory())

    with pytest.raises(ValidationError) as refused:
        activity.full_clean()

    assert refused.value.message_dict == {
        "area": ["Ansvarsområdet måste höra till uppföljningens program."]
    }


# Activities: continuing an earlier year


def test_activity_continuing_an_earlier_year_is_accepted():
    earlier = ActivityFactory(followup__year=2020)
    activity = ActivityFactory.build(
        followup=FollowUpFactory(programme=earlier.followup.programme, year=2021),
        area=earlier.area,
        continues=earlier,
    )

    activity.full_clean()
    activity.save()

    assert list(earlier.continuations.all()) == [activity]


@pytest.mark.parametrize("year", [2021, 2020], ids=["continued-same-year", "continued-later-year"])
def test_activity_continuing_an_activity_of_the_same_or_a_later_year_is_refused(year):
    continued = ActivityFactory(followup__year=2021)
    programme = continued.followup.programme
    followup = (
        continued.followup if year == 2021 else FollowUpFactory(programme=programme, year=year)
    )
    activity = ActivityFactory.build(followup=followup, area=continued.area, continues=continued)

    with pytest.raises(ValidationError) as refused:
        activity.full_clean()

    assert refused.value.message_dict == {
        "continues": ["Aktiviteten som fortsätts måste höra till ett tidigare år."]
    }


def test_activity_continuing_itself_is_refused():
    activity = ActivityFactory()
    activity.continues = activity

    with pytest.raises(ValidationError) as refused:
        activity.full_clean()

    assert refused.value.message_dict == {
        "continues": ["En aktivitet kan inte vara en fortsättning på sig själv."]
    }


# Activities: cost


def test_negative_cost_is_refused_by_the_database():
    activity = unsaved_activity(cost=Decimal(-1))

    with pytest.raises(IntegrityError), transaction.atomic():
        activity.save()

    assert Activity.objects.count() == 0


def test_negative_cost_is_refused_by_validation():
    activity = unsaved_activity(cost=Decimal(-1))

    with pytest.raises(ValidationError) as refused:
        activity.full_clean()

    assert refused.value.message_dict == {
        "cost": ["Kontrollera att detta värde är större än eller lika med 0."]
    }


def test_negative_cost_constraint_carries_the_swedish_message():
    activity = unsaved_activity(cost=Decimal(-1))

    with pytest.raises(ValidationError) as refused:
        activity.validate_constraints()

    assert refused.value.message_dict == {"__all__": ["Kostnaden kan inte vara negativ."]}


@pytest.mark.parametrize("cost", [Decimal(0), Decimal(125000), None], ids=["zero", "some", "none"])
def test_zero_positive_or_unknown_cost_is_accepted(cost):
    activity = ActivityFactory(cost=cost)

    activity.full_clean()
    activity.refresh_from_db()
    assert activity.cost == cost


# Readable names


def test_followup_and_part_str_are_readable():
    programme = ProgrammeFactory(name="Program för trygghet och säkerhet")
    followup = FollowUpFactory(programme=programme, year=2021)
    area = ResponsibilityAreaFactory(programme=programme, number=2, name="Skydd mot olyckor")
    goal = GoalFactory(area=area, code="2.1", title="Färre bränder")
    guideline = GuidelineFactory(programme=programme, name="Graffiti")

    assert str(followup) == "Program för trygghet och säkerhet – 2021"
    assert str(ActivityFactory(followup=followup, area=area, title="Brandvecka")) == "Brandvecka"
    assert str(GoalAssessmentFactory(followup=followup, goal=goal)) == "2.1 2021"
    assert str(AreaSummaryFactory(followup=followup, area=area)) == "2 Skydd mot olyckor 2021"
    assert str(GuidelineFollowUpFactory(followup=followup, guideline=guideline)) == "Graffiti 2021"
    assert str(StatusChangeFactory(followup=followup)) == (
        "Program för trygghet och säkerhet – 2021: Utkast → Inlämnad"
    )
