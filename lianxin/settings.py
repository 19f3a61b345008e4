"""lianxin settings, configured from the environment.

DATABASE_URL   sqlite:///… (default: db.sqlite3 beside manage.py) or postgres://…
DATABASE_REPLICA_URL  postgres://… of a streaming standby the reports read from (optional)
SECRET_KEY     required unless DEBUG
DEBUG          "1"/"true" to enable
ALLOWED_HOSTS  comma-separated
"""

import os
import tempfile
from copy import deepcopy
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# pytest sets PYTEST_VERSION; the test run needs no real key and speaks plain HTTP.
TESTING = "PYTEST_VERSION" in os.environ or env_bool("LIANXIN_TESTING")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not TESTING:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-lianxin-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "guardian",
    "simple_history",
    "treebeard",
    "axes",
    "lianxin",
    "members",
    "tracing",
    "disposition",
    "reports",
    # After lianxin, whose `db_worker` (the same worker, cleaning up after a dead one) wins.
    "django_tasks_db",
]

MIDDLEWARE = [
    "lianxin.middleware.NoStoreMiddleware",  # first, so it marks every response, redirects included
    "lianxin.request_state.RequestStateMiddleware",  # grants and posts read once per request
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lianxin.middleware.SessionRefreshMiddleware",
    "lianxin.middleware.LastWriteMiddleware",  # the 工作台's copy gives way to the user's own writes
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lianxin.urls"
WSGI_APPLICATION = "lianxin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lianxin.context_processors.acting_for",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 0),
    )
}
# Concurrent writers on SQLite wait for each other instead of failing with "database is locked":
# WAL lets readers go on during a write; IMMEDIATE takes the write lock when a transaction
# begins (a lock upgrade in the middle of one cannot wait); `timeout` is the busy wait (s).
SQLITE_OPTIONS = {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE", "timeout": 20}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
# No JIT: a page's queries are short, and compiling one with many subqueries (a 待办 rule over a
# province) took PostgreSQL 18.7 of its 19.1 seconds at 100,000 members. The replica copies this.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool("DB_POOL"):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = True
# Reports read from a streaming replica when there is one (lianxin/replica.py). In tests the
# replica alias points at the same test database on the standby, which gets it by replication.
if os.environ.get("DATABASE_REPLICA_URL"):
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs DATABASE_URL to be PostgreSQL (its primary).")
    DATABASES["replica"] = {
        **dj_database_url.parse(
            os.environ["DATABASE_REPLICA_URL"],
            conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
            conn_health_checks=True,
        ),
        "OPTIONS": dict(DATABASES["default"].get("OPTIONS", {})),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["lianxin.replica.ReportReadsRouter"]
    MIDDLEWARE.append("lianxin.replica.ReadYourWritesMiddleware")
    # Most tests run inside one uncommitted transaction the standby cannot see: there the
    # reports read from the primary, except in the tests that turn this on (test_replica.py).
    REPORTS_FROM_REPLICA = not TESTING
    REPLICA_PIN_SECONDS = env_int("REPLICA_PIN_SECONDS", 10)  # read your writes for this long
    REPLICA_RETRY_SECONDS = env_int("REPLICA_RETRY_SECONDS", 30)  # after the replica failed
# Progress of long work is written on a connection of its own (lianxin/jobs/runner.py), so a job's
# page sees it move while the job's own transaction (a big import's) is open. PostgreSQL only:
# SQLite has one writer at a time; tests run their jobs inside the test's own transaction.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not TESTING:
    DATABASES["progress"] = deepcopy(DATABASES["default"])

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # login throttling, first so it can refuse early
    "django.contrib.auth.backends.ModelBackend",
    "lianxin.access.ScopeBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling: five failures for a user from one address lock that pair for 15 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# A lock ends 15 minutes after it began, whatever is tried meanwhile: the page promises 15
# minutes, and a secretary retrying her right password must not extend her own lock.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind a reverse proxy every request comes from the proxy's address: PROXY_COUNT (the number
# of proxies in front of lianxin) makes the lockout key the client's own address, taken from
# X-Forwarded-For, so a stranger elsewhere cannot lock a secretary out (lianxin/clientip.py).
PROXY_COUNT = env_int("PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "lianxin.clientip.client_ip"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# The 工作台 serves a copy of its panels for this long (0: always computed); the user's own
# writes show at once (lianxin.middleware.LastWriteMiddleware). Tests compute every time, except
# those of the copy itself.
WORKBENCH_CACHE_SECONDS = env_int("WORKBENCH_CACHE_SECONDS", 0 if TESTING else 60)

# Sessions end after an hour of inactivity.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 3600)
# The idle timeout is kept by lianxin.middleware.SessionRefreshMiddleware, which saves the
# session every five minutes of activity instead of on every request.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Files that carry personal data (search-attempt evidence, submitted 名册) live in the private
# storage: a folder no URL serves, read only through views that check scope (lianxin/storage.py).
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private"))
STORAGES = {
    "default": {"BACKEND": os.environ.get("FILE_STORAGE", "django.core.files.storage.FileSystemStorage")},
    "private": {
        "BACKEND": os.environ.get("PRIVATE_FILE_STORAGE", "lianxin.storage.PrivateFileSystemStorage")
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Background work (long exports, imports, the daily jobs): Django's tasks framework on the
# database-backed worker of django-tasks-db (`manage.py db_worker`; `make demo` starts one).
# Tests run tasks at once, in the test's own transaction.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND",
            "django.tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend",
        ),
        "QUEUES": ["default"],
    }
}
# The worker runs at this lower CPU priority (nice), so pages go first on a shared machine.
# Not in tests: they run the worker inside the test process.
WORKER_NICENESS = env_int("WORKER_NICENESS", 0 if TESTING else 10)

# guardian: object permissions on Organization nodes only; no anonymous user row.
ANONYMOUS_USER_NAME = None
GUARDIAN_MONKEY_PATCH_USER = False
GUARDIAN_MONKEY_PATCH_GROUP = False

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not TESTING)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "lianxin.logfilters.RedactPersonalNumbers"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Domain settings (sources differ by province; see docs/domain.md).
LIANXIN = {
    # 介绍信 validity in days (three months by default).
    "INTRODUCTION_LETTER_DAYS": env_int("LIANXIN_INTRODUCTION_LETTER_DAYS", 90),
    # Distinct search channels needed before "经多方努力确实无法取得联系".
    "MIN_SEARCH_CHANNELS": env_int("LIANXIN_MIN_SEARCH_CHANNELS", 3),
    # Attachments on search attempts.
    "ATTACHMENT_MAX_BYTES": env_int("LIANXIN_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024),
    # 归队码 / 报到码 (members/codes.py): the site's public address printed in the QR codes
    # ("https://lianxin.example.cn"); empty: the address the secretary's browser used.
    "PUBLIC_BASE_URL": os.environ.get("LIANXIN_PUBLIC_BASE_URL", ""),
    # The public pages' limits, per hour: failed identifications per code and per client address;
    # reports per member per day (members/public_views.py).
    "PUBLIC_FAILURES_PER_CODE": env_int("LIANXIN_PUBLIC_FAILURES_PER_CODE", 10),
    "PUBLIC_FAILURES_PER_ADDRESS": env_int("LIANXIN_PUBLIC_FAILURES_PER_ADDRESS", 20),
    "PUBLIC_REPORTS_PER_DAY": env_int("LIANXIN_PUBLIC_REPORTS_PER_DAY", 3),
    # Long work (lianxin/jobs): exports and imports past this many rows run on the worker;
    # their files are kept this many hours on 我的导出; a running job silent this long is dead.
    "JOB_ROWS": env_int("LIANXIN_JOB_ROWS", 5000),
    "EXPORT_KEEP_HOURS": env_int("LIANXIN_EXPORT_KEEP_HOURS", 24),
    "JOB_STALE_MINUTES": env_int("LIANXIN_JOB_STALE_MINUTES", 15),
    # Uploaded 花名册 waiting between preview and confirm (not served; shared by all app servers).
    "IMPORT_DIR": Path(os.environ.get("LIANXIN_IMPORT_DIR", Path(tempfile.gettempdir()) / "lianxin-imports")),
    "IMPORT_KEEP_MINUTES": env_int("LIANXIN_IMPORT_KEEP_MINUTES", 60),
}

# The clocks of the overdue rules (lianxin/overdue.py, each app's overdue.py), each overridable
# as LIANXIN_<NAME>. The seeds give LOST_MONTHS (名册 rules 2, 附件5 A) and
# AWAY_UNREPORTED_MONTHS (Shaanxi 2); the seeds are silent on the others — docs/domain.md §11
# says what each assumes.
OVERDUE_DEFAULTS = {
    "LOST_MONTHS": 6,  # over six months without contact: 失联
    "AWAY_UNREPORTED_MONTHS": 1,  # away over a month without reporting: 失控
    "WARNING_DAYS": 150,  # 预警, a month before 失联
    "OUT_OF_CONTROL_DAYS": 7,  # reach a 失控 member ("第一时间", Fuzhou 3)
    "LOST_CASE_DAYS": 7,  # open a case for a 失联 member
    "CASE_FIRST_ATTEMPT_DAYS": 7,  # the first search attempt after opening
    "CASE_IDLE_DAYS": 30,  # an open case with no new attempt
    "SECOND_SEARCH_DAYS": 30,  # the committee starts its second search (登记表 rules 1)
    "PROPOSAL_DAYS": 30,  # the branch proposes a disposition after the second search
    "STAGE_DAYS": 30,  # each stage of the chain waits at most …
    "MEETING_STAGE_DAYS": 90,  # … but the 支部党员大会, held once a quarter
    "RECEIPT_DAYS": 30,  # the 介绍信回执 back (Shaanxi 8 "不落实、不放手")
    "RETURN_TALK_DAYS": 15,  # the talk after a member returns (Shaanxi 10)
    "SUSPENSION_MONTHS": 24,  # 停止党籍: decide after two years
    "SELF_REPORT_DAYS": 3,  # a 成员自报 (归队码) confirmed or rejected by the branch
    "ESCALATE_DAYS": 14,  # past its deadline, the level above is told
    "SOON_DAYS": 7,  # 即将到期: the deadline within this many days
}
LIANXIN["OVERDUE"] = {name: env_int(f"LIANXIN_{name}", value) for name, value in OVERDUE_DEFAULTS.items()}
# The daily digest (lianxin/digest.py): Django's e-mail, and a group-bot webhook when its URL is set.
LIANXIN["DIGEST_BACKENDS"] = env_list(
    "LIANXIN_DIGEST_BACKENDS", "lianxin.digest.EmailBackend,lianxin.digest.WebhookBackend"
)
LIANXIN["DIGEST_WEBHOOK_URL"] = os.environ.get("LIANXIN_DIGEST_WEBHOOK_URL", "")
LIANXIN["SITE_URL"] = os.environ.get("LIANXIN_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# A failed daily job is tried again after each of these delays (seconds), then left failed.
LIANXIN["TASK_RETRY_DELAYS"] = [int(s) for s in env_list("LIANXIN_TASK_RETRY_DELAYS", "60,600,3600")]

# E-mail (Django 6.1 MAILERS): the console in the demo (DEBUG), SMTP from the environment otherwise.
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_BACKEND_PATH = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend" if DEBUG else SMTP_BACKEND
)
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_PATH}}
if EMAIL_BACKEND_PATH == SMTP_BACKEND:
    MAILERS["default"]["OPTIONS"] = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS"),
        "timeout": 10,
    }
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "lianxin@localhost")

# Our ScopeBackend (lianxin/access.py) replaces guardian's backend: grants are inherited
# down the tree, which guardian's own backend does not do.
# models.W040: SQLite ignores INCLUDE columns of an index (member_last_contact_idx); they serve
# index-only scans on PostgreSQL, and on SQLite the index works without them.
SILENCED_SYSTEM_CHECKS = ["guardian.W001", "models.W040"]
