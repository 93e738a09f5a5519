"""What a tertial follow-up shows: the agreement's priority areas with their
status texts and the year's public activities per focus district, the
year's citizen promises with their rating in the tertial and the activities
that carry them out, and what the steering group still lacks. Read in a
fixed number of queries whatever the number of areas, promises and
activities; the page, its PDF and the command share it."""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from followups.models import Activity
from programmes.models import District, Partner

from .links import add_detail_urls
from .models import (
    Agreement,
    CitizenPromise,
    PriorityArea,
    PriorityAreaStatus,
    PromiseRating,
    TertialFollowUp,
)


@dataclass
class DistrictActivities:
    """A priority area's activities in one focus district, or (``district``
    None) those in none of the focus districts: elsewhere or the whole
    municipality."""

    district: District | None
    activities: list[Activity]

    @property
    def label(self) -> str:
        if self.district is None:
            return _("Other districts and the whole municipality")
        return self.district.name


@dataclass
class AreaRow:
    area: PriorityArea
    status: PriorityAreaStatus | None  # None: no status saved in this tertial
    activities: list[Activity]
    by_district: list[DistrictActivities] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.status.text if self.status else ""


@dataclass
class PromiseRow:
    promise: CitizenPromise
    rating: PromiseRating | None  # None: not rated in this tertial
    activities: list[Activity]

    @property
    def value(self) -> str:
        return self.rating.rating if self.rating else ""

    @property
    def label(self) -> str:
        return self.rating.get_rating_display() if self.value else ""

    @property
    def comment(self) -> str:
        return self.rating.comment if self.rating else ""

    @property
    def parties(self) -> list[str]:
        """Who commits: the municipality (when it does) and the partners."""
        names = [self.promise.agreement.municipality] if self.promise.municipality_commits else []
        return names + [partner.name for partner in self.promise.partners.all()]


@dataclass
class TertialData:
    tertial: TertialFollowUp  # unsaved (no pk) while nobody has saved it
    agreement: Agreement
    districts: list[District]  # the agreement's focus districts
    partners: list[Partner]
    areas: list[AreaRow]
    promises: list[PromiseRow]

    @property
    def parties(self) -> list[str]:
        return [self.agreement.municipality] + [partner.name for partner in self.partners]

    @property
    def unrated_promises(self) -> list[PromiseRow]:
        """The year's promises without a rating in this tertial."""
        return [row for row in self.promises if not row.value]

    @property
    def areas_without_status(self) -> list[AreaRow]:
        return [row for row in self.areas if not row.text.strip()]

    @property
    def activity_count(self) -> int:
        return len({a.pk for row in self.areas for a in row.activities})


# What the tertial shows of an activity: its title and status, and its page.
ACTIVITY_FIELDS = ("title", "status", "followup__year", "followup__programme_id")


def _public_activities(year: int):
    return (
        Activity.objects.public()
        .filter(followup__year=year)
        .select_related("followup")
        .only(*ACTIVITY_FIELDS)
        .prefetch_related(Prefetch("districts", queryset=District.objects.order_by("name")))
        .order_by("title", "pk")
    )


def _by_district(activities: list[Activity], districts: list[District]) -> list[DistrictActivities]:
    focus = {district.pk for district in districts}
    places = {activity.pk: {d.pk for d in activity.districts.all()} for activity in activities}
    groups = [
        DistrictActivities(district, [a for a in activities if district.pk in places[a.pk]])
        for district in districts
    ]
    others = [a for a in activities if not focus & places[a.pk]]
    groups.append(DistrictActivities(None, others))
    return groups


def tertial_data(tertial: TertialFollowUp) -> TertialData:
    """Reads the tertial's content in ten queries (the agreement's parties
    and focus districts, its priority areas, their activities and those
    activities' districts, the year's promises, their partners and
    activities, the status texts and the ratings), eight for a tertial not
    saved yet (it has no texts or ratings to read). ``tertial.agreement``
    must be loaded; confidential activities are never read."""
    agreement = tertial.agreement
    year = tertial.year
    partners = list(agreement.partners.order_by("name"))
    districts = list(agreement.districts.order_by("name"))
    areas = list(
        PriorityArea.objects.filter(agreement=agreement)
        .order_by("order", "name")
        .prefetch_related(
            Prefetch("activities", queryset=_public_activities(year), to_attr="year_activities")
        )
    )
    promises = list(
        CitizenPromise.objects.filter(agreement=agreement, year=year)
        .order_by("category", "pk")
        .prefetch_related(
            Prefetch("partners", queryset=Partner.objects.order_by("name")),
            Prefetch(
                "activities",
                queryset=Activity.objects.public()
                .select_related("followup")
                .only(*ACTIVITY_FIELDS)
                .order_by("title", "pk"),
                to_attr="public_activities",
            ),
        )
    )
    statuses: dict[int, PriorityAreaStatus] = {}
    ratings: dict[int, PromiseRating] = {}
    if tertial.pk is not None:
        statuses = {
            s.priority_area_id: s for s in PriorityAreaStatus.objects.filter(tertial=tertial)
        }
        ratings = {r.promise_id: r for r in PromiseRating.objects.filter(tertial=tertial)}
    add_detail_urls([a for area in areas for a in area.year_activities])
    add_detail_urls([a for promise in promises for a in promise.public_activities])
    area_rows = []
    for area in areas:
        area.agreement = agreement
        status = statuses.get(area.pk)
        if status is not None:
            status.tertial, status.priority_area = tertial, area
        area_rows.append(
            AreaRow(
                area, status, area.year_activities, _by_district(area.year_activities, districts)
            )
        )
    promise_rows = []
    for promise in promises:
        promise.agreement = agreement
        rating = ratings.get(promise.pk)
        if rating is not None:
            rating.tertial, rating.promise = tertial, promise
        promise_rows.append(PromiseRow(promise, rating, promise.public_activities))
    return TertialData(tertial, agreement, districts, partners, area_rows, promise_rows)


def find_tertial(agreement: Agreement, year: int, number: int) -> TertialFollowUp:
    """The saved tertial follow-up, or a new unsaved one with nothing in it
    (one query). The caller checks that the year and tertial are valid."""
    tertial = TertialFollowUp.objects.filter(agreement=agreement, year=year, tertial=number).first()
    if tertial is None:
        tertial = TertialFollowUp(agreement=agreement, year=year, tertial=number)
    tertial.agreement = agreement
    return tertial
