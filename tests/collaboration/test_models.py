"""The collaboration's rules: each refuses with its Swedish message and
changes nothing (the database's constraints, the models' ``clean()`` and the
guards in ``collaboration/signals.py``), and the admin pages answer."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from collaboration.models import (
    ActionPlan,
    Agreement,
    CitizenPromise,
    Measure,
    PriorityArea,
    PriorityAreaStatus,
    Problem,
    PromiseRating,
    SituationPicture,
    TertialFollowUp,
)
from tests.collaboration.factories import (
    ActionPlanFactory,
    AgreementFactory,
    CitizenPromiseFactory,
    MeasureFactory,
    PriorityAreaFactory,
    PriorityAreaStatusFactory,
    ProblemFactory,
    PromiseRatingFactory,
    SituationPictureFactory,
    TertialFollowUpFactory,
)
from tests.conftest import ADMINISTRATOR, CASEWORKER
from tests.factories import FollowUpFactory, UserFactory
from tests.followups.approval import approve_without_archive

pytestmark = pytest.mark.django_db

LAST_YEAR_BEFORE_FIRST = "Sista året kan inte ligga före första året."
PERIOD_ENDS_BEFORE_IT_BEGINS = "Perioden kan inte sluta innan den börjar."
OUTSIDE_PERIOD = "Året måste ligga inom överenskommelsens period 2021–2022."
AREA_OF_ANOTHER_AGREEMENT = "Det prioriterade området måste höra till överenskommelsen."
PROMISE_OF_ANOTHER_AGREEMENT_OR_YEAR = "Löftet måste vara ett av överenskommelsens löften för året."
DUPLICATE_TERTIAL = "Överenskommelsen har redan en uppföljning för denna tertial."
DUPLICATE_AGREEMENT = "Det finns redan en överenskommelse med denna titel och detta första år."
DUPLICATE_AREA = "Överenskommelsen har redan ett prioriterat område med detta namn."
DUPLICATE_PROBLEM = "Lägesbilden tar redan upp detta problem."
DECIDED_WITHOUT_BODY = "En beslutad plan anger vilket organ som beslutade den."
FOREIGN_PROBLEM = "En åtgärd kan bara rikta sig mot problem i planens lägesbild."
FROZEN_2021 = "Årsuppföljningen för 2021 är godkänd; årets tertialer kan inte längre ändras."


def refusal(instance) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        instance.full_clean()
    return refused.value.message_dict


def constraint_refusal(instance) -> dict[str, list[str]]:
    """The database constraints' messages alone (``full_clean`` leaves out
    the constraints on fields that ``clean()`` refused already)."""
    with pytest.raises(ValidationError) as refused:
        instance.validate_constraints()
    return refused.value.message_dict


# Periods


def test_agreement_ending_before_it_begins_is_refused_by_validation():
    agreement = AgreementFactory.build(first_year=2022, last_year=2021)

    assert refusal(agreement) == {"last_year": [LAST_YEAR_BEFORE_FIRST]}
    assert constraint_refusal(agreement) == {"__all__": [LAST_YEAR_BEFORE_FIRST]}


def test_agreement_ending_before_it_begins_is_refused_by_the_database():
    agreement = AgreementFactory(first_year=2021, last_year=2022)

    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.create(title="Baklänges", first_year=2022, last_year=2021)
    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.filter(pk=agreement.pk).update(last_year=2020)

    agreement.refresh_from_db()
    assert (agreement.first_year, agreement.last_year) == (2021, 2022)
    assert Agreement.objects.count() == 1


def test_agreement_of_a_single_year_is_valid():
    AgreementFactory.build(first_year=2021, last_year=2021).full_clean()


def test_situation_picture_period_ending_before_it_begins_is_refused():
    picture = SituationPictureFactory.build(first_year=2019, last_year=2018)

    assert refusal(picture) == {"last_year": [PERIOD_ENDS_BEFORE_IT_BEGINS]}
    assert constraint_refusal(picture) == {"__all__": [PERIOD_ENDS_BEFORE_IT_BEGINS]}
    with pytest.raises(IntegrityError), transaction.atomic():
        picture.save()
    assert not SituationPicture.objects.exists()


def test_action_plan_period_ending_before_it_begins_is_refused():
    plan = ActionPlanFactory.build(
        picture=SituationPictureFactory(), first_year=2022, last_year=2021
    )

    assert refusal(plan) == {"last_year": [LAST_YEAR_BEFORE_FIRST]}
    assert constraint_refusal(plan) == {"__all__": [LAST_YEAR_BEFORE_FIRST]}
    with pytest.raises(IntegrityError), transaction.atomic():
        plan.save()
    assert not ActionPlan.objects.exists()


# Uniqueness


def test_agreement_title_and_first_year_are_unique():
    agreement = AgreementFactory(title="Samverkansöverenskommelse", first_year=2021)
    twin = AgreementFactory.build(title="Samverkansöverenskommelse", first_year=2021)

    assert refusal(twin) == {"__all__": [DUPLICATE_AGREEMENT]}
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()
    assert list(Agreement.objects.values_list("pk", flat=True)) == [agreement.pk]


def test_priority_area_name_is_unique_within_the_agreement():
    area = PriorityAreaFactory(name="Barn och unga")
    twin = PriorityAreaFactory.build(agreement=area.agreement, name="Barn och unga")

    assert refusal(twin) == {"__all__": [DUPLICATE_AREA]}
    # Another agreement may have an area of the same name.
    PriorityAreaFactory.build(agreement=AgreementFactory(), name="Barn och unga").full_clean()


def test_problem_name_is_unique_within_the_picture():
    problem = ProblemFactory(name="Narkotika")
    twin = ProblemFactory.build(picture=problem.picture, name="Narkotika")

    assert refusal(twin) == {"__all__": [DUPLICATE_PROBLEM]}
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()
    assert Problem.objects.count() == 1


# Citizen promises


def test_promise_year_outside_the_agreement_is_refused():
    agreement = AgreementFactory(first_year=2021, last_year=2022)

    for year in (2020, 2023):
        promise = CitizenPromiseFactory.build(
            agreement=agreement, year=year, priority_area=PriorityAreaFactory(agreement=agreement)
        )
        assert refusal(promise) == {"year": [OUTSIDE_PERIOD]}
    for year in (2021, 2022):
        CitizenPromiseFactory.build(
            agreement=agreement, year=year, priority_area=PriorityAreaFactory(agreement=agreement)
        ).full_clean()


def test_promise_priority_area_of_another_agreement_is_refused():
    agreement = AgreementFactory()
    promise = CitizenPromiseFactory(agreement=agreement)
    promise.priority_area = PriorityAreaFactory()  # of another agreement

    assert refusal(promise) == {"priority_area": [AREA_OF_ANOTHER_AGREEMENT]}
    promise.refresh_from_db()
    assert promise.priority_area.agreement == agreement


def test_promise_without_priority_area_is_valid():
    CitizenPromiseFactory.build(agreement=AgreementFactory(), priority_area=None).full_clean()


# Tertials


@pytest.mark.parametrize("number", [0, 4])
def test_tertial_outside_one_to_three_is_refused(number):
    tertial = TertialFollowUpFactory.build(agreement=AgreementFactory(), tertial=number)

    errors = refusal(tertial)

    assert set(errors) == {"tertial"}
    assert f"Värdet {number} är inget giltigt alternativ." in errors["tertial"]
    assert constraint_refusal(tertial) == {
        "__all__": ["Begränsningen “collaboration_tertial_valid” överträds."]
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        tertial.save()
    assert not TertialFollowUp.objects.exists()


def test_tertial_labels_are_swedish():
    assert [label for _value, label in TertialFollowUp.Tertial.choices] == [
        "T1 januari–april",
        "T2 maj–augusti",
        "T3 september–december",
    ]


def test_tertial_year_outside_the_agreement_is_refused():
    tertial = TertialFollowUpFactory.build(agreement=AgreementFactory(), year=2023)

    assert refusal(tertial) == {"year": [OUTSIDE_PERIOD]}


def test_tertial_is_unique_per_agreement_year_and_number():
    tertial = TertialFollowUpFactory(tertial=2)
    twin = TertialFollowUpFactory.build(agreement=tertial.agreement, year=tertial.year, tertial=2)

    assert refusal(twin) == {"__all__": [DUPLICATE_TERTIAL]}
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()
    assert TertialFollowUp.objects.count() == 1


def test_area_status_of_another_agreements_priority_area_is_refused():
    status = PriorityAreaStatusFactory.build(
        tertial=TertialFollowUpFactory(), priority_area=PriorityAreaFactory()
    )

    assert refusal(status) == {"__all__": [AREA_OF_ANOTHER_AGREEMENT]}


def test_rating_of_another_agreements_promise_is_refused():
    tertial = TertialFollowUpFactory()
    rating = PromiseRatingFactory.build(tertial=tertial, promise=CitizenPromiseFactory())

    assert refusal(rating) == {"__all__": [PROMISE_OF_ANOTHER_AGREEMENT_OR_YEAR]}


def test_rating_of_a_promise_of_another_year_is_refused():
    tertial = TertialFollowUpFactory(year=2021)
    promise = CitizenPromiseFactory(agreement=tertial.agreement, year=2022)
    rating = PromiseRatingFactory.build(tertial=tertial, promise=promise)

    assert refusal(rating) == {"__all__": [PROMISE_OF_ANOTHER_AGREEMENT_OR_YEAR]}


def test_rating_labels_are_the_short_swedish_scale():
    assert [label for _value, label in PromiseRating.Rating.choices] == [
        "Genomfört",
        "Pågår enligt plan",
        "Försenat",
        "Ej påbörjat",
    ]


def test_rating_outside_the_scale_is_refused_by_the_database():
    rating = PromiseRatingFactory.build(
        tertial=TertialFollowUpFactory(),
    )
    rating.promise = CitizenPromiseFactory(agreement=rating.tertial.agreement)
    rating.rating = "perfect"

    with pytest.raises(IntegrityError), transaction.atomic():
        rating.save()
    assert not PromiseRating.objects.exists()


# Action plans and measures


def test_decided_plan_without_a_deciding_body_is_refused():
    plan = ActionPlanFactory.build(
        picture=SituationPictureFactory(), decided_by="", decided_on="2020-12-14"
    )

    assert refusal(plan) == {"decided_by": [DECIDED_WITHOUT_BODY]}
    assert constraint_refusal(plan) == {"__all__": [DECIDED_WITHOUT_BODY]}
    with pytest.raises(IntegrityError), transaction.atomic():
        plan.save()
    assert not ActionPlan.objects.exists()


def test_undecided_plan_needs_no_body():
    plan = ActionPlanFactory.build(picture=SituationPictureFactory(), decided_by="")

    plan.full_clean()
    assert not plan.is_decided


def test_measure_cannot_address_a_problem_of_another_picture():
    measure = MeasureFactory()
    own = ProblemFactory(picture=measure.plan.picture)
    foreign = ProblemFactory()
    measure.problems.add(own)

    with pytest.raises(ValidationError) as refused, transaction.atomic():
        measure.problems.add(foreign)

    assert refused.value.messages == [FOREIGN_PROBLEM]
    with pytest.raises(ValidationError), transaction.atomic():
        measure.problems.set([foreign])
    assert list(measure.problems.all()) == [own]


def test_problem_cannot_be_given_a_measure_of_a_plan_on_another_picture():
    measure = MeasureFactory()
    foreign = ProblemFactory()

    with pytest.raises(ValidationError) as refused, transaction.atomic():
        foreign.measures.add(measure)

    assert refused.value.messages == [FOREIGN_PROBLEM]
    assert not Measure.problems.through.objects.exists()


def test_measure_addresses_problems_of_its_plans_picture():
    measure = MeasureFactory()
    problems = [ProblemFactory(picture=measure.plan.picture) for _ in range(2)]

    measure.problems.set(problems)
    problems[0].measures.add(MeasureFactory(plan=measure.plan))

    assert set(measure.problems.all()) == set(problems)


# The approved year freezes its tertials


@pytest.fixture
def tertial_2021():
    """A ready T1 2021 with a status and a rating, in a draft 2021."""
    tertial = TertialFollowUpFactory(year=2021, tertial=1, summary="Som det var.")
    PriorityAreaStatusFactory(tertial=tertial, text="Som det var.")
    PromiseRatingFactory(tertial=tertial, rating=PromiseRating.Rating.ON_TRACK)
    return tertial


@pytest.fixture
def approved_2021(tertial_2021):
    approve_without_archive(FollowUpFactory(year=2021))
    return tertial_2021


def frozen(action) -> None:
    """The guard refuses ``action``; the savepoint keeps the test's
    transaction usable (a refused save marks its transaction for rollback)."""
    with pytest.raises(ValidationError) as refused, transaction.atomic():
        action()
    assert refused.value.messages == [FROZEN_2021]


def state(tertial) -> dict:
    return {
        "tertials": list(TertialFollowUp.objects.values()),
        "statuses": list(PriorityAreaStatus.objects.values()),
        "ratings": list(PromiseRating.objects.values()),
    }


def test_tertial_of_an_approved_year_cannot_be_created(approved_2021):
    before = state(approved_2021)

    frozen(lambda: TertialFollowUpFactory(agreement=approved_2021.agreement, tertial=2))

    assert state(approved_2021) == before


def test_tertial_of_an_approved_year_cannot_be_changed_or_deleted(approved_2021):
    before = state(approved_2021)
    approved_2021.summary = "Ändrad i efterhand."
    approved_2021.ready = False

    frozen(approved_2021.save)
    frozen(approved_2021.delete)

    assert state(approved_2021) == before


def test_tertial_cannot_be_moved_out_of_or_into_an_approved_year(approved_2021):
    approved_2021.year = 2022
    frozen(approved_2021.save)

    draft = TertialFollowUpFactory(agreement=approved_2021.agreement, year=2022, tertial=1)
    draft.year = 2021
    draft.tertial = 3
    frozen(draft.save)

    draft.refresh_from_db()
    assert (draft.year, draft.tertial) == (2022, 1)
    assert TertialFollowUp.objects.filter(year=2021).count() == 1


def test_statuses_of_an_approved_years_tertial_cannot_be_written(approved_2021):
    before = state(approved_2021)
    status = approved_2021.area_statuses.get()
    status.text = "Ändrad i efterhand."

    frozen(status.save)
    frozen(status.delete)
    frozen(
        lambda: PriorityAreaStatus.objects.create(
            tertial=approved_2021,
            priority_area=PriorityAreaFactory(agreement=approved_2021.agreement),
        )
    )

    assert state(approved_2021) == before


def test_ratings_of_an_approved_years_tertial_cannot_be_written(approved_2021):
    before = state(approved_2021)
    rating = approved_2021.ratings.get()
    rating.rating = PromiseRating.Rating.DONE

    frozen(rating.save)
    frozen(rating.delete)
    frozen(
        lambda: PromiseRating.objects.create(
            tertial=approved_2021,
            promise=CitizenPromiseFactory(agreement=approved_2021.agreement, year=2021),
        )
    )

    assert state(approved_2021) == before


def test_tertial_of_a_draft_year_can_be_written(tertial_2021):
    FollowUpFactory(year=2021)  # a draft
    tertial_2021.summary = "Skrivet under året."
    tertial_2021.save()
    status = tertial_2021.area_statuses.get()
    status.text = "Pågår."
    status.save()
    rating = tertial_2021.ratings.get()
    rating.rating = PromiseRating.Rating.DONE
    rating.save()
    TertialFollowUpFactory(agreement=tertial_2021.agreement, year=2021, tertial=2)

    tertial_2021.refresh_from_db()
    assert tertial_2021.summary == "Skrivet under året."
    assert PriorityAreaStatus.objects.get().text == "Pågår."
    assert PromiseRating.objects.get().rating == "done"

    rating.delete()
    status.delete()
    tertial_2021.delete()
    assert list(TertialFollowUp.objects.values_list("year", "tertial")) == [(2021, 2)]


def test_approving_another_year_leaves_the_tertials_writable(tertial_2021):
    approve_without_archive(FollowUpFactory(year=2020, programme__last_year=2021))

    tertial_2021.summary = "Skrivet under året."
    tertial_2021.save()

    tertial_2021.refresh_from_db()
    assert tertial_2021.summary == "Skrivet under året."


# Admin

COLLABORATION_MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label == "collaboration"),
    key=lambda model: model._meta.label,
)
FACTORIES = {
    Agreement: AgreementFactory,
    PriorityArea: PriorityAreaFactory,
    CitizenPromise: CitizenPromiseFactory,
    TertialFollowUp: TertialFollowUpFactory,
    SituationPicture: SituationPictureFactory,
    Problem: ProblemFactory,
    ActionPlan: ActionPlanFactory,
    Measure: MeasureFactory,
}


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def administrator_client(client):
    user = UserFactory(is_superuser=True, is_staff=True)
    user.groups.add(Group.objects.get(name=ADMINISTRATOR))
    client.force_login(user)
    return client


def test_every_collaboration_model_in_the_admin_has_a_factory():
    assert set(COLLABORATION_MODELS) == set(FACTORIES)


@pytest.mark.parametrize("model", COLLABORATION_MODELS, ids=lambda model: model._meta.label)
def test_administrator_sees_the_changelist_and_the_add_page(administrator_client, model):
    obj = FACTORIES[model]()

    changelist = administrator_client.get(admin_url(model, "changelist"))
    add = administrator_client.get(admin_url(model, "add"))
    change = administrator_client.get(admin_url(model, "change", obj.pk))

    assert changelist.status_code == 200
    assert admin_url(model, "change", obj.pk).encode() in changelist.content
    assert add.status_code == 200
    assert change.status_code == 200


@pytest.mark.parametrize("model", COLLABORATION_MODELS, ids=lambda model: model._meta.label)
@pytest.mark.parametrize("view", ["changelist", "add"])
def test_caseworker_is_sent_to_the_admin_login(client, user_in_group, model, view):
    client.force_login(user_in_group(CASEWORKER))

    response = client.get(admin_url(model, view))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
