"""Who may open which workspace page: anonymous → login, a role without the
right → 403, a follow-up or object the user may not see → 404."""

import pytest
from django.urls import reverse

from followups.models import FollowUp
from tests.conftest import ADMINISTRATOR, CASEWORKER, READER, SECRETARY
from tests.factories import ActivityFactory, FollowUpFactory, ProgrammeFactory
from tests.followups.approval import set_status

pytestmark = pytest.mark.django_db

OK, FORBIDDEN, NOT_FOUND = 200, 403, 404

# page -> (needs the activity in its URL, needs area number 1)
PAGES = {
    "followup": (False, False),
    "followup-summary": (False, False),
    "activity-list": (False, False),
    "activity-create": (False, False),
    "activity-detail": (True, False),
    "activity-update": (True, False),
    "activity-delete": (True, False),
    "activity-continue": (True, False),
    "assessment-overview": (False, False),
    "area-assessment": (False, True),
    "indicator-values": (False, False),
    "guideline-texts": (False, False),
    "followup-submit": (False, False),
    "followup-return": (False, False),
}

READ_ONLY = {
    "followup",
    "followup-summary",
    "activity-list",
    "activity-detail",
    "assessment-overview",
    "area-assessment",
    "indicator-values",
    "guideline-texts",
}

# Expected GET answers on a draft year.
DRAFT_MATRIX = {
    CASEWORKER: {page: FORBIDDEN if page == "followup-return" else OK for page in PAGES},
    SECRETARY: {page: OK if page in READ_ONLY else FORBIDDEN for page in PAGES},
    ADMINISTRATOR: {page: FORBIDDEN if page == "followup-return" else OK for page in PAGES},
    READER: dict.fromkeys(PAGES, NOT_FOUND),
}


def page_url(year, page: str) -> str:
    with_activity, with_area = PAGES[page]
    args = [year.activity.pk] if with_activity else [1] if with_area else []
    return year.url(page, *args)


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_user_is_sent_to_login(client, year, page):
    url = page_url(year, page)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize(
    ("role", "page", "expected"),
    [(role, page, code) for role, pages in DRAFT_MATRIX.items() for page, code in pages.items()],
)
def test_draft_year_pages_by_role(client, user_in_group, year, role, page, expected):
    client.force_login(user_in_group(role))

    response = client.get(page_url(year, page))

    assert response.status_code == expected


@pytest.mark.parametrize("page", ["activity-create", "activity-update", "area-assessment"])
def test_caseworker_cannot_open_edit_pages_once_submitted(client, caseworker, year, page):
    set_status(year.followup, FollowUp.Status.SUBMITTED)
    client.force_login(caseworker)

    response = client.get(page_url(year, page))

    if page == "area-assessment":
        # Readable, but without a form.
        assert response.status_code == OK
        assert b'name="goal-' not in response.content
    else:
        assert response.status_code == FORBIDDEN


def test_reader_sees_approved_follow_up_but_not_its_working_pages(client, reader, year):
    FollowUp._base_manager.filter(pk=year.followup.pk).update(
        status=FollowUp.Status.APPROVED,
        decision_date="2022-03-01",
        approved_at="2022-03-01T10:00:00Z",
    )
    client.force_login(reader)

    assert client.get(year.url("followup")).status_code == OK
    assert client.get(year.url("activity-list")).status_code == FORBIDDEN
    assert client.get(year.url("followup-summary")).status_code == OK


def test_start_page_sends_reader_to_newest_approved_year_only(client, reader, year):
    client.force_login(reader)

    response = client.get(reverse("start"))

    assert response.status_code == OK
    assert "Det finns ännu ingen uppföljning som du kan se." in response.content.decode()


def test_start_page_sends_staff_to_newest_year(client, caseworker, year):
    client.force_login(caseworker)

    response = client.get(reverse("start"))

    assert response.status_code == 302
    assert response["Location"] == year.url("followup")


def test_year_the_programme_does_not_have_is_not_found(client, caseworker, year):
    client.force_login(caseworker)

    response = client.get(reverse("activity-list", args=[year.programme.pk, 2019]))

    assert response.status_code == NOT_FOUND


def test_year_of_another_programme_in_the_url_is_not_found(client, caseworker, year):
    other = FollowUpFactory(programme=ProgrammeFactory(first_year=2023, last_year=2026), year=2024)
    client.force_login(caseworker)

    response = client.get(reverse("activity-list", args=[year.programme.pk, other.year]))

    assert response.status_code == NOT_FOUND


def test_activity_of_another_year_in_the_url_is_not_found(client, caseworker, year):
    foreign = ActivityFactory(followup=year.previous, area=year.area1)
    client.force_login(caseworker)

    assert client.get(year.url("activity-detail", foreign.pk)).status_code == NOT_FOUND
    assert client.get(year.url("activity-update", foreign.pk)).status_code == NOT_FOUND
    assert client.post(year.url("activity-delete", foreign.pk)).status_code == NOT_FOUND
    assert type(foreign).objects.filter(pk=foreign.pk).exists()


def test_area_number_the_programme_does_not_have_is_not_found(client, caseworker, year):
    client.force_login(caseworker)

    assert client.get(year.url("area-assessment", 9)).status_code == NOT_FOUND


def test_error_pages_are_swedish(client, caseworker, secretary, year):
    client.force_login(secretary)
    forbidden = client.get(year.url("activity-create"))
    client.force_login(caseworker)
    missing = client.get(reverse("activity-list", args=[year.programme.pk, 2019]))

    assert "Åtgärden är inte tillåten" in forbidden.content.decode()
    assert "Sidan finns inte" in missing.content.decode()


def test_login_page_is_swedish_and_logs_in(client, caseworker):
    page = client.get(reverse("login"))
    assert "Logga in" in page.content.decode()
    assert '<html lang="sv">' in page.content.decode()

    response = client.post(
        reverse("login"), {"username": caseworker.username, "password": "lösenord-för-test"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("start")


def test_logout_needs_post_and_ends_the_session(client, caseworker, year):
    client.force_login(caseworker)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert client.get(year.url("followup")).status_code == 302
