from decimal import Decimal

import pytest

from followups.models import Activity, FollowUp
from tests.factories import (
    ActivityFactory,
    DistrictFactory,
    GoalFactory,
    PartnerFactory,
    ProgrammeFactory,
    ResponsibilityAreaFactory,
)

pytestmark = pytest.mark.django_db

REQUIRED = "Detta fält måste fyllas i."


def activity_data(year, **overrides) -> dict:
    data = {
        "title": "Trygghetskameror i Grantorp",
        "area": year.area1.pk,
        "goals": [year.goal11.pk, year.goal12.pk],
        "status": Activity.Status.ONGOING,
        "responsible_unit": year.activity.responsible_unit_id,
        "partners": [p.pk for p in year.activity.partners.all()],
        "districts": [d.pk for d in year.activity.districts.all()],
        "cost": "150000",
        "description": "Kameror i Grantorp.",
        "result": "Installerade i december.",
        "version": "0",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def edit_data(activity, **overrides) -> dict:
    data = {
        "title": activity.title,
        "area": activity.area_id,
        "goals": [g.pk for g in activity.goals.all()],
        "status": activity.status,
        "responsible_unit": activity.responsible_unit_id or "",
        "partners": [p.pk for p in activity.partners.all()],
        "districts": [d.pk for d in activity.districts.all()],
        "cost": "" if activity.cost is None else str(activity.cost),
        "description": activity.description,
        "result": activity.result,
        "version": str(activity.version),
    }
    data.update(overrides)
    return data


def test_caseworker_creates_activity_with_exact_values(client, caseworker, year):
    client.force_login(caseworker)

    response = client.post(year.url("activity-create"), activity_data(year))

    activity = Activity.objects.get(title="Trygghetskameror i Grantorp")
    assert response.status_code == 302
    assert response["Location"] == year.url("activity-detail", activity.pk)
    assert activity.followup == year.followup
    assert activity.area == year.area1
    assert sorted(g.code for g in activity.goals.all()) == ["1.1", "1.2"]
    assert [d.name for d in activity.districts.all()] == ["Skogås"]
    assert [p.name for p in activity.partners.all()] == ["Polisen"]
    assert activity.status == Activity.Status.ONGOING
    assert activity.cost == Decimal("150000")
    assert activity.version == 1
    assert activity.history.first().history_user == caseworker


def test_cost_in_swedish_format_is_accepted(client, caseworker, year):
    client.force_login(caseworker)

    client.post(year.url("activity-create"), activity_data(year, cost="150 000"))

    assert Activity.objects.get(title="Trygghetskameror i Grantorp").cost == Decimal("150000")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", REQUIRED),
        ("title", "x" * 201, "Säkerställ att detta värde har som mest 200 tecken (den har 201)."),
        ("area", "", REQUIRED),
        ("cost", "tusen kronor", "Ange kostnaden i hela kronor med siffror, t.ex. 150 000."),
        ("cost", "-5", "Kontrollera att detta värde är större än eller lika med 0."),
        ("status", "finished", "Välj ett giltigt alternativ. finished finns inte bland"),
    ],
)
def test_bad_input_gets_swedish_message_and_creates_nothing(
    client, caseworker, year, field, value, message
):
    client.force_login(caseworker)

    response = client.post(year.url("activity-create"), activity_data(year, **{field: value}))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert Activity.objects.count() == 1


def test_goal_of_another_programme_posted_by_hand_is_refused(client, caseworker, year):
    foreign = GoalFactory(area=ResponsibilityAreaFactory(programme=ProgrammeFactory()))
    client.force_login(caseworker)

    response = client.post(
        year.url("activity-create"), activity_data(year, goals=[year.goal11.pk, foreign.pk])
    )

    assert response.status_code == 200
    assert "Välj ett giltigt alternativ." in response.content.decode()
    assert Activity.objects.count() == 1


def test_area_of_another_programme_posted_by_hand_is_refused(client, caseworker, year):
    foreign = ResponsibilityAreaFactory(programme=ProgrammeFactory())
    client.force_login(caseworker)

    response = client.post(year.url("activity-create"), activity_data(year, area=foreign.pk))

    assert response.status_code == 200
    assert "Välj ett giltigt alternativ." in response.content.decode()
    assert Activity.objects.count() == 1


