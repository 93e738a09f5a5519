"""The collaboration's staff pages (issue 13): the overview, an agreement,
citizen promises, situation pictures and problems, measures, and the trace
of an action plan on screen and as a PDF; what the activity's page and the
activity list gain from it."""

import re
from datetime import date

import pytest
from django.urls import reverse

from collaboration.models import CitizenPromise, Measure, Problem, SituationPicture
from tests.collaboration.factories import (
    ActionPlanFactory,
    AgreementFactory,
    CitizenPromiseFactory,
    MeasureFactory,
    PriorityAreaFactory,
    ProblemFactory,
    SituationPictureFactory,
    TertialFollowUpFactory,
)
from tests.conftest import CASEWORKER, CONTRIBUTOR, READER
from tests.factories import (
    ActivityFactory,
    DistrictFactory,
    OrganisationalUnitFactory,
    PartnerFactory,
)
from tests.followups import report_pdf

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def chain(year):
    """A decided plan on a picture of two problems: one with a measure
    carried out by the year's activity, one with none; a second measure
    without activity; a priority area with an activity serving nothing."""
    picture = SituationPictureFactory(title="Lägesbild 2019")
    unsafe = ProblemFactory(picture=picture, name="Otrygghet i offentlig miljö", order=1)
    drugs = ProblemFactory(picture=picture, name="Narkotika", order=2)
    plan = ActionPlanFactory(
        picture=picture, title="Åtgärdsplan", decided_on=date(2021, 3, 1), first_year=2021
    )
    cameras = MeasureFactory(
        plan=plan,
        title="Trygghetskameror",
        problems=[unsafe],
        activities=[year.activity],
        responsible_unit=OrganisationalUnitFactory(name="Säkerhetsenheten"),
    )
    hosts = MeasureFactory(plan=plan, title="Trygghetsvärdar", problems=[unsafe])
    agreement = AgreementFactory(title="Överenskommelsen", first_year=2021, last_year=2022)
    lonely = ActivityFactory(followup=year.followup, area=year.area1, title="Ensam aktivitet")
    area = PriorityAreaFactory(
        agreement=agreement, name="Trygghet i den offentliga miljön", activities=[lonely]
    )
    return {
        "plan": plan,
        "picture": picture,
        "unsafe": unsafe,
        "drugs": drugs,
        "cameras": cameras,
        "hosts": hosts,
        "agreement": agreement,
        "area": area,
        "lonely": lonely,
    }


def test_the_trace_shows_each_problem_its_measures_and_activities_and_the_gaps(
    client, caseworker, year, chain
):
    client.force_login(caseworker)

    response = client.get(reverse("action-plan", args=[chain["plan"].pk]))

    assert response.status_code == 200
    body = text(response)
    assert "Problemet Narkotika har ingen åtgärd." in body
    assert "Åtgärden Trygghetsvärdar har ingen aktivitet som genomför den." in body
    assert (
        "Aktiviteten Ensam aktivitet (2021) hör till ett prioriterat område men tjänar "
        "inget löfte och ingen åtgärd." in body
    )
    unsafe = body[body.index("Otrygghet i offentlig miljö Kommundelar") :]
    assert "Trygghetskameror Ansvarig enhet: Säkerhetsenheten" in unsafe
    assert "2021 Trygghetsvandring i Skogås" in unsafe


@pytest.mark.parametrize("size", [(2, 3, 2), (8, 12, 20)])
def test_the_trace_takes_a_fixed_number_of_queries(
    client, caseworker, year, django_assert_num_queries, size
):
    problems, measures, activities = size
    picture = SituationPictureFactory()
    found = [
        ProblemFactory(picture=picture, districts=[DistrictFactory()]) for _ in range(problems)
    ]
    plan = ActionPlanFactory(picture=picture)
    for index in range(measures):
        MeasureFactory(
            plan=plan,
            problems=[found[index % problems]],
            activities=[
                ActivityFactory(followup=year.followup, area=year.area1) for _ in range(activities)
            ],
        )
    client.force_login(caseworker)

    with django_assert_num_queries(14):
        response = client.get(reverse("action-plan", args=[plan.pk]))

    assert response.content.decode().count("<tr><td>2021</td>") == measures * activities


