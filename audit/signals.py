"""Logins, failed logins, lockouts and logouts go into the audit log."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .models import AuditEvent
from .services import record, user_for_username


@receiver(user_logged_in, dispatch_uid="audit_login")
def log_login(sender, request, user, **kwargs) -> None:
    record(AuditEvent.Action.LOGIN, user=user, request=request)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def log_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        record(AuditEvent.Action.LOGOUT, user=user, request=request)


def _who(username: str) -> dict:
    """The account if the username has one, else the text that was typed."""
    user = user_for_username(username) if username else None
    return {"user": user} if user else {"attempted_username": username}


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def log_login_failed(sender, credentials, request=None, **kwargs) -> None:
    # Django has already masked the password in ``credentials``.
    record(
        AuditEvent.Action.LOGIN_FAILED,
        request=request,
        **_who(str(credentials.get("username", ""))),
    )


@receiver(user_locked_out, dispatch_uid="audit_locked_out")
def log_locked_out(sender, request, username, ip_address, **kwargs) -> None:
    record(AuditEvent.Action.LOCKED_OUT, request=request, **_who(username or ""))
