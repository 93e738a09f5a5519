"""The change history (Ändringshistorik) shows every save with the fields
it changed, however quickly the saves follow each other."""

import re

import pytest

from followups.models import Activity
from tests.followups.test_views_activities import activity_data, edit_data

pytestmark = pytest.mark.django_db


def history_rows(client, year, activity) -> list[str]:
    html = client.get(year.url("activity-detail", activity.pk)).content.decode()
    history = html[html.index("Ändringshistorik") :]
    return re.findall(r"<tr><td>.*?</tr>", history, flags=re.S)


def test_a_creation_and_two_quick_edits_by_one_person_are_three_entries(client, caseworker, year):
    client.force_login(caseworker)
    client.post(year.url("activity-create"), activity_data(year))
    activity = Activity.objects.get(title="Trygghetskameror i Grantorp")

    # Within the same second: each save is its own entry with its fields.
    first = client.post(
        year.url("activity-update", activity.pk), edit_data(activity, title="Kameror i Grantorp")
    )
    activity.refresh_from_db()
    second = client.post(
        year.url("activity-update", activity.pk),
        edit_data(activity, result="Uppsatta i mars.", districts=[]),
    )

    assert (first.status_code, second.status_code) == (302, 302)
    rows = history_rows(client, year, activity)
    assert len(rows) == 3
    newest, middle, oldest = rows
    assert "<td>Ändrad</td><td>resultat, kommundelar</td>" in newest
    assert "<td>Ändrad</td><td>rubrik</td>" in middle
    assert "<td>Skapad</td><td></td>" in oldest


def test_a_save_that_changes_only_links_lists_them(client, caseworker, year):
    client.force_login(caseworker)

    client.post(
        year.url("activity-update", year.activity.pk),
        edit_data(year.activity, partners=[], goals=[year.goal11.pk, year.goal12.pk]),
    )

    rows = history_rows(client, year, year.activity)
    assert len(rows) == 2
    assert "<td>Ändrad</td><td>mål, samverkansparter</td>" in rows[0]
