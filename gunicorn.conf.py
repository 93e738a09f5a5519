"""gunicorn's settings for this app; gunicorn reads this file from the
working directory (`make serve`, bench/load.py, and production started from
the project folder). Command-line options override it."""

# Each worker loads matplotlib and its fonts before it takes requests, so the
# first report preview a worker serves is not half a second slower.


def post_worker_init(worker) -> None:
    from followups.report.charts import warm_up

    warm_up()
