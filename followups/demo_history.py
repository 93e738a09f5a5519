"""The demo's programme across the years: the 2019 and 2020 follow-ups of
the 2018–2021 programme, approved through the real decision service (their
archived reports rendered and stored as any decision's), and the 2022–2025
programme copied from it, not yet adopted.

The sources give only the overall picture of those years (seed 004: the
goal fulfilment was judged *god* 2017–2019 and *godtagbar* 2020, on the
scale used until 2020); every rating here is an example that follows it,
and says so. Loading again changes nothing; a year left half-way by an
interrupted run is taken on to its decision.
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction

from programmes.copying import copy_programme, next_period
from programmes.models import Programme

from .decisions import register_decision
from .models import FollowUp, GoalAssessment, Rating, Scale
from .services import submit

EXAMPLE = "Exempelbedömning"
WORDS = {
    Rating.VERY_GOOD: "mycket god",
    Rating.GOOD: "god",
    Rating.ACCEPTABLE: "godtagbar",
    Rating.NOT_ACCEPTABLE: "ej godtagbar",
}

# year -> the year's example picture: the rating most goals got, the goals
# that differ, the summary and the board's decision (an example too).
HISTORY = {
    2019: {
        "usual": Rating.GOOD,
        "other": {"1.2": Rating.VERY_GOOD, "1.5": Rating.ACCEPTABLE, "3.2": Rating.ACCEPTABLE},
        "summary": (
            f"{EXAMPLE}: enligt revisionen 2022 bedömdes måluppfyllelsen för trivsel och "
            "trygghet överlag som god 2017–2019, alltså i nivå med det planerade. "
            "Bedömningarna per mål är exempel som följer den bilden."
        ),
        "decision": {
            "registration_number": "KS-2020/000 (exempel)",
            "decision_date": date(2020, 3, 16),
            "decision_paragraph": "§ 1 (exempel)",
        },
    },
    2020: {
        "usual": Rating.ACCEPTABLE,
        "other": {"1.2": Rating.GOOD, "2.1": Rating.GOOD, "1.5": Rating.NOT_ACCEPTABLE},
        "summary": (
            f"{EXAMPLE}: enligt revisionen 2022 bedömdes måluppfyllelsen 2020 endast som "
            "godtagbar, under planerad nivå, bland annat på grund av pandemin och personella "
            "utmaningar. Bedömningarna per mål är exempel som följer den bilden."
        ),
        "decision": {
            "registration_number": "KS-2021/000 (exempel)",
            "decision_date": date(2021, 3, 15),
            "decision_paragraph": "§ 1 (exempel)",
        },
    },
}


def load_history(programme: Programme, goals: dict, users: dict[str, str]) -> None:
    """Approves the example years that are not yet approved and copies the
    next period once. ``goals`` maps codes to the programme's goals,
    ``users`` the roles "caseworker" and "secretary" to demo usernames."""
    accounts = get_user_model().objects.in_bulk(users.values(), field_name="username")
    caseworker, secretary = accounts[users["caseworker"]], accounts[users["secretary"]]
    for year, picture in HISTORY.items():
        followup = _draft_year(programme, goals, year, picture)
        if followup.status == FollowUp.Status.APPROVED:
            continue
        if followup.status == FollowUp.Status.DRAFT:
            followup = submit(followup, caseworker)
        register_decision(followup, secretary, decided_by="Kommunstyrelsen", **picture["decision"])
    if not programme.successors.exists():
        copy_programme(programme, *next_period(programme))


@transaction.atomic
def _draft_year(programme: Programme, goals: dict, year: int, picture: dict) -> FollowUp:
    """The year's follow-up, and while it is a draft its missing assessments."""
    followup, _created = FollowUp.objects.get_or_create(
        programme=programme,
        year=year,
        defaults={"scale": Scale.UNTIL_2020, "summary": picture["summary"]},
    )
    if followup.status != FollowUp.Status.DRAFT:
        return followup
    for code, goal in goals.items():
        rating = picture["other"].get(code, picture["usual"])
        GoalAssessment.objects.get_or_create(
            followup=followup,
            goal=goal,
            defaults={
                "rating": rating,
                "analysis": f"{EXAMPLE} för {year}: {WORDS[rating]}, efter revisionens "
                "samlade bild av året.",
            },
        )
    return followup
