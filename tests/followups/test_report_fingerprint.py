"""The fingerprint that keeps a rendered draft: it reads every table the
report reads, so any change to what the report shows makes a new rendering,
and a change the report does not show (another year) keeps the old one."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from followups.models import Activity, AreaSummary, FollowUp, GoalAssessment, GuidelineFollowUp
from followups.report.data import build_report_data
from followups.report.fingerprint import report_fingerprint
from programmes.models import (
    District,
    Goal,
    Guideline,
    Indicator,
    IndicatorValue,
    OrganisationalUnit,
    Partner,
    Programme,
    ResponsibilityArea,
)
from tests.factories import (
    ActivityFactory,
    AreaSummaryFactory,
    DistrictFactory,
    GoalAssessmentFactory,
    GuidelineFollowUpFactory,
    IndicatorValueFactory,
)

pytestmark = pytest.mark.django_db

TABLE = re.compile(r'(?:FROM|JOIN)\s+"?(\w+)"?', re.IGNORECASE)


def tables(queries) -> set[str]:
    return {name for query in queries for name in TABLE.findall(query["sql"])}


def fingerprint(year) -> str:
    return report_fingerprint(FollowUp.objects.get(pk=year.followup.pk), "draft")


def test_the_fingerprint_reads_every_table_the_report_reads(year):
    followup = FollowUp.objects.get(pk=year.followup.pk)
    with CaptureQueriesContext(connection) as report:
        build_report_data(followup)
    with CaptureQueriesContext(connection) as fingerprinted:
        report_fingerprint(followup, "draft")

    assert tables(report.captured_queries) <= tables(fingerprinted.captured_queries)
    # With the nine tables of the collaboration chapter.
    assert len(fingerprinted) == 29


def test_the_same_content_gives_the_same_fingerprint_and_each_kind_its_own(year):
    followup = FollowUp.objects.get(pk=year.followup.pk)
    decision = {"decided_by": "Kommunstyrelsen", "decision_paragraph": "§ 11"}

    assert fingerprint(year) == fingerprint(year)
    assert report_fingerprint(followup, "decision", decision) != fingerprint(year)
    assert report_fingerprint(followup, "decision", decision) != report_fingerprint(
        followup, "decision", {**decision, "decision_paragraph": "§ 12"}
    )


CHANGES = {
    "the year's summary": lambda y: FollowUp.objects.filter(pk=y.followup.pk).update(
        summary="Ny sammanfattning."
    ),
    "the programme's overall goal": lambda y: Programme.objects.filter(pk=y.programme.pk).update(
        overall_goal="Ett tryggare Huddinge."
    ),
    "an area's name": lambda y: ResponsibilityArea.objects.filter(pk=y.area2.pk).update(
        name="Räddning"
    ),
    "a goal's title": lambda y: Goal.objects.filter(pk=y.goal12.pk).update(title="Unga"),
    "an indicator's source": lambda y: Indicator.objects.filter(pk=y.indicator.pk).update(
        source="Kolada"
    ),
    "an indicator value": lambda y: IndicatorValue.objects.filter(indicator=y.indicator).update(
        value=Decimal("65")
    ),
    "a new indicator value": lambda y: IndicatorValueFactory(
        indicator=y.indicator, year=2021, value=Decimal("70")
    ),
    "an assessment": lambda y: GoalAssessmentFactory(followup=y.followup, goal=y.goal11),
    "an area summary": lambda y: AreaSummaryFactory(followup=y.followup, area=y.area1),
    "an activity's result": lambda y: Activity.objects.filter(pk=y.activity.pk).update(
        result="Genomförd."
    ),
    "a removed activity": lambda y: Activity.objects.filter(pk=y.activity.pk).delete(),
    "a new activity": lambda y: ActivityFactory(followup=y.followup, area=y.area2),
    "the unit's name": lambda y: OrganisationalUnit.objects.filter(
        pk=y.activity.responsible_unit_id
    ).update(name="Säkerhetsenheten"),
    "a district added to the activity": lambda y: y.activity.districts.add(
        DistrictFactory(name="Flemingsberg")
    ),
    "the district's name": lambda y: District.objects.filter(activities=y.activity).update(
        name="Skogås centrum"
    ),
    "the partner's name": lambda y: Partner.objects.filter(activities=y.activity).update(
        name="Lokalpolisområde Huddinge"
    ),
    "a partner removed": lambda y: y.activity.partners.clear(),
    "a guideline's description": lambda y: Guideline.objects.filter(pk=y.guideline.pk).update(
        description="Ny beskrivning."
    ),
    "a guideline's follow-up": lambda y: GuidelineFollowUpFactory(
        followup=y.followup, guideline=y.guideline
    ),
    # Utveckling över tid and the year-before ratings.
    "the year before's rating": lambda y: GoalAssessment.objects.filter(followup=y.previous).update(
        rating="very_good"
    ),
    "a rating added to the year before": lambda y: GoalAssessmentFactory(
        followup=y.previous, goal=y.goal21
    ),
    "an earlier year added": lambda y: FollowUp.objects.create(
        programme=y.programme, year=2019, scale="2020"
    ),
    "a value of the indicator the series continues": lambda y: IndicatorValueFactory(
        indicator=_continued(y), year=2017, value=Decimal("55")
    ),
}


def _continued(year) -> Indicator:
    """An indicator of a programme before that the year's indicator continues."""
    from tests.factories import IndicatorFactory, ProgrammeFactory, ResponsibilityAreaFactory

    earlier = ResponsibilityAreaFactory(
        programme=ProgrammeFactory(first_year=2014, last_year=2017), number=1
    )
    old = IndicatorFactory(area=earlier, unit=year.indicator.unit)
    Indicator.objects.filter(pk=year.indicator.pk).update(continues=old)
    return old


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_any_change_to_what_the_report_shows_makes_a_new_fingerprint(year, change):
    before = fingerprint(year)

    change(year)

    assert fingerprint(year) != before


def test_another_year_and_values_outside_the_reports_years_keep_the_fingerprint(year):
    before = fingerprint(year)

    GoalAssessment.objects.filter(followup=year.previous).update(analysis="Ändrad 2020.")
    AreaSummaryFactory(followup=year.previous, area=year.area1)
    GuidelineFollowUpFactory(followup=year.previous, guideline=year.guideline)
    ActivityFactory(followup=year.previous, area=year.area1)
    IndicatorValueFactory(indicator=year.indicator, year=2013, value=Decimal("1"))

    assert fingerprint(year) == before
    assert AreaSummary.objects.filter(followup=year.previous).exists()
    assert GuidelineFollowUp.objects.filter(followup=year.previous).exists()


def test_a_draft_rendered_yesterday_is_not_todays(year, monkeypatch):
    today = fingerprint(year)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: date(2030, 1, 2))

    assert fingerprint(year) != today
