"""gunicorn's settings for this app; gunicorn reads this file from the
working directory (`make serve`, bench/load.py, and production started from
the project folder). Command-line options override it."""

import multiprocessing
import os

# Sync workers, two per core and one more (gunicorn's rule of thumb);
# WEB_CONCURRENCY overrides. No request renders a PDF (a background worker
# does); the timeout stays above the default 30 s for imports of a year.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
timeout = 60
accesslog = "-"
