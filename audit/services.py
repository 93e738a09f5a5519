"""Writing to the audit log."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from .client import client_ip
from .models import AuditEvent


def _max_length(field: str) -> int:
    return AuditEvent._meta.get_field(field).max_length


def record(
    action: str,
    *,
    user=None,
    followup=None,
    request: HttpRequest | None = None,
    attempted_username: str = "",
    detail: str = "",
) -> AuditEvent:
    """Adds one event to the audit log (one INSERT).

    ``user`` is taken from ``request`` when not given; an anonymous user is
    stored as none. Called inside a service's transaction, the event is kept
    only if the service's change is.
    """
    if user is None and request is not None:
        user = getattr(request, "user", None)
    if user is not None and not user.is_authenticated:
        user = None
    return AuditEvent.objects.create(
        action=action,
        user=user,
        followup=followup,
        ip_address=client_ip(request) if request is not None else None,
        attempted_username=attempted_username[: _max_length("attempted_username")],
        detail=detail[: _max_length("detail")],
    )


def user_for_username(username: str):
    """The account with this username, or None (one query)."""
    model = get_user_model()
    return model._default_manager.filter(**{model.USERNAME_FIELD: username}).first()


@transaction.atomic
def anonymise_user(user) -> None:
    """Removes a person's personal data while keeping the record of what
    they did (public records must stay; the person need not be named).

    Side effects: the user's username becomes ``borttagen-<id>``; first name,
    last name and e-mail are emptied; the password is made unusable; the
    account is deactivated and leaves its groups and staff status; its
    sessions and login-lockout entries are deleted. Audit events, status
    changes and model history keep pointing at the (now anonymous) account.
    """
    from axes.models import AccessAttempt, AccessFailureLog
    from django.contrib.sessions.models import Session

    old_username = user.get_username()
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
    AccessAttempt.objects.filter(username=old_username).delete()
    AccessFailureLog.objects.filter(username=old_username).delete()
    setattr(user, user.USERNAME_FIELD, f"borttagen-{user.pk}")
    user.first_name = ""
    user.last_name = ""
    user.email = ""
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
