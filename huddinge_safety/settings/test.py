"""The test suite: a fast password hasher, files in a temporary folder.

The database is the base setting's: SQLite unless ``DATABASE_URL`` is set,
which is how ``.ci/run`` runs the suite on PostgreSQL.
"""

import os
import tempfile

from .base import *  # noqa: F403

SECRET_KEY = "test-only-insecure-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# TEST_MEDIA_ROOT: a folder shared with a worker process (bench/worker.py).
MEDIA_ROOT = os.environ.get("TEST_MEDIA_ROOT") or tempfile.mkdtemp(prefix="huddinge-test-media-")

# Serve static files from the apps' folders, as in development (nothing is
# collected for tests; browser tests load Bootstrap through whitenoise).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# A failed rendering is tried again at once, so a test's worker sees all
# attempts without waiting.
REPORT_RETRY_DELAYS = (0, 0)
