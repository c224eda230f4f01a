"""WSGI entry point (gunicorn socialpolicy.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialpolicy.settings")

application = get_wsgi_application()
