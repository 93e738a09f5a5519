"""The address a request comes from, as far as it can be trusted."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or, behind ``TRUSTED_PROXY_COUNT`` reverse proxies, the
    address the outermost of them saw in X-Forwarded-For.

    Each proxy appends the address it received the request from, so with N
    trusted proxies the client is the N-th entry from the right; anything
    further left was written by the client and is not believed.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None
