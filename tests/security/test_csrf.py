"""Every form that changes something needs its CSRF token: without it the
answer is 403 and nothing changes; with the token from the page it works.
No view of the project, the admin's included, is exempt from the check."""

from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from followups import decisions, services
from followups.models import Contributor, FollowUp
from followups.renderings import run_rendering
from tests.conftest import ADMINISTRATOR, CASEWORKER, CONTRIBUTOR, SECRETARY
from tests.factories import UserFactory
from tests.followups.approval import DECISION, approve_without_archive
from tests.security.fuzz import browser_data, database_state, forms_of

pytestmark = pytest.mark.django_db

PASSWORD = "lösenord-för-test"  # tests.factories.UserFactory's


def page_form(overrides: dict | None = None) -> Callable:
    """The POST data of the page's own forms, as a browser sends them."""

    def data(page) -> dict:
        return {**browser_data(forms_of(page.context)), **(overrides or {})}

    return data


def fixed(values: dict) -> Callable:
    return lambda page: dict(values)


def confirm_url(year) -> str:
    """The decision's confirmation page, its document rendered (the same
    rendering however often it is asked for)."""
    rendering = decisions.prepare_decision(year.followup, None, enqueue=False, **DECISION)
    if rendering.is_pending:
        run_rendering(rendering.pk)
    return year.url("followup-decision-confirm", rendering.pk)


