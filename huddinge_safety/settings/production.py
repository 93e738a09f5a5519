"""Production: every secret, host and path from the environment, nothing
assumed, and HTTPS throughout.

Required (the process refuses to start without them):

- ``SECRET_KEY``: at least 50 random characters, e.g.
  ``python -c "import secrets; print(secrets.token_urlsafe(50))"``.
- ``ALLOWED_HOSTS``: the host names, comma-separated (``trygghet.huddinge.se``).
- ``CSRF_TRUSTED_ORIGINS``: the same with scheme (``https://trygghet.huddinge.se``).
- ``DATABASE_URL``: ``postgres://user:password@host:5432/name``.
- ``MEDIA_ROOT``: the folder (shared by every instance) for archived reports.

Optional: ``TRUSTED_PROXY_COUNT`` (see base), ``SECURE_SSL_REDIRECT=false``
where something in front already redirects to HTTPS (or on loopback, as
``make serve`` does), ``CONN_MAX_AGE`` (seconds a database connection is
kept; 60 unless set).

The app expects TLS to end at a reverse proxy that sets
``X-Forwarded-Proto: https``; it must overwrite that header, never pass on a
client's.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

REQUIRED = ("SECRET_KEY", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "DATABASE_URL", "MEDIA_ROOT")
_missing = [name for name in REQUIRED if not os.environ.get(name, "").strip()]
if _missing:
    raise ImproperlyConfigured(
        "Production needs the environment variable(s) "
        + ", ".join(_missing)
        + " (see huddinge_safety/settings/production.py and the README)."
    )

CSRF_TRUSTED_ORIGINS = [
    origin.strip() for origin in os.environ["CSRF_TRUSTED_ORIGINS"].split(",") if origin.strip()
]

# Keep database connections for a minute (checked before reuse) instead of
# opening one per request; CONN_MAX_AGE overrides.
if "CONN_MAX_AGE" not in os.environ:
    DATABASES["default"]["CONN_MAX_AGE"] = 60  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

# HTTPS: redirect plain HTTP, tell browsers to use nothing else for a year
# (sub-domains of the app's own host included), send cookies only over HTTPS.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "true").lower() != "false"
# Load balancers probe over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

# HSTS preloading is a promise for the whole registrable domain (huddinge.se),
# made by its owner, not by one application on a sub-domain.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Errors and warnings to standard error, where gunicorn and the service
# manager collect them.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