def test_errors_sit_by_their_field_and_are_linked(client, caseworker, year):
    client.force_login(caseworker)

    response = client.post(year.url("activity-create"), activity_data(year, title=""))

    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_title_error" id="id_title"' in html
    assert '<div id="id_title_error" class="invalid-feedback">' in html
    assert '<a class="alert-link" href="#id_title">Rubrik: Detta fält måste fyllas i.</a>' in html
    assert "<title>Fel: Ny aktivitet" in html


def test_form_offers_only_the_programmes_goals_grouped_by_area(client, caseworker, year):
    GoalFactory(area=ResponsibilityAreaFactory(programme=ProgrammeFactory()), title="Främmande")
    client.force_login(caseworker)

    html = client.get(year.url("activity-create")).content.decode()
    html = html[html.index('id="div_id_goals"') :]

    assert "Främmande" not in html
    legend = '<legend class="fs-6 fw-semibold mb-1">1 Trygghet</legend>'
    assert f'<fieldset class="mb-2">{legend}' in html
    assert html.index("1 Trygghet") < html.index("1.1 Tryggare offentlig miljö")
    assert html.index("1.2 Barn och unga") < html.index("2 Skydd mot olyckor")
    assert html.index("2 Skydd mot olyckor") < html.index("2.1 Färre bränder")


def test_caseworker_edits_activity(client, caseworker, year):
    client.force_login(caseworker)
    activity = year.activity

    response = client.post(
        year.url("activity-update", activity.pk),
        edit_data(activity, title="Trygghetsvandring i Skogås centrum", goals=[year.goal12.pk]),
    )

    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Trygghetsvandring i Skogås centrum"
    assert [g.code for g in activity.goals.all()] == ["1.2"]
    assert activity.version == 2


def test_second_save_of_same_version_is_refused_and_shows_the_other_text(
    client, caseworker, user_in_group, year
):
    activity = year.activity
    stale = edit_data(activity, result="Min text, skriven samtidigt.")
    # Someone else saves first, from the same version.
    colleague = user_in_group("Handläggare", first_name="Karin", last_name="Kollega")
    client.force_login(colleague)
    first = client.post(
        year.url("activity-update", activity.pk),
        edit_data(activity, result="Kollegans resultat."),
    )
    assert first.status_code == 302

    client.force_login(caseworker)
    response = client.post(year.url("activity-update", activity.pk), stale)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Någon annan sparade det här medan du redigerade" in html
    assert "Kollegans resultat." in html  # the other person's text is shown
    assert "Min text, skriven samtidigt." in html  # and what this user typed is kept
    activity.refresh_from_db()
    assert activity.result == "Kollegans resultat."
    assert activity.version == 2
    # Saving again after seeing the other version is a deliberate overwrite.
    assert 'name="version" value="2"' in html
    again = client.post(year.url("activity-update", activity.pk), {**stale, "version": "2"})
    assert again.status_code == 302
    activity.refresh_from_db()
    assert activity.result == "Min text, skriven samtidigt."


