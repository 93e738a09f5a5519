"""A small programme year for the workspace tests: two areas with goals, an
indicator with last year's value, a guideline, the 2021 follow-up as a
draft with one activity, and the 2020 follow-up with an assessment."""

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.urls import reverse

from followups.models import Activity, FollowUp, Rating, Scale
from programmes.models import Goal, Guideline, Indicator, Programme, ResponsibilityArea
from tests.factories import (
    ActivityFactory,
    DistrictFactory,
    FollowUpFactory,
    GoalAssessmentFactory,
    GoalFactory,
    GuidelineFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    OrganisationalUnitFactory,
    PartnerFactory,
    ProgrammeFactory,
    ResponsibilityAreaFactory,
)


@dataclass
class Year:
    programme: Programme
    followup: FollowUp
    previous: FollowUp
    area1: ResponsibilityArea
    area2: ResponsibilityArea
    goal11: Goal
    goal12: Goal
    goal21: Goal
    indicator: Indicator
    guideline: Guideline
    activity: Activity

    def url(self, name: str, *args, followup: FollowUp | None = None) -> str:
        followup = followup or self.followup
        return reverse(name, args=[followup.programme_id, followup.year, *args])


@pytest.fixture
def year(db) -> Year:
    programme = ProgrammeFactory(first_year=2018, last_year=2022)
    area1 = ResponsibilityAreaFactory(programme=programme, number=1, name="Trygghet")
    area2 = ResponsibilityAreaFactory(programme=programme, number=2, name="Skydd mot olyckor")
    goal11 = GoalFactory(area=area1, code="1.1", title="Tryggare offentlig miljö", order=1)
    goal12 = GoalFactory(area=area1, code="1.2", title="Barn och unga", order=2)
    goal21 = GoalFactory(area=area2, code="2.1", title="Färre bränder", order=1)
    indicator = IndicatorFactory(area=area1, name="Upplevd trygghet", unit=Indicator.Unit.PERCENT)
    IndicatorValueFactory(indicator=indicator, year=2020, value=Decimal("64"))
    guideline = GuidelineFactory(programme=programme, name="Riktlinjer för klotter")
    previous = FollowUpFactory(programme=programme, year=2020, scale=Scale.UNTIL_2020)
    GoalAssessmentFactory(
        followup=previous, goal=goal11, rating=Rating.GOOD, analysis="Förra årets analys."
    )
    followup = FollowUpFactory(programme=programme, year=2021)
    activity = ActivityFactory(
        followup=followup,
        area=area1,
        title="Trygghetsvandring i Skogås",
        goals=[goal11],
        districts=[DistrictFactory(name="Skogås")],
        partners=[PartnerFactory(name="Polisen")],
        responsible_unit=OrganisationalUnitFactory(name="Trygghets- och säkerhetssektionen"),
    )
    return Year(
        programme,
        followup,
        previous,
        area1,
        area2,
        goal11,
        goal12,
        goal21,
        indicator,
        guideline,
        activity,
    )
