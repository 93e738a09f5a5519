"""The rules the plan's data must obey, proved both where the database
refuses bad rows and where model validation names the field in Swedish."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from programmes.models import Goal, Indicator, IndicatorValue, Programme, ResponsibilityArea
from tests.factories import (
    DistrictFactory,
    GoalFactory,
    GuidelineFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    OrganisationalUnitFactory,
    PartnerFactory,
    ProgrammeFactory,
    ResponsibilityAreaFactory,
)

pytestmark = pytest.mark.django_db

LAST_YEAR_BEFORE_FIRST = "Sista året kan inte ligga före första året."
PERCENTAGE_OUT_OF_RANGE = "En andel i procent måste ligga mellan 0 och 100."


# Programme period


def test_programme_last_year_before_first_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        Programme.objects.create(
            name="Program", first_year=2018, last_year=2017, overall_goal="Trygghet"
        )
    assert Programme.objects.count() == 0


def test_programme_last_year_moved_before_first_by_update_is_refused():
    programme = ProgrammeFactory(first_year=2018, last_year=2021)

    with pytest.raises(IntegrityError), transaction.atomic():
        Programme.objects.filter(pk=programme.pk).update(last_year=2017)

    programme.refresh_from_db()
    assert programme.last_year == 2021


def test_programme_last_year_before_first_is_refused_by_validation():
    programme = ProgrammeFactory.build(first_year=2018, last_year=2017)

    with pytest.raises(ValidationError) as refused:
        programme.full_clean()

    assert refused.value.message_dict == {"last_year": [LAST_YEAR_BEFORE_FIRST]}


def test_programme_of_a_single_year_is_valid():
    programme = ProgrammeFactory.build(first_year=2021, last_year=2021)

    programme.full_clean()
    programme.save()

    assert list(programme.years) == [2021]


# Responsibility areas


def test_area_number_repeated_within_a_programme_is_refused_by_the_database():
    area = ResponsibilityAreaFactory(number=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        ResponsibilityArea.objects.create(programme=area.programme, number=1, name="Dubblett")

    assert ResponsibilityArea.objects.filter(programme=area.programme).count() == 1


def test_area_number_repeated_within_a_programme_is_refused_by_validation():
    area = ResponsibilityAreaFactory(number=1)
    duplicate = ResponsibilityAreaFactory.build(programme=area.programme, number=1)

    with pytest.raises(ValidationError) as refused:
        duplicate.full_clean()

    assert refused.value.message_dict == {
        "__all__": ["Programmet har redan ett ansvarsområde med det här numret."]
    }


def test_area_number_may_repeat_in_another_programme():
    ResponsibilityAreaFactory(number=1)
    other = ResponsibilityAreaFactory.build(programme=ProgrammeFactory(), number=1)

    other.full_clean()
    other.save()

    assert ResponsibilityArea.objects.filter(number=1).count() == 2


# Goals: one tree per area, no cycles


def test_goal_parent_in_another_area_is_refused():
    parent = GoalFactory()
    goal = GoalFactory.build(area=ResponsibilityAreaFactory(programme=parent.area.programme))
    goal.parent = parent

    with pytest.raises(ValidationError) as refused:
        goal.full_clean()

    assert refused.value.message_dict == {
        "parent": ["Det överordnade målet måste höra till samma ansvarsområde."]
    }


def test_goal_parent_in_the_same_area_is_accepted():
    parent = GoalFactory(code="1")
    goal = GoalFactory(area=parent.area, code="1.1", parent=parent)

    goal.full_clean()

    assert list(parent.children.all()) == [goal]


def test_goal_placed_under_its_own_sub_goal_is_refused():
    top = GoalFactory(code="1")
    sub = GoalFactory(area=top.area, code="1.1", parent=top)
    top.parent = sub

    with pytest.raises(ValidationError) as refused:
        top.full_clean()

    assert refused.value.message_dict == {
        "parent": ["Ett mål kan inte placeras under sig självt eller något av sina delmål."]
    }


def test_goal_placed_under_itself_is_refused_by_validation():
    goal = GoalFactory()
    goal.parent = goal

    with pytest.raises(ValidationError) as refused:
        goal.full_clean()

    assert refused.value.message_dict == {
        "parent": ["Ett mål kan inte placeras under sig självt eller något av sina delmål."]
    }


def test_goal_placed_under_itself_is_refused_by_the_database():
    goal = GoalFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Goal.objects.filter(pk=goal.pk).update(parent=goal)

    goal.refresh_from_db()
    assert goal.parent_id is None


# Indicators and their values


def test_indicator_value_repeated_for_a_year_is_refused_by_the_database():
    value = IndicatorValueFactory(year=2021)

    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorValue.objects.create(indicator=value.indicator, year=2021, value=Decimal(1))

    assert value.indicator.values.count() == 1


def test_indicator_value_repeated_for_a_year_is_refused_by_validation():
    value = IndicatorValueFactory(year=2021)
    duplicate = IndicatorValueFactory.build(indicator=value.indicator, year=2021)

    with pytest.raises(ValidationError) as refused:
        duplicate.full_clean()

    assert refused.value.message_dict == {
        "__all__": ["Nyckeltalet har redan ett värde för det här året."]
    }


def test_indicator_values_of_different_years_are_accepted():
    value = IndicatorValueFactory(year=2021)
    earlier = IndicatorValueFactory.build(indicator=value.indicator, year=2017)

    earlier.full_clean()
    earlier.save()

    assert [v.year for v in value.indicator.values.all()] == [2017, 2021]


@pytest.mark.parametrize("value", ["0", "100", "0.00", "100.00", "55.5"])
def test_percentage_value_within_zero_and_hundred_is_accepted(value):
    indicator = IndicatorFactory(unit=Indicator.Unit.PERCENT)

    IndicatorValueFactory.build(indicator=indicator, value=Decimal(value)).full_clean()


@pytest.mark.parametrize("value", ["-0.01", "100.01", "250"])
def test_percentage_value_outside_zero_and_hundred_is_refused(value):
    indicator = IndicatorFactory(unit=Indicator.Unit.PERCENT)
    indicator_value = IndicatorValueFactory.build(indicator=indicator, value=Decimal(value))

    with pytest.raises(ValidationError) as refused:
        indicator_value.full_clean()

    assert refused.value.message_dict == {"value": [PERCENTAGE_OUT_OF_RANGE]}


@pytest.mark.parametrize("unit", [Indicator.Unit.COUNT, Indicator.Unit.SEK])
def test_count_and_amount_values_may_exceed_hundred(unit):
    indicator = IndicatorFactory(unit=unit)

    IndicatorValueFactory.build(indicator=indicator, value=Decimal("100.01")).full_clean()
    IndicatorValueFactory.build(indicator=indicator, value=Decimal("4210")).full_clean()


@pytest.mark.parametrize("target", ["0", "100"])
def test_percentage_target_at_the_boundaries_is_accepted(target):
    IndicatorFactory.build(
        area=ResponsibilityAreaFactory(), unit=Indicator.Unit.PERCENT, target=Decimal(target)
    ).full_clean()


@pytest.mark.parametrize("target", ["-0.01", "100.01"])
def test_percentage_target_outside_zero_and_hundred_is_refused(target):
    indicator = IndicatorFactory.build(
        area=ResponsibilityAreaFactory(), unit=Indicator.Unit.PERCENT, target=Decimal(target)
    )

    with pytest.raises(ValidationError) as refused:
        indicator.full_clean()

    assert refused.value.message_dict == {"target": [PERCENTAGE_OUT_OF_RANGE]}


def test_count_target_may_exceed_hundred():
    IndicatorFactory.build(
        area=ResponsibilityAreaFactory(), unit=Indicator.Unit.COUNT, target=Decimal("100.01")
    ).full_clean()


def test_indicator_unit_outside_the_choices_is_refused_by_the_database():
    area = ResponsibilityAreaFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.create(area=area, name="Antal anmälningar", unit="pieces")

    assert Indicator.objects.count() == 0


# Readable names


def test_programme_str_names_the_period():
    programme = ProgrammeFactory(name="Program för trygghet och säkerhet")

    assert str(programme) == "Program för trygghet och säkerhet 2018–2021"


def test_area_goal_and_indicator_str_are_readable():
    area = ResponsibilityAreaFactory(number=1, name="Trygghetsskapande och brottsförebyggande")
    goal = GoalFactory(area=area, code="1.2", title="Minskad brottslighet")
    indicator = IndicatorFactory(area=area, name="Andel som känner sig trygga")

    assert str(area) == "1 Trygghetsskapande och brottsförebyggande"
    assert str(goal) == "1.2 Minskad brottslighet"
    assert str(indicator) == "Andel som känner sig trygga"


def test_indicator_value_str_names_indicator_year_and_value():
    value = IndicatorValueFactory(
        indicator=IndicatorFactory(name="Andel som känner sig trygga"),
        year=2020,
        value=Decimal("72.5"),
    )
    value.refresh_from_db()

    assert str(value) == "Andel som känner sig trygga 2020: 72.50"


def test_guideline_and_reference_items_str_is_their_name():
    assert str(GuidelineFactory(name="Graffiti")) == "Graffiti"
    assert str(OrganisationalUnitFactory(name="Kommunstyrelsens förvaltning")) == (
        "Kommunstyrelsens förvaltning"
    )
    assert str(PartnerFactory(name="Polisen")) == "Polisen"
    assert str(DistrictFactory(name="Flemingsberg")) == "Flemingsberg"