def test_save_of_activity_deleted_meanwhile_keeps_the_text_in_the_form(client, caseworker, year):
    client.force_login(caseworker)
    url = year.url("activity-update", year.activity.pk)
    data = edit_data(year.activity, result="Viktig text.")
    page = client.get(url)
    assert page.status_code == 200
    Activity.objects.filter(pk=year.activity.pk).delete()

    response = client.post(url, data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Någon annan tog bort det här medan du redigerade" in html
    assert "Viktig text." in html
    assert f'action="{year.url("activity-create")}"' in html
    assert not Activity.objects.filter(pk=year.activity.pk).exists()


def test_detail_page_shows_change_history(client, caseworker, year):
    client.force_login(caseworker)
    client.post(
        year.url("activity-update", year.activity.pk),
        edit_data(year.activity, title="Ny rubrik", districts=[]),
    )

    html = client.get(year.url("activity-detail", year.activity.pk)).content.decode()

    assert "Ändringshistorik" in html
    assert "Skapad" in html
    changed_row = html[html.index("Ändrad") : html.index("</tr>", html.index("Ändrad"))]
    assert "rubrik" in changed_row
    assert "kommundelar" in changed_row
    assert caseworker.get_username() in html


def test_delete_asks_first_then_deletes(client, caseworker, year):
    client.force_login(caseworker)
    url = year.url("activity-delete", year.activity.pk)

    confirm = client.get(url)
    assert "Vill du ta bort aktiviteten" in confirm.content.decode()
    assert Activity.objects.filter(pk=year.activity.pk).exists()

    response = client.post(url, {"version": year.activity.version})

    assert response["Location"] == year.url("activity-list")
    assert not Activity.objects.filter(pk=year.activity.pk).exists()


def test_a_delete_confirmed_on_a_stale_page_deletes_nothing(client, caseworker, year):
    client.force_login(caseworker)
    url = year.url("activity-delete", year.activity.pk)
    seen = year.activity.version
    # Someone else saves the activity after this page was opened.
    changed = client.post(
        year.url("activity-update", year.activity.pk),
        edit_data(year.activity, title="Trygghetsvandring i Skogås centrum"),
    )
    assert changed.status_code == 302

    response = client.post(url, {"version": seen})

    assert response.status_code == 409
    html = response.content.decode()
    assert (
        "Någon annan ändrade aktiviteten efter att du öppnade sidan, så den togs inte bort." in html
    )
    assert "Trygghetsvandring i Skogås centrum" in html
    assert f'name="version" value="{seen + 1}"' in html
    year.activity.refresh_from_db()
    assert (year.activity.title, year.activity.version) == (
        "Trygghetsvandring i Skogås centrum",
        seen + 1,
    )


@pytest.mark.parametrize("version", ["", "x", "-1"])
def test_a_delete_without_the_version_seen_deletes_nothing(client, caseworker, year, version):
    client.force_login(caseworker)

    response = client.post(year.url("activity-delete", year.activity.pk), {"version": version})

    assert response.status_code == 409
    assert Activity.objects.filter(pk=year.activity.pk).exists()


def test_secretary_cannot_edit_or_delete_activity(client, secretary, year):
    client.force_login(secretary)

    edit = client.post(
        year.url("activity-update", year.activity.pk), edit_data(year.activity, title="X")
    )
    delete = client.post(year.url("activity-delete", year.activity.pk))

    assert edit.status_code == 403
    assert delete.status_code == 403
    year.activity.refresh_from_db()
    assert year.activity.title == "Trygghetsvandring i Skogås"


@pytest.mark.parametrize("status", [FollowUp.Status.SUBMITTED, FollowUp.Status.APPROVED])
def test_forged_posts_change_nothing_once_submitted(client, caseworker, year, status):
    FollowUp._base_manager.filter(pk=year.followup.pk).update(
        status=status, decision_date="2022-03-01", approved_at="2022-03-01T10:00:00Z"
    )
    client.force_login(caseworker)

    create = client.post(year.url("activity-create"), activity_data(year))
    edit = client.post(
        year.url("activity-update", year.activity.pk), edit_data(year.activity, title="X")
    )
    delete = client.post(year.url("activity-delete", year.activity.pk))

    assert (create.status_code, edit.status_code, delete.status_code) == (403, 403, 403)
    assert list(Activity.objects.values_list("title", flat=True)) == ["Trygghetsvandring i Skogås"]


def test_continue_next_year_copies_and_links_the_activity(client, caseworker, year):
    client.force_login(caseworker)

    response = client.post(year.url("activity-continue", year.activity.pk))

    copy = Activity.objects.get(continues=year.activity)
    assert response["Location"] == year.url("activity-detail", copy.pk, followup=copy.followup)
    assert copy.followup.year == 2022
    assert copy.followup.programme == year.programme
    assert copy.followup.status == FollowUp.Status.DRAFT
    assert copy.title == year.activity.title
    assert copy.area == year.area1
    assert copy.status == Activity.Status.PLANNED
    assert copy.result == ""
    assert [g.code for g in copy.goals.all()] == ["1.1"]
    assert [d.name for d in copy.districts.all()] == ["Skogås"]
    assert [p.name for p in copy.partners.all()] == ["Polisen"]


def test_continue_twice_is_refused_with_a_message(client, caseworker, year):
    client.force_login(caseworker)
    client.post(year.url("activity-continue", year.activity.pk))

    response = client.post(year.url("activity-continue", year.activity.pk), follow=True)

    assert "Aktiviteten är redan fortsatt 2022." in response.content.decode()
    assert Activity.objects.filter(continues=year.activity).count() == 1


def test_continue_past_the_programme_period_is_refused(client, caseworker, year):
    year.programme.last_year = 2021
    year.programme.save()
    client.force_login(caseworker)

    response = client.post(year.url("activity-continue", year.activity.pk), follow=True)

    assert "Programmet slutar 2021" in response.content.decode()
    assert not FollowUp.objects.filter(year=2022).exists()


def make_activities(year, count: int) -> None:
    district = DistrictFactory()
    partner = PartnerFactory()
    for _ in range(count):
        ActivityFactory(
            followup=year.followup,
            area=year.area2,
            goals=[year.goal21, year.goal11],
            districts=[district],
            partners=[partner],
            responsible_unit=year.activity.responsible_unit,
            cost=Decimal(1000),
        )


@pytest.mark.parametrize("extra", [0, 40])
def test_activity_list_query_count_does_not_grow(
    client, caseworker, year, django_assert_num_queries, extra
):
    make_activities(year, extra)
    client.force_login(caseworker)

    # 18, and one each for the choices of the collaboration's filters
    # (priority area, citizen promise, measure).
    with django_assert_num_queries(21):
        response = client.get(year.url("activity-list"))

    assert response.status_code == 200


@pytest.mark.parametrize("extra", [0, 40])
def test_followup_page_query_count_does_not_grow(
    client, caseworker, year, django_assert_num_queries, extra
):
    make_activities(year, extra)
    client.force_login(caseworker)

    # 18, two for the reporting per unit, one for whether the expired
    # programme (2018-2022) has a successor.
    with django_assert_num_queries(21):
        response = client.get(year.url("followup"))

    assert response.status_code == 200


@pytest.mark.parametrize("extra", [0, 40])
def test_activity_form_query_count_does_not_grow(
    client, caseworker, year, django_assert_num_queries, extra
):
    make_activities(year, extra)
    client.force_login(caseworker)

    with django_assert_num_queries(18):
        response = client.get(year.url("activity-update", year.activity.pk))

    assert response.status_code == 200


@pytest.mark.parametrize("edits", [1, 10])
def test_activity_detail_query_count_does_not_grow_with_history(
    client, caseworker, year, django_assert_num_queries, edits
):
    for n in range(edits):
        year.activity.result = f"Resultat {n}"
        year.activity.save()
    client.force_login(caseworker)

    # 17, and three for what the activity serves in the collaboration.
    with django_assert_num_queries(20):
        response = client.get(year.url("activity-detail", year.activity.pk))

    assert response.status_code == 200


def test_cost_is_shown_in_swedish_format(client, caseworker, year):
    year.activity.cost = Decimal(150000)
    year.activity.save()
    client.force_login(caseworker)

    detail = client.get(year.url("activity-detail", year.activity.pk)).content.decode()
    listing = client.get(year.url("activity-list")).content.decode()

    assert "150\xa0000" in detail
    assert '<td class="text-end">150\xa0000</td>' in listing


def test_followup_page_lists_goals_without_activity_and_unlinked_activities(
    client, caseworker, year
):
    for n in range(22):
        ActivityFactory(followup=year.followup, area=year.area1, title=f"Olänkad {n:02}")
    client.force_login(caseworker)

    html = client.get(year.url("followup")).content.decode()

    unlinked_goals = html[html.index("Mål som ingen aktivitet bidrar till") :]
    unlinked_goals = unlinked_goals[: unlinked_goals.index("</section>")]
    assert "1.2 Barn och unga" in unlinked_goals
    assert "2.1 Färre bränder" in unlinked_goals
    assert "1.1 Tryggare offentlig miljö" not in unlinked_goals
    assert "Olänkad 19" in html
    assert "Olänkad 20" not in html
    assert "Visar 20 av 22." in html
    assert "23 aktiviteter" in html


def test_creation_is_one_history_entry_without_field_list(client, caseworker, year):
    client.force_login(caseworker)
    client.post(year.url("activity-create"), activity_data(year))
    activity = Activity.objects.get(title="Trygghetskameror i Grantorp")

    html = client.get(year.url("activity-detail", activity.pk)).content.decode()

    history = html[html.index("Ändringshistorik") :]
    assert history.count("<tr><td>") == 1
    assert "<td>Skapad</td><td></td></tr>" in history
