"""Load test: simulated caseworkers against gunicorn on loopback.

What it does, from nothing to a table of figures:

1. Builds a throw-away installation: a database of its own (with
   ``DATABASE_URL`` set, a ``huddinge_load_<pid>`` database on that server,
   created and dropped here; otherwise a SQLite file in a temporary folder), a
   temporary ``MEDIA_ROOT``, ``migrate``, ``load_demo`` and ``collectstatic``
   (into the project's ``staticfiles/``, as ``make serve`` does).
2. Adds the simulated users, ``last01`` … ``lastNN`` in the Handläggare group
   (which may preview the report and download every year's PDF), each with an
   activity of its own in the 2021 draft, so their saves never meet. Creates
   the demo programme's 2020 follow-up (scale "until 2020"), submits it and
   registers the board's decision through the services, so an archived PDF
   exists and downloads go through the real archived-file path.
3. Starts gunicorn with the production settings on 127.0.0.1 and a free port,
   ``--workers 5`` as ``make serve`` (environment as its ``SERVE_ENV``; plain
   HTTP, so ``SECURE_SSL_REDIRECT=false``), and waits for ``/healthz``.
4. Every user logs in once (not timed with the rest: that is password
   hashing); then, all together for ``--seconds``, each loops over
   - the follow-up's start page           GET  /programmes/<id>/2021/
   - the activity list                    GET  …/2021/activities/
   - its activity's form                  GET  …/activities/<pk>/edit/
   - saving it (a changed result)         POST …/activities/<pk>/edit/ → 302
   - the activity page it is sent to      GET  …/activities/<pk>/
   - the report preview (2021, a draft)   GET  …/2021/report/
   - the archived 2020 PDF                GET  …/2020/report.pdf (bytes checked
                                          against the archive's SHA-256)
   with a random think time before each step except following the redirect.
   The form is read again before every save, so the hidden version is
   current: a conflict page is a real error, not the test's.
5. Prints requests per second, errors (an unexpected status, an exception,
   a save answered by the form again (conflict or refusal), a PDF with other
   bytes) and the 50th, 95th and 99th percentile per page, measured by the
   client from sending the request to the last byte of the answer, beside
   the time gunicorn's worker spent on it (its access log's ``%(D)s``): the
   difference is waiting for a free worker or a CPU. Also the CPU seconds the
   machine, gunicorn (master and workers, from /proc) and this client used
   over the run: on a shared machine "the rest" shows how much other programs
   took, and gunicorn's CPU per request is the figure least disturbed by
   them. Then checks the targets:
   no errors; 95th percentile under 300 ms for pages and under 50 ms for the
   archived PDF. A missed target is reported, not an error: the exit code is 1
   only when the run itself failed.
6. Stops gunicorn and drops the database and folders, also after Ctrl-C or
   an error.

Think time (``--think``, seconds, default 1): each pause is uniform between
half and one and a half times it. People read a page and type before they
click; a caseworker working fast clicks perhaps every 10–30 s. One second on
average is deliberately much shorter, so that 20 simulated users make about
as many requests as a few hundred people at work at once, several times the
staff who use the product, while the server still sees requests arrive
spread out in time as people make them rather than in lock-step. ``--think 0``
drops the pauses: every user clicks as fast as the server answers, a stress
figure of the machine's capacity rather than of people's experience.

Only loopback: the server is started here, on 127.0.0.1, and nothing else is
ever contacted. Run from the project folder:

    .venv/bin/python bench/load.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/load.py
    .venv/bin/python bench/load.py --users 20 --seconds 60 --think 0

The client is the standard library only (threads, ``http.client`` with
keep-alive where the server offers it, ``html.parser``, cookies handled by
hand because the production settings mark them Secure, which
``http.cookiejar`` would not send over plain HTTP). The server inherits the
environment, so ``CONN_MAX_AGE`` (persistent database connections) and
gunicorn's own ``GUNICORN_CMD_ARGS`` (e.g. ``--threads 4``) can be tried
without changing anything.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))
HOST = "127.0.0.1"  # loopback only, never anything else
PAGES_TARGET_MS = 300.0
PDF_TARGET_MS = 50.0
REQUEST_TIMEOUT_S = 60.0
HEALTH_WAIT_S = 60.0

LOGIN = "Login (once per user, untimed phase)"
START = "Start page (follow-up 2021)"
LIST = "Activity list"
FORM = "Activity form (GET)"
SAVE = "Activity save (POST → 302)"
DETAIL = "Activity page after save"
PREVIEW = "Report preview (HTML, 2021)"
PDF = "Archived PDF download (2020)"
DRAFT_ASK = "Draft PDF: ask (2021)"
DRAFT_STATUS = "Draft PDF: status while rendered"
DRAFT_FILE = "Draft PDF: download when ready"
MEASURED = (START, LIST, FORM, SAVE, DETAIL, PREVIEW, PDF, DRAFT_ASK, DRAFT_STATUS, DRAFT_FILE)
SECRETARY = "sekr01"  # downloads the 2021 draft again and again while staff edit it


class LoadError(RuntimeError):
    """The run itself failed (setup, server start), as opposed to a slow page."""


# --- the installation ----------------------------------------------------------


@dataclass
class Installation:
    port: int
    env: dict[str, str]
    folder: Path
    admin_url: str | None = None  # the PostgreSQL database to connect to for DROP
    database: str = ""
    description: str = ""
    programme_id: int = 0
    activities: dict[str, int] = field(default_factory=dict)  # username -> activity pk
    password: str = ""
    pdf_sha256: str = ""
    pdf_size: int = 0
    server: subprocess.Popen | None = None
    worker: subprocess.Popen | None = None
    drafts_ready_s: list[float] = field(default_factory=list)
    access_log: Path | None = None
    error_log: Path | None = None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def create_database(installation: Installation) -> str:
    """Creates the run's own database; returns its URL."""
    given = os.environ.get("DATABASE_URL", "").strip()
    if not given:
        path = installation.folder / "load.sqlite3"
        installation.description = "SQLite (temporary file)"
        installation.database = str(path)
        return f"sqlite:///{path}"
    parts = urllib.parse.urlsplit(given)
    if parts.scheme not in ("postgres", "postgresql"):
        raise LoadError("DATABASE_URL must be a PostgreSQL URL (or unset for SQLite).")
    import psycopg2

    name = f"huddinge_load_{os.getpid()}"
    installation.admin_url = given
    connection = psycopg2.connect(given)
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {name}")
            cursor.execute("show server_version")
            version = cursor.fetchone()[0]
    finally:
        connection.close()
    installation.database = name
    installation.description = f"PostgreSQL {version} (database {name}, {parts.hostname})"
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def drop_database(installation: Installation) -> None:
    if installation.admin_url is None or not installation.database:
        return
    import psycopg2

    connection = psycopg2.connect(installation.admin_url)
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {installation.database} WITH (FORCE)")
    finally:
        connection.close()


