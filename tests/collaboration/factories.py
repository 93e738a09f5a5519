"""Factories for the collaboration models, free of surprises.

Defaults describe one coherent agreement: a collaboration agreement for
2021–2022 with its priority areas, promises and tertials of 2021, and a
situation picture of 2019 with an action plan for 2021–2022 whose measures
address the picture's own problems. Names come from sequences so unique
constraints never clash by accident. Tertials default to 2021; the factory
does not create a follow-up, so the year is not frozen unless a test
approves one.
"""

from datetime import date

import factory

from collaboration.models import (
    ActionPlan,
    Agreement,
    CitizenPromise,
    Measure,
    PriorityArea,
    PriorityAreaStatus,
    Problem,
    PromiseRating,
    SituationPicture,
    TertialFollowUp,
)


class AgreementFactory(factory.django.DjangoModelFactory):
    """An agreement in force for 2021–2022.

    ``partners`` and ``districts`` take lists: ``AgreementFactory(partners=[police])``.
    """

    class Meta:
        model = Agreement
        skip_postgeneration_save = True

    kind = Agreement.Kind.AGREEMENT
    title = factory.Sequence(lambda n: f"Samverkansöverenskommelse {n + 1}")
    first_year = 2021
    last_year = 2022
    registration_number = factory.Sequence(lambda n: f"KS-2021/{n + 1}")
    decided_by = "Kommunstyrelsen"
    status = Agreement.Status.IN_FORCE

    @factory.post_generation
    def partners(self, create, extracted, **kwargs):
        if create and extracted:
            self.partners.set(extracted)

    @factory.post_generation
    def districts(self, create, extracted, **kwargs):
        if create and extracted:
            self.districts.set(extracted)


class PriorityAreaFactory(factory.django.DjangoModelFactory):
    """A priority area; ``activities`` takes a list."""

    class Meta:
        model = PriorityArea
        skip_postgeneration_save = True

    agreement = factory.SubFactory(AgreementFactory)
    order = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Prioriterat område {n + 1}")

    @factory.post_generation
    def activities(self, create, extracted, **kwargs):
        if create and extracted:
            self.activities.set(extracted)


class CitizenPromiseFactory(factory.django.DjangoModelFactory):
    """A promise of the agreement's first year in one of its priority areas;
    ``partners`` and ``activities`` take lists."""

    class Meta:
        model = CitizenPromise
        skip_postgeneration_save = True

    agreement = factory.SubFactory(AgreementFactory)
    year = factory.LazyAttribute(lambda promise: promise.agreement.first_year)
    priority_area = factory.SubFactory(
        PriorityAreaFactory, agreement=factory.SelfAttribute("..agreement")
    )
    category = factory.Sequence(lambda n: f"Kategori {n + 1}")
    text = factory.Sequence(lambda n: f"Vi lovar att göra sak {n + 1}.")

    @factory.post_generation
    def partners(self, create, extracted, **kwargs):
        if create and extracted:
            self.partners.set(extracted)

    @factory.post_generation
    def activities(self, create, extracted, **kwargs):
        if create and extracted:
            self.activities.set(extracted)


class TertialFollowUpFactory(factory.django.DjangoModelFactory):
    """T1 of the agreement's first year, not yet ready."""

    class Meta:
        model = TertialFollowUp

    agreement = factory.SubFactory(AgreementFactory)
    year = factory.LazyAttribute(lambda tertial: tertial.agreement.first_year)
    tertial = TertialFollowUp.Tertial.T1
    summary = ""
    ready = False


class PriorityAreaStatusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriorityAreaStatus

    tertial = factory.SubFactory(TertialFollowUpFactory)
    priority_area = factory.SubFactory(
        PriorityAreaFactory, agreement=factory.SelfAttribute("..tertial.agreement")
    )
    text = "Arbetet går enligt plan."


class PromiseRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PromiseRating

    tertial = factory.SubFactory(TertialFollowUpFactory)
    promise = factory.SubFactory(
        CitizenPromiseFactory,
        agreement=factory.SelfAttribute("..tertial.agreement"),
        year=factory.SelfAttribute("..tertial.year"),
    )
    rating = PromiseRating.Rating.ON_TRACK


class SituationPictureFactory(factory.django.DjangoModelFactory):
    """A situation picture of 2019; ``partners`` takes a list."""

    class Meta:
        model = SituationPicture
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Lägesbild {n + 1}")
    made_on = date(2020, 10, 5)
    first_year = 2019
    last_year = 2019
    analysis = "Otryggheten är störst i några kommundelar."

    @factory.post_generation
    def partners(self, create, extracted, **kwargs):
        if create and extracted:
            self.partners.set(extracted)


class ProblemFactory(factory.django.DjangoModelFactory):
    """A problem of the picture; ``districts`` takes a list."""

    class Meta:
        model = Problem
        skip_postgeneration_save = True

    picture = factory.SubFactory(SituationPictureFactory)
    order = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Problem {n + 1}")

    @factory.post_generation
    def districts(self, create, extracted, **kwargs):
        if create and extracted:
            self.districts.set(extracted)


class ActionPlanFactory(factory.django.DjangoModelFactory):
    """An undecided plan for 2021–2022 on its own situation picture; pass
    ``decided_on`` (it keeps ``decided_by``) to make it decided."""

    class Meta:
        model = ActionPlan

    title = factory.Sequence(lambda n: f"Åtgärdsplan {n + 1}")
    picture = factory.SubFactory(SituationPictureFactory)
    first_year = 2021
    last_year = 2022
    decided_by = "Kommunfullmäktige"
    decided_on = None


class MeasureFactory(factory.django.DjangoModelFactory):
    """A measure of the plan; ``problems`` (of the plan's picture) and
    ``activities`` take lists."""

    class Meta:
        model = Measure
        skip_postgeneration_save = True

    plan = factory.SubFactory(ActionPlanFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Åtgärd {n + 1}")

    @factory.post_generation
    def problems(self, create, extracted, **kwargs):
        if create and extracted:
            self.problems.set(extracted)

    @factory.post_generation
    def activities(self, create, extracted, **kwargs):
        if create and extracted:
            self.activities.set(extracted)
