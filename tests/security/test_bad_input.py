"""Every form of the project, driven by Hypothesis with hostile input:
empty, huge, control characters, mixed scripts, HTML and script payloads,
numbers out of range, wrong types in choice and foreign-key fields, and
fields left out. Whatever arrives, the answer is never a server error. A
refused form changes nothing in the database and says why, in Swedish; an
accepted one stores the text exactly as typed (less surrounding space).

Each example runs in a savepoint that is rolled back, through a client that
checks CSRF tokens."""

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from django import forms
from django.apps import apps
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import event, given, settings

from followups import services
from followups.models import FollowUp, GoalAssessment, ReportRendering, StatusChange
from programmes.forms import BoundedCharField
from programmes.models import IndicatorValue
from tests.conftest import ADMINISTRATOR, CASEWORKER, CONTRIBUTOR, SECRETARY
from tests.followups.approval import approve_without_archive
from tests.security.fuzz import (
    URLS,
    browser_data,
    database_state,
    english_messages,
    error_messages,
    form_data,
    forms_of,
    shown,
    untranslated,
)

pytestmark = pytest.mark.django_db

PASSWORD = "lösenord-för-test"  # tests.factories.UserFactory's
NEW_PASSWORD = "Ny lösenordsfras för 2022!"


@dataclass
class Case:
    """One form: where it is, who uses it, values known to be valid for
    some fields, and what an accepted form must have stored."""

    url: str
    user: object | None
    examples: int = 20
    known: dict = field(default_factory=dict)
    method: str = "post"
    extra: dict = field(default_factory=dict)  # strategies for fields outside the form
    stored: Callable | None = None  # (client, data, response) -> None


# Text fields that keep what was typed (less surrounding space): not the
# login's username, for one, which Django normalises.
TEXT_FIELDS = (forms.CharField, BoundedCharField)


def texts_of(found) -> dict[str, str]:
    """The text fields of a page's forms and the values they hold."""
    texts = {}
    # Not the admin's inline rows: they are listed in the rows' order, which
    # the form may have changed.
    for form in found:
        if not isinstance(form, forms.BaseFormSet):
            for bound in form:
                if type(bound.field) in TEXT_FIELDS:
                    texts[bound.html_name] = bound.value() or ""
    return texts


def stored_as_typed(url: str | Callable) -> Callable:
    """An accepted form's page, shown again, holds every text as typed."""

    def check(client, data, response):
        page = client.get(url(response) if callable(url) else url)
        assert page.status_code == 200
        texts = texts_of(forms_of(page.context))
        assert texts, "the page shows no text fields"
        # A field left out of the POST keeps the model's default.
        texts = {name: text for name, text in texts.items() if name in data}
        assert texts == {name: str(data[name]).strip() for name in texts}

    return check


def last_status_change_says(name: str) -> Callable:
    def check(client, data, response):
        change = StatusChange.objects.order_by("-pk").first()
        assert change.comment == data[name].strip()

    return check


# The workspace


def activity_create(year, user_in_group) -> Case:
    def edit_page(response):
        return response["Location"] + "edit/"

    return Case(
        year.url("activity-create"),
        user_in_group(CASEWORKER),
        examples=30,
        known={
            "title": ["Trygghetsvandring"],
            "area": [str(year.area1.pk)],
            "cost": ["150 000", "150000", "0"],
        },
        stored=stored_as_typed(edit_page),
    )


def activity_create_by_contributor(year, user_in_group) -> Case:
    """A Bidragsgivare's form: their own unit only, no confidentiality."""

    def edit_page(response):
        return response["Location"] + "edit/"

    unit = year.activity.responsible_unit
    return Case(
        year.url("activity-create"),
        user_in_group(CONTRIBUTOR, units=[unit]),
        examples=30,
        known={
            "title": ["Läxhjälp"],
            "area": [str(year.area1.pk)],
            "responsible_unit": [str(unit.pk)],
        },
        stored=stored_as_typed(edit_page),
    )


def activity_update(year, user_in_group) -> Case:
    url = year.url("activity-update", year.activity.pk)
    return Case(url, user_in_group(CASEWORKER), examples=30, stored=stored_as_typed(url))


def followup_summary(year, user_in_group) -> Case:
    url = year.url("followup-summary")
    return Case(url, user_in_group(CASEWORKER), stored=stored_as_typed(url))


