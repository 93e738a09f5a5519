"""The tertial page: what it shows, who may open and save it, all or none,
version conflicts, the frozen year, and its query count."""

import re

import pytest
from django.db.models import F
from django.urls import reverse

from collaboration.models import (
    PriorityAreaStatus,
    PromiseRating,
    TertialFollowUp,
)
from collaboration.tertials import find_tertial, tertial_data
from tests.collaboration.factories import (
    CitizenPromiseFactory,
    PriorityAreaStatusFactory,
    PromiseRatingFactory,
    TertialFollowUpFactory,
)
from tests.collaboration.tertial_setup import make_tertials
from tests.conftest import ADMINISTRATOR, CASEWORKER, CONTRIBUTOR, READER, SECRETARY
from tests.factories import ActivityFactory
from tests.followups.approval import approve_without_archive

pytestmark = pytest.mark.django_db


@pytest.fixture
def tertials(year):
    return make_tertials(year)


def page_data(response) -> dict:
    """What the page's forms would post unchanged."""
    data = {}
    context = response.context
    for form in [context["main_form"], *context["area_forms"], *context["promise_forms"]]:
        for field in form:
            value = field.value()
            if isinstance(value, bool) or field.name == "ready":
                if value:
                    data[field.html_name] = "on"
                continue
            data[field.html_name] = "" if value is None else value
    return data


def text(response) -> str:
    """The page's main content as text, white space collapsed."""
    html = response.content.decode()
    main = html[html.index("<main") :]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


# The data


def test_tertial_data_has_the_areas_in_order_with_the_years_public_activities(tertials):
    tertial = PriorityAreaStatusFactory(
        tertial__agreement=tertials.agreement, priority_area=tertials.safety, text="Bra."
    ).tertial
    PromiseRatingFactory(tertial=tertial, promise=tertials.safety_promise, rating="done")

    data = tertial_data(find_tertial(tertials.agreement, 2021, 1))

    assert [(row.area.name, row.text) for row in data.areas] == [
        ("Otrygghet i offentlig miljö", "Bra."),
        ("Narkotika", ""),
    ]
    safety = data.areas[0]
    assert [a.title for a in safety.activities] == [
        "Trygghetsvandring i Skogås",
        "Ungdomsgård i Flemingsberg",
    ]
    assert [(group.label, [a.title for a in group.activities]) for group in safety.by_district] == [
        ("Flemingsberg", ["Ungdomsgård i Flemingsberg"]),
        ("Skogås", ["Trygghetsvandring i Skogås"]),
        ("Övriga kommundelar och hela kommunen", []),
    ]
    assert [a.title for a in data.areas[1].by_district[-1].activities] == [
        "Informationskampanj om narkotika"
    ]
    assert [
        (row.promise.category, row.value, [a.title for a in row.activities])
        for row in data.promises
    ] == [
        ("Narkotika", "", []),
        ("Trygghet i offentlig miljö", "done", ["Trygghetsvandring i Skogås"]),
    ]
    assert [row.promise.category for row in data.unrated_promises] == ["Narkotika"]
    assert [row.area.name for row in data.areas_without_status] == ["Narkotika"]
    assert data.parties == [
        "Huddinge kommun",
        "Lokalpolisområde Huddinge",
        "Södertörns brandförsvarsförbund",
    ]


# The page


def test_the_page_of_an_unsaved_tertial_shows_empty_forms_and_the_flags(
    client, caseworker, tertials
):
    client.force_login(caseworker)

    response = client.get(tertials.url())

    assert response.status_code == 200
    assert TertialFollowUp.objects.count() == 0
    page = text(response)
    assert "Tertial T1 januari–april 2021" in page
    assert (
        "Parter: Huddinge kommun, Lokalpolisområde Huddinge, Södertörns brandförsvarsförbund"
        in page
    )
    assert "Diarienummer: KS-2018/91.103" in page
    assert "Fokusområden: Flemingsberg, Skogås" in page
    assert "Inte klar för styrgruppen" in page
    assert "2 löften saknar bedömning: Narkotika Trygghet i offentlig miljö" in page
    assert "2 prioriterade områden saknar statustext: Otrygghet i offentlig miljö Narkotika" in page
    assert "Flemingsberg Ungdomsgård i Flemingsberg – Genomförd" in page
    assert "Skogås Trygghetsvandring i Skogås – Planerad" in page
    assert "Informationskampanj om narkotika – Pågående" in page
    assert "Hemlig insats" not in page
    assert "Fjolårets vandring" not in page
    assert "Nästa år" not in page
    assert response.context["main_form"]["summary"].value() == ""
    html = response.content.decode()
    assert 'href="{}"'.format(tertials.url("tertial-report")) in html
    options = re.findall(
        r"<option value=\"([^\"]*)\"[^>]*>([^<]*)</option>",
        html[html.index(f'name="promise-{tertials.safety_promise.pk}-rating"') :],
    )[:5]
    assert options == [
        ("", "Ej bedömt"),
        ("done", "Genomfört"),
        ("on_track", "Pågår enligt plan"),
        ("delayed", "Försenat"),
        ("not_started", "Ej påbörjat"),
    ]
    assert 'name="tertial-ready"' in html
    assert "Klar för styrgruppen" in html


