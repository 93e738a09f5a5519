"""The year's records and guards: status changes, archived reports, and the
signal handlers that keep a submitted or approved year exactly as it was
submitted: its content changes only while it is a draft, checked under a lock
of the follow-up's row in the writing transaction."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import m2m_changed, pre_delete, pre_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programmes.models import District, Goal, IndicatorValue, Partner, locked_in_transaction

from .activity import Activity
from .year import (
    APPROVED_MESSAGE,
    SUBMITTED_MESSAGE,
    AreaSummary,
    FollowUp,
    GoalAssessment,
    GuidelineFollowUp,
)


class StatusChange(models.Model):
    """One step of a follow-up through the yearly cycle, kept for the record:
    who moved it from which status to which, when, and why."""

    followup = models.ForeignKey(
        FollowUp,
        on_delete=models.PROTECT,
        related_name="status_changes",
        verbose_name=_("follow-up"),
    )
    from_status = models.CharField(_("from status"), max_length=10, choices=FollowUp.Status.choices)
    to_status = models.CharField(_("to status"), max_length=10, choices=FollowUp.Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.followup}: {self.get_from_status_display()} → {self.get_to_status_display()}"


ARCHIVE_UNCHANGEABLE_MESSAGE = _(
    "An archived report is a public record: it can be neither changed nor deleted."
)


class ArchivedReportQuerySet(models.QuerySet):
    """Archived reports are only ever created: bulk updates and deletes are
    refused like those of a single row."""

    def update(self, **kwargs):
        raise ValidationError(ARCHIVE_UNCHANGEABLE_MESSAGE, code="archived")

    def delete(self):
        raise ValidationError(ARCHIVE_UNCHANGEABLE_MESSAGE, code="archived")


class ArchivedReport(models.Model):
    """One approved version of a year's report, kept unchanged for ever.

    The file is written before the approval commits; a reopened and again
    approved year gets a new version beside the old one. The row can be
    created, never changed or deleted (in code too: ``save()`` of a stored
    row, ``delete()`` and the queryset's ``update()``/``delete()`` raise).
    """

    followup = models.ForeignKey(
        FollowUp,
        on_delete=models.PROTECT,
        related_name="archived_reports",
        verbose_name=_("follow-up"),
    )
    number = models.PositiveSmallIntegerField(_("version"))
    file = models.FileField(_("file"), max_length=255)
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"))
    decided_by = models.CharField(_("decided by"), max_length=100)
    decision_date = models.DateField(_("decision date"))
    decision_paragraph = models.CharField(_("paragraph"), max_length=20)
    registration_number = models.CharField(_("registration number"), max_length=50)

    objects = ArchivedReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("archived report")
        verbose_name_plural = _("archived reports")
        ordering = ["followup_id", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["followup", "number"], name="followups_archivedreport_unique_number"
            ),
            models.UniqueConstraint(fields=["file"], name="followups_archivedreport_unique_file"),
        ]

    def __str__(self) -> str:
        return f"{self.followup} v{self.number}"

    def save(self, *args, **kwargs) -> None:
        """Creates the row; refuses to change a stored one (one query when
        the row has a primary key)."""
        if self.pk is not None and type(self).objects.filter(pk=self.pk).exists():
            raise ValidationError(ARCHIVE_UNCHANGEABLE_MESSAGE, code="archived")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(ARCHIVE_UNCHANGEABLE_MESSAGE, code="archived")


CLOSED_MESSAGES = {
    FollowUp.Status.APPROVED: (APPROVED_MESSAGE, "approved"),
    FollowUp.Status.SUBMITTED: (SUBMITTED_MESSAGE, "submitted"),
}


def _refuse_closed(status: str | None) -> None:
    if status in CLOSED_MESSAGES:
        message, code = CLOSED_MESSAGES[status]
        raise ValidationError(message, code=code)


def ensure_draft(followup_id: int | None) -> None:
    """Raises ValidationError unless the follow-up is a draft (one query,
    locking its row inside a transaction)."""
    if followup_id is None:
        return
    # Locked, so a submission cannot commit between this check and the
    # write: it waits for the write, or the write waits for it and sees it.
    rows = locked_in_transaction(FollowUp.objects.filter(pk=followup_id), of=("self",))
    _refuse_closed(rows.values_list("status", flat=True).first())


def ensure_not_approved(followup_id: int | None) -> None:
    """Raises ValidationError when the follow-up is approved (one query)."""
    if (
        followup_id is not None
        and FollowUp.objects.filter(pk=followup_id, status=FollowUp.Status.APPROVED).exists()
    ):
        raise ValidationError(APPROVED_MESSAGE, code="approved")


YEAR_CONTENT = (Activity, GoalAssessment, AreaSummary, GuidelineFollowUp)


def value_in_approved_year(indicator_id: int | None, year: int | None) -> bool:
    """Whether an indicator's value for the year belongs to an approved
    follow-up of the indicator's programme (one query)."""
    return (
        indicator_id is not None
        and FollowUp.objects.filter(
            programme__areas__indicators=indicator_id,
            year=year,
            status=FollowUp.Status.APPROVED,
        ).exists()
    )


def value_in_closed_year(indicator_id: int | None, year: int | None) -> bool:
    """Whether an indicator's value for the year belongs to a submitted or
    approved follow-up of the indicator's programme (one query)."""
    return (
        indicator_id is not None
        and FollowUp.objects.filter(programme__areas__indicators=indicator_id, year=year)
        .exclude(status=FollowUp.Status.DRAFT)
        .exists()
    )


def ensure_value_in_draft_year(indicator_id: int | None, year: int | None) -> None:
    """Raises ValidationError when the indicator's value for the year belongs
    to a submitted or approved follow-up (one query, locking that follow-up's
    row inside a transaction)."""
    if indicator_id is None:
        return
    rows = locked_in_transaction(
        FollowUp.objects.filter(programme__areas__indicators=indicator_id, year=year),
        of=("self",),
    )
    for status in rows.values_list("status", flat=True):
        _refuse_closed(status)


@receiver(pre_save)
@receiver(pre_delete)
def _refuse_changes_to_approved_years(sender, instance, **kwargs) -> None:
    """Whatever writes (page, admin, shell), an approved year stays as
    approved: neither the row's new state nor its stored state may belong to
    an approved year (so nothing is moved out of one either)."""
    if sender in YEAR_CONTENT:
        ensure_draft(instance.followup_id)
        if instance.pk is not None:
            stored = sender.objects.filter(pk=instance.pk).values_list("followup_id", flat=True)
            stored_followup = stored.first()
            if stored_followup not in (None, instance.followup_id):
                ensure_draft(stored_followup)
    elif sender is IndicatorValue:
        states = {(instance.indicator_id, instance.year)}
        if instance.pk is not None:
            states.update(
                IndicatorValue.objects.filter(pk=instance.pk).values_list("indicator_id", "year")
            )
        for state in sorted(states, key=repr):
            ensure_value_in_draft_year(*state)
    elif sender in (Goal, Partner, District) and kwargs["signal"] is pre_delete:
        # Deleting a linked entry removes its link rows without m2m signals.
        # (Renaming one is allowed: the archived PDF keeps the old name.)
        related = {Goal: "goals", Partner: "partners", District: "districts"}[sender]
        for status in (
            Activity.objects.filter(**{related: instance.pk})
            .exclude(followup__status=FollowUp.Status.DRAFT)
            .values_list("followup__status", flat=True)
            .distinct()
        ):
            _refuse_closed(status)


@receiver(m2m_changed, sender=Activity.goals.through)
@receiver(m2m_changed, sender=Activity.partners.through)
@receiver(m2m_changed, sender=Activity.districts.through)
def _refuse_link_changes_in_approved_years(
    sender, instance, action, reverse, pk_set, **kwargs
) -> None:
    if not action.startswith("pre_"):
        return
    if not reverse:
        ensure_draft(instance.followup_id)
        return
    # From the other side (goal.activities.add(...)): the activities named,
    # or for a clear every activity linked to the entry.
    activities = (
        Activity.objects.filter(pk__in=pk_set)
        if pk_set
        else instance.activities.all()
        if action == "pre_clear"
        else Activity.objects.none()
    )
    for status in (
        activities.exclude(followup__status=FollowUp.Status.DRAFT)
        .values_list("followup__status", flat=True)
        .distinct()
    ):
        _refuse_closed(status)
