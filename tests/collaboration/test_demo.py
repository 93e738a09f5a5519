from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from collaboration import demo
from collaboration.demo_registration import register_demo
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
from followups import demo as followups_demo
from followups import extensions
from followups.models import Activity, FollowUp
from tests.followups.approval import approve_without_archive

pytestmark = pytest.mark.django_db

AGREEMENT_TITLE = (
    "Samverkansöverenskommelse mellan Huddinge kommun, Lokalpolisområde Huddinge och "
    "Södertörns brandförsvarsförbund"
)
PARTIES = ["Polisen, lokalpolisområde Huddinge", "Södertörns brandförsvarsförbund"]
FOCUS = ["Flemingsberg", "Skogås", "Vårby"]
CATEGORIES = [
    "Trygghet i offentlig miljö",
    "Narkotika",
    "Barn och unga",
    "Särskilt utsatta brottsoffer",
]


def run_load_demo() -> None:
    call_command("load_demo", "--password", "Demo-lösen-1", stdout=StringIO())


def row_counts() -> dict[str, int]:
    """Rows in every table of the apps the demo writes, history tables included."""
    return {
        model._meta.label: model.objects.count()
        for label in ("collaboration", "followups", "programmes")
        for model in apps.get_app_config(label).get_models()
    }


@pytest.fixture
def loaded():
    run_load_demo()


def the_agreement() -> Agreement:
    return Agreement.objects.get(registration_number="KS-2018/91.103")


def test_load_demo_twice_changes_nothing():
    run_load_demo()
    before = row_counts()
    assert before["collaboration.Agreement"] == 2
    assert before["collaboration.Measure"] == 5

    run_load_demo()

    assert row_counts() == before


def test_the_demo_is_registered_once():
    register_demo()
    register_demo()

    assert extensions.demo_loaders.count(demo.load_collaboration_demo) == 1


def test_load_keeps_text_users_have_edited(loaded):
    promise = CitizenPromise.objects.get(category="Narkotika")
    promise.text = "Skrivet av en handläggare."
    promise.save()
    promise.activities.clear()

    run_load_demo()

    promise.refresh_from_db()
    assert promise.text == "Skrivet av en handläggare."
    assert not promise.activities.exists()


def test_agreement_2021_2022_from_the_sources(loaded):
    agreement = the_agreement()

    assert agreement.kind == Agreement.Kind.AGREEMENT
    assert agreement.title == AGREEMENT_TITLE
    assert (agreement.first_year, agreement.last_year) == (2021, 2022)
    assert agreement.municipality == "Huddinge kommun"
    assert agreement.status == Agreement.Status.IN_FORCE
    assert agreement.decided_by == "Kommundirektören"
    assert sorted(agreement.partners.values_list("name", flat=True)) == PARTIES
    assert sorted(agreement.districts.values_list("name", flat=True)) == FOCUS
    assert [area.name for area in agreement.priority_areas.all()] == [
        "Trygghet i den offentliga miljön",
        "Narkotika/ANDTS",
        "Barn och unga (skola/fritid)",
    ]
    assert [area.order for area in agreement.priority_areas.all()] == [1, 2, 3]
    assert "tre gånger per år samt vid behov" in agreement.governance
    assert "tertialuppföljning" in agreement.governance
    assert "(OSG)" in agreement.governance
    assert "träffas varje vecka" in agreement.governance
    assert not agreement.is_example


def test_declaration_of_intent_2019_2022(loaded):
    intent = Agreement.objects.get(kind=Agreement.Kind.INTENT)

    assert intent.title == (
        "Avsiktsförklaring mellan Huddinge kommun, Polisen och Södertörns brandförsvarsförbund"
    )
    assert (intent.first_year, intent.last_year) == (2019, 2022)
    assert sorted(intent.partners.values_list("name", flat=True)) == PARTIES
    assert not intent.priority_areas.exists()


def test_situation_picture_2019_with_the_problems_of_seed_002(loaded):
    picture = SituationPicture.objects.get()

    assert picture.title == "Lägesbild 2019"
    assert picture.made_on.isoformat() == "2020-10-05"
    assert (picture.first_year, picture.last_year) == (2019, 2019)
    assert picture.municipality_made
    assert sorted(picture.partners.values_list("name", flat=True)) == PARTIES
    assert "Flemingsberg, Skogås och Vårby" in picture.analysis
    problems = list(picture.problems.all())
    assert [problem.name for problem in problems] == [
        "Otrygghet i offentlig miljö",
        "Narkotika/ANDTS",
        "Barn och unga",
    ]
    districts = {p.name: sorted(p.districts.values_list("name", flat=True)) for p in problems}
    assert districts == {
        "Otrygghet i offentlig miljö": FOCUS,
        "Narkotika/ANDTS": [],
        "Barn och unga": FOCUS,
    }
    for problem in problems:
        assert problem.mapping
        assert problem.extent.startswith("Exempeldata:")
        assert problem.consequences.startswith("Exempeldata:")


