from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command

from followups.models import (
    Activity,
    ConfidentialityGround,
    Contributor,
    FollowUp,
    GoalAssessment,
    Rating,
)
from programmes.models import Goal, Indicator, IndicatorValue, Programme

pytestmark = pytest.mark.django_db

AREA_NAMES = [
    "Trygghetsskapande och brottsförebyggande arbete",
    "Skydd mot olyckor",
    "Krisberedskap",
    "Civilt försvar",
    "Internt skydds- och säkerhetsarbete",
]


def run_load_demo(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    """Rows in every table of the project's apps, history tables included."""
    return {
        model._meta.label: model.objects.count()
        for label in ("programmes", "followups", "auth")
        for model in apps.get_app_config(label).get_models()
    }


def test_load_demo_twice_changes_nothing():
    run_load_demo("--password", "Demo-lösen-1")
    before = row_counts()
    goal_titles = list(Goal.objects.values_list("pk", "title"))

    run_load_demo("--password", "Demo-lösen-1")

    assert row_counts() == before
    assert list(Goal.objects.values_list("pk", "title")) == goal_titles


def test_load_demo_keeps_text_users_have_edited():
    run_load_demo("--password", "Demo-lösen-1")
    followup = FollowUp.objects.get(year=2021)
    followup.summary = "Skriven av en handläggare."
    followup.save()

    run_load_demo("--password", "Demo-lösen-1")

    followup.refresh_from_db()
    assert followup.summary == "Skriven av en handläggare."


def test_programme_has_the_five_areas_of_the_sources_in_order():
    run_load_demo("--password", "Demo-lösen-1")

    programme = Programme.objects.get(first_year=2018)
    assert str(programme) == "Program för trygghet och säkerhet 2018–2021"
    assert programme.adopted_by == "Kommunfullmäktige"
    assert programme.adopted_on.isoformat() == "2018-06-18"
    assert programme.overall_goal == (
        "Huddinge ska vara en trygg och säker kommun för alla som bor, verkar och vistas där."
    )
    assert [(a.number, a.name) for a in programme.areas.all()] == list(
        enumerate(AREA_NAMES, start=1)
    )
    assert all(area.overarching_goal for area in programme.areas.all())
    assert all(area.goals.exists() for area in programme.areas.all())


def test_goals_without_wording_in_the_sources_say_they_are_example_data():
    run_load_demo("--password", "Demo-lösen-1")

    invented = Goal.objects.filter(area__programme__first_year=2018, area__number__in=[2, 4, 5])
    assert invented.count() == 6
    assert all("Exempeldata" in goal.description for goal in invented)


def values(indicator_name: str) -> dict[int, tuple[Decimal, bool]]:
    indicator = Indicator.objects.get(name=indicator_name, area__programme__first_year=2018)
    return {v.year: (v.value, v.is_example) for v in indicator.values.all()}


def test_indicators_carry_the_documented_figures():
    run_load_demo("--password", "Demo-lösen-1")

    assert values("Klotterärenden på kommunens mark") == {
        2020: (Decimal(474), False),
        2021: (Decimal(415), False),
    }
    assert values("Felanmälningar om klotter åtgärdade inom given tid") == {
        2019: (Decimal(77), False),
        2020: (Decimal(64), False),
        2021: (Decimal(74), False),
    }
    graffiti = Indicator.objects.get(
        name="Klotterärenden på kommunens mark", area__programme__first_year=2018
    )
    assert graffiti.unit == Indicator.Unit.COUNT
    assert graffiti.higher_is_better is False


def test_key_indicators_without_documented_values_are_marked_as_example_data():
    run_load_demo("--password", "Demo-lösen-1")

    for name in (
        "Invånare som upplever att kommunen är en bra plats att leva och bo på",
        "Upplevd trygghet i bostadsområdet",
    ):
        indicator = Indicator.objects.get(name=name, area__programme__first_year=2018)
        assert indicator.source == "SCB:s medborgarundersökning"
        assert indicator.values.exists()
        assert not indicator.values.filter(is_example=False).exists()
    assert IndicatorValue.objects.filter(is_example=True).count() == 6


def test_2021_follow_up_is_a_draft_with_its_registration_number():
    run_load_demo("--password", "Demo-lösen-1")

    followup = FollowUp.objects.get(year=2021)
    assert followup.year == 2021
    assert followup.status == FollowUp.Status.DRAFT
    assert followup.scale == "2021"
    assert followup.registration_number == "KS-2022/177.173"
    assert followup.decided_by == "Kommunstyrelsen"
    assert followup.decision_date is None


def test_2021_activities_from_the_sources_with_districts_and_partners():
    run_load_demo("--password", "Demo-lösen-1")

    assert Activity.objects.count() == 14
    cameras = Activity.objects.get(title="Trygghetskameror i Grantorp")
    assert cameras.status == Activity.Status.DONE
    assert [d.name for d in cameras.districts.all()] == ["Flemingsberg"]
    assert [g.code for g in cameras.goals.all()] == ["1.1"]
    dialogues = Activity.objects.get(title="Trygghetsdialoger i Fullersta, Trångsund och Skogås")
    assert sorted(d.name for d in dialogues.districts.all()) == ["Fullersta", "Skogås", "Trångsund"]
    digital = Activity.objects.get(title="Digitala trygghetsdialoger för Vårby och Flemingsberg")
    assert sorted(d.name for d in digital.districts.all()) == ["Flemingsberg", "Vårby"]
    hosts = Activity.objects.get(title="Trygghetsvärdar i den offentliga miljön")
    assert "tre trygghetsvärdar" in hosts.result
    assert Activity.objects.filter(title="Trygghetsanalys runt Skogås centrum").exists()
    assert Activity.objects.filter(title__startswith="Demokratidagar 2021").exists()
    agreement = Activity.objects.get(title="Insatser enligt samverkansöverenskommelsen 2021–2022")
    assert sorted(p.name for p in agreement.partners.all()) == [
        "Polisen, lokalpolisområde Huddinge",
        "Södertörns brandförsvarsförbund",
    ]
    # Every demo activity passes the same validation a form would apply.
    for activity in Activity.objects.all():
        activity.full_clean()


def test_2021_goal_assessments_use_the_2021_scale():
    run_load_demo("--password", "Demo-lösen-1")

    ratings = dict(
        GoalAssessment.objects.filter(followup__year=2021).values_list("goal__code", "rating")
    )
    assert ratings == {
        "1.1": Rating.PARTLY,
        "1.2": Rating.HIGH,
        "1.4": Rating.HIGH,
        "1.5": Rating.PARTLY,
    }
    for assessment in GoalAssessment.objects.filter(followup__year=2021):
        assessment.full_clean()


def test_one_demo_user_per_role_with_the_given_password():
    run_load_demo("--password", "Demo-lösen-1")

    expected = {
        "handlaggare": ["Handläggare"],
        "sekreterare": ["Nämndsekreterare"],
        "admin": ["Administratör"],
        "lasare": ["Läsare"],
        "bidragsgivare": ["Bidragsgivare"],
    }
    users = get_user_model().objects.all()
    assert {u.username: [g.name for g in u.groups.all()] for u in users} == expected
    assert [u.username for u in users if u.is_superuser] == ["admin"]
    assert [u.username for u in users if u.is_staff] == ["admin"]
    for username in expected:
        assert get_user_model().objects.get(username=username).check_password("Demo-lösen-1")


def test_the_demo_contributor_reports_for_one_unit_and_is_printed():
    output = run_load_demo("--password", "Demo-lösen-1")

    contributor = Contributor.objects.get(user__username="bidragsgivare")
    assert [u.name for u in contributor.units.all()] == ["Barn- och utbildningsförvaltningen"]
    assert any(
        line.split()[:2] == ["bidragsgivare", "Bidragsgivare"] for line in output.splitlines()
    )
    # Their unit has an activity of the sources to see and change.
    assert Activity.objects.filter(responsible_unit__in=contributor.units.all()).count() == 1


def test_the_demo_has_one_confidential_example_activity_with_its_ground():
    run_load_demo("--password", "Demo-lösen-1")

    confidential = Activity.objects.get(is_confidential=True)
    assert confidential.confidentiality_ground == ConfidentialityGround.OSL_18_8
    assert "(exempel)" in confidential.title
    assert "Exempeldata" in confidential.description
    confidential.full_clean()


def test_without_password_a_random_one_is_printed_and_kept_on_the_next_run():
    output = run_load_demo()
    line = next(x for x in output.splitlines() if x.strip().startswith("handlaggare"))
    password = line.split()[-1]
    assert len(password) >= 12
    assert get_user_model().objects.get(username="handlaggare").check_password(password)

    second = run_load_demo()

    assert "(oförändrat)" in second
    assert get_user_model().objects.get(username="handlaggare").check_password(password)


def test_output_is_swedish():
    output = run_load_demo("--password", "Demo-lösen-1")

    assert "Demodata är inlästa." in output
    assert "Inloggningar för demo:" in output


# The programme across the years (issue 12)


def test_2019_and_2020_are_approved_with_archived_reports_on_the_older_scale():
    from collections import Counter

    from django.core.files.storage import default_storage

    from followups.archive import file_digest
    from followups.models import ArchivedReport, Scale

    run_load_demo("--password", "Demo-lösen-1")

    for year, usual in ((2019, Rating.GOOD), (2020, Rating.ACCEPTABLE)):
        followup = FollowUp.objects.get(programme__first_year=2018, year=year)
        assert followup.status == FollowUp.Status.APPROVED
        assert followup.scale == Scale.UNTIL_2020
        archive = ArchivedReport.objects.get(followup=followup)
        assert archive.number == 1
        assert archive.decided_by == "Kommunstyrelsen"
        assert "(exempel)" in archive.registration_number
        assert default_storage.exists(archive.file.name)
        assert file_digest(archive.file.name) == (archive.sha256, archive.size)
        assessments = GoalAssessment.objects.filter(followup=followup)
        assert assessments.count() == 14  # every goal of the programme
        ratings = Counter(assessments.values_list("rating", flat=True))
        # The audit's overall picture: 2019 mostly god, 2020 mostly godtagbar.
        assert ratings.most_common(1)[0] == (usual, 11)
        assert all(a.analysis.startswith("Exempelbedömning") for a in assessments)
        assert followup.summary.startswith("Exempelbedömning")
        assert followup.status_changes.filter(to_status="approved").count() == 1


def test_the_2022_2025_programme_is_copied_and_not_yet_adopted():
    run_load_demo("--password", "Demo-lösen-1")

    old = Programme.objects.get(first_year=2018)
    new = Programme.objects.get(first_year=2022)
    assert (new.last_year, new.predecessor, new.is_adopted) == (2025, old, False)
    assert Goal.objects.filter(area__programme=new).count() == 14
    copied = Indicator.objects.get(area__programme=new, name="Klotterärenden på kommunens mark")
    assert copied.continues.area.programme == old
    assert not new.followups.exists()
    assert not old.expired_without_successor(2026)
