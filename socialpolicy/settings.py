"""Settings for the Social Media Policy portal.

One module for every deployment: each difference comes from an environment
variable (see `.env.example` and docs/deployment.md). With
`DJANGO_DEBUG` off the settings fail closed: a secret key is required and
cookies, HSTS and redirects are secure.
"""

import sys
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

# Under pytest the suite supplies its own throwaway key; nothing else does.
RUNNING_TESTS = "pytest" in sys.modules
# Commands that only compare the code with its migrations sign nothing: a throwaway key will do.
INSPECTING_MIGRATIONS = len(sys.argv) > 1 and sys.argv[1] in {
    "makemigrations",
    "showmigrations",
    "sqlmigrate",
}

DEBUG = env.bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if DEBUG or RUNNING_TESTS or INSPECTING_MIGRATIONS:
        SECRET_KEY = "insecure-key-for-local-development-and-tests-only-0123456789"
    else:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
            "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# Absolute address used in emails ("sign in to see it"), never derived from a request.
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_static",
    "django_otp.plugins.otp_totp",
    "two_factor",
    "axes",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    # Ours, ground first (imports flow upwards only).
    "audit",
    "core",
    "people",
    "notifications",
    "approvals",
    "incidents",
    "policydocs",
    "disclosures",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "people.middleware.HealthCheckMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "people.middleware.SessionRenewalMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "people.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "people.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "audit.middleware.AuditContextMiddleware",
    "people.middleware.NoStoreForSignedInMiddleware",
    # Last, so a lockout answers before the view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "socialpolicy.urls"
WSGI_APPLICATION = "socialpolicy.wsgi.application"
ASGI_APPLICATION = "socialpolicy.asgi.application"

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
                "django.template.context_processors.csp",
                "people.context_processors.portal",
                "notifications.context_processors.unread",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
# DATABASE_URL selects PostgreSQL in production and CI; the embedded default is
# a SQLite file under var/. SQLite write transactions start IMMEDIATE so that
# the audit chain is extended by one writer at a time.
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # A database that stops answering must cost a page seconds, not a gunicorn timeout (docs/operations.md).
    # The socket options notice a host or network that went away: keepalive probes after 10 s idle, every
    # 5 s, 3 unanswered and the connection is dead; data unacknowledged for 10 s (tcp_user_timeout, ms)
    # likewise. A frozen server process, whose kernel still acknowledges, is caught by core.dbwait.
    PORTAL_DB_CONNECT_SECONDS = env.int("DJANGO_DB_CONNECT_TIMEOUT", default=3)
    _statement_ms = env.int("DJANGO_DB_STATEMENT_TIMEOUT_MS", default=15000)
    # core.dbwait gives up on a query this long after sending it: after the server's statement_timeout,
    # so that a slow query is always stopped by the server first.
    PORTAL_DB_QUERY_DEADLINE_SECONDS = env.float(
        "DJANGO_DB_QUERY_DEADLINE", default=_statement_ms / 1000 + 3 if _statement_ms else 300
    )
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "connect_timeout": PORTAL_DB_CONNECT_SECONDS,
            "keepalives": 1,
            "keepalives_idle": env.int("DJANGO_DB_KEEPALIVES_IDLE", default=10),
            "keepalives_interval": env.int("DJANGO_DB_KEEPALIVES_INTERVAL", default=5),
            "keepalives_count": env.int("DJANGO_DB_KEEPALIVES_COUNT", default=3),
            "tcp_user_timeout": env.int("DJANGO_DB_TCP_USER_TIMEOUT_MS", default=10000),
        }
    )
    # The portal's queries are short and planned cheaply; compiling one (JIT) costs more than it saves
    # on the dashboard's counts (about 10 ms each at 100,000 cases, see bench/). No statement runs longer
    # than DJANGO_DB_STATEMENT_TIMEOUT_MS (0: no limit, for example for a long migration).
    DATABASES["default"]["OPTIONS"].setdefault("options", f"-c jit=off -c statement_timeout={_statement_ms}")
    # Django's backend, with its health check of a kept connection held to PORTAL_DB_HEALTH_CHECK_SECONDS.
    DATABASES["default"]["ENGINE"] = "core.postgresql"
    PORTAL_DB_HEALTH_CHECK_SECONDS = env.float("DJANGO_DB_HEALTH_CHECK_SECONDS", default=2)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default lives under var/, which a fresh clone does not have yet.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
    # Covering indexes (an index's extra columns, which let PostgreSQL count from the index
    # alone) are plain indexes on SQLite: the warning says so and nothing else differs.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]

