"""Domain operations on a year's follow-up. Each runs in one transaction and
says what it changes; views call these and never change status themselves."""

import hashlib
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import record

from .models import Activity, ArchivedReport, FollowUp, StatusChange
from .report.render import render_report_pdf, report_filename


def _locked(followup: FollowUp) -> FollowUp:
    """The follow-up re-read under a row lock, so two simultaneous steps of
    the cycle run one after the other and the second sees the first's result."""
    return FollowUp.objects.select_for_update().select_related("programme").get(pk=followup.pk)


def _wrong_status(current: FollowUp, expected: str) -> ValidationError:
    return ValidationError(
        _("The follow-up is no longer %(expected)s but %(actual)s; nothing was changed.")
        % {
            "expected": FollowUp.Status(expected).label.lower(),
            "actual": current.get_status_display().lower(),
        },
        code="wrong_status",
    )


def _change_status(
    followup: FollowUp, user, expected: str, new: str, comment: str = ""
) -> FollowUp:
    current = _locked(followup)
    if current.status != expected:
        raise _wrong_status(current, expected)
    current.status = new
    current.version += 1
    # The history's reason column is short (simple-history: 100 characters;
    # longer failed on PostgreSQL); the StatusChange keeps the whole comment.
    reason_length = FollowUp.history.model._meta.get_field("history_change_reason").max_length
    current._change_reason = Truncator(comment).chars(reason_length)
    current.save(update_fields=["status", "version"])
    StatusChange.objects.create(
        followup=current, from_status=expected, to_status=new, changed_by=user, comment=comment
    )
    return current


@transaction.atomic
def submit(followup: FollowUp, user) -> FollowUp:
    """Submits a draft for decision (Utkast → Inlämnad).

    Side effects: the follow-up's status and version, a history record, a
    StatusChange and an audit event. From then on staff can change nothing of
    the year.
    """
    current = _change_status(followup, user, FollowUp.Status.DRAFT, FollowUp.Status.SUBMITTED)
    record(AuditEvent.Action.SUBMIT, user=user, followup=current)
    return current


@transaction.atomic
def return_to_draft(followup: FollowUp, user, comment: str) -> FollowUp:
    """Returns a submitted follow-up to draft (Inlämnad → Utkast) with the
    secretary's comment, which the StatusChange keeps.

    Side effects: the follow-up's status and version, a history record, a
    StatusChange and an audit event.
    """
    if not comment.strip():
        raise ValidationError(
            {"comment": _("Write why the follow-up is returned.")}, code="required"
        )
    current = _change_status(
        followup, user, FollowUp.Status.SUBMITTED, FollowUp.Status.DRAFT, comment.strip()
    )
    record(AuditEvent.Action.RETURN, user=user, followup=current)
    return current


@transaction.atomic
def continue_next_year(activity: Activity, user) -> Activity:
    """Copies an activity into the next year's follow-up of the same
    programme, linked to the one it continues.

    Side effects: creates the next year's follow-up as a draft if the
    programme covers that year and it does not exist yet; creates the new
    activity (status Planerad, no result or cost) with the same area, goals,
    unit, partners and districts.
    """
    followup = activity.followup
    programme = followup.programme
    year = followup.year + 1
    if not programme.covers(year):
        raise ValidationError(
            _("The programme ends in %(last)s; there is no %(year)s follow-up to continue into.")
            % {"last": programme.last_year, "year": year},
            code="outside_programme",
        )
    next_followup, _created = FollowUp.objects.get_or_create(
        programme=programme, year=year, defaults={"scale": followup.scale}
    )
    next_followup = _locked(next_followup)
    if next_followup.status != FollowUp.Status.DRAFT:
        raise ValidationError(
            _("The %(year)s follow-up has been submitted; nothing can be added to it.")
            % {"year": year},
            code="not_draft",
        )
    if activity.continuations.filter(followup=next_followup).exists():
        raise ValidationError(
            _("The activity has already been continued in %(year)s.") % {"year": year},
            code="already_continued",
        )
    copy = Activity.objects.create(
        followup=next_followup,
        area=activity.area,
        title=activity.title,
        description=activity.description,
        responsible_unit=activity.responsible_unit,
        status=Activity.Status.PLANNED,
        continues=activity,
    )
    copy.goals.set(activity.goals.all())
    copy.partners.set(activity.partners.all())
    copy.districts.set(activity.districts.all())
    return copy


