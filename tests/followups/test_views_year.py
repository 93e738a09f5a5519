"""The January pages: goal assessments with area summary, indicator values,
guideline texts and the follow-up summary."""

from decimal import Decimal

import pytest

from followups.models import AreaSummary, FollowUp, GoalAssessment, GuidelineFollowUp, Rating
from programmes.models import IndicatorValue
from tests.factories import GoalFactory, GuidelineFactory, IndicatorFactory
from tests.followups.approval import set_status

pytestmark = pytest.mark.django_db


def area_data(year, **overrides) -> dict:
    """A full POST of area 1's page, as a fresh page would send it."""
    data = {
        f"goal-{year.goal11.pk}-rating": "",
        f"goal-{year.goal11.pk}-analysis": "",
        f"goal-{year.goal11.pk}-version": "0",
        f"goal-{year.goal12.pk}-rating": "",
        f"goal-{year.goal12.pk}-analysis": "",
        f"goal-{year.goal12.pk}-version": "0",
        "summary-text": "",
        "summary-version": "0",
    }
    data.update(overrides)
    return data


def test_area_page_shows_goals_with_last_years_assessment(client, caseworker, year):
    client.force_login(caseworker)

    html = client.get(year.url("area-assessment", 1)).content.decode()

    assert "1.1 Tryggare offentlig miljö" in html
    assert "1.2 Barn och unga" in html
    assert "2.1 Färre bränder" not in html
    assert "Bedömning 2020" in html
    assert "God" in html  # 2020 was assessed on the older scale
    assert "Förra årets analys." in html


def test_rating_choices_are_the_follow_ups_scale(client, caseworker, year):
    client.force_login(caseworker)

    html = client.get(year.url("area-assessment", 1)).content.decode()
    select = html[html.index(f'name="goal-{year.goal11.pk}-rating"') :]
    select = select[: select.index("</select>")]

    assert [label in select for label in ("Ännu inte bedömt", "I mycket hög grad uppfylld")] == [
        True,
        True,
    ]
    assert "Mycket god" not in select


def test_caseworker_assesses_goals_and_writes_area_summary(client, caseworker, year):
    client.force_login(caseworker)

    response = client.post(
        year.url("area-assessment", 1),
        area_data(
            year,
            **{
                f"goal-{year.goal11.pk}-rating": Rating.HIGH,
                f"goal-{year.goal11.pk}-analysis": "Kamerorna är i drift.",
                "summary-text": "Ett år med många dialoger.",
            },
        ),
    )

    assert response.status_code == 302
    assessment = GoalAssessment.objects.get(followup=year.followup, goal=year.goal11)
    assert (assessment.rating, assessment.analysis, assessment.version) == (
        Rating.HIGH,
        "Kamerorna är i drift.",
        1,
    )
    # The untouched goal got no row.
    assert not GoalAssessment.objects.filter(followup=year.followup, goal=year.goal12).exists()
    summary = AreaSummary.objects.get(followup=year.followup, area=year.area1)
    assert summary.text == "Ett år med många dialoger."


def test_rating_of_the_other_scale_is_refused(client, caseworker, year):
    client.force_login(caseworker)

    response = client.post(
        year.url("area-assessment", 1),
        area_data(year, **{f"goal-{year.goal11.pk}-rating": Rating.GOOD}),
    )

    assert response.status_code == 200
    assert "Välj ett giltigt alternativ. good finns inte bland" in response.content.decode()
    assert GoalAssessment.objects.filter(followup=year.followup).count() == 0


def test_concurrent_assessment_edit_is_refused_and_nothing_on_the_page_is_saved(
    client, caseworker, year
):
    client.force_login(caseworker)
    url = year.url("area-assessment", 1)
    # Both people open the page while nothing is assessed (versions 0).
    first = area_data(year, **{f"goal-{year.goal11.pk}-analysis": "Kollegans analys."})
    second = area_data(
        year,
        **{
            f"goal-{year.goal11.pk}-analysis": "Min analys.",
            "summary-text": "Min sammanfattning.",
        },
    )
    assert client.post(url, first).status_code == 302

    response = client.post(url, second)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Ingenting sparades: någon annan har sparat en del av sidan under tiden." in html
    assert "Kollegans analys." in html
    assert "Min analys." in html
    assert "Min sammanfattning." in html
    assessment = GoalAssessment.objects.get(followup=year.followup, goal=year.goal11)
    assert assessment.analysis == "Kollegans analys."
    # The summary, though not in conflict, was not saved either: all or nothing.
    assert not AreaSummary.objects.filter(followup=year.followup).exists()


