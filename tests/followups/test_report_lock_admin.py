"""An approved year in the Django admin: its objects are shown read-only,
a forged POST is refused (403) and changes nothing, an add is refused with
the Swedish message; other years and the plan stay editable."""

from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from followups.models import Activity, AreaSummary, GoalAssessment, GuidelineFollowUp
from programmes.models import IndicatorValue
from tests.conftest import ADMINISTRATOR
from tests.followups.approval import LOCKED, fill_and_approve, year_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(year):
    fill_and_approve(year)
    return year


def admin_url(obj, view: str) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=[obj.pk])


@pytest.fixture
def admin_user(user_in_group):
    return user_in_group(ADMINISTRATOR, is_staff=True)


YEAR_OBJECTS = {
    "activity": (lambda y: y.activity, {"title": "Ändrad i admin"}),
    "assessment": (
        lambda y: GoalAssessment.objects.get(followup=y.followup),
        {"analysis": "Ändrad i admin"},
    ),
    "area summary": (
        lambda y: AreaSummary.objects.get(followup=y.followup),
        {"text": "Ändrad i admin"},
    ),
    "guideline text": (
        lambda y: GuidelineFollowUp.objects.get(followup=y.followup),
        {"text": "Ändrad i admin"},
    ),
    "follow-up": (lambda y: y.followup, {"summary": "Ändrad i admin"}),
    "indicator value": (
        lambda y: IndicatorValue.objects.get(indicator=y.indicator, year=2021),
        {"value": "99"},
    ),
}


@pytest.mark.parametrize("kind", YEAR_OBJECTS)
def test_admin_shows_an_approved_years_objects_read_only(client, admin_user, approved, kind):
    obj = YEAR_OBJECTS[kind][0](approved)
    client.force_login(admin_user)

    page = client.get(admin_url(obj, "change"))

    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.get(admin_url(obj, "delete")).status_code == 403


@pytest.mark.parametrize("kind", YEAR_OBJECTS)
def test_admin_refuses_a_post_to_an_approved_years_objects(client, admin_user, approved, kind):
    make, data = YEAR_OBJECTS[kind]
    obj = make(approved)
    before = year_state(approved.followup)
    client.force_login(admin_user)

    change = client.post(admin_url(obj, "change"), data)
    delete = client.post(admin_url(obj, "delete"), {"post": "yes"})

    assert (change.status_code, delete.status_code) == (403, 403)
    assert year_state(approved.followup) == before


def test_admin_bulk_delete_of_an_approved_years_activity_is_refused(client, admin_user, approved):
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:followups_activity_changelist"),
        {"action": "delete_selected", "_selected_action": [approved.activity.pk], "post": "yes"},
    )

    # The list offers no bulk delete of versioned rows at all (it shows no
    # versions): the forged action is answered "no action selected".
    assert response.status_code == 200
    assert Activity.objects.filter(pk=approved.activity.pk).exists()


def test_admin_still_edits_another_years_indicator_value(client, admin_user, approved):
    value = IndicatorValue.objects.get(indicator=approved.indicator, year=2020)
    client.force_login(admin_user)

    page = client.get(admin_url(value, "change"))
    response = client.post(
        admin_url(value, "change"),
        {
            "indicator": approved.indicator.pk,
            "year": "2020",
            "value": "65",
            "comment": "",
            "seen_version": value.version,
        },
    )

    assert 'name="_save"' in page.content.decode()
    assert response.status_code == 302
    value.refresh_from_db()
    assert value.value == Decimal(65)


def test_admin_refuses_a_new_value_for_an_approved_year(client, admin_user, approved):
    value = IndicatorValue.objects.get(indicator=approved.indicator, year=2020)
    client.force_login(admin_user)

    # Moving the 2020 value into the approved year is adding one to it.
    response = client.post(
        admin_url(value, "change"),
        {
            "indicator": approved.indicator.pk,
            "year": "2021",
            "value": "65",
            "comment": "",
            "seen_version": value.version,
        },
    )

    assert response.status_code == 200
    assert LOCKED in response.content.decode()
    value.refresh_from_db()
    assert value.year == 2020


class FormData(HTMLParser):
    """The data a browser would post from an admin change page, unchanged."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs) -> None:
        attributes = dict(attrs)
        name = attributes.get("name")
        kind = attributes.get("type", "text")
        if tag == "input" and name and kind not in ("submit", "button", "file"):
            if kind in ("checkbox", "radio"):
                if "checked" in attributes:
                    self.data.setdefault(name, []).append(attributes.get("value") or "on")
            else:
                self.data.setdefault(name, []).append(attributes.get("value") or "")
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attributes:
            self.data[self._select].append(attributes.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_data(self, data) -> None:
        if self._textarea:
            self.data[self._textarea][0] += data

    def handle_endtag(self, tag) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            # Browsers drop the line break that follows <textarea>.
            self.data[self._textarea][0] = self.data[self._textarea][0].removeprefix("\n")
            self._textarea = None


def test_admin_edits_an_indicator_whose_values_include_an_approved_year(
    client, admin_user, approved
):
    """The indicator belongs to the plan, not to the year: fixing its
    description must not be blocked by an approved year's value that the
    page shows unchanged."""
    url = reverse("admin:programmes_indicator_change", args=[approved.indicator.pk])
    client.force_login(admin_user)
    form = FormData()
    form.feed(client.get(url).content.decode())
    data = {**form.data, "description": ["Andel som känner sig trygga."]}

    response = client.post(url, data)

    assert LOCKED not in response.content.decode()
    assert response.status_code == 302
    approved.indicator.refresh_from_db()
    assert approved.indicator.description == "Andel som känner sig trygga."
    assert IndicatorValue.objects.get(indicator=approved.indicator, year=2021).value == 70


def admin_additions(year) -> dict[str, tuple[str, dict]]:
    """Add-page POSTs that would put something into the approved year."""
    followup = year.followup.pk
    return {
        "activity": (
            "followups_activity",
            {"followup": followup, "title": "Ny", "area": year.area1.pk, "status": "planned"},
        ),
        "assessment": (
            "followups_goalassessment",
            {"followup": followup, "goal": year.goal12.pk, "rating": "high", "analysis": "Ny."},
        ),
        "area summary": (
            "followups_areasummary",
            {"followup": followup, "area": year.area2.pk, "text": "Ny."},
        ),
    }


@pytest.mark.parametrize("kind", ["activity", "assessment", "area summary"])
def test_admin_refuses_to_add_to_an_approved_year_with_the_message(
    client, admin_user, approved, kind
):
    """The model refuses the write; the admin must say so, not fail with a
    server error."""
    model, data = admin_additions(approved)[kind]
    before = year_state(approved.followup)
    client.force_login(admin_user)

    response = client.post(reverse(f"admin:{model}_add"), data)

    assert response.status_code == 200
    assert LOCKED in response.content.decode()
    assert year_state(approved.followup) == before
