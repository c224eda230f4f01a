"""The bare page's WSGI application (bench/run.py serves it with gunicorn)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.bare.settings")

application = get_wsgi_application()