def prepare(installation: Installation, users: int) -> None:
    """Migrates and fills the database, in this process, with the settings
    the server will use."""
    os.environ.update(installation.env)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection, connections

    from followups import decisions, services
    from followups.demo import PROGRAMME, YEAR
    from followups.models import Activity, FollowUp, Scale
    from programmes.models import Goal

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("load_demo", password=secrets.token_urlsafe(16), stdout=open(os.devnull, "w"))  # noqa: SIM115

    user_model = get_user_model()
    followup = FollowUp.objects.select_related("programme").get(
        programme__name=PROGRAMME["name"], programme__first_year=PROGRAMME["first_year"], year=YEAR
    )
    installation.programme_id = followup.programme_id
    caseworkers = Group.objects.get(name="Handläggare")
    installation.password = secrets.token_urlsafe(16)
    hashed = make_password(installation.password)  # once: hashing is slow on purpose
    goals = list(Goal.objects.filter(area__programme=followup.programme).order_by("pk"))
    for number in range(1, users + 1):
        username = f"last{number:02d}"
        user = user_model.objects.create(
            username=username, first_name="Last", last_name=f"Test {number}", password=hashed
        )
        user.groups.add(caseworkers)
        goal = goals[number % len(goals)]
        activity = Activity.objects.create(
            followup=followup,
            area_id=goal.area_id,
            title=f"Lasttest {number:02d}: trygghetsvandring",
            status=Activity.Status.ONGOING,
            description="Aktivitet för lasttestet; bara en användare sparar den.",
        )
        activity.goals.set([goal])
        installation.activities[username] = activity.pk
    secretary = user_model.objects.create(
        username=SECRETARY, first_name="Last", last_name="Sekreterare", password=hashed
    )
    secretary.groups.add(Group.objects.get(name="Nämndsekreterare"))

    earlier = FollowUp.objects.create(
        programme=followup.programme,
        year=YEAR - 1,
        scale=Scale.UNTIL_2020,
        registration_number="KS-2021/100.173",
    )
    earlier = services.submit(earlier, user_model.objects.get(username="handlaggare"))
    archive = decisions.register_decision(
        earlier,
        user_model.objects.get(username="sekreterare"),
        decided_by="Kommunstyrelsen",
        decision_date=date(2021, 3, 15),
        decision_paragraph="§ 40",
        registration_number="KS-2021/100.173",
    )
    installation.pdf_sha256 = archive.sha256
    installation.pdf_size = archive.size
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    connections.close_all()