# name → (role, prepare the year, page to read the token from, URL to post
# to (None: the same), the POST data)
CASES = {
    "activity create": (
        CASEWORKER,
        None,
        lambda y: y.url("activity-create"),
        None,
        lambda y: page_form({"title": "Ny aktivitet", "area": str(y.area1.pk)}),
    ),
    "contributor's activity create": (
        CONTRIBUTOR,
        None,
        lambda y: y.url("activity-create"),
        None,
        lambda y: page_form(
            {
                "title": "Ny aktivitet",
                "area": str(y.area1.pk),
                "responsible_unit": str(y.activity.responsible_unit_id),
            }
        ),
    ),
    "contributor's activity edit": (
        CONTRIBUTOR,
        None,
        lambda y: y.url("activity-update", y.activity.pk),
        None,
        lambda y: page_form({"title": "Ändrad av förvaltningen"}),
    ),
    "confidential activity edit": (
        CASEWORKER,
        None,
        lambda y: y.url("activity-update", y.activity.pk),
        None,
        lambda y: page_form({"is_confidential": "on", "confidentiality_ground": "security"}),
    ),
    "admin user's units": (
        "admin",
        None,
        lambda y: reverse("admin:auth_user_change", args=[contributor_of(y).pk]),
        None,
        lambda y: page_form(
            {
                "contributor-0-units": [str(y.activity.responsible_unit_id)],
                # The admin splits the date and the time into two inputs.
                "date_joined_0": "2026-01-07",
                "date_joined_1": "08:00:00",
            }
        ),
    ),
    "activity edit": (
        CASEWORKER,
        None,
        lambda y: y.url("activity-update", y.activity.pk),
        None,
        lambda y: page_form({"title": "Ändrad titel"}),
    ),
    "activity delete": (
        CASEWORKER,
        None,
        lambda y: y.url("activity-delete", y.activity.pk),
        None,
        lambda y: fixed({"version": y.activity.version}),
    ),
    "activity continue": (
        CASEWORKER,
        None,
        lambda y: y.url("activity-continue", y.activity.pk),
        None,
        lambda y: fixed({}),
    ),
    "follow-up summary": (
        CASEWORKER,
        None,
        lambda y: y.url("followup-summary"),
        None,
        lambda y: page_form({"followup-summary": "Året i korthet."}),
    ),
    "area assessment": (
        CASEWORKER,
        None,
        lambda y: y.url("area-assessment", 1),
        None,
        lambda y: page_form({"summary-text": "Området i korthet."}),
    ),
    "indicator values": (
        CASEWORKER,
        None,
        lambda y: y.url("indicator-values"),
        None,
        lambda y: page_form({f"indicator-{y.indicator.pk}-value": "70"}),
    ),
    "guideline texts": (
        CASEWORKER,
        None,
        lambda y: y.url("guideline-texts"),
        None,
        lambda y: page_form({f"guideline-{y.guideline.pk}-text": "Följd."}),
    ),
    "submit": (CASEWORKER, None, lambda y: y.url("followup-submit"), None, lambda y: fixed({})),
    "return to draft": (
        SECRETARY,
        "submitted",
        lambda y: y.url("followup-return"),
        None,
        lambda y: fixed({"comment": "Saknar analys."}),
    ),
    "register decision": (
        SECRETARY,
        "submitted",
        lambda y: y.url("followup-decision"),
        None,
        lambda y: fixed({**DECISION, "decision_date": "2022-03-07"}),
    ),
    "confirm decision": (
        SECRETARY,
        "submitted",
        lambda y: confirm_url(y),
        None,
        lambda y: fixed({}),
    ),
    "reopen": (
        ADMINISTRATOR,
        "approved",
        lambda y: y.url("followup-reopen"),
        None,
        lambda y: fixed({"reason": "Fel i nyckeltalen."}),
    ),
    "logout": (
        CASEWORKER,
        None,
        lambda y: y.url("followup"),
        reverse("logout"),
        lambda y: fixed({}),
    ),
    "password change": (
        CASEWORKER,
        None,
        lambda y: reverse("password_change"),
        None,
        lambda y: fixed(
            {
                "old_password": PASSWORD,
                "new_password1": "Ny lösenordsfras 2022!",
                "new_password2": "Ny lösenordsfras 2022!",
            }
        ),
    ),
    "new citizen promise": (
        CASEWORKER,
        None,
        lambda y: reverse("promise-create", args=[collaboration(y)["agreement"].pk]),
        None,
        lambda y: fixed({"year": "2021", "category": "Narkotika", "text": "Vi lovar."}),
    ),
    "activities of a priority area": (
        CASEWORKER,
        None,
        lambda y: reverse(
            "priority-area-activities",
            args=[collaboration(y)["agreement"].pk, collaboration(y)["area"].pk],
        ),
        None,
        lambda y: page_form(),
    ),
    "new situation picture": (
        CASEWORKER,
        None,
        lambda y: reverse("situation-create"),
        None,
        lambda y: fixed(
            {
                "title": "Lägesbild",
                "made_on": "2023-10-05",
                "first_year": "2023",
                "last_year": "2023",
            }
        ),
    ),
    "new problem": (
        CASEWORKER,
        None,
        lambda y: reverse("problem-create", args=[collaboration(y)["problem"].picture_id]),
        None,
        lambda y: fixed({"order": "2", "name": "Narkotika"}),
    ),
    "new measure": (
        CASEWORKER,
        None,
        lambda y: reverse("measure-create", args=[collaboration(y)["plan"].pk]),
        None,
        lambda y: fixed(
            {"order": "1", "title": "Kameror", "problems": [str(collaboration(y)["problem"].pk)]}
        ),
    ),
    "tertial follow-up": (
        CASEWORKER,
        None,
        lambda y: reverse("tertial", args=[collaboration(y)["agreement"].pk, 2021, 1]),
        None,
        lambda y: page_form({"tertial-summary": "Allt går enligt plan."}),
    ),
    "admin change form": (
        "admin",
        None,
        lambda y: reverse("admin:programmes_programme_change", args=[y.programme.pk]),
        None,
        lambda y: page_form({"description": "Ändrad i admin."}),
    ),
}


def collaboration(year) -> dict:
    """An agreement with a priority area, a situation picture with a
    problem and an action plan, made once per test."""
    if not hasattr(year, "collaboration"):
        from tests.collaboration.factories import (
            ActionPlanFactory,
            AgreementFactory,
            PriorityAreaFactory,
            ProblemFactory,
        )

        agreement = AgreementFactory(first_year=2021, last_year=2022)
        problem = ProblemFactory()
        year.collaboration = {
            "agreement": agreement,
            "area": PriorityAreaFactory(agreement=agreement),
            "problem": problem,
            "plan": ActionPlanFactory(picture=problem.picture),
        }
    return year.collaboration