# /healthz/ gives the database this long to answer (connecting included) before it answers 503.
PORTAL_HEALTHZ_DB_SECONDS = env.float("PORTAL_HEALTHZ_DB_SECONDS", default=2)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "people.User"

# --- Authentication and sessions -------------------------------------------
AUTHENTICATION_BACKENDS = [
    # django-axes first so that a locked-out account is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Sign-in through the school's OpenID Provider. Its authenticate() takes only the provider's
    # callback, so a username and password never reach it.
    "people.oidc.OIDCBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "two_factor:login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "two_factor:login"

# Thirty minutes idle. A signed-in request renews the expiry by saving the session, at most once a
# minute (people.middleware.SessionRenewalMiddleware): a page that changes nothing writes nothing.
SESSION_COOKIE_AGE = env.int("PORTAL_SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = False
PORTAL_SESSION_RENEW_SECONDS = 60
# With Redis (REDIS_URL), sessions live there rather than in the database. Not under the test suite:
# its query budgets count the session's read, and its database is rolled back after every test.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL and not RUNNING_TESTS:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "sessions": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # redis-py waits for ever by default: a frozen Redis would hang every signed-in page.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        },
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    SESSION_CACHE_ALIAS = "sessions"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

# Two-factor sign-in is required for the safeguarding and leadership roles.
PORTAL_REQUIRE_2FA = env.bool("PORTAL_REQUIRE_2FA", default=not DEBUG)
TWO_FACTOR_PATCH_ADMIN = False
OTP_TOTP_ISSUER = "Social Media Policy portal"

# django-axes: ten failures for one account from one address within five
# minutes lock that pair for five minutes.
AXES_FAILURE_LIMIT = env.int("PORTAL_LOCKOUT_FAILURES", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("PORTAL_LOCKOUT_MINUTES", default=5))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# The sign-in form is a wizard whose fields carry an "auth-" prefix.
AXES_USERNAME_CALLABLE = "people.auth.axes_username"
AXES_IPWARE_PROXY_COUNT = env.int("PORTAL_PROXY_COUNT", default=0)
# Without a trusted proxy, X-Forwarded-For is the client's own claim: never used for lock-outs.
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)
# The audit trail finds the client's address the same way.
AUDIT_PROXY_COUNT = AXES_IPWARE_PROXY_COUNT
AXES_VERBOSE = False

# --- Sign-in through the school's Microsoft 365 or Google Workspace (OpenID Connect) -----------
# Off unless PORTAL_OIDC_PROVIDERS names one or more providers, for example "microsoft,google". For each
# name N: PORTAL_OIDC_<N>_ISSUER, _CLIENT_ID and _CLIENT_SECRET (required), _NAME (the button), the
# endpoints found by discovery unless given (_AUTHORIZATION_ENDPOINT, _TOKEN_ENDPOINT,
# _USERINFO_ENDPOINT, _JWKS_URI), _MFA_ACR_VALUES (acr values that mean multi-factor) and
# _TRUSTED_EMAIL_DOMAINS (domains whose addresses count as verified when the provider says nothing
# either way: Entra ID). See docs/sign-in.md; people/oidc.py checks them at start-up.
PORTAL_OIDC_PROVIDERS = {}
for _name in env.list("PORTAL_OIDC_PROVIDERS", default=[]):
    _prefix = f"PORTAL_OIDC_{_name.upper()}_"
    PORTAL_OIDC_PROVIDERS[_name.lower()] = {
        "name": env.str(_prefix + "NAME", default=f"Sign in with {_name.title()}"),
        "issuer": env.str(_prefix + "ISSUER"),
        "client_id": env.str(_prefix + "CLIENT_ID"),
        "client_secret": env.str(_prefix + "CLIENT_SECRET"),
        "authorization_endpoint": env.str(_prefix + "AUTHORIZATION_ENDPOINT", default=""),
        "token_endpoint": env.str(_prefix + "TOKEN_ENDPOINT", default=""),
        "userinfo_endpoint": env.str(_prefix + "USERINFO_ENDPOINT", default=""),
        "jwks_uri": env.str(_prefix + "JWKS_URI", default=""),
        "mfa_acr_values": env.list(_prefix + "MFA_ACR_VALUES", default=[]),
        "trusted_email_domains": env.list(_prefix + "TRUSTED_EMAIL_DOMAINS", default=[]),
    }
# A provider's addresses must be https://, except under the test suite, whose provider runs on
# http://127.0.0.1. Deliberately not read from the environment.
PORTAL_OIDC_ALLOW_HTTP = RUNNING_TESTS

# --- Security headers ---------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # The health check is probed over plain HTTP by the load balancer.
    SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]