def area_assessment(year, user_in_group) -> Case:
    url = year.url("area-assessment", 1)
    return Case(url, user_in_group(CASEWORKER), examples=30, stored=stored_as_typed(url))


def indicator_values(year, user_in_group) -> Case:
    url = year.url("indicator-values")
    prefix = f"indicator-{year.indicator.pk}"
    return Case(
        url,
        user_in_group(CASEWORKER),
        examples=30,
        known={f"{prefix}-value": ["74,5", "0", "100"]},
        stored=stored_as_typed(url),
    )


def guideline_texts(year, user_in_group) -> Case:
    url = year.url("guideline-texts")
    return Case(url, user_in_group(CASEWORKER), stored=stored_as_typed(url))


def return_to_draft(year, user_in_group) -> Case:
    services.submit(year.followup, user_in_group(CASEWORKER))
    return Case(
        year.url("followup-return"),
        user_in_group(SECRETARY),
        stored=last_status_change_says("comment"),
    )


def register_decision(year, user_in_group) -> Case:
    """A valid decision asks for the final document with the decision's
    fields as typed; the year stays submitted until the secretary confirms."""
    services.submit(year.followup, user_in_group(CASEWORKER))

    def prepared(client, data, response):
        year.followup.refresh_from_db()
        assert year.followup.status == FollowUp.Status.SUBMITTED
        rendering = ReportRendering.objects.filter(kind="decision").order_by("-pk").first()
        assert response["Location"].endswith(f"/decision/{rendering.pk}/")
        assert rendering.registration_number == data["registration_number"].strip()
        assert rendering.decided_by == data["decided_by"].strip()

    return Case(
        year.url("followup-decision"),
        user_in_group(SECRETARY),
        examples=25,
        known={
            "decision_date": ["2022-03-07", "7 mars 2022"],
            "decision_paragraph": ["11", "§ 11"],
        },
        stored=prepared,
    )


def reopen(year, user_in_group) -> Case:
    approve_without_archive(year.followup)
    return Case(
        year.url("followup-reopen"),
        user_in_group(ADMINISTRATOR),
        stored=last_status_change_says("reason"),
    )


def activity_filter(year, user_in_group) -> Case:
    return Case(year.url("activity-list"), user_in_group(CASEWORKER), examples=30, method="get")


def login(year, user_in_group) -> Case:
    user = user_in_group(CASEWORKER)

    def logged_in(client, data, response):
        assert client.session["_auth_user_id"] == str(user.pk)

    return Case(
        reverse("login"),
        None,
        examples=30,
        known={"username": [user.username], "password": [PASSWORD]},
        extra={"next": URLS},
        stored=logged_in,
    )


def password_change(year, user_in_group) -> Case:
    user = user_in_group(CASEWORKER)

    def changed(client, data, response):
        # The new password as typed: the known one, or a hostile text that
        # passed every password rule (the same in both fields).
        user.refresh_from_db()
        assert user.check_password(data["new_password1"])

    return Case(
        reverse("password_change"),
        user,
        examples=30,
        known={
            "old_password": [PASSWORD],
            "new_password1": [NEW_PASSWORD],
            "new_password2": [NEW_PASSWORD],
        },
        stored=changed,
    )


# The collaboration (issue 13)


def _collaboration(year) -> dict:
    from tests.collaboration.factories import (
        ActionPlanFactory,
        AgreementFactory,
        CitizenPromiseFactory,
        MeasureFactory,
        PriorityAreaFactory,
        ProblemFactory,
    )

    agreement = AgreementFactory(first_year=2021, last_year=2022)
    area = PriorityAreaFactory(agreement=agreement)
    problem = ProblemFactory()
    plan = ActionPlanFactory(picture=problem.picture)
    return {
        "agreement": agreement,
        "area": area,
        "promise": CitizenPromiseFactory(agreement=agreement, priority_area=area),
        "problem": problem,
        "plan": plan,
        "measure": MeasureFactory(plan=plan, problems=[problem], activities=[year.activity]),
    }


def _newest_edit_page(model, url_name: str, *parent: str) -> Callable:
    def edit_page(response):
        newest = model.objects.order_by("-pk").first()
        return reverse(url_name, args=[*(getattr(newest, p) for p in parent), newest.pk])

    return edit_page


def promise_create(year, user_in_group) -> Case:
    from collaboration.models import CitizenPromise

    found = _collaboration(year)
    return Case(
        reverse("promise-create", args=[found["agreement"].pk]),
        user_in_group(CASEWORKER),
        known={"year": ["2021"], "category": ["Narkotika"], "text": ["Vi lovar."]},
        stored=stored_as_typed(_newest_edit_page(CitizenPromise, "promise-update", "agreement_id")),
    )


