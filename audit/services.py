"""Writing to the audit log."""

from django.contrib.auth import get_user_model
from django.http import HttpRequest

from .client import client_ip
from .models import AuditEvent


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
        attempted_username=attempted_username[:150],
        detail=detail[:300],
    )


def user_for_username(username: str):
    """The account with this username, or None (one query)."""
    model = get_user_model()
    return model._default_manager.filter(**{model.USERNAME_FIELD: username}).first()