def test_the_first_save_creates_the_tertial_with_every_text_and_rating(
    client, caseworker, tertials
):
    client.force_login(caseworker)
    data = page_data(client.get(tertials.url()))
    safety, drugs = tertials.safety.pk, tertials.drugs.pk
    promise = tertials.safety_promise.pk
    data.update(
        {
            "tertial-summary": "Ett lugnt tertial.",
            "tertial-ready": "on",
            f"area-{safety}-text": "Trygghetsvandringar i Skogås.",
            f"area-{drugs}-text": "Kampanj i skolorna.",
            f"promise-{promise}-rating": "on_track",
            f"promise-{promise}-comment": "Två vandringar av fyra.",
        }
    )

    response = client.post(tertials.url(), data)

    assert response.status_code == 302
    tertial = TertialFollowUp.objects.get()
    assert (tertial.year, tertial.tertial, tertial.summary, tertial.ready, tertial.version) == (
        2021,
        1,
        "Ett lugnt tertial.",
        True,
        1,
    )
    assert sorted(
        PriorityAreaStatus.objects.filter(tertial=tertial).values_list(
            "priority_area__name", "text", "version"
        )
    ) == [
        ("Narkotika", "Kampanj i skolorna.", 1),
        ("Otrygghet i offentlig miljö", "Trygghetsvandringar i Skogås.", 1),
    ]
    assert list(PromiseRating.objects.values_list("promise_id", "rating", "comment")) == [
        (promise, "on_track", "Två vandringar av fyra.")
    ]
    page = text(client.get(tertials.url()))
    assert "Sparat." in page
    assert "saknar bedömning: Narkotika" in page
    assert "saknar statustext" not in page


def test_one_invalid_form_saves_nothing_not_even_the_tertial(client, caseworker, tertials):
    client.force_login(caseworker)
    data = page_data(client.get(tertials.url()))
    data.update(
        {
            "tertial-summary": "Sparas inte.",
            f"area-{tertials.safety.pk}-text": "Sparas inte heller.",
            f"promise-{tertials.drugs_promise.pk}-rating": "kanske",
        }
    )

    response = client.post(tertials.url(), data)

    assert response.status_code == 200
    assert "Ingenting sparades. Rätta de markerade fälten." in text(response)
    assert response.context["promise_forms"][0].errors["rating"]
    assert TertialFollowUp.objects.count() == 0
    assert PriorityAreaStatus.objects.count() == 0


def test_a_second_save_changes_the_rows_at_their_versions(client, caseworker, tertials):
    status = PriorityAreaStatusFactory(
        tertial__agreement=tertials.agreement, priority_area=tertials.safety, text="Först."
    )
    client.force_login(caseworker)
    data = page_data(client.get(tertials.url()))
    data[f"area-{tertials.safety.pk}-text"] = "Sedan."

    assert client.post(tertials.url(), data).status_code == 302

    status.refresh_from_db()
    assert (status.text, status.version) == ("Sedan.", 2)
    status.tertial.refresh_from_db()
    assert status.tertial.version == 1  # unchanged forms are left alone


def test_a_row_saved_meanwhile_makes_the_whole_page_save_nothing(client, caseworker, tertials):
    status = PriorityAreaStatusFactory(
        tertial__agreement=tertials.agreement, priority_area=tertials.safety, text="Först."
    )
    tertial = status.tertial
    client.force_login(caseworker)
    data = page_data(client.get(tertials.url()))
    data["tertial-summary"] = "Min sammanfattning."
    data[f"area-{tertials.safety.pk}-text"] = "Min text."
    # Someone else saves the same status in between.
    PriorityAreaStatus.objects.filter(pk=status.pk).update(
        text="Deras text.", version=F("version") + 1
    )

    response = client.post(tertials.url(), data)

    assert response.status_code == 200
    page = text(response)
    assert "Ingenting sparades: någon annan har sparat en del av sidan under tiden." in page
    assert "Deras text." in page  # their version beside the form
    tertial.refresh_from_db()
    status.refresh_from_db()
    assert (tertial.summary, tertial.version) == ("", 1)
    assert (status.text, status.version) == ("Deras text.", 2)