def start_server(installation: Installation, workers: int) -> None:
    installation.access_log = installation.folder / "access.log"
    installation.error_log = installation.folder / "gunicorn.log"
    command = [
        str(PROJECT / ".venv" / "bin" / "gunicorn"),
        "huddinge_safety.wsgi:application",
        "--bind",
        f"{HOST}:{installation.port}",
        "--workers",
        str(workers),
        "--timeout",
        "60",
        "--access-logfile",
        str(installation.access_log),
        # Method, path, status and the worker's time in microseconds.
        "--access-logformat",
        "%(m)s %(U)s %(s)s %(D)s",
        "--error-logfile",
        str(installation.error_log),
    ]
    installation.server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        command,
        cwd=PROJECT,
        env={**os.environ, **installation.env},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        # Its own process group: Ctrl-C reaches this script, which stops it.
        start_new_session=True,
    )
    deadline = time.monotonic() + HEALTH_WAIT_S
    while time.monotonic() < deadline:
        if installation.server.poll() is not None:
            raise LoadError(f"gunicorn exited at start:\n{tail(installation.error_log)}")
        try:
            probe = http.client.HTTPConnection(HOST, installation.port, timeout=2)
            probe.request("GET", "/healthz")
            if probe.getresponse().status == 200:
                probe.close()
                return
            probe.close()
        except OSError:
            pass
        time.sleep(0.2)
    raise LoadError(f"/healthz did not answer within {HEALTH_WAIT_S:.0f} s.")


def start_worker(installation: Installation) -> None:
    """The background worker that renders the draft PDFs, as make serve runs it."""
    installation.worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.5", "--no-reload"],
        cwd=PROJECT,
        env={**os.environ, **installation.env},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def stop_worker(installation: Installation) -> None:
    worker = installation.worker
    if worker is not None and worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()


def stop_server(installation: Installation) -> None:
    server = installation.server
    if server is None or server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


def tail(path: Path | None, lines: int = 20) -> str:
    if path is None or not path.exists():
        return ""
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


# --- where the CPU went ----------------------------------------------------------------


TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def server_cpu_s(master: int) -> float:
    """CPU seconds used so far by gunicorn's master and workers (Linux /proc;
    0 elsewhere)."""
    used = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        pid, parent = int(stat.parent.name), int(fields[1])
        if master in (pid, parent):
            used += int(fields[11]) + int(fields[12])  # utime, stime
    return used / TICKS


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot (Linux)."""
    try:
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    except (OSError, ValueError):
        return 0.0, 0.0
    idle = values[3] + values[4]  # idle, iowait
    return (sum(values) - idle) / TICKS, sum(values) / TICKS


@dataclass
class CpuUse:
    server_s: float = 0.0
    client_s: float = 0.0
    machine_busy_s: float = 0.0
    machine_total_s: float = 0.0

    @classmethod
    def now(cls, master: int) -> CpuUse:
        times = os.times()
        busy, total = machine_cpu()
        return cls(server_cpu_s(master), times.user + times.system, busy, total)

    def __sub__(self, other: CpuUse) -> CpuUse:
        return CpuUse(
            self.server_s - other.server_s,
            self.client_s - other.client_s,
            self.machine_busy_s - other.machine_busy_s,
            self.machine_total_s - other.machine_total_s,
        )


# --- the simulated browser -------------------------------------------------------


class FormParser(HTMLParser):
    """The forms of a page with the fields a browser would submit as they are
    shown: inputs, checked boxes, selected options, textareas."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def _add(self, name: str | None, value: str) -> None:
        if name and self.forms:
            self.forms[-1]["fields"].append((name, value))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value if value is not None else "" for key, value in attrs}
        if tag == "form":
            self.forms.append(
                {"method": a.get("method", "get").lower(), "action": a.get("action"), "fields": []}
            )
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._add(a.get("name"), a.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self._add(self._select, a.get("value", ""))
        elif tag == "textarea":
            self._textarea = a.get("name")
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            text = "".join(self._text)
            # Browsers drop one newline right after <textarea>.
            self._add(self._textarea, text[1:] if text.startswith("\n") else text)
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self._text.append(data)


def find_form(html: str, field_name: str) -> list[tuple[str, str]]:
    """The fields of the page's POST form that has ``field_name``."""
    parser = FormParser()
    parser.feed(html)
    for form in parser.forms:
        if form["method"] == "post" and any(name == field_name for name, _ in form["fields"]):
            return form["fields"]
    raise ValueError(f"no POST form with a field {field_name!r}")


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    elapsed_ms: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class Browser:
    """One user's connection and cookies. Cookies are kept by hand: they are
    Secure in production and the server here is plain HTTP."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.origin = f"http://{HOST}:{port}"
        self.connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT_S)
        self.cookies: dict[str, str] = {}

    def close(self) -> None:
        self.connection.close()

    def _remember(self, headers: http.client.HTTPMessage) -> None:
        for header in headers.get_all("Set-Cookie") or []:
            pair, _, attributes = header.partition(";")
            name, _, value = pair.strip().partition("=")
            if "max-age=0" in attributes.lower().replace(" ", ""):
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value

    def request(self, method: str, path: str, form: list[tuple[str, str]] | None = None) -> Answer:
        headers = {
            "Host": f"{HOST}:{self.port}",
            "User-Agent": "huddinge-load-test",
            "Accept": "text/html,application/pdf,*/*",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
        started = time.perf_counter()
        reused = self.connection.sock is not None
        try:
            self.connection.request(method, path, body, headers)
            response = self.connection.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            if not reused:
                raise
            # The server closed a kept-alive connection: a browser retries once.
            self.connection.close()
            self.connection.request(method, path, body, headers)
            response = self.connection.getresponse()
        data = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        self._remember(response.msg)
        return Answer(response.status, response.msg, data, elapsed)


# --- the simulated users -----------------------------------------------------------


@dataclass
class Tally:
    times: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    samples: list[str] = field(default_factory=list)

    def ok(self, page: str, answer: Answer) -> None:
        self.times.setdefault(page, []).append(answer.elapsed_ms)

    def error(self, page: str, message: str, answer: Answer | None = None) -> None:
        self.errors[page] = self.errors.get(page, 0) + 1
        if answer is not None:
            self.times.setdefault(page, []).append(answer.elapsed_ms)
        if len(self.samples) < 5:
            self.samples.append(f"{page}: {message}")


class Stop(Exception):
    """The run's time is up or it was interrupted."""


class User(threading.Thread):
    def __init__(
        self,
        installation: Installation,
        username: str,
        think: float,
        seed: int,
        start: threading.Barrier,
        stop: threading.Event,
    ) -> None:
        super().__init__(name=username, daemon=True)
        self.installation = installation
        self.username = username
        self.think_s = think
        self.rng = random.Random(seed)  # noqa: S311 - think times, not secrets
        self.start_barrier = start
        self.stop = stop
        self.deadline = float("inf")
        self.login_tally = Tally()
        self.tally = Tally()
        self.saves = 0
        base = f"/programmes/{installation.programme_id}"
        activity = installation.activities[username]
        self.urls = {
            START: f"{base}/2021/",
            LIST: f"{base}/2021/activities/",
            FORM: f"{base}/2021/activities/{activity}/edit/",
            DETAIL: f"{base}/2021/activities/{activity}/",
            PREVIEW: f"{base}/2021/report/",
            PDF: f"{base}/2020/report.pdf",
        }

    def think(self) -> None:
        if self.think_s > 0:
            pause = self.rng.uniform(0.5 * self.think_s, 1.5 * self.think_s)
            if self.stop.wait(min(pause, max(0.0, self.deadline - time.monotonic()))):
                raise Stop
        if self.stop.is_set() or time.monotonic() >= self.deadline:
            raise Stop

    def get(self, tally: Tally, page: str, path: str, expected: int | None = 200) -> Answer | None:
        """GETs the path; ``expected`` None accepts 200 and 302."""
        try:
            answer = self.browser.request("GET", path)
        except (OSError, http.client.HTTPException) as error:
            tally.error(page, f"{type(error).__name__}: {error}")
            return None
        if answer.status not in ((200, 302) if expected is None else (expected,)):
            tally.error(page, f"GET {path} answered {answer.status}", answer)
            return None
        tally.ok(page, answer)
        return answer

    def log_in(self) -> bool:
        page = self.get(self.login_tally, LOGIN, "/login/")
        if page is None:
            return False
        fields = dict(find_form(page.text, "username"))
        fields.update(username=self.username, password=self.installation.password)
        try:
            answer = self.browser.request("POST", "/login/", list(fields.items()))
        except (OSError, http.client.HTTPException) as error:
            self.login_tally.error(LOGIN, f"{type(error).__name__}: {error}")
            return False
        if answer.status != 302 or "sessionid" not in self.cookies_now():
            self.login_tally.error(LOGIN, f"login answered {answer.status}", answer)
            return False
        self.login_tally.ok(LOGIN, answer)
        return True

    def cookies_now(self) -> dict[str, str]:
        return self.browser.cookies

    def save(self) -> None:
        form = self.get(self.tally, FORM, self.urls[FORM])
        if form is None:
            return
        try:
            fields = find_form(form.text, "version")
        except ValueError as error:
            self.tally.error(FORM, str(error), None)
            return
        self.saves += 1
        result = f"Sparad {self.saves} gånger av lasttestet ({self.username})."
        fields = [(k, v) for k, v in fields if k != "result"] + [("result", result)]
        self.think()  # filling in the form
        try:
            answer = self.browser.request("POST", self.urls[FORM], fields)
        except (OSError, http.client.HTTPException) as error:
            self.tally.error(SAVE, f"{type(error).__name__}: {error}")
            return
        if answer.status == 200:
            why = "conflict page" if 'class="card card-body conflict' in answer.text else "refused"
            self.tally.error(SAVE, f"save answered the form again ({why})", answer)
            return
        location = answer.headers.get("Location", "")
        if answer.status != 302 or urllib.parse.urlsplit(location).path != self.urls[DETAIL]:
            self.tally.error(SAVE, f"save answered {answer.status} → {location!r}", answer)
            return
        self.tally.ok(SAVE, answer)
        self.get(self.tally, DETAIL, self.urls[DETAIL])  # the browser follows at once

    def download(self) -> None:
        answer = self.get(self.tally, PDF, self.urls[PDF])
        if answer is None:
            return
        if hashlib.sha256(answer.body).hexdigest() != self.installation.pdf_sha256:
            # Counted as an error as well as timed.
            self.tally.errors[PDF] = self.tally.errors.get(PDF, 0) + 1
            self.tally.samples.append(f"{PDF}: {len(answer.body)} bytes, not the archived ones")

    def run(self) -> None:
        self.browser = Browser(self.installation.port)
        try:
            logged_in = self.log_in()
            self.start_barrier.wait()
            if logged_in:
                self.work()
        except (Stop, threading.BrokenBarrierError):
            pass
        finally:
            self.browser.close()

    def work(self) -> None:
        """The caseworker's round, until the measurement stops (``Stop``)."""
        steps = [
            lambda: self.get(self.tally, START, self.urls[START]),
            lambda: self.get(self.tally, LIST, self.urls[LIST]),
            self.save,
            lambda: self.get(self.tally, PREVIEW, self.urls[PREVIEW]),
            self.download,
        ]
        # Users start at different steps, as people do.
        step = self.rng.randrange(len(steps))
        while True:
            self.think()
            steps[step]()
            step = (step + 1) % len(steps)


class DraftReader(User):
    """A secretary who asks for the 2021 draft's PDF again and again while
    the caseworkers change the year: each ask starts a rendering (the data
    changed) or is answered from the stored file; she follows the waiting
    page's status until it is ready and downloads the file."""

    def __init__(self, installation: Installation, think: float, seed: int, start, stop) -> None:
        installation.activities.setdefault(SECRETARY, 0)
        super().__init__(installation, SECRETARY, think, seed, start, stop)
        del installation.activities[SECRETARY]
        self.urls[DRAFT_ASK] = f"/programmes/{installation.programme_id}/2021/report.pdf"

    def ask_for_draft(self) -> None:
        asked = time.monotonic()
        answer = self.get(self.tally, DRAFT_ASK, self.urls[DRAFT_ASK], expected=None)
        if answer is None or answer.status == 200:
            return
        waiting = urllib.parse.urlsplit(answer.headers.get("Location", "")).path
        while True:
            self.think_briefly()
            status = self.get(self.tally, DRAFT_STATUS, f"{waiting}status/")
            if status is None:
                return
            state = json.loads(status.text)
            if state["failed"]:
                self.tally.error(DRAFT_STATUS, "the rendering failed", status)
                return
            if state["ready"]:
                self.installation.drafts_ready_s.append(time.monotonic() - asked)
                self.get(self.tally, DRAFT_FILE, state["download_url"])
                return

    def think_briefly(self) -> None:
        """The waiting page's script asks every second."""
        if self.stop.wait(1.0) or time.monotonic() >= self.deadline:
            raise Stop

    def work(self) -> None:
        while True:
            self.think()
            self.ask_for_draft()


# --- the figures ---------------------------------------------------------------------


def percentiles(values: list[float]) -> tuple[float, float, float]:
    if len(values) == 1:
        return values[0], values[0], values[0]
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


PATHS = [
    (LOGIN, "", re.compile(r"^/login/$")),
    (START, "GET", re.compile(r"^/programmes/\d+/2021/$")),
    (LIST, "GET", re.compile(r"^/programmes/\d+/2021/activities/$")),
    (FORM, "GET", re.compile(r"^/programmes/\d+/2021/activities/\d+/edit/$")),
    (SAVE, "POST", re.compile(r"^/programmes/\d+/2021/activities/\d+/edit/$")),
    (DETAIL, "GET", re.compile(r"^/programmes/\d+/2021/activities/\d+/$")),
    (PREVIEW, "GET", re.compile(r"^/programmes/\d+/2021/report/$")),
    (PDF, "GET", re.compile(r"^/programmes/\d+/2020/report\.pdf$")),
    (DRAFT_ASK, "GET", re.compile(r"^/programmes/\d+/2021/report\.pdf$")),
    (DRAFT_STATUS, "GET", re.compile(r"^/programmes/\d+/2021/report\.pdf/\d+/status/$")),
    (DRAFT_FILE, "GET", re.compile(r"^/programmes/\d+/2021/report\.pdf/\d+/file/$")),
]


def server_times(access_log: Path | None) -> dict[str, list[float]]:
    """Milliseconds the gunicorn worker spent per request, by page."""
    times: dict[str, list[float]] = {}
    if access_log is None or not access_log.exists():
        return times
    for line in access_log.read_text(errors="replace").splitlines():
        parts = line.split()
        if len(parts) != 4 or not parts[3].isdigit():
            continue
        method, path, _status, micros = parts
        for page, wanted, pattern in PATHS:
            if (not wanted or wanted == method) and pattern.match(path):
                times.setdefault(page, []).append(int(micros) / 1000)
                break
    return times


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def report(
    args: argparse.Namespace,
    installation: Installation,
    users: list[User],
    elapsed: float,
    cpu: CpuUse,
) -> None:
    tally = Tally()
    logins = Tally()
    for user in users:
        for source, target in ((user.tally, tally), (user.login_tally, logins)):
            for page, times in source.times.items():
                target.times.setdefault(page, []).extend(times)
            for page, count in source.errors.items():
                target.errors[page] = target.errors.get(page, 0) + count
            target.samples += source.samples
    server = server_times(installation.access_log)
    requests = sum(len(times) for times in tally.times.values())
    errors = sum(tally.errors.values()) + sum(logins.errors.values())
    try:
        load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        load = "unknown"

    print()
    print(f"Date:      {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}")
    print(
        f"Machine:   {os.cpu_count()} CPUs, load {load} (1, 5, 15 min), Python "
        f"{platform.python_version()}"
    )
    print(f"Database:  {installation.description}")
    print(
        f"Server:    gunicorn, {args.workers} sync workers, production settings, "
        f"http://{HOST}:{installation.port}, "
        f"CONN_MAX_AGE={os.environ.get('CONN_MAX_AGE', '60 (production default)')}"
    )
    print(
        f"Load:      {len(users)} users for {args.seconds:.0f} s, think time "
        + (f"{0.5 * args.think:.2f}–{1.5 * args.think:.2f} s" if args.think > 0 else "none")
    )
    print()
    header = (
        f"{'Page':<34} {'Requests':>8} {'Errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
        f"{'max ms':>7} │ {'server p50':>10} {'p95':>6} {'p99':>6}"
    )
    print(header)
    print("─" * len(header))
    rows = [(LOGIN, logins), *((page, tally) for page in MEASURED)]
    for page, source in rows:
        times = source.times.get(page, [])
        count_errors = source.errors.get(page, 0)
        if times:
            p50, p95, p99 = percentiles(times)
            client = f"{p50:>7.1f} {p95:>7.1f} {p99:>7.1f} {max(times):>7.1f}"
        else:
            client = f"{'–':>7} {'–':>7} {'–':>7} {'–':>7}"
        if server.get(page):
            s50, s95, s99 = percentiles(server[page])
            worker = f"{s50:>10.1f} {s95:>6.1f} {s99:>6.1f}"
        else:
            worker = f"{'–':>10} {'–':>6} {'–':>6}"
        print(f"{page:<34} {len(times):>8} {count_errors:>6} {client} │ {worker}")
    print()
    print(
        f"Requests:  {requests} in {elapsed:.1f} s = {requests / elapsed:.1f} requests/s "
        f"(logins not counted); errors: {errors}"
    )
    for sample in (logins.samples + tally.samples)[:5]:
        print(f"  e.g. {sample}")
    if cpu.machine_total_s:
        cores = cpu.machine_total_s / elapsed
        print(
            f"CPU:       machine {100 * cpu.machine_busy_s / cpu.machine_total_s:.0f} % busy "
            f"({cpu.machine_busy_s:.0f} of {cpu.machine_total_s:.0f} CPU-s on {cores:.0f} cores); "
            f"gunicorn {cpu.server_s:.0f} CPU-s ({1000 * cpu.server_s / max(requests, 1):.0f} ms "
            f"a request), this client {cpu.client_s:.0f} CPU-s, the rest (database, other "
            f"programs) {cpu.machine_busy_s - cpu.server_s - cpu.client_s:.0f} CPU-s"
        )
    print(
        "Times: client-side, request sent to last byte read. Server: gunicorn's worker time\n"
        "(access log %(D)s); the difference is waiting for a free worker or a CPU, and the\n"
        "client's own threads on the same machine."
    )
    print()
    page_p95 = {
        page: percentiles(tally.times[page])[1]
        for page in MEASURED
        if page != PDF and tally.times.get(page)
    }
    slowest = max(page_p95, key=page_p95.get) if page_p95 else "–"
    pdf_p95 = percentiles(tally.times[PDF])[1] if tally.times.get(PDF) else float("inf")
    checks = [
        ("No errors", f"{errors}", errors == 0),
        (
            f"Pages: 95th percentile < {PAGES_TARGET_MS:.0f} ms (slowest: {slowest})",
            f"{page_p95.get(slowest, float('inf')):.0f} ms",
            bool(page_p95) and max(page_p95.values()) < PAGES_TARGET_MS,
        ),
        (
            f"Archived PDF: 95th percentile < {PDF_TARGET_MS:.0f} ms",
            f"{pdf_p95:.0f} ms",
            pdf_p95 < PDF_TARGET_MS,
        ),
    ]
    for name, value, ok in checks:
        print(f"{name:<72} {value:>8}  {verdict(ok)}")
    if installation.drafts_ready_s:
        ready = installation.drafts_ready_s
        print(
            f"Drafts:    {len(ready)} asked for and ready, median {statistics.median(ready):.1f} s "
            f"from asking to ready (status polled every second, as the page does)"
        )
    print(f"Targets met: {sum(ok for _, _, ok in checks)} of {len(checks)}.")


# --- the run ---------------------------------------------------------------------------


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=20, help="simulated users (default 20)")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the run (60)")
    parser.add_argument(
        "--think",
        type=float,
        default=1.0,
        help="mean think time in seconds, uniform in 0.5–1.5 × it; 0 for none (default 1)",
    )
    parser.add_argument("--workers", type=int, default=5, help="gunicorn workers (default 5)")
    args = parser.parse_args(argv)
    if not 1 <= args.users <= 200:
        parser.error("--users must be between 1 and 200")
    if not 1 <= args.seconds <= 3600:
        parser.error("--seconds must be between 1 and 3600")
    if args.think < 0 or args.workers < 1:
        parser.error("--think must not be negative, --workers at least 1")
    return args


