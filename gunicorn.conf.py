"""gunicorn's settings for this app; gunicorn reads this file from the
working directory (`make serve`, bench/load.py, and production started from
the project folder). Command-line options override it."""

import multiprocessing
import os

# Sync workers, two per core and one more (gunicorn's rule of thumb);
# WEB_CONCURRENCY overrides. The PDF of a draft is rendered in the request
# (seconds for a large year), hence the longer timeout than the default 30 s.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
timeout = 60
accesslog = "-"


def post_worker_init(worker) -> None:
    """Loads matplotlib and its fonts before the worker takes requests, so
    the first report preview a worker serves is not half a second slower."""
    from followups.report.charts import warm_up

    warm_up()
