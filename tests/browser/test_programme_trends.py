"""The programme over its years in a real browser, on the demo data set:
staff reach it from the year and see drafts marked, readers see the years
decided on. Every page is checked with axe-core."""

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from followups.models import FollowUp

from .conftest import PASSWORD, assert_accessible, login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_staff_follow_the_programme_over_its_years(page: Page, live_server):
    call_command("load_demo", "--password", PASSWORD)
    followup = FollowUp.objects.get(year=2021)

    login(page, live_server, "handlaggare", PASSWORD)
    page.goto(f"{live_server.url}/programmes/{followup.programme_id}/2021/")
    page.get_by_role("link", name="Programmet över åren").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Program för trygghet och säkerhet 2018–2021 över åren"
    )
    ratings = page.get_by_role("table", name="Varje måls bedömning per år")
    # Older years in their scale's words, the draft year marked.
    expect(ratings.get_by_role("columnheader", name="2021 Utkast")).to_be_visible()
    row = ratings.get_by_role("row", name="1.1 Ökad trygghet i den offentliga miljön")
    expect(row).to_contain_text("God")
    expect(row).to_contain_text("Godtagbar")
    expect(row).to_contain_text("Delvis uppfylld")
    expect(page.get_by_role("main")).to_contain_text("Från 2021 bedöms målen med en annan skala")
    graffiti = page.get_by_role("table", name="Klotterärenden på kommunens mark")
    expect(graffiti).to_contain_text("minskning med 59 ärenden jämfört med 2020, en förbättring")
    assert_accessible(page)


def test_readers_see_the_years_decided_on(page: Page, live_server):
    call_command("load_demo", "--password", PASSWORD)
    followup = FollowUp.objects.get(year=2021)

    login(page, live_server, "lasare", PASSWORD)
    page.goto(f"{live_server.url}/programmes/{followup.programme_id}/")

    main = page.get_by_role("main")
    expect(main).to_contain_text("Sidan visar de år som styrelsen har beslutat om.")
    ratings = page.get_by_role("table", name="Varje måls bedömning per år")
    expect(ratings.locator("thead th")).to_have_text(["Mål", "2019", "2020"])
    expect(main).not_to_contain_text("Utkast")
    assert_accessible(page)
