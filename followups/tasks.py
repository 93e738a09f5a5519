"""The follow-up's background jobs, run by a worker (``manage.py db_worker``
or, with Redis, ``manage.py rqworker --job-class django_tasks_rq.Job``)."""

from django_tasks import task


@task()
def render_report(rendering_id: int) -> str:
    """Renders one report rendering; returns its status."""
    from .renderings import run_rendering

    rendering = run_rendering(rendering_id)
    return rendering.status if rendering else "skipped"
