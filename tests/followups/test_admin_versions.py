"""Admin saves a year's rows only at the version its page showed, and keeps
submitted years as closed as the workspace does."""

from decimal import Decimal

import pytest

from followups import services
from followups.models import Activity, FollowUp, GoalAssessment
from programmes.models import Indicator, IndicatorValue
from tests.followups.test_report_lock_admin import FormData, admin_url

pytestmark = pytest.mark.django_db

CONFLICT = (
    "Någon annan sparade detta efter att du öppnade sidan, så dina ändringar sparades "
    "inte. Öppna sidan igen för att se deras version och gör dina ändringar där."
)
SUBMITTED = (
    "Uppföljningen för året är inlämnad. Ingenting i den kan ändras om den inte "
    "lämnas tillbaka som utkast."
)


def page_data(client, url: str) -> dict:
    form = FormData()
    form.feed(client.get(url).content.decode())
    return form.data


@pytest.mark.parametrize("model", [Activity, FollowUp, IndicatorValue])
def test_a_change_saved_by_someone_else_meanwhile_is_not_overwritten(admin_client, year, model):
    row = {
        Activity: year.activity,
        FollowUp: year.followup,
        IndicatorValue: IndicatorValue.objects.get(indicator=year.indicator, year=2020),
    }[model]
    url = admin_url(row, "change")
    seen = page_data(admin_client, url)
    assert seen["seen_version"] == [str(row.version)]
    # Someone else saves the row after the page was opened.
    model._base_manager.filter(pk=row.pk).update(version=row.version + 1)
    field = {Activity: "title", FollowUp: "summary", IndicatorValue: "comment"}[model]

    response = admin_client.post(url, {**seen, field: ["Min ändring"]})

    assert response.status_code == 200
    assert CONFLICT in response.content.decode()
    assert getattr(model.objects.get(pk=row.pk), field) != "Min ändring"


def test_a_change_at_the_version_seen_is_saved_and_moves_the_version_on(admin_client, year):
    url = admin_url(year.activity, "change")
    seen = page_data(admin_client, url)

    response = admin_client.post(url, {**seen, "title": ["Ny rubrik"]})

    assert response.status_code == 302
    year.activity.refresh_from_db()
    assert (year.activity.title, year.activity.version) == ("Ny rubrik", 2)


def test_an_indicators_values_inline_saves_at_the_version_seen(admin_client, year):
    url = admin_url(year.indicator, "change")
    seen = page_data(admin_client, url)
    value = IndicatorValue.objects.get(indicator=year.indicator, year=2020)
    prefix = next(k for k, v in seen.items() if k.endswith("-id") and v == [str(value.pk)])[:-3]

    saved = admin_client.post(url, {**seen, f"{prefix}-value": ["66"]})
    stale = admin_client.post(url, {**seen, f"{prefix}-value": ["67"]})

    assert saved.status_code == 302
    assert stale.status_code == 200
    assert CONFLICT in stale.content.decode()
    value.refresh_from_db()
    assert (value.value, value.version) == (Decimal(66), 2)
    assert Indicator.objects.get(pk=year.indicator.pk).name == year.indicator.name


def test_a_submitted_years_rows_are_read_only_in_admin(admin_client, year, caseworker):
    services.submit(year.followup, caseworker)

    change = admin_client.get(admin_url(year.activity, "change"))
    posted = admin_client.post(admin_url(year.activity, "change"), {"title": "X"})
    added = admin_client.post(
        "/admin/followups/goalassessment/add/",
        {"followup": year.followup.pk, "goal": year.goal12.pk, "rating": "", "analysis": "A"},
    )

    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()
    assert posted.status_code == 403
    assert added.status_code == 200
    assert SUBMITTED in added.content.decode()
    assert not GoalAssessment.objects.filter(followup=year.followup).exists()
    year.activity.refresh_from_db()
    assert year.activity.title == "Trygghetsvandring i Skogås"


def test_an_admin_delete_goes_through_only_at_the_version_its_page_showed(admin_client, year):
    url = admin_url(year.activity, "delete")
    page = admin_client.get(url).content.decode()
    assert f'name="seen_version" value="{year.activity.version}"' in page
    # Someone else saves the activity after the confirmation was opened.
    Activity._base_manager.filter(pk=year.activity.pk).update(version=year.activity.version + 1)

    stale = admin_client.post(
        url, {"post": "yes", "seen_version": year.activity.version}, follow=True
    )
    assert CONFLICT in stale.content.decode()
    assert Activity.objects.filter(pk=year.activity.pk).exists()

    current = admin_client.post(url, {"post": "yes", "seen_version": year.activity.version + 1})
    assert current.status_code == 302
    assert not Activity.objects.filter(pk=year.activity.pk).exists()


def test_the_lists_bulk_delete_is_not_offered_for_versioned_rows(admin_client, year):
    html = admin_client.get("/admin/followups/activity/").content.decode()

    assert 'value="delete_selected"' not in html
