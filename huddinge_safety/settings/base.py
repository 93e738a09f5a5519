"""Settings shared by every environment.

Configuration that differs between machines comes from the environment:
``DATABASE_URL`` selects the database (a SQLite file in the project when it
is unset); production requires more (see ``production.py``).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS: list[str] = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "bootstrap",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "audit.apps.LockoutConfig",  # django-axes, named in Swedish
    "csp",
    "django_tasks",
    "django_tasks_db",
    *(["django_rq", "django_tasks_rq"] if os.environ.get("TASKS_REDIS_URL") else []),
    "programmes",
    "followups",
    "collaboration",
    "audit.apps.AuditConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before any view or the CSRF check reads the form: refuses, not alters,
    # form input that is not UTF-8.
    "huddinge_safety.middleware.RefuseInvalidUtf8Middleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "huddinge_safety.urls"
WSGI_APPLICATION = "huddinge_safety.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite in the project unless DATABASE_URL names another database.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
# Choice lists iterate querysets; on PostgreSQL that would open a server-side
# cursor per list (extra round trips, and unsafe behind a transaction pooler).
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database has several writers: the web workers and the
    # background worker. A transaction takes the write lock when it begins
    # (IMMEDIATE), so one that read first never fails at its first write
    # with "database is locked"; others wait up to 20 s for it; WAL lets
    # readers go on while one writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

STORAGES = {
    # Files are written under a temporary name, flushed and renamed into
    # place: a full disk never leaves a truncated file under its final name.
    "default": {"BACKEND": "huddinge_safety.storage.AtomicFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Only content-addressed data is cached (the report's chart drawings, keyed
# by what they show), so a cache per process is correct; a shared one (e.g.
# Redis) would only save drawing the same chart once per process.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    }
}

# Background jobs (rendering the report) through Django's Tasks API. The
# database is the queue (``manage.py db_worker``) unless TASKS_REDIS_URL names
# a Redis server, for installations with several web nodes: then RQ is the
# queue and ``manage.py rqworker --job-class django_tasks_rq.Job`` runs jobs.
# The code is the same for both (README, Production).
if os.environ.get("TASKS_REDIS_URL"):
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": os.environ["TASKS_REDIS_URL"], "DEFAULT_TIMEOUT": 600}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Seconds before a failed rendering's second and third attempt.
REPORT_RETRY_DELAYS = (5, 30)

# Kolada's open API, where indicators with a Kolada KPI fetch their values
# (manage.py import_kolada, the admin action), and how many seconds one
# request may take before the import gives up and saves nothing.
KOLADA_BASE_URL = os.environ.get("KOLADA_BASE_URL", "https://api.kolada.se/v3")
KOLADA_TIMEOUT = float(os.environ.get("KOLADA_TIMEOUT", "10"))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

AUTHENTICATION_BACKENDS = [
    # First: refuses authentication while the account or the source is locked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"

# Login protection (django-axes). Five failed logins lock the username (from
# anywhere) and, separately, the source address (for any username) for
# fifteen minutes; an administrator can unlock sooner in admin
# (Inloggningsspärrar → Inloggningsförsök: delete the entry). The lockout answer is the login page
# with one message that is the same whether the account exists or not.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "audit.views.lockout_response"
AXES_CLIENT_IP_CALLABLE = "audit.client.client_ip"
# The audit log records logins; axes' own access log would keep the same
# personal data a second time.
AXES_DISABLE_ACCESS_LOG = True
# How many reverse proxies (load balancer, TLS terminator) stand in front of
# the app and append to X-Forwarded-For. 0: the address is REMOTE_ADDR, and
# X-Forwarded-For, which anyone can send, is ignored.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Cookies and sessions. A session ends when the browser closes, and after a
# working day (eight hours) without a request: every request renews it.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# No script of ours reads the CSRF cookie (there is no JavaScript at all).
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

# Headers on every answer.
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): our own files only, no inline script
# or style anywhere (the pages have no JavaScript; the report's charts carry
# their styling as SVG attributes), no plug-ins, no framing, forms post only
# to this site. The admin's scripts are files too.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
