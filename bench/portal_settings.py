"""The portal's own settings (socialpolicy.settings, from the same environment) with the floor page
mounted: what bench/run.py measures the portal with, in-process and under gunicorn."""

from socialpolicy.settings import *  # noqa: F403
from socialpolicy.settings import BASE_DIR, TEMPLATES

ROOT_URLCONF = "bench.urls"
# A copy: the portal's own TEMPLATES stays as it is.
TEMPLATES = [{**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]}]