def test_readers_see_decided_plans_only_without_confidential_activities(
    client, user_in_group, year, chain
):
    ActivityFactory(
        followup=year.followup,
        area=year.area1,
        title="Hemlig insats",
        is_confidential=True,
        confidentiality_ground="other",
        confidentiality_note="Skyddat",
    ).measures.add(chain["cameras"])
    undecided = ActionPlanFactory(picture=chain["picture"])
    client.force_login(user_in_group(READER))

    decided = client.get(reverse("action-plan", args=[chain["plan"].pk]))

    assert decided.status_code == 200
    assert "Hemlig insats" not in decided.content.decode()
    assert client.get(reverse("action-plan", args=[undecided.pk])).status_code == 404
    overview = text(client.get(reverse("collaboration")))
    assert "Åtgärdsplan" in overview and undecided.title not in overview
    assert client.get(reverse("agreement", args=[chain["agreement"].pk])).status_code == 403


def test_contributors_have_no_collaboration_pages(client, user_in_group, chain):
    client.force_login(user_in_group(CONTRIBUTOR))

    assert client.get(reverse("collaboration")).status_code == 403
    assert client.get(reverse("action-plan", args=[chain["plan"].pk])).status_code == 403


def test_the_trace_report_is_a_tagged_pdf_with_the_chain(client, secretary, year, chain):
    client.force_login(secretary)

    response = client.get(reverse("action-plan-report", args=[chain["plan"].pk]))

    assert response["Content-Type"] == "application/pdf"
    pdf = b"".join(response) if response.streaming else response.content
    reader = report_pdf.read(pdf)
    assert reader.trailer["/Root"]["/MarkInfo"] == {"/Marked": True}
    every_page = " ".join(report_pdf.flat(page.extract_text()) for page in reader.pages)
    assert "Otrygghet i offentlig miljö" in every_page
    assert "Trygghetskameror" in every_page
    assert "Problemet Narkotika har ingen åtgärd." in every_page
    assert "UTKAST" not in every_page


def test_a_caseworker_adds_a_promise_with_its_activities(client, caseworker, year, chain):
    police = PartnerFactory(name="Lokalpolisområde Huddinge")
    client.force_login(caseworker)
    url = reverse("promise-create", args=[chain["agreement"].pk])

    response = client.post(
        url,
        {
            "year": "2021",
            "priority_area": chain["area"].pk,
            "category": "Trygghet i offentlig miljö",
            "text": "Vi ska synas mer i Skogås.",
            "municipality_commits": "on",
            "partners": [police.pk],
            "activities": [year.activity.pk],
            "seen": "",
        },
    )

    assert response.status_code == 302
    promise = CitizenPromise.objects.get()
    assert (promise.year, promise.category, promise.priority_area) == (
        2021,
        "Trygghet i offentlig miljö",
        chain["area"],
    )
    assert list(promise.activities.all()) == [year.activity]
    assert list(promise.partners.all()) == [police]


def test_a_promise_with_an_activity_of_another_year_is_refused_in_swedish(
    client, caseworker, year, chain
):
    client.force_login(caseworker)

    response = client.post(
        reverse("promise-create", args=[chain["agreement"].pk]),
        {
            "year": "2022",
            "category": "Narkotika",
            "text": "Vi lovar.",
            "activities": [year.activity.pk],
            "seen": "",
        },
    )

    assert response.status_code == 200
    assert "Ett löfte för 2022 genomförs av aktiviteter från 2022." in text(response)
    assert not CitizenPromise.objects.exists()


def test_a_promise_changed_meanwhile_is_not_overwritten(client, caseworker, chain):
    promise = CitizenPromiseFactory(agreement=chain["agreement"], priority_area=chain["area"])
    url = reverse("promise-update", args=[chain["agreement"].pk, promise.pk])
    client.force_login(caseworker)
    form = client.get(url).context["form"]
    seen = form["seen"].value()
    promise.text = "En kollega ändrade."
    promise.save()

    response = client.post(
        url, {"year": "2021", "category": "Ny", "text": "Mitt löfte.", "seen": seen}
    )

    assert response.status_code == 200
    assert "Någon annan sparade detta under tiden." in text(response)
    promise.refresh_from_db()
    assert promise.text == "En kollega ändrade."


def test_secretaries_read_but_do_not_write(client, secretary, chain):
    client.force_login(secretary)

    assert client.get(reverse("agreement", args=[chain["agreement"].pk])).status_code == 200
    assert client.get(reverse("promise-create", args=[chain["agreement"].pk])).status_code == 403
    assert client.get(reverse("situation-create")).status_code == 403
    assert client.get(reverse("measure-create", args=[chain["plan"].pk])).status_code == 403


