"""The staff workspace in a real browser, on the demo data set: one long
journey through a year's cycle (record, assess, submit, return), and the
things only a browser shows: keyboard access, URLs that keep the filters,
pages that work without JavaScript. Every page visited is checked with
axe-core."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from openpyxl import load_workbook
from playwright.sync_api import Locator, Page, expect

from followups import decisions, services
from followups.models import Activity, AreaSummary, FollowUp, GoalAssessment, Rating

from .conftest import PASSWORD, assert_accessible, assert_accessible_without_javascript, login

# A live server needs committed data; the flush after each test would also
# remove the role groups that a data migration made, so they are restored.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REQUIRED = "Detta fält måste fyllas i."
AREA_1 = "1 Trygghetsskapande och brottsförebyggande arbete"
GOAL_1_1 = "1.1 Ökad trygghet i den offentliga miljön"
GOAL_1_3 = "1.3 Minskat bruk av alkohol, narkotika, doping, tobak och spel (ANDTS)"
DEMO_ACTIVITIES = 14  # the confidential example included: staff see it


def load_demo() -> FollowUp:
    """Loads the demo data set and returns its follow-up 2021."""
    call_command("load_demo", "--password", PASSWORD)
    return FollowUp.objects.get(year=2021)


def followup_url(live_server, followup: FollowUp) -> str:
    return f"{live_server.url}/programmes/{followup.programme_id}/{followup.year}/"


def nav_link(page: Page, name: str) -> Locator:
    return page.get_by_role("navigation", name="Uppföljning").get_by_role(
        "link", name=name, exact=True
    )


def status_badge(page: Page) -> Locator:
    return page.get_by_role("main").locator("p", has_text="Status:").locator(".badge")


def expect_field_error(field: Locator, message: str) -> None:
    """The field is marked invalid and its description, the text a screen
    reader reads with it, contains the error."""
    invalid = (
        field.get_attribute("aria-invalid") == "true"
        or "is-invalid" in (field.get_attribute("class") or "").split()
    )
    assert invalid, field.evaluate("element => element.outerHTML")
    described_by = (field.get_attribute("aria-describedby") or "").split()
    descriptions = [
        field.page.locator(f"[id='{element_id}']").inner_text() for element_id in described_by
    ]
    assert any(message in text for text in descriptions), (described_by, descriptions)


def test_caseworker_records_the_year_submits_it_and_secretary_returns_it(page: Page, live_server):
    followup = load_demo()
    overview_url = followup_url(live_server, followup)

    # 1. The caseworker lands on the year's start page.
    login(page, live_server, "handlaggare", PASSWORD)
    expect(page).to_have_url(overview_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Uppföljning 2021")
    assert_accessible(page)

    # 2. The activity list, and an empty new activity form.
    nav_link(page, "Aktiviteter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aktiviteter 2021")
    assert_accessible(page)
    page.get_by_role("main").get_by_role("link", name="Ny aktivitet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ny aktivitet 2021")
    assert_accessible(page)

    # 3. Saving without the required title shows the error by the field.
    page.get_by_label("Primärt ansvarsområde").select_option(label=AREA_1)
    page.get_by_role("button", name="Spara").click()
    expect(page).to_have_title(re.compile(r"^Fel: Ny aktivitet"))
    title = page.get_by_label("Rubrik")
    expect(page.locator("#div_id_title")).to_contain_text(REQUIRED)
    expect_field_error(title, REQUIRED)
    expect(page.get_by_role("alert")).to_contain_text(f"Rubrik: {REQUIRED}")
    expect(page.get_by_label("Primärt ansvarsområde")).to_have_value(
        str(followup.programme.areas.get(number=1).pk)
    )
    assert_accessible(page)
    assert Activity.objects.count() == DEMO_ACTIVITIES

    # 4. Corrected, the activity is saved and its page shows who created it.
    activity_title = "Trygghetsvandring i Skogås centrum"
    title.fill(activity_title)
    page.get_by_label(GOAL_1_1).check()
    page.get_by_label("Skogås", exact=True).check()
    page.get_by_label("Kostnad (kr)").fill("150000")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(activity_title)
    expect(page.get_by_role("status")).to_have_text(f"Aktiviteten ”{activity_title}” har sparats.")
    history = page.get_by_role("region", name="Ändringshistorik").get_by_role("row")
    expect(history).to_have_count(2)  # the header and the creation
    created = history.nth(1).get_by_role("cell")
    expect(created.nth(1)).to_have_text("Demo Handläggare")
    expect(created.nth(2)).to_have_text("Skapad")
    assert_accessible(page)
    assert Activity.objects.count() == DEMO_ACTIVITIES + 1
    activity = Activity.objects.get(followup=followup, title=activity_title)
    assert activity.area.number == 1
    assert [goal.code for goal in activity.goals.all()] == ["1.1"]
    assert [district.name for district in activity.districts.all()] == ["Skogås"]
    assert list(activity.partners.all()) == []
    assert activity.cost == Decimal("150000")
    assert activity.status == Activity.Status.PLANNED
    assert activity.responsible_unit is None
    assert (activity.description, activity.result) == ("", "")
    assert page.url == f"{overview_url}activities/{activity.pk}/"

    # 5. Goal 1.3 is assessed and the area summary written.
    nav_link(page, "Bedömningar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bedömningar 2021")
    assert_accessible(page)
    page.get_by_role("link", name=AREA_1).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(AREA_1)
    assert_accessible(page)
    goal = page.get_by_role("region", name=GOAL_1_3)
    analysis = "Insatserna inom ANDTS genomfördes enligt samverkansöverenskommelsen."
    goal.get_by_label("Bedömning", exact=True).select_option(label="I hög grad uppfylld")
    goal.get_by_label("Analys", exact=True).fill(analysis)
    summary = "Året präglades av pandemin, men arbetet med trygghetskameror kom i gång."
    page.get_by_role("region", name="Sammanfattning för ansvarsområdet").get_by_label(
        "Sammanfattning", exact=True
    ).fill(summary)
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status")).to_have_text("Sparat.")
    expect(goal.get_by_label("Bedömning", exact=True)).to_have_value("high")
    assert_accessible(page)
    assessment = GoalAssessment.objects.get(followup=followup, goal__code="1.3")
    assert (assessment.rating, assessment.analysis) == (Rating.HIGH, analysis)
    assert AreaSummary.objects.get(followup=followup, area__number=1).text == summary

    # 6. The year is submitted for decision after a confirmation.
    nav_link(page, "Översikt 2021").click()
    page.get_by_role("main").get_by_role("link", name="Lämna in för beslut").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Lämna in uppföljningen 2021 för beslut"
    )
    assert_accessible(page)
    page.get_by_role("main").get_by_role("button", name="Lämna in för beslut").click()
    expect(page).to_have_url(overview_url)
    expect(page.get_by_role("status")).to_have_text(
        "Uppföljningen för 2021 har lämnats in för beslut."
    )
    expect(status_badge(page)).to_have_text("Inlämnad")
    assert_accessible(page)
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.SUBMITTED

    # 7. A submitted year can no longer be changed.
    response = page.goto(f"{overview_url}activities/{activity.pk}/edit/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Åtgärden är inte tillåten")
    assert_accessible(page)

    # 8. The secretary returns it to draft, saying why.
    page.get_by_role("button", name="Logga ut").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in")
    assert_accessible(page)
    login(page, live_server, "sekreterare", PASSWORD)
    expect(page).to_have_url(overview_url)
    expect(status_badge(page)).to_have_text("Inlämnad")
    page.get_by_role("main").get_by_role("link", name="Återför till utkast").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Återför uppföljningen 2021 till utkast"
    )
    assert_accessible(page)
    page.get_by_role("main").get_by_role("button", name="Återför till utkast").click()
    expect(page).to_have_title(re.compile(r"^Fel: Återför uppföljningen 2021 till utkast"))
    comment = page.get_by_label("Varför återförs uppföljningen?")
    expect(page.get_by_role("alert")).to_contain_text(REQUIRED)
    expect_field_error(comment, REQUIRED)
    assert_accessible(page)
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.SUBMITTED

    reason = "Bedömningen av mål 1.3 behöver kompletteras med nyckeltal."
    comment.fill(reason)
    page.get_by_role("main").get_by_role("button", name="Återför till utkast").click()
    expect(page).to_have_url(overview_url)
    expect(page.get_by_role("status")).to_have_text(
        "Uppföljningen för 2021 har återförts till utkast."
    )
    expect(status_badge(page)).to_have_text("Utkast")
    returned = page.get_by_role("region", name="Statushistorik").get_by_role(
        "row", name=re.compile(re.escape(reason))
    )
    expect(returned.get_by_role("cell")).to_have_text(
        [
            re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$"),
            "Demo Nämndsekreterare",
            "Inlämnad → Utkast",
            reason,
        ]
    )
    assert_accessible(page)
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.DRAFT
    change = followup.status_changes.order_by("-pk").first()
    assert (change.from_status, change.to_status, change.comment) == (
        FollowUp.Status.SUBMITTED,
        FollowUp.Status.DRAFT,
        reason,
    )
    assert change.changed_by.username == "sekreterare"


def test_skip_link_is_the_first_focusable_element_and_moves_focus_to_main(page: Page, live_server):
    followup = load_demo()
    login(page, live_server, "handlaggare", PASSWORD)
    page.goto(followup_url(live_server, followup))

    page.keyboard.press("Tab")
    skip_link = page.locator(":focus")
    expect(skip_link).to_have_text("Hoppa till innehållet")
    expect(skip_link).to_be_visible()
    assert_accessible(page)

    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{followup_url(live_server, followup)}#main")
    expect(page.get_by_role("main")).to_be_focused()


def test_reader_sees_no_draft_followup(page: Page, live_server):
    followup = load_demo()
    assert followup.status == FollowUp.Status.DRAFT

    login(page, live_server, "lasare", PASSWORD)
    # The newest year decided on (the demo's example 2020), not the draft.
    expect(page).to_have_url(f"{live_server.url}/programmes/{followup.programme_id}/2020/")
    expect(page.get_by_role("main")).to_contain_text("Godkänd")
    other_years = page.get_by_role("navigation", name="Andra uppföljningar")
    expect(other_years).to_contain_text("2019")
    expect(other_years).not_to_contain_text("2021")
    assert_accessible(page)

    response = page.goto(followup_url(live_server, followup))
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Sidan finns inte")
    assert_accessible(page)


def test_activity_filters_live_in_the_url(page: Page, live_server):
    followup = load_demo()
    login(page, live_server, "handlaggare", PASSWORD)
    page.goto(f"{followup_url(live_server, followup)}activities/")
    count = page.get_by_role("main").get_by_role("status")
    expect(count).to_have_text(f"{DEMO_ACTIVITIES} aktiviteter.")
    assert_accessible(page)

    page.get_by_label("Status", exact=True).select_option(label="Genomförd")
    page.get_by_role("button", name="Visa").click()
    expect(page).to_have_url(re.compile(r"[?&]status=done(&|$)"))
    expect(count).to_have_text("8 aktiviteter matchar filtren.")
    expect(page.get_by_role("main").get_by_role("table").get_by_role("row")).to_have_count(9)
    assert_accessible(page)

    filtered_url = page.url
    page.reload()
    expect(page).to_have_url(filtered_url)
    expect(page.get_by_label("Status", exact=True)).to_have_value("done")
    expect(count).to_have_text("8 aktiviteter matchar filtren.")
    expect(page.get_by_role("main").get_by_role("table").get_by_role("row")).to_have_count(9)


def test_caseworker_creates_activity_without_javascript(page_without_javascript, live_server):
    page = page_without_javascript
    followup = load_demo()

    page.goto(f"{live_server.url}/login/")
    assert_accessible_without_javascript(page)
    login(page, live_server, "handlaggare", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Uppföljning 2021")
    assert_accessible_without_javascript(page)
    nav_link(page, "Aktiviteter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aktiviteter 2021")
    assert_accessible_without_javascript(page)
    page.get_by_role("main").get_by_role("link", name="Ny aktivitet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ny aktivitet 2021")
    assert_accessible_without_javascript(page)

    page.get_by_label("Rubrik").fill("Klotterplank vid Fullersta gård")
    page.get_by_label("Primärt ansvarsområde").select_option(label=AREA_1)
    page.get_by_label("1.4 En ren och trygg utemiljö där klotter åtgärdas inom given tid").check()
    page.get_by_label("Status").select_option(label="Pågående")
    page.get_by_role("button", name="Spara").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Klotterplank vid Fullersta gård")
    expect(page.get_by_role("status")).to_have_text(
        "Aktiviteten ”Klotterplank vid Fullersta gård” har sparats."
    )
    assert_accessible_without_javascript(page)
    activity = Activity.objects.get(followup=followup, title="Klotterplank vid Fullersta gård")
    assert activity.area.number == 1
    assert [goal.code for goal in activity.goals.all()] == ["1.4"]
    assert activity.status == Activity.Status.ONGOING
    assert list(activity.districts.all()) == []
    assert activity.cost is None


def test_reader_keeps_the_decided_report_of_a_reopened_year(page: Page, live_server):
    followup = load_demo()
    users = get_user_model().objects
    services.submit(followup, users.get(username="handlaggare"))
    decisions.register_decision(
        followup,
        users.get(username="sekreterare"),
        decided_by="Kommunstyrelsen",
        decision_date=date(2022, 3, 7),
        decision_paragraph="§ 11",
        registration_number="KS-2022/177.173",
    )
    services.reopen(FollowUp.objects.get(pk=followup.pk), users.get(username="admin"), "Rättelse.")

    login(page, live_server, "lasare", PASSWORD)

    expect(page).to_have_url(followup_url(live_server, followup))
    notice = page.get_by_role("note")
    expect(notice).to_contain_text("Året har öppnats igen för ändringar efter beslutet.")
    assert_accessible(page)
    with page.expect_download() as downloaded:
        notice.get_by_role(
            "link", name="Ladda ner den beslutade rapporten, version 1 (PDF)"
        ).click()
    assert (
        downloaded.value.suggested_filename
        == "uppfoljning-trygghet-och-sakerhet-2021-version-1.pdf"
    )
    with open(downloaded.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


def test_a_stale_delete_and_an_unreadable_form_are_explained_accessibly(page: Page, live_server):
    followup = load_demo()
    activity = Activity.objects.filter(followup=followup).order_by("pk").first()
    login(page, live_server, "handlaggare", PASSWORD)
    page.goto(f"{followup_url(live_server, followup)}activities/{activity.pk}/delete/")
    # Someone else changes the activity while the confirmation is open.
    activity.title = "Ändrad av någon annan"
    activity.save_if_unchanged(activity.version)

    page.get_by_role("button", name="Ja, ta bort").click()

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Någon annan ändrade aktiviteten efter att du öppnade sidan")
    expect(page.get_by_role("main")).to_contain_text("Ändrad av någon annan")
    assert Activity.objects.filter(pk=activity.pk).exists()
    assert_accessible(page)

    # A form whose bytes are not UTF-8 (a broken client or proxy) is refused.
    page.goto(f"{followup_url(live_server, followup)}activities/{activity.pk}/edit/")
    page.route(
        "**/edit/",
        lambda route: route.continue_(
            post_data=route.request.post_data_buffer.replace(b"title=", b"title=%FF%FE", 1)
        ),
    )
    page.get_by_role("button", name="Spara").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Formuläret kunde inte läsas")
    assert_accessible(page)
    assert Activity.objects.get(pk=activity.pk).title == "Ändrad av någon annan"


def test_caseworker_imports_a_workbook_after_its_preview(page: Page, live_server, tmp_path):
    followup = load_demo()
    login(page, live_server, "handlaggare", PASSWORD)
    page.goto(f"{followup_url(live_server, followup)}activities/")
    exported = page.request.get(f"{followup_url(live_server, followup)}activities/export.xlsx")
    workbook = load_workbook(io.BytesIO(exported.body()))
    workbook.active["K2"] = "Resultatet från förvaltningens kalkylark."
    path = tmp_path / "aktiviteter.xlsx"
    workbook.save(path)

    page.get_by_role("link", name="Importera från Excel").click()
    assert_accessible(page)
    page.get_by_label("Arbetsbok (.xlsx)").set_input_files(str(path))
    page.get_by_role("button", name="Visa förhandsgranskningen").click()

    expect(page.get_by_role("main")).to_contain_text(
        f"Ingenting är sparat än. Nya: 0, ändrade: 1, oförändrade: {DEMO_ACTIVITIES - 1}"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Spara de nya och ändrade aktiviteterna").click()

    expect(page.get_by_role("main")).to_contain_text(
        "Importerat från aktiviteter.xlsx: 0 nya och 1 ändrade aktiviteter."
    )
    assert Activity.objects.filter(result="Resultatet från förvaltningens kalkylark.").count() == 1
