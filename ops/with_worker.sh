#!/usr/bin/env bash
# Runs a web server command with a background-job worker beside it, as
# `make run` and `make serve` do: the worker renders the report PDFs. Ctrl-C
# (or the web server stopping) stops the worker too.
#
# The database is the queue (manage.py db_worker) unless TASKS_REDIS_URL is
# set; then an RQ worker takes the jobs from Redis. Production runs workers
# as services instead (README, Production).
set -euo pipefail
cd "$(dirname "$0")/.."
python="${PYTHON:-.venv/bin/python}"

if [ -n "${TASKS_REDIS_URL:-}" ]; then
    worker=("$python" manage.py rqworker default --job-class django_tasks_rq.Job --with-scheduler)
else
    worker=("$python" manage.py db_worker --interval 0.5)
fi

"${worker[@]}" &
worker_pid=$!
stop_worker() {
    kill "$worker_pid" 2> /dev/null || true
    wait "$worker_pid" 2> /dev/null || true
}
trap stop_worker EXIT INT TERM
echo "Background worker started (pid $worker_pid)."
"$@"
