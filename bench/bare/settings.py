"""The bare page's settings: what a Django page costs with nothing of the portal's around it.

bench/run.py serves it with its own gunicorn next to the portal's and states every page's latency,
the floor's included, as a multiple of this page's. Only Django's session and authentication
middleware, one view behind `login_required` that runs one query of 25 rows and renders a minimal
template with no context processor. It reads the portal's database and sessions (the same
DATABASE_URL, DJANGO_SECRET_KEY and REDIS_URL), so the benchmark's signed-in users are signed in here.
"""

from pathlib import Path

import environ

env = environ.Env()

DEBUG = False
# The portal's key, or no key at all (Django then refuses to start): the sessions are signed with it.
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    # The portal's user model, so that the portal's sessions name a user here too; the registry's start-up
    # loads its views, which write the audit trail, so the audit app's model is installed (nothing runs).
    "audit",
    "people",
]
AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "bench.bare.urls"
LOGIN_URL = "/account/login/"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).resolve().parent / "templates"],
    }
]

# The database as the portal reaches it: a connection kept between requests.
DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"sqlite:///{Path(__file__).resolve().parents[2] / 'var' / 'portal.sqlite3'}"
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The portal's sessions, wherever the portal keeps them.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "sessions": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    SESSION_CACHE_ALIAS = "sessions"

TIME_ZONE = "Europe/London"
USE_TZ = True
USE_I18N = False