# --- Internationalisation ----------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
# The portal's date and time formats, one set for every page, report and notice (core/formats/en_GB/).
FORMAT_MODULE_PATH = "core.formats"

# --- Static files ---------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or RUNNING_TESTS
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Locally and under test, files are served straight from static/ (no collectstatic step).
WHITENOISE_USE_FINDERS = DEBUG or RUNNING_TESTS
WHITENOISE_AUTOREFRESH = DEBUG

# Uploaded evidence lives outside any served path and is only sent through views.
MEDIA_ROOT = env.path("PORTAL_PRIVATE_FILES", default=VAR_DIR / "private")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Email --------------------------------------------------------------------------
# Without SMTP settings, mail is written to files under var/mail/ so that a
# local run shows every notice without a mail server.
DEFAULT_FROM_EMAIL = env.str("PORTAL_FROM_EMAIL", default="portal@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
_smtp_host = env.str("PORTAL_SMTP_HOST", default="")
if _smtp_host:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _smtp_host,
                "port": env.int("PORTAL_SMTP_PORT", default=587),
                "username": env.str("PORTAL_SMTP_USER", default=""),
                "password": env.str("PORTAL_SMTP_PASSWORD", default=""),
                "use_tls": env.bool("PORTAL_SMTP_TLS", default=True),
                "timeout": env.int("PORTAL_SMTP_TIMEOUT", default=10),
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(env.path("PORTAL_MAIL_DIR", default=VAR_DIR / "mail"))},
        }
    }

# --- Notifications ----------------------------------------------------------------------------
# Attempts per notice before it is marked failed in the delivery log.
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=5)
# Back-off before attempt n+1: base * 2**n seconds, plus up to base seconds of jitter.
NOTIFICATIONS_RETRY_BASE_SECONDS = env.int("NOTIFICATIONS_RETRY_BASE_SECONDS", default=30)
# A notice left "sending" this long (its worker died) is taken over by the next worker. It must outlast
# the slowest send a live worker can make, or a slow send would be taken over and sent twice: one send
# is about eight exchanges with the mail server (connect, EHLO, STARTTLS, EHLO, AUTH, MAIL, RCPT, DATA,
# QUIT), each bounded by PORTAL_SMTP_TIMEOUT (10 s), so at most about 90 s; 120 s leaves a margin. Were
# a send ever taken over regardless, the delivery log says "possibly sent twice" (handovers).
NOTIFICATIONS_SENDING_TIMEOUT = env.int("NOTIFICATIONS_SENDING_TIMEOUT", default=120)
# A pending notice this far past due had its message lost: the sweeper sends it again. A live queue hands
# a notice to a worker within a second or two; 30 s spares a busy queue most needless no-op re-dispatches
# (a re-dispatched notice that was in fact queued costs a task that sends nothing, never a second email).
NOTIFICATIONS_SWEEP_AFTER_SECONDS = env.int("NOTIFICATIONS_SWEEP_AFTER_SECONDS", default=30)
# How often beat runs the sweep: a lost notice waits at most SWEEP_AFTER + SWEEP_INTERVAL (one minute).
NOTIFICATIONS_SWEEP_INTERVAL_SECONDS = env.int("NOTIFICATIONS_SWEEP_INTERVAL_SECONDS", default=30)
# Notices the sweeper re-dispatches per run.
NOTIFICATIONS_SWEEP_BATCH = env.int("NOTIFICATIONS_SWEEP_BATCH", default=1000)
# Notices handed to one Celery task: an event's notices share the cost of a task, and a large event still
# spreads over every worker process.
NOTIFICATIONS_DISPATCH_BATCH = env.int("NOTIFICATIONS_DISPATCH_BATCH", default=20)

# --- Celery -----------------------------------------------------------------------------
# REDIS_URL (read with the sessions, above) absent: tasks run in-process (after the transaction commits).
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 2}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_TIMEZONE = TIME_ZONE
# After a publish fails, a process leaves its work to the sweep for this long rather than wait on the
# broker again (core.broker's circuit breaker); a successful publish, or a worker's sweep, ends it sooner.
PORTAL_BROKER_RETRY_SECONDS = env.int("PORTAL_BROKER_RETRY_SECONDS", default=30)
# A worker keeps its database connection across tasks instead of opening one per task.
CELERY_DB_REUSE_MAX = env.int("CELERY_DB_REUSE_MAX", default=200)
CELERY_BEAT_SCHEDULE = {
    # Re-sends notices whose message was lost (broker down, worker killed). A worker also sweeps each time
    # it connects to the broker (socialpolicy.celery.SweepOnConnect), so this is the back-stop: a sweep
    # is one indexed query, cheap at twice a minute.
    "notifications-sweep-outbox": {
        "task": "notifications.tasks.sweep_outbox_task",
        "schedule": float(NOTIFICATIONS_SWEEP_INTERVAL_SECONDS),
        "options": {"expires": NOTIFICATIONS_SWEEP_INTERVAL_SECONDS * 0.9},
    },
    # Deadlines and review dates registered with notifications.reminders (CELERY_TIMEZONE is Europe/London).
    "notifications-daily-reminders": {
        "task": "notifications.tasks.run_daily_reminders_task",
        "schedule": crontab(hour=6, minute=30),
    },
}

