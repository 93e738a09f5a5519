"""Approving a year in tests: through the services, with the archive file
written as the commit would write it, or (where the archive does not matter)
by setting the status directly; and reading the archive back."""

from datetime import date
from decimal import Decimal

from django.core.files.storage import default_storage
from django.urls import resolve
from django.utils import timezone

from followups import decisions, services
from followups.models import (
    Activity,
    ArchivedReport,
    AreaSummary,
    FollowUp,
    GoalAssessment,
    GuidelineFollowUp,
)
from followups.renderings import run_rendering
from programmes.models import IndicatorValue
from tests.factories import (
    AreaSummaryFactory,
    GoalAssessmentFactory,
    GuidelineFollowUpFactory,
    IndicatorValueFactory,
)

# The download's name, whatever the programme (followups.report.render.report_filename).
FILENAME = "uppfoljning-trygghet-och-sakerhet-2021.pdf"
LOCKED = "Uppföljningen för året är godkänd. Ingenting i den kan ändras."

DECISION = {
    "decided_by": "Kommunstyrelsen",
    "decision_date": date(2022, 3, 7),
    "decision_paragraph": "§ 11",
    "registration_number": "KS-2022/177.173",
}


def approve(followup: FollowUp, user, capture_on_commit) -> ArchivedReport:
    """Submits a draft and registers the board's decision (one PDF render).

    ``capture_on_commit`` is pytest-django's
    ``django_capture_on_commit_callbacks``: the test's transaction never
    commits, so the archive file is written when the block ends.
    """
    followup.refresh_from_db()
    if followup.status == FollowUp.Status.DRAFT:
        services.submit(followup, user)
    with capture_on_commit(execute=True):
        archive = decisions.register_decision(followup, user, **DECISION)
    followup.refresh_from_db()
    return archive


def set_status(followup: FollowUp, status: str, **fields) -> None:
    """Puts the year in a status directly, past the models' guards (the base
    manager's plain update): test setup where the cycle does not matter."""
    FollowUp._base_manager.filter(pk=followup.pk).update(status=status, **fields)
    followup.refresh_from_db()


def approve_without_archive(followup: FollowUp) -> None:
    """Marks the year approved without rendering: for tests of the lock."""
    set_status(
        followup,
        FollowUp.Status.APPROVED,
        decision_date=DECISION["decision_date"],
        approved_at=timezone.now(),
    )


def fill_and_approve(year) -> None:
    """Gives the ``year`` fixture's 2021 a text of every kind and an indicator
    value, then approves it without rendering."""
    GoalAssessmentFactory(followup=year.followup, goal=year.goal11, rating="high", analysis="A.")
    AreaSummaryFactory(followup=year.followup, area=year.area1, text="Områdets år.")
    GuidelineFollowUpFactory(followup=year.followup, guideline=year.guideline, text="Följd.")
    IndicatorValueFactory(indicator=year.indicator, year=2021, value=Decimal(70))
    approve_without_archive(year.followup)


def year_state(followup: FollowUp) -> dict:
    """Everything of the year that a change could touch."""
    activities = Activity.objects.filter(followup=followup)
    return {
        "followup": FollowUp.objects.filter(pk=followup.pk).values().get(),
        "activities": list(activities.values()),
        "goals": sorted(activities.values_list("pk", "goals")),
        "partners": sorted(activities.values_list("pk", "partners")),
        "districts": sorted(activities.values_list("pk", "districts")),
        "assessments": list(GoalAssessment.objects.filter(followup=followup).values()),
        "summaries": list(AreaSummary.objects.filter(followup=followup).values()),
        "guidelines": list(GuidelineFollowUp.objects.filter(followup=followup).values()),
        "values": list(IndicatorValue.objects.filter(year=followup.year).values()),
    }


def stored_bytes(name: str) -> bytes:
    with default_storage.open(name, "rb") as stored:
        return stored.read()


def get_pdf(client, url: str):
    """GETs a report download. A draft not rendered yet answers with the
    page that waits for its rendering: the rendering job runs here (its body,
    as the worker runs it; the test's transaction never commits, so no
    worker would see it) and the download is asked for again."""
    response = client.get(url)
    if response.status_code == 302 and "/report.pdf/" in response["Location"]:
        rendering = resolve(response["Location"]).kwargs["rendering"]
        run_rendering(rendering)
        response = client.get(url)
    return response


def content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def download(client, year) -> bytes:
    """The report download's bytes, after checking that it is a PDF
    attachment with the report's file name."""
    response = get_pdf(client, year.url("report-pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{FILENAME}"'
    return content(response)