def measure(
    args: argparse.Namespace, installation: Installation
) -> tuple[list[User], float, CpuUse]:
    start = threading.Barrier(args.users + 2)
    stop = threading.Event()
    users = [
        User(installation, username, args.think, seed, start, stop)
        for seed, username in enumerate(sorted(installation.activities), start=2021)
    ]
    users.append(DraftReader(installation, args.think, 2020, start, stop))
    for user in users:
        user.start()
    print(f"  {len(users)} users logging in …")
    try:
        start.wait(timeout=120)
    except threading.BrokenBarrierError as error:
        stop.set()
        raise LoadError("The users could not log in within 120 s.") from error
    began = time.monotonic()
    cpu_before = CpuUse.now(installation.server.pid)
    for user in users:
        user.deadline = began + args.seconds
    print(f"  measuring for {args.seconds:.0f} s …")
    try:
        for user in users:
            while user.is_alive():
                user.join(timeout=0.5)
    finally:
        stop.set()
    return users, time.monotonic() - began, CpuUse.now(installation.server.pid) - cpu_before


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    # SIGTERM ends the run like Ctrl-C: through the clean-up below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(130))
    folder = Path(tempfile.mkdtemp(prefix="huddinge-load-"))
    media = folder / "media"
    media.mkdir()
    port = free_port()
    installation = Installation(port=port, env={}, folder=folder)
    try:
        print("Load test: building a throw-away installation …")
        database_url = create_database(installation)
        installation.env = {
            "DJANGO_SETTINGS_MODULE": "huddinge_safety.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "CSRF_TRUSTED_ORIGINS": f"http://{HOST}:{port}",
            "DATABASE_URL": database_url,
            "MEDIA_ROOT": str(media),
            "SECURE_SSL_REDIRECT": "false",
        }
        started = time.perf_counter()
        prepare(installation, args.users)
        print(f"  {installation.description}: data ready in {time.perf_counter() - started:.1f} s")
        start_server(installation, args.workers)
        start_worker(installation)
        print(f"  gunicorn answering on http://{HOST}:{port}/healthz, a db_worker beside it")
        users, elapsed, cpu = measure(args, installation)
        stop_server(installation)  # flushes the access log
        report(args, installation, users, elapsed, cpu)
        return 0
    except LoadError as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Interrupted; cleaning up.", file=sys.stderr)
        return 130
    finally:
        stop_worker(installation)
        stop_server(installation)
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: S110 - Django may not be set up yet
            pass
        drop_database(installation)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
