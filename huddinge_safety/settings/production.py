"""Production: every secret and host from the environment, nothing assumed.

Required: ``SECRET_KEY``, ``ALLOWED_HOSTS``, ``DATABASE_URL``. Hardening of
cookies, headers and login throttling is tracked separately (issue 5).
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

for _name in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"):
    if not os.environ.get(_name):
        raise ImproperlyConfigured(f"The environment variable {_name} must be set in production.")

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
