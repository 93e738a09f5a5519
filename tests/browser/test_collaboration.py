"""The collaboration in a real browser, on the demo data set: a caseworker
walks from the header to the agreement, its tertial, the situation picture
and the trace of the action plan, and writes a promise; a reader sees what
is published to them. Every page is checked with axe-core."""

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from .conftest import PASSWORD, assert_accessible, login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_caseworker_follows_the_chain_and_writes_a_promise(page: Page, live_server):
    call_command("load_demo", "--password", PASSWORD)
    login(page, live_server, "handlaggare", PASSWORD)

    page.get_by_role("banner").get_by_role("link", name="Samverkan", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Samverkan med polisen och räddningstjänsten"
    )
    assert_accessible(page)

    page.get_by_role("link", name="Samverkansöverenskommelse", exact=False).first.click()
    main = page.get_by_role("main")
    expect(main).to_contain_text("KS-2018/91.103")
    expect(main).to_contain_text("Flemingsberg, Skogås, Vårby")
    assert_accessible(page)

    page.get_by_role("link", name="Aktiviteter inom Trygghet i den offentliga miljön").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Trygghet i den offentliga miljön")
    assert_accessible(page)
    page.go_back()

    page.get_by_role("link", name="T1 2021").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("T1")
    assert_accessible(page)
    page.go_back()

    page.get_by_role("link", name="Nytt medborgarlöfte").click()
    page.get_by_label("Kategori").fill("Särskilt utsatta brottsoffer")
    page.get_by_role("button", name="Spara").click()
    # The promise text is required: the error is said in Swedish, accessibly.
    expect(page.get_by_role("alert")).to_contain_text("Detta fält måste fyllas i.")
    assert_accessible(page)
    page.get_by_label("Löfte").fill("Vi stöttar den som utsatts för brott.")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("main")).to_contain_text("Vi stöttar den som utsatts för brott.")

    page.get_by_role("banner").get_by_role("link", name="Samverkan", exact=True).click()
    page.get_by_role("link", name="Lägesbild 2019").click()
    expect(page.get_by_role("main")).to_contain_text("Problem")
    assert_accessible(page)
    page.get_by_role("link", name="Nytt problem").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nytt problem")
    assert_accessible(page)
    page.go_back()
    page.get_by_role("link", name="Ändra lägesbilden").click()
    assert_accessible(page)
    page.go_back()

    page.get_by_role("link", name="Åtgärdsplan", exact=False).first.click()
    expect(page.get_by_role("main")).to_contain_text("Där kedjan brister")
    assert_accessible(page)
    page.get_by_role("link", name="Ny åtgärd").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ny åtgärd")
    assert_accessible(page)


def test_a_reader_sees_the_published_reports(page: Page, live_server):
    call_command("load_demo", "--password", PASSWORD)
    login(page, live_server, "lasare", PASSWORD)

    page.get_by_role("banner").get_by_role("link", name="Samverkan", exact=True).click()
    main = page.get_by_role("main")
    expect(main).to_contain_text("Tertialrapporter klara för styrgruppen")
    expect(main).not_to_contain_text("Lägesbilder")
    assert_accessible(page)

    page.get_by_role("link", name="Åtgärdsplan", exact=False).first.click()
    expect(page.get_by_role("main")).to_contain_text("Där kedjan brister")
    assert_accessible(page)
