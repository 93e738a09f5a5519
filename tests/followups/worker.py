"""The real background worker, run in the test's process until the queue is
empty: ``db_worker`` for the database backend, an RQ worker for Redis
(``.ci/run`` runs the task tests on both; TASKS_REDIS_URL chooses)."""

import io

from django.conf import settings
from django.core.management import call_command

RQ_BACKEND = "django_tasks_rq.RQBackend"


def uses_redis() -> bool:
    return settings.TASKS["default"]["BACKEND"] == RQ_BACKEND


def run_worker() -> None:
    """Runs every queued job (and the retries they enqueue), then returns."""
    if uses_redis():
        call_command(
            "rqworker",
            "default",
            burst=True,
            job_class="django_tasks_rq.Job",
            worker_class="rq.worker.SimpleWorker",
            verbosity=0,
        )
    else:
        call_command(
            "db_worker",
            batch=True,
            startup_delay=False,
            reload=False,
            interval=0.01,
            verbosity=0,
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )


def queued_jobs() -> int:
    """How many jobs the backend holds that have not run yet."""
    if uses_redis():
        import django_rq

        return django_rq.get_queue("default").count
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status="READY").count()


def empty_queue() -> None:
    """Removes every job, run or not."""
    if not uses_redis():
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.all().delete()
        return
    if uses_redis():
        import django_rq

        queue = django_rq.get_queue("default")
        queue.empty()
        for registry in (queue.failed_job_registry, queue.finished_job_registry):
            for job_id in registry.get_job_ids():
                registry.remove(job_id, delete_job=True)
