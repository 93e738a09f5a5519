"""Factories for every model, free of surprises.

Defaults describe one coherent programme year: a programme for 2018–2021, a
follow-up for 2021 on the scale from 2021, and parts (areas, goals,
guidelines) that belong to the follow-up's own programme. Names come from
sequences so unique constraints never clash by accident.
"""

from datetime import date
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from followups.models import (
    Activity,
    ArchivedReport,
    AreaSummary,
    FollowUp,
    GoalAssessment,
    GuidelineFollowUp,
    ReportRendering,
    Scale,
    StatusChange,
)
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


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@huddinge.se")
    password = factory.django.Password("lösenord-för-test")


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Program för trygghet och säkerhet {n}")
    first_year = 2018
    last_year = 2021
    adopted_by = "Kommunfullmäktige"
    overall_goal = "Huddinge ska vara en trygg och säker kommun."


class ResponsibilityAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResponsibilityArea

    programme = factory.SubFactory(ProgrammeFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Ansvarsområde {n + 1}")


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    area = factory.SubFactory(ResponsibilityAreaFactory)
    code = factory.Sequence(lambda n: f"1.{n + 1}")
    title = factory.Sequence(lambda n: f"Mål {n + 1}")


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    area = factory.SubFactory(ResponsibilityAreaFactory)
    name = factory.Sequence(lambda n: f"Nyckeltal {n + 1}")
    unit = Indicator.Unit.PERCENT


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    indicator = factory.SubFactory(IndicatorFactory)
    year = 2021
    value = Decimal("50.00")


class GuidelineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guideline

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Riktlinje {n + 1}")


class OrganisationalUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationalUnit

    name = factory.Sequence(lambda n: f"Förvaltning {n + 1}")


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Samverkanspart {n + 1}")


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    name = factory.Sequence(lambda n: f"Kommundel {n + 1}")


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    programme = factory.SubFactory(ProgrammeFactory)
    # The programme's last year, so the default lies inside its period.
    year = factory.LazyAttribute(lambda followup: followup.programme.last_year)
    status = FollowUp.Status.DRAFT
    scale = Scale.FROM_2021


class ActivityFactory(factory.django.DjangoModelFactory):
    """An activity whose area belongs to the follow-up's programme.

    ``goals``, ``partners`` and ``districts`` take lists:
    ``ActivityFactory(goals=[goal])``.
    """

    class Meta:
        model = Activity
        skip_postgeneration_save = True

    followup = factory.SubFactory(FollowUpFactory)
    area = factory.SubFactory(
        ResponsibilityAreaFactory, programme=factory.SelfAttribute("..followup.programme")
    )
    title = factory.Sequence(lambda n: f"Aktivitet {n + 1}")
    status = Activity.Status.PLANNED

    @factory.post_generation
    def goals(self, create, extracted, **kwargs):
        if create and extracted:
            self.goals.set(extracted)

    @factory.post_generation
    def partners(self, create, extracted, **kwargs):
        if create and extracted:
            self.partners.set(extracted)

    @factory.post_generation
    def districts(self, create, extracted, **kwargs):
        if create and extracted:
            self.districts.set(extracted)


class GoalAssessmentFactory(factory.django.DjangoModelFactory):
    """A not yet assessed goal of the follow-up's programme."""

    class Meta:
        model = GoalAssessment

    followup = factory.SubFactory(FollowUpFactory)
    goal = factory.SubFactory(
        GoalFactory, area__programme=factory.SelfAttribute("...followup.programme")
    )
    rating = ""


class AreaSummaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AreaSummary

    followup = factory.SubFactory(FollowUpFactory)
    area = factory.SubFactory(
        ResponsibilityAreaFactory, programme=factory.SelfAttribute("..followup.programme")
    )
    text = "Arbetet har gått enligt plan."


class GuidelineFollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GuidelineFollowUp

    followup = factory.SubFactory(FollowUpFactory)
    guideline = factory.SubFactory(
        GuidelineFactory, programme=factory.SelfAttribute("..followup.programme")
    )
    text = "Riktlinjen har följts."


class StatusChangeFactory(factory.django.DjangoModelFactory):
    """A follow-up submitted for decision by a user."""

    class Meta:
        model = StatusChange

    followup = factory.SubFactory(FollowUpFactory)
    from_status = FollowUp.Status.DRAFT
    to_status = FollowUp.Status.SUBMITTED
    changed_by = factory.SubFactory(UserFactory)


class ArchivedReportFactory(factory.django.DjangoModelFactory):
    """An archived report row; the file itself is not written."""

    class Meta:
        model = ArchivedReport

    followup = factory.SubFactory(FollowUpFactory)
    number = factory.Sequence(lambda n: n + 1)
    file = factory.Sequence(lambda n: f"reports/2021/test-v{n + 1}.pdf")
    sha256 = "0" * 64
    size = 1
    approved_by = factory.SubFactory(UserFactory)
    approved_at = factory.LazyFunction(timezone.now)
    decided_by = "Kommunstyrelsen"
    decision_date = date(2022, 3, 7)
    decision_paragraph = "§ 11"
    registration_number = "KS-2022/177.173"


class ReportRenderingFactory(factory.django.DjangoModelFactory):
    """A draft rendering waiting for the worker; no file is written."""

    class Meta:
        model = ReportRendering

    followup = factory.SubFactory(FollowUpFactory)
    fingerprint = factory.Sequence(lambda n: f"{n:064x}")
    followup_version = 1
