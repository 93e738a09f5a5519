"""Django admin for the programmes and followups apps: access, pages that
answer, query counts that do not grow with rows, the activity form's goal
rule, the read-only status and the Swedish labels."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.urls import reverse

from followups.models import Activity, ArchivedReport, FollowUp, ReportRendering, StatusChange
from tests.factories import (
    ActivityFactory,
    ArchivedReportFactory,
    AreaSummaryFactory,
    DistrictFactory,
    FollowUpFactory,
    GoalAssessmentFactory,
    GoalFactory,
    GuidelineFactory,
    GuidelineFollowUpFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    OrganisationalUnitFactory,
    PartnerFactory,
    ProgrammeFactory,
    ReportRenderingFactory,
    ResponsibilityAreaFactory,
    StatusChangeFactory,
)

pytestmark = pytest.mark.django_db

DOMAIN_MODELS = sorted(
    (
        model
        for model in admin.site._registry
        if model._meta.app_label in {"programmes", "followups"}
    ),
    key=lambda model: model._meta.label,
)
FACTORIES = {
    factory._meta.model: factory
    for factory in [
        ProgrammeFactory,
        ResponsibilityAreaFactory,
        GoalFactory,
        IndicatorFactory,
        IndicatorValueFactory,
        GuidelineFactory,
        OrganisationalUnitFactory,
        PartnerFactory,
        DistrictFactory,
        FollowUpFactory,
        ActivityFactory,
        GoalAssessmentFactory,
        AreaSummaryFactory,
        GuidelineFollowUpFactory,
        StatusChangeFactory,
        ArchivedReportFactory,
        ReportRenderingFactory,
    ]
}
# Written only by the yearly cycle's steps; the admin offers no add page.
RECORD_MODELS = {StatusChange, ArchivedReport, ReportRendering}


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_domain_model_is_registered_and_has_a_factory():
    assert len(DOMAIN_MODELS) == 17
    assert set(DOMAIN_MODELS) == set(FACTORIES)


# Access


@pytest.mark.parametrize("model", DOMAIN_MODELS, ids=lambda model: model._meta.label)
def test_superuser_sees_the_changelist_with_its_rows(admin_client, model):
    obj = FACTORIES[model]()

    response = admin_client.get(admin_url(model, "changelist"))

    assert response.status_code == 200
    assert admin_url(model, "change", obj.pk).encode() in response.content


@pytest.mark.parametrize("model", DOMAIN_MODELS, ids=lambda model: model._meta.label)
def test_superuser_can_search_the_changelist(admin_client, model):
    FACTORIES[model]()

    response = admin_client.get(admin_url(model, "changelist"), {"q": "x"})

    assert response.status_code == 200
    assert response.context["cl"].query == "x"


@pytest.mark.parametrize(
    "model",
    [model for model in DOMAIN_MODELS if model not in RECORD_MODELS],
    ids=lambda model: model._meta.label,
)
def test_superuser_sees_the_add_page(admin_client, model):
    response = admin_client.get(admin_url(model, "add"))

    assert response.status_code == 200


def test_status_changes_cannot_be_added_or_edited_in_admin(admin_client):
    change = StatusChangeFactory()

    assert admin_client.get(admin_url(StatusChange, "add")).status_code == 403
    response = admin_client.post(
        admin_url(StatusChange, "change", change.pk), {"comment": "Ändrad i efterhand"}
    )
    assert response.status_code == 403
    change.refresh_from_db()
    assert change.comment == ""


@pytest.mark.parametrize("model", DOMAIN_MODELS, ids=lambda model: model._meta.label)
@pytest.mark.parametrize("view", ["changelist", "add"])
def test_anonymous_user_is_sent_to_the_admin_login(client, model, view):
    response = client.get(admin_url(model, view))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_activity_change_form_answers(admin_client):
    activity = ActivityFactory(title="Trygghetsvandring")

    response = admin_client.get(admin_url(Activity, "change", activity.pk))

    assert response.status_code == 200
    assert b'value="Trygghetsvandring"' in response.content


def test_programme_change_form_shows_its_areas_inline(admin_client):
    programme = ProgrammeFactory()
    ResponsibilityAreaFactory(programme=programme, number=1, name="Krisberedskap")
    ResponsibilityAreaFactory(programme=programme, number=2, name="Civilt försvar")

    response = admin_client.get(admin_url(programme, "change", programme.pk))

    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.initial_form_count() == 2
    assert b'value="Krisberedskap"' in response.content
    assert 'value="Civilt försvar"'.encode() in response.content


# Query counts do not grow with rows


def make_activities(count: int) -> None:
    followup = FollowUpFactory()
    for _ in range(count):
        area = ResponsibilityAreaFactory(programme=followup.programme)
        ActivityFactory(
            followup=followup,
            area=area,
            responsible_unit=OrganisationalUnitFactory(),
            cost=Decimal(5000),
            goals=[GoalFactory(area=area), GoalFactory(area=area)],
            partners=[PartnerFactory(), PartnerFactory()],
            districts=[DistrictFactory()],
        )


def make_goals(count: int) -> None:
    """A top goal and ``count`` sub-goals under it, each with area and parent shown."""
    top = GoalFactory()
    for _ in range(count):
        GoalFactory(area=top.area, parent=top)


def make_followups(count: int) -> None:
    for _ in range(count):
        FollowUpFactory(registration_number="KS-2022/177.173")


def make_assessments(count: int) -> None:
    for _ in range(count):
        GoalAssessmentFactory(rating="high")


def make_indicator_values(count: int) -> None:
    for _ in range(count):
        IndicatorValueFactory()


@pytest.mark.parametrize("rows", [1, 30])
def test_activity_changelist_query_count_is_fixed(admin_client, django_assert_num_queries, rows):
    make_activities(rows)

    with django_assert_num_queries(14):
        response = admin_client.get(admin_url(Activity, "changelist"))

    assert response.context["cl"].result_count == rows


@pytest.mark.parametrize("rows", [1, 30])
def test_goal_changelist_query_count_is_fixed(admin_client, django_assert_num_queries, rows):
    make_goals(rows)

    with django_assert_num_queries(10):
        response = admin_client.get(reverse("admin:programmes_goal_changelist"))

    assert response.context["cl"].result_count == rows + 1


@pytest.mark.parametrize("rows", [1, 30])
def test_followup_changelist_query_count_is_fixed(admin_client, django_assert_num_queries, rows):
    make_followups(rows)

    with django_assert_num_queries(10):
        response = admin_client.get(admin_url(FollowUp, "changelist"))

    assert response.context["cl"].result_count == rows


@pytest.mark.parametrize("rows", [1, 30])
def test_goal_assessment_changelist_query_count_is_fixed(
    admin_client, django_assert_num_queries, rows
):
    make_assessments(rows)

    with django_assert_num_queries(10):
        response = admin_client.get(reverse("admin:followups_goalassessment_changelist"))

    assert response.context["cl"].result_count == rows


@pytest.mark.parametrize("rows", [1, 30])
def test_indicator_value_changelist_query_count_is_fixed(
    admin_client, django_assert_num_queries, rows
):
    make_indicator_values(rows)

    with django_assert_num_queries(10):
        response = admin_client.get(reverse("admin:programmes_indicatorvalue_changelist"))

    assert response.context["cl"].result_count == rows


# The activity form


def activity_post_data(followup, area, **fields) -> dict:
    return {
        "followup": followup.pk,
        "area": area.pk,
        "title": "Trygghetsvandring i Flemingsberg",
        "description": "",
        "goals": [],
        "responsible_unit": "",
        "partners": [],
        "districts": [],
        "status": "done",
        "cost": "",
        "result": "",
        "continues": "",
        "_save": "Spara",
        **fields,
    }


def test_admin_refuses_an_activity_with_a_goal_of_another_programme(admin_client):
    followup = FollowUpFactory()
    area = ResponsibilityAreaFactory(programme=followup.programme)
    foreign = GoalFactory(code="3.1", title="Mål i ett annat program")

    response = admin_client.post(
        admin_url(Activity, "add"),
        activity_post_data(followup, area, goals=[GoalFactory(area=area).pk, foreign.pk]),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "goals": ["Målet 3.1 Mål i ett annat program hör inte till uppföljningens program."]
    }
    assert "Målet 3.1 Mål i ett annat program hör inte till uppföljningens program.".encode() in (
        response.content
    )
    assert Activity.objects.count() == 0


def test_admin_creates_an_activity_with_exactly_the_posted_relations(admin_client):
    followup = FollowUpFactory()
    area = ResponsibilityAreaFactory(programme=followup.programme)
    goals = [GoalFactory(area=area), GoalFactory(area=area)]
    GoalFactory(area=area)  # offered, not chosen
    partners = [PartnerFactory(name="Polisen"), PartnerFactory(name="Hüge Bostäder AB")]
    PartnerFactory(name="Kriminalvården")
    district = DistrictFactory(name="Flemingsberg")
    DistrictFactory(name="Skogås")
    unit = OrganisationalUnitFactory()

    response = admin_client.post(
        admin_url(Activity, "add"),
        activity_post_data(
            followup,
            area,
            goals=[goal.pk for goal in goals],
            partners=[partner.pk for partner in partners],
            districts=[district.pk],
            responsible_unit=unit.pk,
            cost="12500",
            result="Tio trygghetsvandringar genomförda.",
        ),
    )

    assert response.status_code == 302
    activity = Activity.objects.get()
    activity.refresh_from_db()
    assert activity.followup == followup
    assert activity.area == area
    assert activity.title == "Trygghetsvandring i Flemingsberg"
    assert activity.status == "done"
    assert activity.cost == Decimal(12500)
    assert activity.responsible_unit == unit
    assert activity.result == "Tio trygghetsvandringar genomförda."
    assert activity.continues is None
    assert set(activity.goals.values_list("pk", flat=True)) == {goal.pk for goal in goals}
    assert set(activity.partners.values_list("name", flat=True)) == {
        "Polisen",
        "Hüge Bostäder AB",
    }
    assert list(activity.districts.values_list("name", flat=True)) == ["Flemingsberg"]


# The follow-up's status moves only through the yearly cycle


def test_followup_status_cannot_be_set_in_admin(admin_client):
    followup = FollowUpFactory(year=2021)

    response = admin_client.post(
        admin_url(FollowUp, "change", followup.pk),
        {
            "programme": followup.programme.pk,
            "year": 2021,
            "status": "approved",
            "scale": "2021",
            "summary": "Året i korthet.",
            "registration_number": "KS-2022/177.173",
            "decided_by": "Kommunstyrelsen",
            "decision_date": "2022-02-07",
            "decision_paragraph": "§ 11",
            "seen_version": followup.version,
            "_save": "Spara",
        },
    )

    assert response.status_code == 302
    followup.refresh_from_db()
    assert followup.status == "draft"
    assert followup.summary == "Året i korthet."
    assert followup.registration_number == "KS-2022/177.173"


# Swedish labels


def test_activity_changelist_speaks_swedish(admin_client):
    ActivityFactory()

    response = admin_client.get(admin_url(Activity, "changelist"))

    content = response.content.decode()
    assert "<title>Välj aktivitet att ändra" in content
    assert "&rsaquo; Aktiviteter" in content
    assert ">Rubrik</a>" in content
