"""Every free text of the plan has an upper bound: model validation refuses
one character more, the admin says so in Swedish and saves nothing. A text
stored before the bound existed is kept whole."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import (
    GoalFactory,
    GuidelineFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    ProgrammeFactory,
    ResponsibilityAreaFactory,
)
from tests.security.fuzz import browser_data, forms_of

pytestmark = pytest.mark.django_db

# (factory, field, bound): the bounds of docs/decisions.md, issue 10.
BOUNDS = [
    (ProgrammeFactory, "overall_goal", 2_000),
    (ProgrammeFactory, "description", 20_000),
    (ResponsibilityAreaFactory, "overarching_goal", 2_000),
    (GoalFactory, "description", 5_000),
    (IndicatorFactory, "description", 5_000),
    (GuidelineFactory, "description", 5_000),
    (IndicatorValueFactory, "comment", 1_000),
]
IDS = [f"{factory._meta.model.__name__}.{field}" for factory, field, _bound in BOUNDS]


def too_long(bound: int) -> str:
    """Swedish for "at most bound characters (this one has bound + 1)"."""

    def spaced(number: int) -> str:
        return f"{number:,}".replace(",", "\xa0")

    return f"Texten får vara högst {spaced(bound)} tecken lång (nu {spaced(bound + 1)})."


@pytest.mark.parametrize(("factory", "field", "bound"), BOUNDS, ids=IDS)
def test_text_at_its_bound_is_valid_and_one_character_more_is_refused(factory, field, bound):
    row = factory()
    setattr(row, field, "å" * bound)
    row.full_clean()

    setattr(row, field, "å" * (bound + 1))
    with pytest.raises(ValidationError) as error:
        row.full_clean()

    assert error.value.message_dict == {field: [too_long(bound)]}


@pytest.mark.parametrize(("factory", "field", "bound"), BOUNDS, ids=IDS)
def test_a_text_stored_before_the_bound_is_kept_whole(factory, field, bound):
    # The bound is no database constraint: such a row loses nothing.
    row = factory()
    setattr(row, field, "x" * (bound + 500))
    row.save()

    row.refresh_from_db()

    assert getattr(row, field) == "x" * (bound + 500)


def admin_url(row) -> str:
    info = (row._meta.app_label, row._meta.model_name)
    return reverse("admin:{}_{}_change".format(*info), args=[row.pk])


@pytest.mark.parametrize(("factory", "field", "bound"), BOUNDS, ids=IDS)
def test_admin_refuses_one_character_more_in_swedish_and_saves_nothing(
    admin_client, factory, field, bound
):
    row = factory()
    before = getattr(row, field)
    page = admin_client.get(admin_url(row))
    assert f'maxlength="{bound}"' in page.content.decode()
    data = {**browser_data(forms_of(page.context)), field: "å" * (bound + 1)}

    response = admin_client.post(admin_url(row), data)

    assert response.status_code == 200
    assert too_long(bound) in response.content.decode()
    row.refresh_from_db()
    assert getattr(row, field) == before


@pytest.mark.parametrize(("factory", "field", "bound"), BOUNDS, ids=IDS)
def test_admin_stores_a_text_of_exactly_its_bound(admin_client, factory, field, bound):
    row = factory()
    page = admin_client.get(admin_url(row))
    data = {**browser_data(forms_of(page.context)), field: "å" * bound}

    response = admin_client.post(admin_url(row), data)

    assert response.status_code == 302
    row.refresh_from_db()
    assert getattr(row, field) == "å" * bound
