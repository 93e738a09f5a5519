"""The follow-up's start page shows, per organisational unit, how many of
the year's activities it has reported and when it last changed one, so the
section sees who has not reported yet."""

from datetime import UTC, datetime

import pytest

from followups.models import Activity
from tests.factories import ActivityFactory, OrganisationalUnitFactory
from tests.followups.approval import approve_without_archive

pytestmark = pytest.mark.django_db


def unit_row(html: str, name: str) -> str:
    start = html.index(f">{name}</a></td>")
    return html[start : html.index("</tr>", start)]


def test_each_unit_shows_its_activities_this_year_and_its_last_change(client, caseworker, year):
    silent = OrganisationalUnitFactory(name="Äldreförvaltningen")
    unit = year.activity.responsible_unit
    ActivityFactory(followup=year.previous, area=year.area1, responsible_unit=silent)
    Activity.history.filter(id=year.activity.pk).update(
        history_date=datetime(2022, 1, 20, 9, 30, tzinfo=UTC)
    )
    client.force_login(caseworker)

    html = client.get(year.url("followup")).content.decode()

    assert "Rapportering per enhet" in html
    row = unit_row(html, unit.name)
    assert f'href="{year.url("activity-list")}?unit={unit.pk}"' in html
    assert '<td class="text-end">1</td><td>2022-01-20 10:30</td>' in row
    # The other year's activity does not count for 2021.
    assert '<td class="text-end">0</td><td>Inget rapporterat än</td>' in unit_row(
        html, "Äldreförvaltningen"
    )


def test_readers_see_no_reporting_per_unit(client, reader, year):
    approve_without_archive(year.followup)
    client.force_login(reader)

    html = client.get(year.url("followup")).content.decode()

    assert "Rapportering per enhet" not in html
