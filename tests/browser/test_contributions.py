"""Contributions from the whole organisation in a real browser, on the demo
data set: the demo contributor (Barn- och utbildningsförvaltningen) reports
an activity of their own unit and cannot see the confidential example; a
caseworker sees it marked with its ground. Every page visited is checked
with axe-core."""

import pytest
from playwright.sync_api import Page, expect

from followups.models import Activity

from .conftest import PASSWORD, assert_accessible, login
from .test_workspace import AREA_1, DEMO_ACTIVITIES, followup_url, load_demo, nav_link

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CONFIDENTIAL = "Förstärkt skalskydd vid en samhällsviktig anläggning (exempel)"
OWN_UNIT = "Barn- och utbildningsförvaltningen"


def test_contributor_reports_an_activity_of_their_own_unit(page: Page, live_server):
    followup = load_demo()

    login(page, live_server, "bidragsgivare", PASSWORD)
    expect(page).to_have_url(followup_url(live_server, followup))
    main = page.get_by_role("main")
    expect(main).to_contain_text(f"Du rapporterar aktiviteterna för: {OWN_UNIT}.")
    # The January work is not theirs: no such links in the menu.
    expect(nav_link(page, "Bedömningar")).to_have_count(0)
    assert_accessible(page)

    nav_link(page, "Aktiviteter").click()
    expect(main.get_by_role("status")).to_have_text(f"{DEMO_ACTIVITIES - 1} aktiviteter.")
    expect(main).not_to_contain_text(CONFIDENTIAL)
    assert_accessible(page)

    main.get_by_role("link", name="Ny aktivitet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ny aktivitet 2021")
    expect(page.get_by_label("Sekretessbelagd")).to_have_count(0)
    assert_accessible(page)
    page.get_by_label("Rubrik").fill("Läxhjälp på fritidsgården i Vårby")
    page.get_by_label("Primärt ansvarsområde").select_option(label=AREA_1)
    page.get_by_label("Ansvarig enhet").select_option(label=OWN_UNIT)
    page.get_by_role("button", name="Spara").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Läxhjälp på fritidsgården i Vårby")
    expect(main.get_by_role("link", name="Redigera")).to_have_count(1)
    expect(main.get_by_role("link", name="Ta bort")).to_have_count(0)
    assert_accessible(page)
    saved = Activity.objects.get(title="Läxhjälp på fritidsgården i Vårby")
    assert saved.responsible_unit.name == OWN_UNIT
    assert not saved.is_confidential

    # Another unit's activity: readable, with no way to change it.
    other = Activity.objects.get(followup=followup, title="Trygghetskameror i Grantorp")
    page.goto(f"{followup_url(live_server, followup)}activities/{other.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Trygghetskameror i Grantorp")
    expect(main.get_by_role("link", name="Redigera")).to_have_count(0)
    assert_accessible(page)

    secret = Activity.objects.get(title=CONFIDENTIAL)
    response = page.goto(f"{followup_url(live_server, followup)}activities/{secret.pk}/")
    assert response.status == 404


def test_contributor_import_page_is_accessible(page: Page, live_server):
    followup = load_demo()
    login(page, live_server, "bidragsgivare", PASSWORD)

    page.goto(f"{followup_url(live_server, followup)}activities/import/")

    expect(page.get_by_role("heading", level=1)).to_contain_text("Importera")
    assert_accessible(page)


def test_caseworker_sees_the_confidential_activity_marked_with_its_ground(page: Page, live_server):
    followup = load_demo()
    login(page, live_server, "handlaggare", PASSWORD)

    page.goto(f"{followup_url(live_server, followup)}activities/?q=skalskydd")
    row = page.get_by_role("row", name=CONFIDENTIAL)
    expect(row).to_contain_text("Sekretess")
    assert_accessible(page)

    row.get_by_role("link", name=CONFIDENTIAL).click()
    note = page.get_by_role("note")
    expect(note).to_contain_text("OSL 18 kap. 8 § (säkerhets- och bevakningsåtgärder)")
    expect(note).to_contain_text("rapporten anger bara antalet")
    assert_accessible(page)

    page.get_by_role("main").get_by_role("link", name="Redigera").click()
    expect(page.get_by_label("Sekretessbelagd")).to_be_checked()
    assert_accessible(page)