def test_a_caseworker_writes_a_situation_picture_and_its_problem(client, caseworker):
    client.force_login(caseworker)

    response = client.post(
        reverse("situation-create"),
        {
            "title": "Lägesbild 2023",
            "made_on": "5 oktober 2023",
            "first_year": "2022",
            "last_year": "2023",
            "municipality_made": "on",
            "analysis": "Narkotikan ökar.",
            "seen": "",
        },
    )
    picture = SituationPicture.objects.get()
    assert response.status_code == 302
    assert picture.made_on == date(2023, 10, 5)

    client.post(
        reverse("problem-create", args=[picture.pk]),
        {"order": "1", "name": "Narkotika", "extent": "Stor.", "seen": ""},
    )
    assert list(picture.problems.values_list("name", "extent")) == [("Narkotika", "Stor.")]


def test_a_situation_picture_ending_before_it_begins_is_refused(client, caseworker):
    client.force_login(caseworker)

    response = client.post(
        reverse("situation-create"),
        {"title": "Fel", "made_on": "2023-10-05", "first_year": "2023", "last_year": "2022"},
    )

    assert response.status_code == 200
    assert "Perioden kan inte sluta innan den börjar." in text(response)
    assert not SituationPicture.objects.exists()


def test_a_measure_addresses_only_its_plans_problems(client, caseworker, year, chain):
    other = ProblemFactory(name="Annat problem")
    client.force_login(caseworker)

    response = client.post(
        reverse("measure-create", args=[chain["plan"].pk]),
        {"order": "3", "title": "Ny åtgärd", "problems": [other.pk], "seen": ""},
    )

    assert response.status_code == 200
    assert not Measure.objects.filter(title="Ny åtgärd").exists()
    assert not Problem.objects.get(pk=other.pk).measures.exists()


def test_the_activity_page_shows_what_it_serves_and_the_list_filters_by_it(
    client, caseworker, year, chain
):
    promise = CitizenPromiseFactory(
        agreement=chain["agreement"], category="Trygghet", activities=[year.activity]
    )
    client.force_login(caseworker)

    page = text(client.get(year.url("activity-detail", year.activity.pk)))
    listing = client.get(year.url("activity-list"), {"measure": chain["cameras"].pk})
    by_area = client.get(year.url("activity-list"), {"priority_area": chain["area"].pk})
    by_promise = client.get(year.url("activity-list"), {"promise": promise.pk})

    assert "I samverkan" in page
    assert "2021: Trygghet" in page
    assert "Trygghetskameror (Åtgärdsplan)" in page
    assert [a.title for a in listing.context["activities"]] == ["Trygghetsvandring i Skogås"]
    assert [a.title for a in by_area.context["activities"]] == ["Ensam aktivitet"]
    assert [a.title for a in by_promise.context["activities"]] == ["Trygghetsvandring i Skogås"]


def test_staff_see_every_agreement_year_with_its_tertials(client, user_in_group, chain):
    TertialFollowUpFactory(agreement=chain["agreement"], year=2021, tertial=2, ready=True)
    client.force_login(user_in_group(CASEWORKER))

    body = text(client.get(reverse("agreement", args=[chain["agreement"].pk])))

    assert "T1 2021 Ej påbörjat T2 2021 Klar för styrgruppen T3 2021 Ej påbörjat" in body
    assert "T1 2022" in body


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_change_saves_outside_a_test_transaction(client, user_in_group):
    """As in production, without the test's surrounding transaction: the
    check that the row is as the user saw it runs under its own lock (on
    PostgreSQL a row lock outside a transaction would be refused)."""
    picture = SituationPictureFactory(title="Lägesbild 2019")
    url = reverse("situation-update", args=[picture.pk])
    client.force_login(user_in_group(CASEWORKER))
    seen = client.get(url).context["form"]["seen"].value()

    response = client.post(
        url,
        {
            "title": "Lägesbild 2019, reviderad",
            "made_on": "2020-10-05",
            "first_year": "2019",
            "last_year": "2019",
            "seen": seen,
        },
    )

    assert response.status_code == 302
    picture.refresh_from_db()
    assert picture.title == "Lägesbild 2019, reviderad"
