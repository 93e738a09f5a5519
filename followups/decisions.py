"""The board's decision on a submitted year: the final document is rendered
first (a background job), the secretary reads it and confirms, and the
confirmation archives exactly those bytes before the approval commits.

A storage that fails makes the confirmation fail and changes nothing; a
transaction that fails after the file was written leaves at most an orphan
file, which ``verify_reports`` lists and ``remove_orphan_reports`` removes.
"""

import hashlib
import time
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import record

from .archive import write_archive
from .models import ArchivedReport, FollowUp, ReportRendering, StatusChange
from .renderings import request_rendering, run_rendering
from .report.render import report_filename
from .services import _locked, _wrong_status


def _archive_name(followup: FollowUp, number: int, sha256: str) -> str:
    """A file name that is never reused: year, version and checksum."""
    return (
        f"reports/{followup.year}/{followup.programme_id}/"
        f"{report_filename(followup)[:-4]}-v{number}-{sha256[:12]}.pdf"
    )


def prepare_decision(
    followup: FollowUp,
    user,
    *,
    decided_by: str,
    decision_date: date,
    decision_paragraph: str,
    registration_number: str,
    enqueue: bool = True,
    request=None,
) -> ReportRendering:
    """Asks for the final document with the decision's fields (a rendering
    of kind "decision"); changes nothing of the year."""
    current = FollowUp.objects.select_related("programme").get(pk=followup.pk)
    if current.status != FollowUp.Status.SUBMITTED:
        raise _wrong_status(current, FollowUp.Status.SUBMITTED)
    decision = {
        "decided_by": decided_by,
        "decision_date": decision_date,
        "decision_paragraph": decision_paragraph,
        "registration_number": registration_number,
    }
    return request_rendering(
        current, user, ReportRendering.Kind.DECISION, decision, enqueue=enqueue, request=request
    )


def _rendered_bytes(rendering: ReportRendering) -> bytes:
    try:
        with default_storage.open(rendering.file, "rb") as stored:
            pdf = stored.read()
    except OSError as error:
        raise ValidationError(
            _("The prepared report can no longer be read; register the decision again."),
            code="rendering_missing",
        ) from error
    if hashlib.sha256(pdf).hexdigest() != rendering.sha256:
        raise ValidationError(
            _(
                "The prepared report has changed since it was rendered; register the "
                "decision again."
            ),
            code="rendering_changed",
        )
    return pdf


@transaction.atomic
def confirm_decision(rendering: ReportRendering, user) -> ArchivedReport:
    """Approves the year with the document the secretary read (Inlämnad →
    Godkänd). Renders nothing.

    In one transaction, under the year's row lock: checks that the year is
    still submitted and unchanged since the rendering was asked for; writes
    the rendered bytes to the archive (temporary name, flushed, linked into
    place) and reads them back against the checksum; then the follow-up's
    decision fields, status, approver and current report, an ArchivedReport,
    a StatusChange, a history record and an audit event. If the storage
    fails nothing is saved; two secretaries confirming at once: the second
    finds the year approved and changes nothing.
    """
    current = _locked(rendering.followup)
    if current.status != FollowUp.Status.SUBMITTED:
        raise _wrong_status(current, FollowUp.Status.SUBMITTED)
    rendering = ReportRendering.objects.get(pk=rendering.pk)
    if rendering.kind != ReportRendering.Kind.DECISION or not rendering.is_ready:
        raise ValidationError(
            _("The report for the decision is not ready yet."), code="rendering_not_ready"
        )
    if rendering.followup_version != current.version:
        raise ValidationError(
            _(
                "The follow-up has changed since the report was prepared; register "
                "the decision again."
            ),
            code="stale_rendering",
        )
    pdf = _rendered_bytes(rendering)
    number = (current.archived_reports.aggregate(last=Max("number"))["last"] or 0) + 1
    name = _archive_name(current, number, rendering.sha256)
    write_archive(name, pdf, rendering.sha256)

    decision = rendering.decision_fields()
    for field, value in decision.items():
        setattr(current, field, value)
    current.status = FollowUp.Status.APPROVED
    current.approved_by = user
    current.approved_at = timezone.now()
    current.report_file = name
    current.report_sha256 = rendering.sha256
    current.version += 1
    current._change_reason = _("Decision registered")
    current._cycle_step = True
    current.save()
    archive = ArchivedReport.objects.create(
        followup=current,
        number=number,
        file=name,
        sha256=rendering.sha256,
        size=len(pdf),
        approved_by=user,
        approved_at=current.approved_at,
        **decision,
    )
    StatusChange.objects.create(
        followup=current,
        from_status=FollowUp.Status.SUBMITTED,
        to_status=FollowUp.Status.APPROVED,
        changed_by=user,
        comment=(
            f"{decision['decided_by']} {decision['decision_date'].isoformat()} "
            f"{decision['decision_paragraph']}"
        ),
    )
    record(
        AuditEvent.Action.APPROVE,
        user=user,
        followup=current,
        detail=f"{decision['registration_number']} v{number} sha256:{rendering.sha256}",
    )
    return archive


def register_decision(
    followup: FollowUp, user, *, wait_seconds: int = 300, **decision
) -> ArchivedReport:
    """The whole decision in-process, for commands and the demo: renders the
    final document here (not in a web request), or waits while another
    process renders the same one, then confirms it."""
    rendering = prepare_decision(followup, user, enqueue=False, **decision)
    deadline = time.monotonic() + wait_seconds
    while rendering.is_pending and time.monotonic() < deadline:
        if rendering.status == ReportRendering.Status.QUEUED:
            run_rendering(rendering.pk)
        else:
            time.sleep(0.2)  # another process is rendering it
        rendering.refresh_from_db()
    if not rendering.is_ready:
        raise ValidationError(
            _("The report could not be rendered: %(error)s") % {"error": rendering.error},
            code="rendering_failed",
        )
    return confirm_decision(rendering, user)