def test_stale_area_summary_is_refused(client, caseworker, year):
    summary = AreaSummary.objects.create(followup=year.followup, area=year.area1, text="Först.")
    summary.text = "Ändrad av någon annan."
    summary.save_if_unchanged(1)
    client.force_login(caseworker)

    response = client.post(
        year.url("area-assessment", 1),
        area_data(year, **{"summary-text": "Min version.", "summary-version": "1"}),
    )

    assert "Ändrad av någon annan." in response.content.decode()
    summary.refresh_from_db()
    assert (summary.text, summary.version) == ("Ändrad av någon annan.", 2)


def test_secretary_reads_assessments_but_cannot_post(client, secretary, year):
    client.force_login(secretary)

    page = client.get(year.url("area-assessment", 1))
    response = client.post(
        year.url("area-assessment", 1),
        area_data(year, **{f"goal-{year.goal11.pk}-rating": Rating.HIGH}),
    )

    assert "Du kan läsa den här sidan men inte ändra den." in page.content.decode()
    assert response.status_code == 403
    assert not GoalAssessment.objects.filter(followup=year.followup).exists()


def test_forged_assessment_post_after_submission_is_refused(client, caseworker, year):
    set_status(year.followup, FollowUp.Status.SUBMITTED)
    client.force_login(caseworker)

    response = client.post(
        year.url("area-assessment", 1),
        area_data(year, **{f"goal-{year.goal11.pk}-rating": Rating.HIGH}),
    )

    assert response.status_code == 403
    assert not GoalAssessment.objects.filter(followup=year.followup).exists()


def indicator_data(year, value: str, comment: str = "", version: str = "0") -> dict:
    prefix = f"indicator-{year.indicator.pk}"
    return {f"{prefix}-value": value, f"{prefix}-comment": comment, f"{prefix}-version": version}


def test_indicator_page_shows_earlier_years(client, caseworker, year):
    client.force_login(caseworker)

    html = client.get(year.url("indicator-values")).content.decode()

    assert "Upplevd trygghet" in html
    assert '<tr><td>2020</td><td class="text-end">64</td></tr>' in html


def test_caseworker_enters_indicator_value_in_swedish_format(client, caseworker, year):
    client.force_login(caseworker)

    response = client.post(year.url("indicator-values"), indicator_data(year, "74,5", "SCB"))

    assert response.status_code == 302
    value = IndicatorValue.objects.get(indicator=year.indicator, year=2021)
    assert (value.value, value.comment, value.is_example) == (Decimal("74.5"), "SCB", False)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("101", "En andel i procent måste ligga mellan 0 och 100."),
        ("-1", "En andel i procent måste ligga mellan 0 och 100."),
        ("sjuttio", "Fyll i ett tal."),
    ],
)
def test_bad_indicator_value_gets_swedish_message(client, caseworker, year, value, message):
    client.force_login(caseworker)

    response = client.post(year.url("indicator-values"), indicator_data(year, value))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not IndicatorValue.objects.filter(year=2021).exists()


def test_clearing_an_indicator_value_deletes_it(client, caseworker, year):
    IndicatorValue.objects.create(indicator=year.indicator, year=2021, value=Decimal(70))
    client.force_login(caseworker)

    response = client.post(year.url("indicator-values"), indicator_data(year, "", version="1"))

    assert response.status_code == 302
    assert not IndicatorValue.objects.filter(year=2021).exists()


def test_comment_without_a_value_is_refused_not_dropped(client, caseworker, year):
    client.force_login(caseworker)

    response = client.post(year.url("indicator-values"), indicator_data(year, "", "Källa: SCB"))

    assert response.status_code == 200
    assert (
        "En kommentar sparas bara tillsammans med ett värde: fyll i värdet eller töm kommentaren."
        in response.content.decode()
    )
    assert not IndicatorValue.objects.filter(year=2021).exists()