def _archive_name(followup: FollowUp, number: int, sha256: str) -> str:
    """A file name that is never reused: year, version and checksum."""
    return (
        f"reports/{followup.year}/{followup.programme_id}/"
        f"{report_filename(followup)[:-4]}-v{number}-{sha256[:12]}.pdf"
    )


@transaction.atomic
def register_decision(
    followup: FollowUp,
    user,
    *,
    decided_by: str,
    decision_date: date,
    decision_paragraph: str,
    registration_number: str,
) -> ArchivedReport:
    """Registers the board's decision on a submitted follow-up and archives
    the report (Inlämnad → Godkänd).

    Side effects, in one transaction: the follow-up's decision fields, status,
    approver and current report; the PDF rendered once; an ArchivedReport with
    its SHA-256; a StatusChange; an audit event. The file is written to storage when the
    transaction commits, under a name no other version uses. Two secretaries
    approving at once: the second finds the year approved and changes nothing.
    """
    # The conditional update claims the year: only one of two simultaneous
    # approvals can move it out of "submitted".
    claimed = FollowUp.objects.filter(pk=followup.pk, status=FollowUp.Status.SUBMITTED).update(
        status=FollowUp.Status.APPROVED,
        decided_by=decided_by,
        decision_date=decision_date,
        decision_paragraph=decision_paragraph,
        registration_number=registration_number,
        approved_by=user,
        approved_at=timezone.now(),
        version=F("version") + 1,
    )
    if not claimed:
        raise _wrong_status(FollowUp.objects.get(pk=followup.pk), FollowUp.Status.SUBMITTED)
    approved = FollowUp.objects.select_related("programme").get(pk=followup.pk)
    rendered = render_report_pdf(approved)
    sha256 = hashlib.sha256(rendered.pdf).hexdigest()
    number = (approved.archived_reports.aggregate(last=Max("number"))["last"] or 0) + 1
    name = _archive_name(approved, number, sha256)
    archive = ArchivedReport.objects.create(
        followup=approved,
        number=number,
        file=name,
        sha256=sha256,
        size=len(rendered.pdf),
        approved_by=user,
        approved_at=approved.approved_at,
        decided_by=decided_by,
        decision_date=decision_date,
        decision_paragraph=decision_paragraph,
        registration_number=registration_number,
    )
    approved.report_file = name
    approved.report_sha256 = sha256
    approved._change_reason = _("Decision registered")
    approved.save(update_fields=["report_file", "report_sha256"])
    StatusChange.objects.create(
        followup=approved,
        from_status=FollowUp.Status.SUBMITTED,
        to_status=FollowUp.Status.APPROVED,
        changed_by=user,
        comment=f"{decided_by} {decision_date.isoformat()} {decision_paragraph}",
    )
    record(
        AuditEvent.Action.APPROVE,
        user=user,
        followup=approved,
        detail=f"{registration_number} v{number} sha256:{sha256}",
    )
    pdf = rendered.pdf
    transaction.on_commit(lambda: _write_archive(name, pdf))
    return archive


def _write_archive(name: str, pdf: bytes) -> None:
    saved = default_storage.save(name, ContentFile(pdf))
    if saved != name:  # pragma: no cover - the name holds version and checksum
        raise RuntimeError(f"Archive {name} already existed; stored as {saved}.")


@transaction.atomic
def reopen(followup: FollowUp, user, reason: str) -> FollowUp:
    """Reopens an approved follow-up for changes (Godkänd → Utkast), with the
    administrator's reason kept in a StatusChange.

    Side effects: the follow-up's status, version and current report (cleared;
    the archived versions stay as they are), a history record, a StatusChange,
    an audit event.
    """
    if not reason.strip():
        raise ValidationError(
            {"reason": _("Write why the follow-up is reopened.")}, code="required"
        )
    current = _change_status(
        followup, user, FollowUp.Status.APPROVED, FollowUp.Status.DRAFT, reason.strip()
    )
    current.report_file = ""
    current.report_sha256 = ""
    current.approved_by = None
    current.approved_at = None
    current.save(update_fields=["report_file", "report_sha256", "approved_by", "approved_at"])
    record(AuditEvent.Action.REOPEN, user=user, followup=current)
    return current
