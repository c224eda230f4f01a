"""Django's PostgreSQL backend, with the connection health check (CONN_HEALTH_CHECKS) held to
PORTAL_DB_HEALTH_CHECK_SECONDS.

Before reusing a kept connection, Django sends it `SELECT 1`. Against a frozen server that wait would
otherwise last the whole query deadline (`core.dbwait`) before the page could even try a new connection;
a server that cannot answer `SELECT 1` in two seconds is treated as gone, and the request opens a new
connection (DJANGO_DB_CONNECT_TIMEOUT) or answers 503.
"""

from django.conf import settings
from django.db.backends.postgresql import base

from core import dbwait


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        with dbwait.deadline(float(getattr(settings, "PORTAL_DB_HEALTH_CHECK_SECONDS", 2))):
            return super().is_usable()
