"""The board's decision and the archive: a secretary registers the decision,
the report is archived once and every later download is that file; only an
administrator reopens, and a new approval is a new version beside the old."""

import hashlib
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from followups import decisions, services
from followups.forms import DecisionForm
from followups.models import (
    ArchivedReport,
    FollowUp,
    GoalAssessment,
    ReportRendering,
    StatusChange,
)
from followups.renderings import run_rendering
from tests.conftest import CASEWORKER, SECRETARY
from tests.factories import (
    ArchivedReportFactory,
    FollowUpFactory,
    GoalFactory,
    ResponsibilityAreaFactory,
    UserFactory,
)
from tests.followups.approval import (
    DECISION,
    approve,
    approve_without_archive,
    download,
    stored_bytes,
)

pytestmark = pytest.mark.django_db

REQUIRED = "Detta fält måste fyllas i."
FUTURE = "Beslutsdatumet kan inte ligga i framtiden."
BAD_DATE = "Ange datumet som 2022-03-07 eller 7 mars 2022."
POSTED_DECISION = {
    "decided_by": "Kommunstyrelsen",
    "decision_date": "2022-03-07",
    "decision_paragraph": "11",
    "registration_number": "KS-2022/177.173",
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    """Each test its own MEDIA_ROOT, so archives never meet."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def submitted(year, caseworker):
    services.submit(year.followup, caseworker)
    year.followup.refresh_from_db()
    return year


def archived_files(media: Path) -> list[str]:
    """The files of the archive (renderings live beside it, under renderings/)."""
    return sorted(str(p.relative_to(media)) for p in (media / "reports").rglob("*.pdf"))


# Registering the decision


def test_secretary_registers_the_decision_and_the_report_is_archived(
    client, secretary, submitted, media, django_capture_on_commit_callbacks
):
    client.force_login(secretary)
    before = timezone.now()

    prepared = client.post(submitted.url("followup-decision"), POSTED_DECISION)
    rendering = ReportRendering.objects.get()
    confirm_url = submitted.url("followup-decision-confirm", rendering.pk)
    waiting = client.get(confirm_url).content.decode()
    run_rendering(rendering.pk)  # what the worker does (the test never commits)
    ready = client.get(confirm_url).content.decode()
    assert FollowUp.objects.get(pk=submitted.followup.pk).status == "submitted"
    response = client.post(confirm_url)

    assert prepared.status_code == 302
    assert prepared["Location"] == confirm_url
    assert "Rapporten väntar på sin tur" in waiting
    assert "Bekräfta beslutet och arkivera rapporten" not in waiting
    assert "Rapporten är klar." in ready
    assert "Bekräfta beslutet och arkivera rapporten" in ready
    assert response.status_code == 302
    assert response["Location"] == submitted.url("followup")
    followup = FollowUp.objects.get(pk=submitted.followup.pk)
    assert (
        followup.status,
        followup.decided_by,
        followup.decision_date,
        followup.decision_paragraph,
        followup.registration_number,
        followup.approved_by,
    ) == (
        "approved",
        "Kommunstyrelsen",
        DECISION["decision_date"],
        "§ 11",
        "KS-2022/177.173",
        secretary,
    )
    assert before <= followup.approved_at <= timezone.now()
    archive = ArchivedReport.objects.get()
    content = stored_bytes(archive.file.name)
    sha256 = hashlib.sha256(content).hexdigest()
    assert (archive.sha256, archive.size, archive.number) == (sha256, len(content), 1)
    assert (archive.followup, archive.approved_by, archive.approved_at) == (
        followup,
        secretary,
        followup.approved_at,
    )
    assert (followup.report_file.name, followup.report_sha256) == (archive.file.name, sha256)
    assert archive.file.name == (
        f"reports/2021/{followup.programme_id}/"
        f"uppfoljning-trygghet-och-sakerhet-2021-v1-{sha256[:12]}.pdf"
    )
    assert archived_files(media) == [archive.file.name]
    assert content.startswith(b"%PDF-")
    change = StatusChange.objects.first()
    assert (change.from_status, change.to_status, change.changed_by, change.comment) == (
        "submitted",
        "approved",
        secretary,
        "Kommunstyrelsen 2022-03-07 § 11",
    )
    page = client.get(submitted.url("followup")).content.decode()
    assert "Beslutet är registrerat och rapporten för 2021 arkiverad (version 1)." in page
    # Exactly the document the secretary read was archived.
    rendering.refresh_from_db()
    assert content == stored_bytes(rendering.file)
    assert sha256 in page


@pytest.mark.parametrize(
    ("posted", "field", "message"),
    [
        ({"decision_date": "2999-12-31"}, "decision_date", FUTURE),
        (
            {"decision_paragraph": "paragraf elva"},
            "decision_paragraph",
            "Skriv paragrafen som i protokollet, till exempel § 11.",
        ),
        ({"decided_by": ""}, "decided_by", REQUIRED),
        ({"decision_date": ""}, "decision_date", REQUIRED),
        ({"decision_paragraph": ""}, "decision_paragraph", REQUIRED),
        ({"registration_number": "  "}, "registration_number", REQUIRED),
        ({"decision_date": "7 mars"}, "decision_date", BAD_DATE),
    ],
)
def test_invalid_decision_is_refused_in_swedish_and_changes_nothing(
    client, secretary, submitted, media, posted, field, message
):
    client.force_login(secretary)

    response = client.post(submitted.url("followup-decision"), {**POSTED_DECISION, **posted})

    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    assert message in response.content.decode()
    followup = FollowUp.objects.get(pk=submitted.followup.pk)
    assert (followup.status, followup.decision_date, followup.approved_by) == (
        "submitted",
        None,
        None,
    )
    assert ArchivedReport.objects.count() == 0
    assert not StatusChange.objects.filter(to_status="approved").exists()
    assert archived_files(media) == []


@pytest.mark.parametrize(
    ("written", "stored"),
    [("11", "§ 11"), ("§11", "§ 11"), ("§ 11", "§ 11"), (" § 11 ", "§ 11"), ("§ 7a", "§ 7a")],
)
def test_decision_form_writes_the_paragraph_as_in_the_minutes(year, written, stored):
    form = DecisionForm({**POSTED_DECISION, "decision_paragraph": written}, followup=year.followup)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["decision_paragraph"] == stored


def test_decision_date_may_be_today_but_not_tomorrow(year):
    today = timezone.localdate()

    def errors(day) -> dict:
        data = {**POSTED_DECISION, "decision_date": day.isoformat()}
        return DecisionForm(data, followup=year.followup).errors

    assert errors(today) == {}
    assert errors(today + timedelta(days=1)) == {"decision_date": [FUTURE]}


def test_decision_on_a_draft_is_forbidden(client, secretary, year):
    client.force_login(secretary)

    response = client.post(year.url("followup-decision"), POSTED_DECISION)

    assert response.status_code == 403
    year.followup.refresh_from_db()
    assert (year.followup.status, year.followup.decision_date) == ("draft", None)


def test_second_decision_on_an_approved_year_is_forbidden(client, secretary, year):
    approve_without_archive(year.followup)
    client.force_login(secretary)

    response = client.post(
        year.url("followup-decision"), {**POSTED_DECISION, "registration_number": "KS-2099/1"}
    )

    assert response.status_code == 403
    assert ArchivedReport.objects.count() == 0
    year.followup.refresh_from_db()
    assert year.followup.registration_number == ""


def test_caseworker_cannot_register_the_decision(client, caseworker, submitted):
    client.force_login(caseworker)

    response = client.post(submitted.url("followup-decision"), POSTED_DECISION)

    assert response.status_code == 403
    submitted.followup.refresh_from_db()
    assert submitted.followup.status == "submitted"


def test_reader_does_not_find_the_decision_page_of_a_submitted_year(client, reader, submitted):
    client.force_login(reader)

    response = client.post(submitted.url("followup-decision"), POSTED_DECISION)

    assert response.status_code == 404
    submitted.followup.refresh_from_db()
    assert submitted.followup.status == "submitted"


# Reopening


def test_administrator_reopens_with_a_reason_and_the_archive_stays(
    client, administrator, secretary, year, media, django_capture_on_commit_callbacks
):
    archive = approve(year.followup, secretary, django_capture_on_commit_callbacks)
    archived = stored_bytes(archive.file.name)
    client.force_login(administrator)

    response = client.post(year.url("followup-reopen"), {"reason": "Fel värde för nyckeltal 1."})

    assert response.status_code == 302
    followup = FollowUp.objects.get(pk=year.followup.pk)
    assert (followup.status, followup.report_file.name, followup.approved_by) == ("draft", "", None)
    change = StatusChange.objects.first()
    assert (change.from_status, change.to_status, change.changed_by, change.comment) == (
        "approved",
        "draft",
        administrator,
        "Fel värde för nyckeltal 1.",
    )
    assert list(ArchivedReport.objects.all()) == [archive]
    assert stored_bytes(archive.file.name) == archived
    assert archived_files(media) == [archive.file.name]
    page = client.get(year.url("followup")).content.decode()
    assert "Uppföljningen för 2021 har återöppnats; dess arkiverade rapporter finns kvar." in page
    assert archive.sha256 in page


@pytest.mark.parametrize("reason", ["", "   "])
def test_reopening_without_a_reason_is_refused(client, administrator, year, reason):
    approve_without_archive(year.followup)
    client.force_login(administrator)

    response = client.post(year.url("followup-reopen"), {"reason": reason})

    assert response.status_code == 200
    assert response.context["form"].errors == {"reason": [REQUIRED]}
    assert REQUIRED in response.content.decode()
    year.followup.refresh_from_db()
    assert year.followup.status == "approved"
    assert not StatusChange.objects.exists()


def test_reopen_service_refuses_a_blank_reason_in_swedish(administrator, year):
    approve_without_archive(year.followup)

    with pytest.raises(ValidationError) as error:
        services.reopen(year.followup, administrator, "  ")

    assert error.value.message_dict == {"reason": ["Skriv varför uppföljningen återöppnas."]}


@pytest.mark.parametrize("role", [SECRETARY, CASEWORKER])
def test_only_an_administrator_can_reopen(client, user_in_group, year, role):
    approve_without_archive(year.followup)
    client.force_login(user_in_group(role))

    response = client.post(year.url("followup-reopen"), {"reason": "Vill ändra."})

    assert response.status_code == 403
    year.followup.refresh_from_db()
    assert year.followup.status == "approved"


def test_reopening_a_draft_is_forbidden(client, administrator, year):
    client.force_login(administrator)

    assert client.post(year.url("followup-reopen"), {"reason": "Varför?"}).status_code == 403


def test_second_approval_is_version_2_beside_version_1(
    client, administrator, secretary, year, media, django_capture_on_commit_callbacks
):
    first = approve(year.followup, secretary, django_capture_on_commit_callbacks)
    first_bytes = stored_bytes(first.file.name)
    services.reopen(year.followup, administrator, "Analysen av 1.1 saknades.")
    GoalAssessment.objects.create(followup=year.followup, goal=year.goal11, analysis="Tillagd.")

    second = approve(year.followup, secretary, django_capture_on_commit_callbacks)

    assert [a.number for a in ArchivedReport.objects.all()] == [2, 1]
    assert first.file.name != second.file.name
    assert second.file.name.endswith(f"-2021-v2-{second.sha256[:12]}.pdf")
    assert archived_files(media) == sorted([first.file.name, second.file.name])
    assert stored_bytes(first.file.name) == first_bytes
    assert hashlib.sha256(first_bytes).hexdigest() == first.sha256 != second.sha256
    assert year.followup.report_file.name == second.file.name
    client.force_login(administrator)
    assert download(client, year) == stored_bytes(second.file.name)


def test_followup_page_lists_archived_versions(client, reader, year):
    approve_without_archive(year.followup)
    approver = UserFactory(first_name="Sara", last_name="Sekreterare")
    ArchivedReportFactory(
        followup=year.followup,
        number=1,
        approved_by=approver,
        approved_at=datetime(2022, 3, 7, 10, 0, tzinfo=UTC),
        sha256="ab" * 32,
    )
    client.force_login(reader)

    html = client.get(year.url("followup")).content.decode()

    assert "Arkiverade rapporter" in html
    # The decision first, then when and by whom it was registered.
    assert (
        "<tr><td>1</td><td>Kommunstyrelsen 2022-03-07 § 11, KS-2022/177.173</td>"
        "<td>2022-03-07 11:00</td><td>Sara Sekreterare</td>"
        f'<td><code class="text-break">{"ab" * 32}</code></td>'
        f'<td><a href="{year.url("archived-report", 1)}">Ladda ner version 1 (PDF)</a></td></tr>'
    ) in html
    assert '<th scope="col">Beslut registrerat</th><th scope="col">Registrerat av</th>' in html


# Two secretaries at once


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite has no row locks to race on; CI runs this on PostgreSQL.",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_approvals_make_one_approval_and_one_file(media):
    area = ResponsibilityAreaFactory(number=1, name="Trygghet")
    GoalFactory(area=area, code="1.1")
    followup = FollowUpFactory(programme=area.programme, status=FollowUp.Status.SUBMITTED)
    secretaries = [UserFactory(), UserFactory()]
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def approve_now(user) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes[user.username] = decisions.register_decision(followup, user, **DECISION)
        except Exception as error:
            outcomes[user.username] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=approve_now, args=[user]) for user in secretaries]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    approved = [o for o in outcomes.values() if isinstance(o, ArchivedReport)]
    refused = [o.messages for o in outcomes.values() if isinstance(o, ValidationError)]
    assert (len(outcomes), len(approved)) == (2, 1), outcomes
    assert refused == [
        ["Uppföljningen har inte längre status inlämnad utan godkänd. Ingenting ändrades."]
    ]
    archive = ArchivedReport.objects.get()
    assert archive == approved[0]
    followup.refresh_from_db()
    assert followup.approved_by == archive.approved_by
    assert followup.report_file.name == archive.file.name
    assert StatusChange.objects.filter(to_status="approved").count() == 1
    assert archived_files(media) == [archive.file.name]
    assert hashlib.sha256(stored_bytes(archive.file.name)).hexdigest() == archive.sha256