def promise_update(year, user_in_group) -> Case:
    found = _collaboration(year)
    url = reverse("promise-update", args=[found["agreement"].pk, found["promise"].pk])
    return Case(url, user_in_group(CASEWORKER), stored=stored_as_typed(url))


def priority_area_activities(year, user_in_group) -> Case:
    found = _collaboration(year)
    url = reverse("priority-area-activities", args=[found["agreement"].pk, found["area"].pk])
    return Case(url, user_in_group(CASEWORKER))


def situation_create(year, user_in_group) -> Case:
    from collaboration.models import SituationPicture

    return Case(
        reverse("situation-create"),
        user_in_group(CASEWORKER),
        known={
            "title": ["Lägesbild 2023"],
            "made_on": ["2023-10-05", "5 oktober 2023"],
            "first_year": ["2023"],
            "last_year": ["2023"],
        },
        stored=stored_as_typed(_newest_edit_page(SituationPicture, "situation-update")),
    )


def situation_update(year, user_in_group) -> Case:
    found = _collaboration(year)
    url = reverse("situation-update", args=[found["problem"].picture_id])
    return Case(url, user_in_group(CASEWORKER), stored=stored_as_typed(url))


def problem_create(year, user_in_group) -> Case:
    from collaboration.models import Problem

    found = _collaboration(year)
    return Case(
        reverse("problem-create", args=[found["problem"].picture_id]),
        user_in_group(CASEWORKER),
        known={"order": ["2"], "name": ["Narkotika"]},
        stored=stored_as_typed(_newest_edit_page(Problem, "problem-update", "picture_id")),
    )


def problem_update(year, user_in_group) -> Case:
    found = _collaboration(year)
    url = reverse("problem-update", args=[found["problem"].picture_id, found["problem"].pk])
    return Case(url, user_in_group(CASEWORKER), stored=stored_as_typed(url))


def measure_create(year, user_in_group) -> Case:
    from collaboration.models import Measure

    found = _collaboration(year)
    return Case(
        reverse("measure-create", args=[found["plan"].pk]),
        user_in_group(CASEWORKER),
        known={"title": ["Trygghetskameror"], "problems": [str(found["problem"].pk)]},
        stored=stored_as_typed(_newest_edit_page(Measure, "measure-update", "plan_id")),
    )


def measure_update(year, user_in_group) -> Case:
    found = _collaboration(year)
    url = reverse("measure-update", args=[found["plan"].pk, found["measure"].pk])
    return Case(url, user_in_group(CASEWORKER), stored=stored_as_typed(url))


def tertial(year, user_in_group) -> Case:
    found = _collaboration(year)
    url = reverse("tertial", args=[found["agreement"].pk, 2021, 1])
    return Case(url, user_in_group(CASEWORKER), stored=stored_as_typed(url))


COLLABORATION = [
    promise_create,
    promise_update,
    priority_area_activities,
    situation_create,
    situation_update,
    problem_create,
    problem_update,
    measure_create,
    measure_update,
    tertial,
]


WORKSPACE = [
    activity_create,
    activity_create_by_contributor,
    activity_update,
    followup_summary,
    area_assessment,
    indicator_values,
    guideline_texts,
    return_to_draft,
    register_decision,
    reopen,
    activity_filter,
    login,
    password_change,
]


# The admin's forms of the main models


def admin_objects(year) -> dict:
    value = IndicatorValue.objects.get(indicator=year.indicator, year=2020)
    assessment = GoalAssessment.objects.get(followup=year.previous)
    return {
        "programmes.programme": year.programme,
        "programmes.responsibilityarea": year.area1,
        "programmes.goal": year.goal11,
        "programmes.indicator": year.indicator,
        "programmes.indicatorvalue": value,
        "followups.activity": year.activity,
        "followups.followup": year.followup,
        "followups.goalassessment": assessment,
        **{f"collaboration.{name}": obj for name, obj in _admin_collaboration(year).items()},
    }


def _admin_collaboration(year) -> dict:
    from tests.collaboration.factories import TertialFollowUpFactory

    found = _collaboration(year)
    return {
        "agreement": found["agreement"],
        "citizenpromise": found["promise"],
        "tertialfollowup": TertialFollowUpFactory(agreement=found["agreement"]),
        "situationpicture": found["problem"].picture,
        "actionplan": found["plan"],
        "measure": found["measure"],
    }


