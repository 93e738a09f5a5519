"""The audit log: who did what, when, to which follow-up.

Events are written once and never changed or deleted, by any code path the
ORM offers: ``save()`` of an existing event, ``delete()``, and a queryset's
``update()`` / ``delete()`` all raise. Together with the model history
(django-simple-history) this answers "who did what, when" for a follow-up.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

IMMUTABLE_MESSAGE = _("The audit log cannot be changed or deleted.")


class ImmutableError(Exception):
    """An attempt to change or delete an audit event."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableError(str(IMMUTABLE_MESSAGE))

    def delete(self):
        raise ImmutableError(str(IMMUTABLE_MESSAGE))


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        LOGIN = "login", _("Logged in")
        LOGIN_FAILED = "login_failed", _("Failed login")
        LOCKED_OUT = "locked_out", _("Locked out after failed logins")
        LOGOUT = "logout", _("Logged out")
        REPORT_PREVIEW = "report_preview", _("Read the report in the browser")
        REPORT_DOWNLOAD = "report_download", _("Downloaded the report (PDF)")
        REPORT_RENDER = "report_render", _("Asked for the report to be prepared (PDF)")
        REPORT_INTEGRITY = "report_integrity", _("Archived report failed its checksum")
        SUBMIT = "submit", _("Submitted for decision")
        RETURN = "return", _("Returned to draft")
        APPROVE = "approve", _("Registered the decision (approved)")
        REOPEN = "reopen", _("Reopened an approved year")
        IMPORT = "import", _("Imported activities from a workbook")

    time = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    action = models.CharField(_("event"), max_length=20, choices=Action.choices)
    # PROTECT: a person who appears in the log cannot be deleted; deactivate
    # or anonymise them instead (manage.py anonymise_user).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
    )
    attempted_username = models.CharField(
        _("username tried"),
        max_length=150,
        blank=True,
        help_text=_("For a failed login with a username that has no account."),
    )
    followup = models.ForeignKey(
        "followups.FollowUp",
        verbose_name=_("follow-up"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-time", "-pk"]
        # No change or delete permission exists to be granted.
        default_permissions = ("view",)
        indexes = [
            models.Index(fields=["action", "-time"], name="audit_event_action_time"),
            models.Index(fields=["followup", "-time"], name="audit_event_followup_time"),
            models.Index(fields=["user", "-time"], name="audit_event_user_time"),
        ]

    def __str__(self) -> str:
        who = self.user or self.attempted_username or "–"
        return f"{timezone.localtime(self.time):%Y-%m-%d %H:%M} {who}: {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableError(str(IMMUTABLE_MESSAGE))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError(str(IMMUTABLE_MESSAGE))