def test_a_tertial_created_meanwhile_is_not_overwritten(client, caseworker, tertials):
    client.force_login(caseworker)
    data = page_data(client.get(tertials.url()))
    data["tertial-summary"] = "Min sammanfattning."
    TertialFollowUpFactory(agreement=tertials.agreement, summary="Deras sammanfattning.")

    response = client.post(tertials.url(), data)

    assert response.status_code == 200
    assert "Ingenting sparades: någon annan" in text(response)
    assert TertialFollowUp.objects.get().summary == "Deras sammanfattning."


# The frozen year


def test_a_tertial_of_an_approved_year_is_read_only(client, caseworker, tertials, year):
    TertialFollowUpFactory(agreement=tertials.agreement, summary="Sammanfattningen.")
    approve_without_archive(year.followup)
    client.force_login(caseworker)

    response = client.get(tertials.url())
    posted = client.post(tertials.url(), {"tertial-summary": "Ändrad.", "tertial-version": "1"})

    assert response.status_code == 200
    page = text(response)
    assert "Årsuppföljningen för 2021 är godkänd; årets tertialer kan inte längre ändras." in page
    assert "Sammanfattningen." in page
    assert "<textarea" not in response.content.decode()
    assert posted.status_code == 403
    assert TertialFollowUp.objects.get().summary == "Sammanfattningen."


# Who may do what


@pytest.mark.parametrize("role", [CASEWORKER, SECRETARY, ADMINISTRATOR])
def test_staff_read_the_page(client, user_in_group, tertials, role):
    client.force_login(user_in_group(role))

    assert client.get(tertials.url()).status_code == 200


def test_secretaries_read_but_may_not_save(client, secretary, tertials):
    client.force_login(secretary)

    response = client.get(tertials.url())
    posted = client.post(tertials.url(), {"tertial-summary": "x", "tertial-version": "0"})

    assert "Du kan läsa den här sidan men inte ändra den." in text(response)
    assert "<textarea" not in response.content.decode()
    assert posted.status_code == 403
    assert TertialFollowUp.objects.count() == 0


@pytest.mark.parametrize("role", [READER, CONTRIBUTOR])
def test_readers_and_contributors_may_not_open_the_page(client, user_in_group, tertials, role):
    client.force_login(user_in_group(role))

    assert client.get(tertials.url()).status_code == 403
    assert client.post(tertials.url(), {}).status_code == 403


def test_anonymous_users_go_to_the_login(client, tertials):
    for url in [tertials.url(), tertials.url("tertial-report")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("in_year", "tertial"), [(2020, 1), (2023, 1), (2021, 0), (2021, 4)], ids=str
)
def test_a_year_outside_the_period_or_a_tertial_not_1_to_3_is_not_found(
    client, caseworker, tertials, in_year, tertial
):
    client.force_login(caseworker)

    assert client.get(tertials.url(year=in_year, tertial=tertial)).status_code == 404
    assert client.get(tertials.url("tertial-report", in_year, tertial)).status_code == 404


def test_an_unknown_agreement_is_not_found(client, caseworker):
    client.force_login(caseworker)

    assert client.get(reverse("tertial", args=[999, 2021, 1])).status_code == 404


# Query count


@pytest.mark.parametrize("promises", [2, 20])
def test_the_page_takes_a_fixed_number_of_queries(
    client, caseworker, django_assert_num_queries, tertials, year, promises
):
    tertial = TertialFollowUpFactory(agreement=tertials.agreement)
    PriorityAreaStatusFactory(tertial=tertial, priority_area=tertials.safety)
    for number in range(promises - 2):
        activity = ActivityFactory(followup=year.followup, area=year.area1)
        tertials.safety.activities.add(activity)
        promise = CitizenPromiseFactory(
            agreement=tertials.agreement, priority_area=tertials.drugs, activities=[activity]
        )
        PromiseRatingFactory(tertial=tertial, promise=promise, comment=f"Kommentar {number}")
    client.force_login(caseworker)

    with django_assert_num_queries(20):
        response = client.get(tertials.url())

    assert len(response.context["promise_forms"]) == promises
    assert len(response.context["data"].areas[0].activities) == promises


@pytest.mark.parametrize("promises", [2, 20])
def test_the_data_of_an_unsaved_tertial_takes_a_fixed_number_of_queries(
    django_assert_num_queries, tertials, year, promises
):
    for _number in range(promises - 2):
        activity = ActivityFactory(followup=year.followup, area=year.area1)
        tertials.drugs.activities.add(activity)
        CitizenPromiseFactory(
            agreement=tertials.agreement, priority_area=tertials.drugs, activities=[activity]
        )
    tertial = find_tertial(tertials.agreement, 2021, 2)

    with django_assert_num_queries(8):
        data = tertial_data(tertial)

    assert len(data.promises) == promises
    assert len(data.areas[1].activities) == promises - 1
