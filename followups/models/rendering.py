"""A rendering of the annual report, done by a background job and kept under
the fingerprint of everything that reached it, so the same content is never
rendered twice."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .year import FollowUp

# A job is tried this many times before the rendering is marked failed.
MAX_ATTEMPTS = 3


class ReportRendering(models.Model):
    """One PDF of a year's report: a draft for reading, or the final document
    with the decision's fields that the secretary confirms and the archive
    then keeps. The file lives under ``renderings/``; the archive copies it
    under ``reports/`` on confirmation, so removing renderings never touches
    an archived report."""

    class Kind(models.TextChoices):
        DRAFT = "draft", _("Draft")
        DECISION = "decision", _("For decision")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for its turn")
        RUNNING = "running", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    followup = models.ForeignKey(
        FollowUp,
        on_delete=models.CASCADE,
        related_name="renderings",
        verbose_name=_("follow-up"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.DRAFT)
    fingerprint = models.CharField(_("fingerprint"), max_length=64, unique=True)
    # The year's version when asked for: a decision is confirmed only while
    # the year is the one that was rendered.
    followup_version = models.PositiveIntegerField(_("version of the follow-up"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    task_id = models.CharField(_("job"), max_length=64, blank=True)
    file = models.CharField(_("file"), max_length=255, blank=True)
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), null=True, blank=True)
    pages = models.PositiveSmallIntegerField(_("pages"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The decision's fields, for a rendering of kind "decision".
    decided_by = models.CharField(_("decided by"), max_length=100, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_paragraph = models.CharField(_("paragraph"), max_length=20, blank=True)
    registration_number = models.CharField(_("registration number"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("report rendering")
        verbose_name_plural = _("report renderings")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="ready") | ~models.Q(file=""),
                name="followups_reportrendering_ready_has_file",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="draft") | models.Q(decision_date__isnull=False),
                name="followups_reportrendering_decision_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.followup} {self.get_kind_display()} {self.fingerprint[:12]}"

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    def decision_fields(self) -> dict:
        return {
            "decided_by": self.decided_by,
            "decision_date": self.decision_date,
            "decision_paragraph": self.decision_paragraph,
            "registration_number": self.registration_number,
        }