# A one-working-day LADO deadline needs reminders finer than daily: swept every 15 minutes.
CELERY_BEAT_SCHEDULE["incidents-lado-deadlines"] = {
    "task": "incidents.tasks.lado_deadlines_sweep_task",
    "schedule": 15 * 60.0,
    "options": {"expires": 14 * 60},
}

# --- Portal rules ---------------------------------------------------------------------------
# Platforms' minimum age (§2, §8); the law or the platforms may move it.
PORTAL_MIN_PLATFORM_AGE = env.int("PORTAL_MIN_PLATFORM_AGE", default=13)

# Allegations about adults (§9, KCSIE part four).
# Working days (England and Wales) within which a case is referred to the LADO after receipt.
INCIDENTS_LADO_REFERRAL_WORKING_DAYS = env.int("INCIDENTS_LADO_REFERRAL_WORKING_DAYS", default=1)
# This many low-level concerns about one person within the window flag them for the DSL's review.
INCIDENTS_LOW_LEVEL_THRESHOLD = env.int("INCIDENTS_LOW_LEVEL_THRESHOLD", default=3)
INCIDENTS_LOW_LEVEL_WINDOW_MONTHS = env.int("INCIDENTS_LOW_LEVEL_WINDOW_MONTHS", default=12)
# Case records are kept until the subject's normal pension age or this many years, whichever is later.
INCIDENTS_NORMAL_PENSION_AGE = env.int("INCIDENTS_NORMAL_PENSION_AGE", default=67)
INCIDENTS_RETENTION_YEARS = env.int("INCIDENTS_RETENTION_YEARS", default=10)
# Largest evidence file accepted, in bytes.
INCIDENTS_EVIDENCE_MAX_BYTES = env.int("INCIDENTS_EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)

# --- Approvals (§5, §6, §7) -------------------------------------------------------------------
# The federation's rules, the same in every deployment (so not read from the environment).
# Months an approved social media service runs before its review date (the approver may choose
# an earlier date); unless renewed, it expires on that day.
APPROVALS_REVIEW_MONTHS = 12
# Days before the review date on which the proposer and the approver are reminded.
APPROVALS_REVIEW_REMINDER_DAYS = [30, 7]
# Months after which a family-link declaration is due to be made again (§7: yearly).
APPROVALS_DECLARATION_RENEWAL_MONTHS = 12

# --- Policy documents and reports (policydocs) ----------------------------------------------------
# Days before a ratified policy's review date on which the heads are reminded.
POLICYDOCS_REVIEW_REMINDER_DAYS = [60, 14]
# Staff who have not confirmed the current policy are reminded every this many days after ratification.
POLICYDOCS_ACK_REMINDER_INTERVAL_DAYS = 7
# Largest policy file accepted for import, in bytes.
POLICYDOCS_IMPORT_MAX_BYTES = 512 * 1024
# A PDF of more rows than this is made by a background task while the page shows its progress.
POLICYDOCS_PDF_BACKGROUND_ROWS = 200
# Generated report files (under MEDIA_ROOT/reports/) are deleted after this many days.
POLICYDOCS_REPORT_FILE_DAYS = 7

# --- Subject access requests (disclosures) -------------------------------------------------------
# The role that keeps the register of subject access requests and answers them (a people.models.Role
# value): a federation role handles every school of its federation, a school role its own school.
DISCLOSURES_HANDLER_ROLE = env.str("DISCLOSURES_HANDLER_ROLE", default="executive_head")
# The dashboard card counts a request as due soon this many days before its due date.
DISCLOSURES_DUE_SOON_DAYS = 7

# --- Logging ---------------------------------------------------------------------------------
# Logs name records by id only; case detail never goes to a log line.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # One line per task succeeded is noise; failures still show.
        "celery.app.trace": {"level": "WARNING"},
        # With no broker (tasks in-process) kombu's "no hostname" notice means nothing.
        "kombu.connection": {"level": "WARNING" if REDIS_URL else "ERROR"},
    },
}
