"""Domain operations on a year's follow-up. Each runs in one transaction and
says what it changes; views call these and never change status themselves."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import record

from .models import Activity, FollowUp, StatusChange


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
    current._cycle_step = True
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
    unit, partners and districts, confidential on the same ground if the
    activity is.
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
        is_confidential=activity.is_confidential,
        confidentiality_ground=activity.confidentiality_ground,
        confidentiality_note=activity.confidentiality_note,
    )
    copy.goals.set(activity.goals.all())
    copy.partners.set(activity.partners.all())
    copy.districts.set(activity.districts.all())
    return copy


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
