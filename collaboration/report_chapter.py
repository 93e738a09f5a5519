"""The annual report's chapter *Samverkan*: for the follow-up's year, the
agreements in force with their priority areas and focus districts, and the
year's citizen promises with their outcome (the latest tertial's rating).
Registered in the report's chapter interface, so ``followups`` never
imports this app."""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from followups.models import FollowUp
from followups.report import chapters
from programmes.models import District, Partner

from .models import Agreement, CitizenPromise, PriorityArea, PromiseRating, TertialFollowUp

KEY = "collaboration"
TEMPLATE = "collaboration/report/annual_chapter.html"


@dataclass
class PromiseOutcome:
    promise: CitizenPromise
    outcome: str  # e.g. "T3: Genomfört", or "Ej följt upp"


@dataclass
class AgreementPart:
    agreement: Agreement
    parties: list[str]
    priority_areas: list[PriorityArea]
    districts: list[District]
    promises: list[PromiseOutcome]


def agreements_in_force(year: int):
    """The agreements whose period covers the year (not those still in
    preparation)."""
    return Agreement.objects.filter(first_year__lte=year, last_year__gte=year).exclude(
        status=Agreement.Status.DRAFT
    )


def outcome(promise: CitizenPromise) -> str:
    """The rating of the year's latest tertial that rated the promise, with
    the tertial; the ratings must be prefetched newest first."""
    for rating in promise.year_ratings:
        if rating.rating:
            return f"T{rating.tertial.tertial}: {rating.get_rating_display()}"
    return _("Not followed up")


def build(followup: FollowUp) -> dict | None:
    """The chapter's content in six queries (one when no agreement covers
    the year, and then None: no chapter)."""
    year = followup.year
    ratings = (
        PromiseRating.objects.filter(tertial__year=year)
        .select_related("tertial")
        .order_by("-tertial__tertial")
    )
    promises = CitizenPromise.objects.filter(year=year).order_by("category", "pk")
    agreements = list(
        agreements_in_force(year)
        .order_by("first_year", "title", "pk")
        .prefetch_related(
            Prefetch("partners", queryset=Partner.objects.order_by("name")),
            Prefetch("districts", queryset=District.objects.order_by("name")),
            Prefetch("priority_areas", queryset=PriorityArea.objects.order_by("order", "name")),
            Prefetch(
                "promises",
                queryset=promises.prefetch_related(
                    Prefetch("ratings", queryset=ratings, to_attr="year_ratings")
                ),
                to_attr="year_promises",
            ),
        )
    )
    if not agreements:
        return None
    parts = [
        AgreementPart(
            agreement=agreement,
            parties=[agreement.municipality] + [p.name for p in agreement.partners.all()],
            priority_areas=list(agreement.priority_areas.all()),
            districts=list(agreement.districts.all()),
            promises=[PromiseOutcome(p, outcome(p)) for p in agreement.year_promises],
        )
        for agreement in agreements
    ]
    return {"year": year, "agreements": parts}


def content_querysets(followup: FollowUp) -> list:
    """What ``build`` reads, for the report's fingerprint: one query each,
    whatever the number of agreements and promises."""
    year = followup.year
    agreements = agreements_in_force(year)
    districts = Agreement.districts.through.objects.filter(agreement__in=agreements)
    partners = Agreement.partners.through.objects.filter(agreement__in=agreements)
    promises = CitizenPromise.objects.filter(agreement__in=agreements, year=year)
    return [
        (
            agreements,
            (
                "pk",
                "kind",
                "title",
                "municipality",
                "first_year",
                "last_year",
                "status",
                "registration_number",
            ),
        ),
        (
            PriorityArea.objects.filter(agreement__in=agreements),
            ("pk", "agreement_id", "order", "name"),
        ),
        districts,
        (District.objects.filter(pk__in=districts.values("district_id")), ("pk", "name")),
        partners,
        (Partner.objects.filter(pk__in=partners.values("partner_id")), ("pk", "name")),
        (promises, ("pk", "agreement_id", "year", "category", "text")),
        (
            PromiseRating.objects.filter(promise__in=promises, tertial__year=year),
            ("pk", "tertial_id", "promise_id", "rating"),
        ),
        (TertialFollowUp.objects.filter(agreement__in=agreements, year=year), ("pk", "tertial")),
    ]


def register_report_chapter() -> None:
    chapters.register(
        chapters.ReportChapter(
            key=KEY,
            title=lambda: _("Collaboration"),
            template=TEMPLATE,
            build=build,
            content_querysets=content_querysets,
        )
    )
