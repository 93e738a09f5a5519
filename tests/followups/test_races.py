"""Two people posting at the same moment, through the pages, on two real
database connections (one thread each, released together by a barrier),
many rounds: no update is lost, no stale delete or clear removes newer work,
and nothing is written into a year after its submission.

PostgreSQL only (SQLite has one writer and no row locks to race on);
``.ci/run`` runs the suite on PostgreSQL.
"""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client

from followups import services
from followups.models import Activity, FollowUp, StatusChange
from programmes.models import IndicatorValue
from tests.followups.test_views_activities import edit_data
from tests.followups.test_views_year import indicator_data

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite has no row locks to race on; CI runs this on PostgreSQL.",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROUNDS = 15


def at_once(*posts) -> list:
    """Runs the callables in threads released together; returns their
    answers (or the exception one raised) in order."""
    barrier = threading.Barrier(len(posts))
    answers: list = [None] * len(posts)

    def run(index, post) -> None:
        try:
            barrier.wait(timeout=10)
            answers[index] = post()
        except Exception as error:
            answers[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def saved(response) -> bool:
    """The page saved and sent the user on (a refused save shows the page
    again, 200, with the conflict)."""
    return response.status_code == 302


def test_an_indicator_value_cleared_while_another_edits_it_loses_nothing(year, user_in_group):
    first = logged_in(user_in_group("Handläggare"))
    second = logged_in(user_in_group("Handläggare"))
    url = year.url("indicator-values")
    outcomes = []
    for number in range(ROUNDS):
        value = IndicatorValue.objects.create(
            indicator=year.indicator, year=2021, value=Decimal(60 + number)
        )
        version = str(value.version)

        clear, edit = at_once(
            lambda v=version: first.post(url, indicator_data(year, "", version=v)),
            lambda v=version: second.post(url, indicator_data(year, "99", version=v)),
        )

        stored = IndicatorValue.objects.filter(indicator=year.indicator, year=2021).first()
        outcome = (saved(clear), saved(edit), stored.value if stored else None)
        outcomes.append(outcome)
        # Exactly one is told "saved", and the value is what that one did.
        assert outcome in [(True, False, None), (False, True, Decimal(99))], outcomes
        IndicatorValue.objects.filter(indicator=year.indicator, year=2021).delete()


def test_a_stale_delete_never_removes_an_activity_someone_has_just_changed(year, user_in_group):
    deleter = logged_in(user_in_group("Handläggare"))
    editor = logged_in(user_in_group("Handläggare"))
    outcomes = []
    for number in range(ROUNDS):
        activity = Activity.objects.create(
            followup=year.followup, area=year.area1, title=f"Runda {number}"
        )
        seen = edit_data(activity)

        delete, edit = at_once(
            lambda a=activity, s=seen: deleter.post(
                year.url("activity-delete", a.pk), {"version": s["version"]}
            ),
            lambda a=activity, s=seen: editor.post(
                year.url("activity-update", a.pk), {**s, "title": "Ändrad"}
            ),
        )

        stored = Activity.objects.filter(pk=activity.pk).first()
        outcome = (delete.status_code, edit.status_code, stored.title if stored else None)
        outcomes.append(outcome)
        # Either the delete won and the edit was told the activity is gone
        # (its text kept in the form), or the edit won and the delete was
        # refused (409) with the activity as it is now.
        assert outcome in [(302, 200, None), (409, 302, "Ändrad")], outcomes
        if outcome[0] == 302:
            assert "Någon annan tog bort" in edit.content.decode()


def test_no_edit_lands_in_a_year_after_its_submission(year, user_in_group):
    editor = logged_in(user_in_group("Handläggare"))
    submitter = logged_in(user_in_group("Handläggare"))
    secretary = user_in_group("Nämndsekreterare")
    late_writes = 0
    for number in range(ROUNDS):
        activity = Activity.objects.get(pk=year.activity.pk)
        data = edit_data(activity, title=f"Ändrad {number}")

        edit, submit = at_once(
            lambda a=activity, d=data: editor.post(year.url("activity-update", a.pk), d),
            lambda: submitter.post(year.url("followup-submit")),
        )

        followup = FollowUp.objects.get(pk=year.followup.pk)
        assert submit.status_code == 302, submit
        assert followup.status == FollowUp.Status.SUBMITTED
        submitted_at = (
            StatusChange.objects.filter(to_status="submitted").order_by("-changed_at").first()
        ).changed_at
        stored = Activity.objects.get(pk=activity.pk)
        last_change = stored.history.latest().history_date
        if edit.status_code == 302:
            # The edit went first: it committed before the submission took
            # the year, and the submitted year holds it.
            assert stored.title == f"Ändrad {number}"
            late_writes += last_change > submitted_at
        else:
            # The submission went first: the edit was refused, in Swedish,
            # with the text still in the form, and nothing was written.
            assert edit.status_code in (403, 409), edit
            assert stored.title == activity.title
            assert stored.version == activity.version
            if edit.status_code == 409:
                assert "Uppföljningen för året är inlämnad" in edit.content.decode()
                assert f"Ändrad {number}" in edit.content.decode()
        services.return_to_draft(followup, secretary, f"Runda {number}.")

    assert late_writes == 0
