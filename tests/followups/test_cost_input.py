"""An activity's cost is whole kronor in digits, with spaces between the
thousands if one likes; anything Python would also read as a number
("1e5", "+5", Arabic-Indic digits, "Infinity") is refused in Swedish, in
the workspace and in admin. Indicator values keep their decimals."""

from decimal import Decimal

import pytest
from django.urls import reverse

from followups.models import Activity
from programmes.models import IndicatorValue
from tests.security.fuzz import browser_data, forms_of

pytestmark = pytest.mark.django_db

NOT_WHOLE_KRONOR = "Ange kostnaden i hela kronor med siffror, t.ex. 150 000."
NEGATIVE = "Kontrollera att detta värde är större än eller lika med 0."
STORED = Decimal(1234)

ACCEPTED = [
    ("150 000", Decimal(150000)),
    ("150000", Decimal(150000)),
    ("0", Decimal(0)),
    ("150\u00a0000", Decimal(150000)),  # no-break space
    ("150\u202f000", Decimal(150000)),  # narrow no-break space
    ("150\u2009000", Decimal(150000)),  # thin space
    ("1 500 000", Decimal(1500000)),
    (" 150 000 ", Decimal(150000)),
    ("007", Decimal(7)),
    ("", None),
]
REFUSED = [
    "1e5",
    "1E5",
    "+5",
    "5,5",
    "5.5",
    "150.000",
    "0x10",
    "١٢٣",  # Arabic-Indic digits
    "１２３",  # full-width digits
    "Infinity",
    "-Infinity",
    "NaN",
    "sNaN",
    "--5",
    "15 0000",
    "1 50 000",
    "150  000",
    "150 000 kr",
    "1_000",
    "tusen kronor",
]


@pytest.fixture
def activity(year) -> Activity:
    year.activity.cost = STORED
    year.activity.save()
    return year.activity


def post_cost(client, year, cost: str):
    url = year.url("activity-update", year.activity.pk)
    data = browser_data(forms_of(client.get(url).context))
    return client.post(url, {**data, "cost": cost})


@pytest.mark.parametrize(("typed", "expected"), ACCEPTED)
def test_cost_in_whole_kronor_is_stored_exactly(
    client, caseworker, year, activity, typed, expected
):
    client.force_login(caseworker)

    response = post_cost(client, year, typed)

    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.cost == expected


@pytest.mark.parametrize("typed", REFUSED)
def test_cost_that_is_not_whole_kronor_in_digits_is_refused_in_swedish(
    client, caseworker, year, activity, typed
):
    client.force_login(caseworker)

    response = post_cost(client, year, typed)

    assert response.status_code == 200
    assert response.context["form"].errors == {"cost": [NOT_WHOLE_KRONOR]}
    assert NOT_WHOLE_KRONOR in response.content.decode()
    activity.refresh_from_db()
    assert (activity.cost, activity.version) == (STORED, 1)


@pytest.mark.parametrize("typed", ["-5", "\u22125", "-150 000"])
def test_negative_cost_gets_the_models_message(client, caseworker, year, activity, typed):
    client.force_login(caseworker)

    response = post_cost(client, year, typed)

    assert response.status_code == 200
    assert response.context["form"].errors == {"cost": [NEGATIVE]}
    activity.refresh_from_db()
    assert activity.cost == STORED


def test_cost_field_asks_for_a_digit_keyboard(client, caseworker, year):
    client.force_login(caseworker)

    html = client.get(year.url("activity-update", year.activity.pk)).content.decode()

    assert '<input type="text" name="cost" inputmode="numeric"' in html


def admin_post_cost(admin_client, activity, cost: str):
    url = reverse("admin:followups_activity_change", args=[activity.pk])
    data = browser_data(forms_of(admin_client.get(url).context))
    return admin_client.post(url, {**data, "cost": cost})


@pytest.mark.parametrize(("typed", "expected"), [("150 000", Decimal(150000)), ("0", Decimal(0))])
def test_admin_stores_whole_kronor(admin_client, activity, typed, expected):
    response = admin_post_cost(admin_client, activity, typed)

    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.cost == expected


@pytest.mark.parametrize("typed", ["1e5", "+5", "5,5", "١٢٣", "Infinity", "--5"])
def test_admin_refuses_a_cost_that_is_not_whole_kronor(admin_client, activity, typed):
    response = admin_post_cost(admin_client, activity, typed)

    assert response.status_code == 200
    assert NOT_WHOLE_KRONOR in response.content.decode()
    activity.refresh_from_db()
    assert activity.cost == STORED


@pytest.mark.parametrize(("typed", "expected"), [("74,5", Decimal("74.5")), ("64", Decimal(64))])
def test_indicator_values_still_take_decimals(client, caseworker, year, typed, expected):
    client.force_login(caseworker)
    prefix = f"indicator-{year.indicator.pk}"

    response = client.post(
        year.url("indicator-values"),
        {f"{prefix}-value": typed, f"{prefix}-comment": "", f"{prefix}-version": "0"},
    )

    assert response.status_code == 302
    assert IndicatorValue.objects.get(indicator=year.indicator, year=2021).value == expected