def admin_case(label: str, action: str) -> Callable:
    model = apps.get_model(label)
    info = (model._meta.app_label, model._meta.model_name)

    def case(year, user_in_group) -> Case:
        obj = admin_objects(year)[label]
        user = user_in_group(ADMINISTRATOR, is_staff=True)
        if action == "add":
            url = reverse("admin:{}_{}_add".format(*info))

            def saved_object(response):
                newest = model._base_manager.order_by("-pk").first()
                return reverse("admin:{}_{}_change".format(*info), args=[newest.pk])

            return Case(url, user, examples=15, stored=stored_as_typed(saved_object))
        url = reverse("admin:{}_{}_change".format(*info), args=[obj.pk])
        return Case(url, user, examples=15, stored=stored_as_typed(url))

    case.__name__ = f"admin_{info[1]}_{action}"
    return case


ADMIN = [
    admin_case(label, action)
    for label in [
        "programmes.programme",
        "programmes.responsibilityarea",
        "programmes.goal",
        "programmes.indicator",
        "programmes.indicatorvalue",
        "followups.activity",
        "followups.followup",
        "followups.goalassessment",
        "collaboration.agreement",
        "collaboration.citizenpromise",
        "collaboration.tertialfollowup",
        "collaboration.situationpicture",
        "collaboration.actionplan",
        "collaboration.measure",
    ]
    for action in ("add", "change")
]


def is_redirect(response) -> bool:
    return response.status_code in (301, 302, 303)


def check_refused(response, before: dict) -> None:
    """A refused form: the page again, nothing changed, the reasons shown in
    Swedish."""
    assert response.status_code == 200
    assert database_state() == before
    messages = error_messages(response)
    assert messages, "a refused form must say why"
    assert shown(messages, response.content.decode()), messages
    assert untranslated(messages, english_messages(response)) == []


@pytest.mark.parametrize("make_case", WORKSPACE + COLLABORATION + ADMIN, ids=lambda f: f.__name__)
def test_hostile_input_is_refused_in_swedish_or_stored_as_typed(make_case, year, user_in_group):
    case = make_case(year, user_in_group)
    client = Client(enforce_csrf_checks=True)
    if case.user is not None:
        client.force_login(case.user)
    page = client.get(case.url)
    assert page.status_code == 200
    found = forms_of(page.context)
    assert browser_data(found), "the page shows no form"
    strategy = form_data(found, case.known)
    if case.extra:
        from hypothesis import strategies as st

        strategy = st.tuples(strategy, st.fixed_dictionaries(case.extra)).map(
            lambda pair: {**pair[0], **pair[1]}
        )
    cookies = copy.deepcopy(client.cookies)

    @settings(settings.get_profile("security"), max_examples=case.examples)
    @given(data=strategy)
    def example(data):
        client.cookies = copy.deepcopy(cookies)
        with transaction.atomic():
            before = database_state()
            if case.method == "get":
                response = client.get(case.url, data)
            else:
                token = client.cookies["csrftoken"].value
                response = client.post(case.url, {**data, "csrfmiddlewaretoken": token})
            assert response.status_code < 500
            event(f"status {response.status_code}")
            if is_redirect(response):
                # Wherever ``next`` pointed, the redirect stays on this site.
                location = urlsplit(response["Location"])
                assert not location.scheme and not location.netloc
                assert not location.path.startswith(("//", "\\", "/\\"))
                if case.stored is not None:
                    case.stored(client, data, response)
            elif case.method == "get":
                assert response.status_code == 200
                assert database_state() == before
                if error_messages(response):
                    check_refused(response, before)
            else:
                check_refused(response, before)
            transaction.set_rollback(True)

    example()


# What the examples above found, pinned


@pytest.mark.parametrize("value", ["1.5", "9223372036854775808", "abc"])
def test_admin_autocomplete_field_with_a_value_that_is_no_key_shows_an_error(
    client, user_in_group, year, value
):
    client.force_login(user_in_group(ADMINISTRATOR, is_staff=True))
    data = {"indicator": value, "year": "2019", "value": "50", "comment": ""}

    response = client.post(reverse("admin:programmes_indicatorvalue_add"), data)

    assert response.status_code == 200
    assert "Välj ett giltigt alternativ." in response.content.decode()
    assert not IndicatorValue.objects.filter(year=2019).exists()