def test_clearing_a_value_deletes_it_with_its_unchanged_comment(client, caseworker, year):
    IndicatorValue.objects.create(
        indicator=year.indicator, year=2021, value=Decimal(70), comment="SCB"
    )
    client.force_login(caseworker)

    response = client.post(year.url("indicator-values"), indicator_data(year, "", "SCB", "1"))

    assert response.status_code == 302
    assert not IndicatorValue.objects.filter(year=2021).exists()


def test_guideline_texts_are_saved(client, caseworker, year):
    client.force_login(caseworker)
    prefix = f"guideline-{year.guideline.pk}"

    response = client.post(
        year.url("guideline-texts"),
        {f"{prefix}-text": "415 klotterärenden.", f"{prefix}-version": "0"},
    )

    assert response.status_code == 302
    text = GuidelineFollowUp.objects.get(followup=year.followup, guideline=year.guideline)
    assert text.text == "415 klotterärenden."


def test_follow_up_summary_is_saved_with_version_check(client, caseworker, year):
    client.force_login(caseworker)
    url = year.url("followup-summary")

    saved = client.post(url, {"followup-summary": "Året i korthet.", "followup-version": "1"})
    stale = client.post(url, {"followup-summary": "Gammal flik.", "followup-version": "1"})

    assert saved.status_code == 302
    assert stale.status_code == 200
    assert "Året i korthet." in stale.content.decode()
    year.followup.refresh_from_db()
    assert (year.followup.summary, year.followup.version) == ("Året i korthet.", 2)


def test_oversized_text_is_refused_nowhere_silently(client, caseworker, year):
    """An analysis over its bound (10,000 characters) is refused with both
    numbers, never cut to fit; what was typed stays on the page."""
    client.force_login(caseworker)
    long_text = "Analys." * 1_500

    response = client.post(
        year.url("area-assessment", 1),
        area_data(year, **{f"goal-{year.goal11.pk}-analysis": long_text}),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Texten får vara högst 10\xa0000 tecken lång (nu 10\xa0500)." in html
    assert long_text in html
    assert not GoalAssessment.objects.filter(followup=year.followup).exists()


@pytest.mark.parametrize("goals", [1, 25])
def test_area_page_query_count_does_not_grow(
    client, caseworker, year, django_assert_num_queries, goals
):
    for n in range(goals):
        GoalFactory(area=year.area1, code=f"1.{n + 10}")
    client.force_login(caseworker)

    with django_assert_num_queries(13):
        response = client.get(year.url("area-assessment", 1))

    assert response.status_code == 200


@pytest.mark.parametrize("indicators", [1, 20])
def test_indicator_page_query_count_does_not_grow(
    client, caseworker, year, django_assert_num_queries, indicators
):
    for _ in range(indicators):
        IndicatorFactory(area=year.area2)
    client.force_login(caseworker)

    with django_assert_num_queries(10):
        response = client.get(year.url("indicator-values"))

    assert response.status_code == 200


@pytest.mark.parametrize("goals", [1, 25])
def test_assessment_overview_query_count_does_not_grow(
    client, caseworker, year, django_assert_num_queries, goals
):
    for n in range(goals):
        GoalFactory(area=year.area2, code=f"2.{n + 10}")
    client.force_login(caseworker)

    with django_assert_num_queries(12):
        response = client.get(year.url("assessment-overview"))

    assert response.status_code == 200


def test_saved_value_is_shown_without_trailing_decimals_and_marked_if_example(
    client, caseworker, year
):
    IndicatorValue.objects.create(
        indicator=year.indicator, year=2021, value=Decimal(73), is_example=True
    )
    client.force_login(caseworker)

    html = client.get(year.url("indicator-values")).content.decode()

    assert f'name="indicator-{year.indicator.pk}-value" value="73"' in html
    assert "Värdet som är sparat för året är exempeldata." in html


@pytest.mark.parametrize("guidelines", [1, 15])
def test_guideline_page_query_count_does_not_grow(
    client, caseworker, year, django_assert_num_queries, guidelines
):
    for _ in range(guidelines):
        GuidelineFactory(programme=year.programme)
    client.force_login(caseworker)

    with django_assert_num_queries(10):
        response = client.get(year.url("guideline-texts"))

    assert response.status_code == 200
