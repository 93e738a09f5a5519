"""A new programme period from the old one (issue 12, first part): the copy
has the old areas, goal tree, indicators (continuing the old series) and
guidelines and is not adopted; the old programme and its years stay exactly
as they were; an expired programme without a successor is pointed out."""

import io
from decimal import Decimal

import pytest
from django.core import checks
from django.core.management import CommandError, call_command
from django.urls import reverse

from programmes.copying import copy_programme
from programmes.models import Goal, Programme
from tests.factories import (
    GoalFactory,
    GuidelineFactory,
    IndicatorFactory,
    IndicatorValueFactory,
)
from tests.security.fuzz import database_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(year):
    """A sub-goal under goal 1.1 and an indicator target, to copy too."""
    sub = GoalFactory(area=year.area1, parent=year.goal11, code="1.1.1", title="Belysning", order=3)
    year.indicator.target = Decimal("70")
    year.indicator.save()
    IndicatorFactory(area=year.area2, name="Antal bränder", unit="count", higher_is_better=False)
    return sub


def test_the_copy_has_the_plan_and_the_old_programme_is_unchanged(year, tree):
    before = database_state()

    copy = copy_programme(year.programme, 2023, 2026, "Program för trygghet och säkerhet")

    after = database_state()
    # Every row that existed is exactly as it was; only rows were added.
    for label, rows in before.items():
        assert set(rows) <= set(after[label]), label
    assert (copy.first_year, copy.last_year, copy.predecessor) == (2023, 2026, year.programme)
    assert not copy.is_adopted and (copy.adopted_by, copy.adopted_on) == ("", None)
    assert copy.overall_goal == year.programme.overall_goal
    assert [(a.number, a.name) for a in copy.areas.order_by("number")] == [
        (1, "Trygghet"),
        (2, "Skydd mot olyckor"),
    ]
    goals = {g.code: g for g in Goal.objects.filter(area__programme=copy)}
    assert sorted(goals) == ["1.1", "1.1.1", "1.2", "2.1"]
    assert goals["1.1.1"].parent == goals["1.1"]
    assert (goals["1.2"].title, goals["1.2"].order) == ("Barn och unga", 2)
    indicators = {i.name: i for i in copy.areas.get(number=1).indicators.all()}
    copied = indicators["Upplevd trygghet"]
    assert (copied.continues, copied.target, copied.unit) == (
        year.indicator,
        Decimal("70"),
        "percent",
    )
    fires = copy.areas.get(number=2).indicators.get()
    assert (fires.name, fires.higher_is_better, fires.continues.area) == (
        "Antal bränder",
        False,
        year.area2,
    )
    assert [g.name for g in copy.guidelines.all()] == ["Riktlinjer för klotter"]
    # The copies' values are none of their own: the series is the old one's.
    assert copied.values.count() == 0
    assert year.indicator.continuations.get() == copied


@pytest.mark.parametrize(
    ("years", "message"),
    [
        ((2020, 2024), "Den nya perioden måste börja efter 2022"),
        ((2026, 2024), "Sista året kan inte ligga före första året."),
        ((2023, 2200), "2100"),
    ],
)
def test_a_period_that_cannot_follow_is_refused_and_nothing_made(year, years, message):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match=message):
        copy_programme(year.programme, *years)

    assert Programme.objects.count() == 1


def test_the_command_copies_and_says_what_it_made(year, tree):
    output = io.StringIO()

    call_command(
        "copy_programme",
        "--from",
        str(year.programme.pk),
        "--first-year",
        "2023",
        "--last-year",
        "2026",
        "--name",
        "Nytt program",
        stdout=output,
    )

    copy = Programme.objects.get(name="Nytt program")
    assert output.getvalue().strip() == (
        f"Skapade Nytt program 2023–2026 (id {copy.pk}) från {year.programme}: "
        "2 ansvarsområden, 4 mål, 2 nyckeltal, 1 riktlinjer. Ännu inte antaget."
    )


def test_the_command_refuses_an_unknown_programme_and_a_name_used(year):
    with pytest.raises(CommandError, match="Det finns inget program med id 999"):
        call_command(
            "copy_programme", "--from", "999", "--first-year", "2023", "--last-year", "2026"
        )
    copy_programme(year.programme, 2023, 2026)
    with pytest.raises(CommandError, match="Det finns redan ett program"):
        call_command(
            "copy_programme",
            "--from",
            str(year.programme.pk),
            "--first-year",
            "2023",
            "--last-year",
            "2027",
        )


def test_the_admin_action_makes_the_next_period_of_the_same_length(client, user_in_group, year):
    from tests.conftest import ADMINISTRATOR

    client.force_login(user_in_group(ADMINISTRATOR, is_staff=True))

    response = client.post(
        reverse("admin:programmes_programme_changelist"),
        {"action": "copy_to_next_period", "_selected_action": [year.programme.pk]},
        follow=True,
    )

    copy = Programme.objects.get(predecessor=year.programme)
    assert (copy.first_year, copy.last_year) == (2023, 2027)
    assert "ange vem som antog det och när" in response.content.decode()


def test_an_expired_programme_without_successor_is_pointed_out_to_staff(
    client, caseworker, reader, year
):
    from tests.followups.approval import approve_without_archive

    approve_without_archive(year.followup)
    client.force_login(caseworker)
    warning = "upphörde 2022 och har inget efterföljande program"

    assert warning in client.get(year.url("followup")).content.decode()
    assert [m.id for m in checks.run_checks() if m.id == "programmes.W001"] == ["programmes.W001"]
    client.force_login(reader)
    assert warning not in client.get(year.url("followup")).content.decode()

    copy_programme(year.programme, 2023, 2026)
    client.force_login(caseworker)

    assert warning not in client.get(year.url("followup")).content.decode()
    assert [m.id for m in checks.run_checks() if m.id == "programmes.W001"] == []


def test_guidelines_and_values_of_the_old_years_stay_put(year):
    GuidelineFactory(programme=year.programme, name="Riktlinjer för kameror", order=2)
    IndicatorValueFactory(indicator=year.indicator, year=2021, value=Decimal("66"))

    copy_programme(year.programme, 2023, 2026)

    assert year.programme.guidelines.count() == 2
    assert sorted(year.indicator.values.values_list("year", flat=True)) == [2020, 2021]


def test_a_programme_or_indicator_cannot_continue_itself_or_a_later_one(year):
    from django.core.exceptions import ValidationError

    programme = year.programme
    programme.predecessor = programme
    with pytest.raises(ValidationError, match="Programmet före måste sluta innan det här börjar"):
        programme.full_clean()
    indicator = year.indicator
    indicator.continues = indicator
    with pytest.raises(ValidationError, match="fortsätter ett nyckeltal i ett tidigare program"):
        indicator.full_clean()