def test_admin_inline_naming_one_row_twice_is_refused(client, user_in_group, year):
    client.force_login(user_in_group(ADMINISTRATOR, is_staff=True))
    page = client.get(reverse("admin:programmes_responsibilityarea_change", args=[year.area1.pk]))
    data = browser_data(forms_of(page.context))
    # Both goal rows name goal 1.1, the second with goal 1.2's code.
    data["goals-1-id"] = data["goals-0-id"]
    before = database_state()

    response = client.post(
        reverse("admin:programmes_responsibilityarea_change", args=[year.area1.pk]), data
    )

    assert response.status_code == 200
    assert "Samma rad skickades två gånger." in response.content.decode()
    assert database_state() == before


def test_login_with_an_overlong_username_is_refused_before_anything_is_recorded(client):
    response = client.post(reverse("login"), {"username": "a" * 256, "password": "x"})

    assert response.status_code == 200
    assert "Säkerställ att detta värde har som mest 150 tecken" in response.content.decode()
    assert apps.get_model("axes", "AccessAttempt").objects.count() == 0
    assert apps.get_model("audit", "AuditEvent").objects.count() == 0


def test_long_return_comment_is_kept_whole_and_shortened_in_the_history(year, user_in_group):
    services.submit(year.followup, user_in_group(CASEWORKER))
    comment = "Analysen saknas för mål 1.2. " * 20

    services.return_to_draft(year.followup, user_in_group(SECRETARY), comment)

    assert StatusChange.objects.get(to_status=FollowUp.Status.DRAFT).comment == comment.strip()
    reason = year.followup.history.first().history_change_reason
    assert (len(reason), reason[:29]) == (100, "Analysen saknas för mål 1.2. ")


@pytest.mark.parametrize("value", ["sNaN", "NaN", "-Infinity"])
def test_admin_indicator_value_that_is_no_number_is_refused(client, user_in_group, year, value):
    stored = IndicatorValue.objects.get(indicator=year.indicator, year=2020)
    client.force_login(user_in_group(ADMINISTRATOR, is_staff=True))
    url = reverse("admin:programmes_indicatorvalue_change", args=[stored.pk])
    data = {"indicator": str(year.indicator.pk), "year": "2020", "value": value, "comment": ""}

    response = client.post(url, data)

    assert response.status_code == 200
    assert "Fyll i ett tal." in response.content.decode()
    stored.refresh_from_db()
    assert stored.value == 64


@pytest.mark.parametrize("value", ["sNaN", "NaN", "Infinity"])
def test_admin_indicator_inline_value_that_is_no_number_is_refused(
    client, user_in_group, year, value
):
    # An existing row's "has it changed?" compared a signalling NaN: a 500.
    client.force_login(user_in_group(ADMINISTRATOR, is_staff=True))
    url = reverse("admin:programmes_indicator_change", args=[year.indicator.pk])
    data = browser_data(forms_of(client.get(url).context))
    data["values-0-value"] = value
    before = database_state()

    response = client.post(url, data)

    assert response.status_code == 200
    assert "Fyll i ett tal." in response.content.decode()
    assert database_state() == before


@pytest.mark.parametrize("value", ["sNaN", "NaN", "-Infinity"])
def test_activity_cost_that_is_no_number_is_refused(client, caseworker, year, value):
    client.force_login(caseworker)
    url = year.url("activity-update", year.activity.pk)
    data = browser_data(forms_of(client.get(url).context))
    data["cost"] = value
    before = database_state()

    response = client.post(url, data)

    assert response.status_code == 200
    assert "Ange kostnaden i hela kronor med siffror, t.ex. 150 000." in response.content.decode()
    assert database_state() == before


@pytest.mark.parametrize("count", ["-1", "3"])
def test_admin_inline_with_a_tampered_count_of_stored_rows_is_refused(
    client, user_in_group, year, count
):
    # Found by the hypothesis test: INITIAL_FORMS=-1 made the stored goals
    # new rows, and their codes then failed a unique constraint as a 500.
    client.force_login(user_in_group(ADMINISTRATOR, is_staff=True))
    url = reverse("admin:programmes_responsibilityarea_change", args=[year.area1.pk])
    data = browser_data(forms_of(client.get(url).context))
    data["goals-INITIAL_FORMS"] = count
    before = database_state()

    response = client.post(url, data)

    assert response.status_code == 200
    assert "Samma rad skickades två gånger." in response.content.decode()
    assert database_state() == before