def contributor_of(year):
    """A Bidragsgivare whose user page has their units (none chosen yet)."""
    user = get_user_model().objects.filter(username="bidrag").first()
    if user is None:
        user = UserFactory(username="bidrag")
        Contributor.objects.create(user=user)
    return user


def prepare(year, user_in_group, role: str, status: str | None):
    if status is not None:
        services.submit(year.followup, user_in_group(CASEWORKER))
    if status == "approved":
        approve_without_archive(year.followup)
    if role == "admin":
        return user_in_group(ADMINISTRATOR, is_staff=True)
    if role == CONTRIBUTOR:
        return user_in_group(role, units=[year.activity.responsible_unit])
    return user_in_group(role)


@pytest.mark.parametrize("name", CASES)
def test_post_without_csrf_token_is_refused_and_with_it_works(name, year, user_in_group):
    role, status, page_url, post_url, data = CASES[name]
    user = prepare(year, user_in_group, role, status)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    page = client.get(page_url(year))
    assert page.status_code == 200
    url = post_url or page_url(year)
    payload = data(year)(page)
    before = database_state()

    refused = client.post(url, payload)

    assert refused.status_code == 403
    assert database_state() == before
    accepted = client.post(url, {**payload, "csrfmiddlewaretoken": str(page.context["csrf_token"])})
    assert accepted.status_code == 302, name
    assert database_state() != before or name == "logout"


def test_login_without_csrf_token_is_refused_and_with_it_works(user_in_group):
    user = user_in_group(CASEWORKER)
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("login"))
    credentials = {"username": user.username, "password": PASSWORD}

    refused = client.post(reverse("login"), credentials)

    assert refused.status_code == 403
    assert "_auth_user_id" not in client.session
    token = str(page.context["csrf_token"])
    accepted = client.post(reverse("login"), {**credentials, "csrfmiddlewaretoken": token})
    assert accepted.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_token_of_another_session_is_refused(year, user_in_group):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user_in_group(CASEWORKER))
    other = Client(enforce_csrf_checks=True)
    other.force_login(user_in_group(CASEWORKER))
    token = str(other.get(year.url("followup-summary")).context["csrf_token"])
    client.get(year.url("followup-summary"))

    response = client.post(
        year.url("followup-summary"),
        {"followup-summary": "x", "followup-version": "1", "csrfmiddlewaretoken": token},
    )

    assert response.status_code == 403
    assert FollowUp.objects.get(pk=year.followup.pk).summary == ""


def walk(patterns, prefix: str = "") -> list[tuple[str, Callable]]:
    """Every URL pattern under the resolver, admin included, with its view."""
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found += walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            found.append((prefix + str(pattern.pattern), pattern.callback))
    return found


def is_exempt(view: Callable) -> bool:
    if getattr(view, "csrf_exempt", False):
        return True
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        handlers = [getattr(view_class, name, None) for name in ("dispatch", "post", "put")]
        return any(getattr(handler, "csrf_exempt", False) for handler in handlers)
    return False


def test_no_view_is_exempt_from_csrf_checks():
    views = walk(get_resolver().url_patterns)

    assert len(views) > 100  # the workspace and every admin page
    assert any(route.startswith("admin/programmes/") for route, _view in views)
    assert any(route.startswith("programmes/<int:programme>/") for route, _view in views)
    assert [route for route, view in views if is_exempt(view)] == []


def test_project_code_never_uses_csrf_exempt():
    base = Path(settings.BASE_DIR)
    files = [
        path
        for folder in ("audit", "followups", "programmes", "huddinge_safety")
        for path in (base / folder).rglob("*.py")
    ]

    assert len(files) > 20
    assert [str(p) for p in files if "csrf_exempt" in p.read_text(encoding="utf-8")] == []
