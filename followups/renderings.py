"""Rendering the report off the request path: asking for a rendering (one
per fingerprint, whoever asks), running it in a background job with bounded
retries, and removing old rendering files (never an archived report).

Requests ask and read; only the job (``followups.tasks.render_report``)
renders. See docs/decisions.md, issue 9.
"""

import copy
import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import record

from .models import FollowUp, ReportRendering
from .models.rendering import MAX_ATTEMPTS
from .report.fingerprint import report_fingerprint

logger = logging.getLogger(__name__)

RENDERINGS_DIR = "renderings/"
# A job that has run (or waited) this long is taken for lost (its worker
# stopped) and is started again by the next person who asks.
STALE_RUNNING = timedelta(minutes=10)
STALE_QUEUED = timedelta(minutes=30)
# Renderings older than this are removed by cleanup (the newest of each
# follow-up and kind stays, so an unchanged report is still served at once).
KEEP_FOR = timedelta(days=1)

Kind = ReportRendering.Kind
Status = ReportRendering.Status


def request_rendering(
    followup: FollowUp,
    user,
    kind: str = Kind.DRAFT,
    decision: dict | None = None,
    *,
    fingerprint: str | None = None,
    enqueue: bool = True,
    request=None,
) -> ReportRendering:
    """Starts, or joins, the one rendering of the year's report as it is now.

    Side effects: a ReportRendering (unless one has this fingerprint), its
    job enqueued when the transaction commits, and an audit event. A failed
    or lost rendering of the same content is started again. Two people
    asking at once get the same rendering and one job.
    """
    fingerprint = fingerprint or report_fingerprint(followup, kind, decision)
    with transaction.atomic():
        rendering, created = ReportRendering.objects.get_or_create(
            fingerprint=fingerprint,
            defaults={
                "followup": followup,
                "kind": kind,
                "followup_version": followup.version,
                "requested_by": user,
                **(decision or {}),
            },
        )
        start = created or _restart(rendering)
        if start:
            record(
                AuditEvent.Action.REPORT_RENDER,
                user=user,
                request=request,
                followup=followup,
                detail=f"{rendering.get_kind_display().lower()} {fingerprint[:12]}",
            )
            if enqueue:
                pk = rendering.pk
                transaction.on_commit(lambda: enqueue_rendering(pk))
    if start:
        rendering.refresh_from_db()
    return rendering


def _restart(rendering: ReportRendering) -> bool:
    """Puts a failed or lost rendering back in the queue (a conditional
    update: of two people asking, one restarts it)."""
    now = timezone.now()
    lost = Q(status=Status.FAILED)
    lost |= Q(status=Status.RUNNING, started_at__lt=now - STALE_RUNNING)
    lost |= Q(status=Status.QUEUED, requested_at__lt=now - STALE_QUEUED)
    return bool(
        ReportRendering.objects.filter(lost, pk=rendering.pk).update(
            status=Status.QUEUED, attempts=0, error="", requested_at=now, started_at=None
        )
    )


def enqueue_rendering(pk: int, delay: int = 0) -> None:
    """Hands the rendering to the task backend (database or Redis)."""
    from .tasks import render_report

    task = render_report
    if delay and task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + timedelta(seconds=delay))
    result = task.enqueue(pk)
    ReportRendering.objects.filter(pk=pk).update(task_id=str(result.id))


def document_for(rendering: ReportRendering) -> FollowUp:
    """The follow-up as the rendered document shows it: as it is for a
    draft; for the decision, approved with the decision's fields (in memory,
    nothing is saved)."""
    followup = rendering.followup
    if rendering.kind == Kind.DECISION:
        followup = copy.copy(followup)
        followup.status = FollowUp.Status.APPROVED
        for name, value in rendering.decision_fields().items():
            setattr(followup, name, value)
    return followup


def _file_name(rendering: ReportRendering) -> str:
    followup = rendering.followup
    return (
        f"{RENDERINGS_DIR}{followup.year}/{followup.programme_id}/"
        f"{rendering.kind}-{rendering.fingerprint}.pdf"
    )


def run_rendering(pk: int) -> ReportRendering | None:
    """Renders one queued rendering (the job's body). Returns None when the
    rendering is gone or another worker has it.

    Side effects: the rendering's status, attempts and file; a file under
    ``renderings/``; on failure a new job after a delay, until MAX_ATTEMPTS.
    """
    from .report.render import render_report_pdf

    claimed = ReportRendering.objects.filter(pk=pk, status=Status.QUEUED).update(
        status=Status.RUNNING, attempts=F("attempts") + 1, started_at=timezone.now()
    )
    if not claimed:
        return None
    rendering = ReportRendering.objects.select_related("followup__programme").get(pk=pk)
    try:
        rendered = render_report_pdf(document_for(rendering))
        name = default_storage.save(_file_name(rendering), ContentFile(rendered.pdf))
    except Exception as error:
        logger.exception("Rendering %s failed (attempt %s)", pk, rendering.attempts)
        detail = f"{type(error).__name__}: {error}"[:1000]
        if rendering.attempts < MAX_ATTEMPTS:
            ReportRendering.objects.filter(pk=pk).update(status=Status.QUEUED, error=detail)
            delays = settings.REPORT_RETRY_DELAYS
            enqueue_rendering(pk, delays[min(rendering.attempts, len(delays)) - 1])
        else:
            ReportRendering.objects.filter(pk=pk).update(
                status=Status.FAILED, error=detail, finished_at=timezone.now()
            )
        rendering.refresh_from_db()
        return rendering
    ReportRendering.objects.filter(pk=pk).update(
        status=Status.READY,
        file=name,
        sha256=hashlib.sha256(rendered.pdf).hexdigest(),
        size=len(rendered.pdf),
        pages=rendered.pages,
        error="",
        finished_at=timezone.now(),
    )
    rendering.refresh_from_db()
    cleanup_renderings(followup=rendering.followup)
    return rendering


def cleanup_renderings(
    *, older_than: timedelta = KEEP_FOR, followup: FollowUp | None = None, dry_run: bool = False
) -> list[str]:
    """Removes renderings asked for before ``older_than`` ago, with their
    files, except the newest of each follow-up and kind and any still being
    rendered. Only files under ``renderings/`` are ever removed; archived
    reports live under ``reports/``. Returns the file names removed."""
    cutoff = timezone.now() - older_than
    renderings = ReportRendering.objects.filter(requested_at__lt=cutoff).exclude(
        status__in=(Status.QUEUED, Status.RUNNING)
    )
    if followup is not None:
        renderings = renderings.filter(followup=followup)
    newest = (
        ReportRendering.objects.values("followup_id", "kind")
        .annotate(newest=Max("pk"))
        .values_list("newest", flat=True)
    )
    old = list(renderings.exclude(pk__in=list(newest)))
    if dry_run:
        return [rendering.file for rendering in old if rendering.file]
    return remove_renderings(old)


def remove_renderings(renderings) -> list[str]:
    """Deletes the renderings and their files; only names under
    ``renderings/`` are ever deleted from storage. Returns those names."""
    removed = []
    for rendering in renderings:
        if rendering.file.startswith(RENDERINGS_DIR):
            default_storage.delete(rendering.file)
            removed.append(rendering.file)
        rendering.delete()
    return removed


def failure_message(rendering: ReportRendering) -> str:
    return _(
        "The report could not be prepared (%(attempts)s attempts). Try again in a "
        "while; if it fails again, contact the system administrator and say when "
        "it happened."
    ) % {"attempts": rendering.attempts}
