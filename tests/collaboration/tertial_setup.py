"""One agreement's 2021 as the tertial tests see it: two priority areas,
two focus districts (Flemingsberg, Skogås), public activities in a focus
district, elsewhere and in the whole municipality, a confidential one and
one of another year, and two promises, one carried out by an activity."""

from dataclasses import dataclass

from django.urls import reverse

from collaboration.models import Agreement, CitizenPromise, PriorityArea
from followups.models import Activity
from tests.collaboration.factories import (
    AgreementFactory,
    CitizenPromiseFactory,
    PriorityAreaFactory,
)
from tests.factories import ActivityFactory, DistrictFactory, PartnerFactory


@dataclass
class Tertials:
    agreement: Agreement
    safety: PriorityArea  # Otrygghet i offentlig miljö
    drugs: PriorityArea  # Narkotika
    walk: Activity  # Trygghetsvandring i Skogås (the year fixture's), planned
    youth: Activity  # Ungdomsgård i Flemingsberg, carried out
    campaign: Activity  # Informationskampanj, whole municipality, ongoing
    secret: Activity  # confidential
    older: Activity  # of 2020
    safety_promise: CitizenPromise
    drugs_promise: CitizenPromise

    def url(self, name: str = "tertial", year: int = 2021, tertial: int = 1) -> str:
        return reverse(name, args=[self.agreement.pk, year, tertial])


def make_tertials(year) -> Tertials:
    skogas = year.activity.districts.get()
    flemingsberg = DistrictFactory(name="Flemingsberg")
    police = PartnerFactory(name="Lokalpolisområde Huddinge")
    fire = PartnerFactory(name="Södertörns brandförsvarsförbund")
    agreement = AgreementFactory(
        title="Samverkansöverenskommelse mellan Huddinge kommun och Polisen",
        registration_number="KS-2018/91.103",
        partners=[police, fire],
        districts=[skogas, flemingsberg],
    )
    youth = ActivityFactory(
        followup=year.followup,
        area=year.area1,
        title="Ungdomsgård i Flemingsberg",
        status=Activity.Status.DONE,
        districts=[flemingsberg],
    )
    campaign = ActivityFactory(
        followup=year.followup,
        area=year.area1,
        title="Informationskampanj om narkotika",
        status=Activity.Status.ONGOING,
    )
    secret = ActivityFactory(
        followup=year.followup,
        area=year.area1,
        title="Hemlig insats",
        is_confidential=True,
        confidentiality_ground="osl_18_8",
    )
    older = ActivityFactory(followup=year.previous, area=year.area1, title="Fjolårets vandring")
    safety = PriorityAreaFactory(
        agreement=agreement,
        order=1,
        name="Otrygghet i offentlig miljö",
        activities=[year.activity, youth, secret, older],
    )
    drugs = PriorityAreaFactory(
        agreement=agreement, order=2, name="Narkotika", activities=[campaign]
    )
    safety_promise = CitizenPromiseFactory(
        agreement=agreement,
        year=2021,
        priority_area=safety,
        category="Trygghet i offentlig miljö",
        text="Vi genomför trygghetsvandringar i Skogås.",
        partners=[police],
        activities=[year.activity, secret],
    )
    drugs_promise = CitizenPromiseFactory(
        agreement=agreement,
        year=2021,
        priority_area=drugs,
        category="Narkotika",
        text="Vi arbetar mot öppen narkotikahandel.",
    )
    CitizenPromiseFactory(agreement=agreement, year=2022, priority_area=drugs, category="Nästa år")
    return Tertials(
        agreement,
        safety,
        drugs,
        year.activity,
        youth,
        campaign,
        secret,
        older,
        safety_promise,
        drugs_promise,
    )