def test_four_example_promises_of_2021_one_per_category(loaded):
    promises = CitizenPromise.objects.filter(agreement=the_agreement())

    assert sorted(promises.values_list("category", flat=True)) == sorted(CATEGORIES)
    assert set(promises.values_list("year", flat=True)) == {2021}
    assert all(promise.is_example for promise in promises)
    assert all(promise.text.startswith("Exempeldata:") for promise in promises)
    assert all(promise.partners.exists() for promise in promises)
    assert all(promise.activities.exists() for promise in promises)
    areas = {promise.category: getattr(promise.priority_area, "name", None) for promise in promises}
    assert areas == {
        "Trygghet i offentlig miljö": "Trygghet i den offentliga miljön",
        "Narkotika": "Narkotika/ANDTS",
        "Barn och unga": "Barn och unga (skola/fritid)",
        "Särskilt utsatta brottsoffer": None,
    }
    safety = promises.get(category="Trygghet i offentlig miljö")
    assert sorted(safety.activities.values_list("title", flat=True)) == [
        "Trygghetskameror i Grantorp",
        "Trygghetsvärdar i den offentliga miljön",
    ]


def test_every_named_activity_is_linked_and_public(loaded):
    named = {title for titles in demo.AREA_ACTIVITIES.values() for title in titles}
    named |= {title for *_rest, titles in demo.PROMISES for title in titles}
    named |= {title for *_rest, titles in demo.MEASURES for title in titles}
    linked = Activity.objects.filter(
        title__in=named, followup__year=2021, is_confidential=False
    ).filter(
        pk__in=[
            *PriorityArea.activities.through.objects.values_list("activity_id", flat=True),
            *CitizenPromise.activities.through.objects.values_list("activity_id", flat=True),
            *Measure.activities.through.objects.values_list("activity_id", flat=True),
        ]
    )

    assert sorted(linked.values_list("title", flat=True)) == sorted(named)
    assert named <= {item.title for item in followups_demo.ACTIVITIES}


def test_tertials_t1_to_t3_of_2021_are_ready_with_a_status_and_rating_each(loaded):
    tertials = TertialFollowUp.objects.filter(agreement=the_agreement()).order_by("tertial")

    assert [(t.year, t.tertial, t.ready) for t in tertials] == [
        (2021, 1, True),
        (2021, 2, True),
        (2021, 3, True),
    ]
    assert PriorityAreaStatus.objects.count() == 9
    assert PromiseRating.objects.count() == 12
    last = tertials.get(tertial=3)
    safety = last.area_statuses.get(priority_area__name="Trygghet i den offentliga miljön").text
    assert "tre trygghetsvärdar" in safety
    assert "Grantorp" in safety
    assert set(last.ratings.values_list("rating", flat=True)) <= {"done", "on_track"}
    assert last.ratings.filter(rating=PromiseRating.Rating.DONE).count() == 3
    first = tertials.get(tertial=1)
    assert "ställas in" in first.area_statuses.get(priority_area__order=1).text
    assert not first.ratings.filter(rating=PromiseRating.Rating.DONE).exists()


def test_no_tertials_once_2021_is_approved():
    followup_2021 = _load_followups_only()
    approve_without_archive(followup_2021)

    demo.load_collaboration_demo()

    assert not TertialFollowUp.objects.exists()
    assert CitizenPromise.objects.count() == 4


def _load_followups_only() -> FollowUp:
    """The follow-ups' demo without the collaboration's (its loaders emptied)."""
    saved = list(extensions.demo_loaders)
    extensions.demo_loaders.clear()
    try:
        followups_demo.load_demo(password="Demo-lösen-1")
    finally:
        extensions.demo_loaders.extend(saved)
    return FollowUp.objects.get(year=2021)


def test_example_action_plan_on_the_situation_picture(loaded):
    plan = ActionPlan.objects.get()

    assert plan.is_example
    assert "(exempel)" in plan.title
    assert plan.picture.title == "Lägesbild 2019"
    assert (plan.first_year, plan.last_year) == (2021, 2022)
    assert plan.decided_by == "Kommunfullmäktige"
    assert plan.is_decided
    measures = list(plan.measures.all())
    assert len(measures) == 5
    assert all(measure.responsible_unit is not None for measure in measures)
    assert all(measure.problems.exists() for measure in measures)
    # Each flag of the trace page shows once.
    without_activity = [m.title for m in measures if not m.activities.exists()]
    assert without_activity == ["Föräldrarådgivning i skolan"]
    without_measure = Problem.objects.filter(picture=plan.picture, measures__isnull=True)
    assert list(without_measure.values_list("name", flat=True)) == ["Narkotika/ANDTS"]
    unlinked = Activity.objects.filter(
        priority_areas__isnull=False, citizen_promises__isnull=True, measures__isnull=True
    ).distinct()
    assert list(unlinked.values_list("title", flat=True)) == [
        "Projektering av trygghetskameror i centrumanläggningens garage"
    ]


def test_every_demo_row_passes_full_clean(loaded):
    for model in apps.get_app_config("collaboration").get_models():
        if model._meta.label.startswith("collaboration.Historical"):
            continue
        rows = list(model.objects.all())
        assert rows, model._meta.label
        for row in rows:
            row.full_clean()
