"""The programme across its years (issue 12): the programme page with each
goal's rating per year, each area's goals over the levels, the indicators'
series followed back through the indicators they continue, and the
report's *Utveckling över tid*."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from followups.models import FollowUp, Rating, Scale
from followups.report.render import render_report_html
from followups.trends import describe_change, programme_trends
from programmes.copying import copy_programme
from programmes.models import Indicator, IndicatorValue
from tests.factories import (
    FollowUpFactory,
    GoalAssessmentFactory,
    GoalFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    ProgrammeFactory,
    ResponsibilityAreaFactory,
)
from tests.followups.approval import approve_without_archive, set_status

pytestmark = pytest.mark.django_db


def page_url(programme) -> str:
    return reverse("programme-trends", args=[programme.pk])


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def decided(year):
    """2020 approved (older scale), 2021 a draft (current scale)."""
    approve_without_archive(year.previous)
    GoalAssessmentFactory(followup=year.followup, goal=year.goal11, rating=Rating.PARTLY)
    return year


# The words of a change


@pytest.mark.parametrize(
    ("unit", "counted", "higher", "before", "after", "words"),
    [
        (
            "percent",
            "",
            True,
            "64",
            "74",
            "ökning med 10 procentenheter jämfört med 2020, en förbättring",
        ),
        (
            "percent",
            "",
            True,
            "74",
            "73",
            "minskning med 1 procentenhet jämfört med 2020, en försämring",
        ),
        (
            "percent",
            "",
            True,
            "64.5",
            "66",
            "ökning med 1,5 procentenheter jämfört med 2020, en förbättring",
        ),
        (
            "count",
            "ärenden",
            False,
            "474",
            "415",
            "minskning med 59 ärenden jämfört med 2020, en förbättring",
        ),
        ("count", "", False, "415", "420", "ökning med 5 jämfört med 2020, en försämring"),
        (
            "sek",
            "",
            True,
            "1000",
            "2500",
            "ökning med 1 500 kronor jämfört med 2020, en förbättring",
        ),
        ("percent", "", True, "70", "70", "oförändrat jämfört med 2020"),
    ],
)
def test_a_change_is_said_in_words_with_its_direction(unit, counted, higher, before, after, words):
    indicator = Indicator(unit=unit, higher_is_better=higher, counted=counted)

    said = describe_change(indicator, Decimal(before), Decimal(after), 2020)

    assert said.replace("\xa0", " ") == words


# The page


def test_staff_see_every_year_with_drafts_marked(client, caseworker, decided):
    client.force_login(caseworker)

    response = client.get(page_url(decided.programme))

    assert response.status_code == 200
    body = text(response)
    # Each cell says its level in words and symbols, older years in their scale's words.
    html = response.content.decode()
    assert 'class="rating level-2"><span class="symbol" aria-hidden="true">●●●○</span> God<' in html
    assert '<span class="symbol" aria-hidden="true">●●○○</span> Delvis uppfylld<' in html
    assert "År som styrelsen ännu inte har beslutat om är märkta med sin status" in body
    assert "2021 (utkast)" in body
    assert "Från 2021 bedöms målen med en annan skala" in body
    assert "1 Mycket god / I mycket hög grad uppfylld" in body
    assert "Ny skala" in html  # the chart's note where the scale changed
    # Reached from the year's start page.
    start = client.get(decided.url("followup")).content.decode()
    assert page_url(decided.programme) in start


def test_readers_see_the_page_built_from_approved_years_only(client, reader, decided):
    client.force_login(reader)

    response = client.get(page_url(decided.programme))

    assert response.status_code == 200
    body = text(response)
    assert "Sidan visar de år som styrelsen har beslutat om." in body
    assert "Delvis uppfylld</td>" not in response.content.decode()  # 2021's draft rating
    assert "2021" not in re.findall(r"<th scope=\"col\">(\d{4})", response.content.decode())
    assert "Uppföljning 2021" not in body


def test_a_reader_with_no_approved_year_gets_404(client, reader, year):
    client.force_login(reader)

    assert client.get(page_url(year.programme)).status_code == 404


def test_an_unknown_programme_is_404_and_anonymous_users_log_in(client, caseworker, year):
    assert client.get(page_url(year.programme)).status_code == 302
    client.force_login(caseworker)
    assert client.get(reverse("programme-trends", args=[99999])).status_code == 404


def test_readers_see_indicator_values_of_approved_years_and_the_baseline(client, reader, decided):
    IndicatorValueFactory(indicator=decided.indicator, year=2017, value=Decimal("60"))
    IndicatorValueFactory(indicator=decided.indicator, year=2021, value=Decimal("99"))
    client.force_login(reader)

    trends = programme_trends(decided.programme, approved_only=True)

    (series,) = trends.indicators
    assert [(p.year, p.value) for p in series.points] == [(2017, 60), (2020, 64)]
    assert series.points[1].change.startswith("ökning med 4 procentenheter jämfört med 2017")
    staff = programme_trends(decided.programme, approved_only=False).indicators[0]
    assert [(p.year, p.status_label) for p in staff.points] == [
        (2017, ""),
        (2020, ""),
        (2021, "Utkast"),
    ]


def test_a_copied_indicator_continues_the_old_series_with_its_target(client, caseworker, decided):
    IndicatorValueFactory(indicator=decided.indicator, year=2021, value=Decimal("70"))
    new = copy_programme(decided.programme, 2023, 2026)
    copied = Indicator.objects.get(area__programme=new)
    Indicator.objects.filter(pk=copied.pk).update(target=Decimal("80"))
    IndicatorValue.objects.create(indicator=copied, year=2023, value=Decimal("75"))
    FollowUpFactory(programme=new, year=2023)
    client.force_login(caseworker)

    response = client.get(page_url(new))

    body = text(response)
    (series,) = programme_trends(new, approved_only=False).indicators
    assert [(p.year, p.value) for p in series.points] == [(2020, 64), (2021, 70), (2023, 75)]
    assert "ökning med 6 procentenheter jämfört med 2020, en förbättring" in body
    assert "ökning med 5 procentenheter jämfört med 2021, en förbättring" in body
    assert "Serien omfattar också samma nyckeltals värden i programmet före." in body
    assert "Målvärde: 80 %." in body
    assert "Mål 80" in response.content.decode()  # the target line in the chart
    assert "Ännu inte antaget" in body


@pytest.mark.parametrize("size", [(2, 3), (6, 9)])
def test_the_page_takes_a_fixed_number_of_queries(
    client, caseworker, django_assert_num_queries, size
):
    years, goals_per_area = size
    programme = ProgrammeFactory(first_year=2010, last_year=2010 + years - 1)
    followups = [FollowUpFactory(programme=programme, year=2010 + i) for i in range(years)]
    for number in (1, 2):
        area = ResponsibilityAreaFactory(programme=programme, number=number)
        goals = [GoalFactory(area=area, code=f"{number}.{i}") for i in range(goals_per_area)]
        indicator = IndicatorFactory(area=area)
        for followup in followups:
            IndicatorValueFactory(indicator=indicator, year=followup.year)
            for goal in goals:
                GoalAssessmentFactory(followup=followup, goal=goal, rating=Rating.HIGH)
    client.force_login(caseworker)

    with django_assert_num_queries(17):
        response = client.get(page_url(programme))

    assert response.content.decode().count('class="rating level-2"') == 2 * goals_per_area * years


# The report


def test_the_report_shows_development_over_time_and_the_year_before(decided):
    html = render_report_html(FollowUp.objects.get(pk=decided.followup.pk))
    body = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))

    development = body[body.index("Utveckling över tid Måluppfyllelsen") :]
    assert "Måluppfyllelse inom 1 Trygghet" in development
    assert "3 Godtagbar / Delvis uppfylld" in development
    # The year before's rating beside this year's, in its own scale's words.
    assert "Bedömning: Delvis uppfylld · Året före (2020): God" in body
    assert "utkast" not in development.split("1 Tryggare")[0].lower().replace("utkast</div>", "")


def test_a_draft_year_before_is_marked_in_the_report(year):
    GoalAssessmentFactory(followup=year.followup, goal=year.goal11, rating=Rating.HIGH)

    html = render_report_html(FollowUp.objects.get(pk=year.followup.pk))
    body = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))

    assert "2020 är inte beslutat (utkast): årets bedömningar kan fortfarande ändras." in body
    assert "Året före (2020): utkast God" in body
    assert "2020 (utkast)" in body


def test_the_scale_change_is_noted_in_the_report(decided):
    set_status(decided.followup, FollowUp.Status.DRAFT, scale=Scale.FROM_2021)

    html = render_report_html(FollowUp.objects.get(pk=decided.followup.pk))

    assert "Från 2021 bedöms målen med en annan skala" in html
    assert "Ny skala" in html
