"""Settings for the portal subprocess of the database-down drill (`test_database_down.py`).

The production settings (DJANGO_DEBUG off), with static files served straight from static/ so that
the drill needs no collectstatic step: it is about the database, not about static files.
"""

from socialpolicy.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
