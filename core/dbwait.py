"""A deadline on every wait for PostgreSQL, so that a frozen server answers 503 rather than hanging.

A PostgreSQL server that is frozen (a stopped process, a host under swap, a stalled disk) still has its
kernel acknowledge every packet, so neither TCP keepalives nor `tcp_user_timeout` notice anything, and the
server cannot enforce its own `statement_timeout`: libpq would wait for ever. The socket options in
DATABASES still matter when the host or the network goes away; this covers the frozen process.

psycopg2 lets the application do libpq's waiting (`psycopg2.extensions.set_wait_callback`). `install()`
registers a wait that gives up after a deadline and raises OperationalError, which Django turns into the
503 page; psycopg2 then discards the connection and the next request opens a new one. The deadlines:

- opening a connection: DJANGO_DB_CONNECT_TIMEOUT (the libpq setting of the same meaning, which libpq
  itself cannot apply once the wait is the application's);
- a query: the statement timeout plus a margin (`query_seconds`), so a slow query is stopped by the
  server first and this only ever catches a server that cannot answer at all;
- within `deadline(seconds)`: at most `seconds` in all (/healthz/, Django's check of a kept connection).
"""

import contextlib
import contextvars
import select
import time

from django.conf import settings

# When the current `deadline` block ends (time.monotonic()), or None outside one.
_override: contextvars.ContextVar[float | None] = contextvars.ContextVar("db_wait_deadline", default=None)


def connect_seconds() -> float:
    return float(getattr(settings, "PORTAL_DB_CONNECT_SECONDS", 3))


def query_seconds() -> float:
    return float(getattr(settings, "PORTAL_DB_QUERY_DEADLINE_SECONDS", 18))


@contextlib.contextmanager
def deadline(seconds: float):
    """Spend at most `seconds` waiting for the database in the whole block, however many steps it takes
    (a health check of a kept connection, then a new connection). Nested blocks end at the earlier time."""
    ends = time.monotonic() + seconds
    outer = _override.get()
    token = _override.set(ends if outer is None else min(outer, ends))
    try:
        yield
    finally:
        _override.reset(token)


def wait_with_deadline(conn) -> None:
    """psycopg2's wait callback: poll the connection until it is ready, or raise once the deadline passes."""
    import psycopg2
    from psycopg2 import extensions

    connecting = conn.status == extensions.STATUS_SETUP
    limit = connect_seconds() if connecting else query_seconds()
    ends = time.monotonic() + limit
    block_ends = _override.get()
    if block_ends is not None and block_ends < ends:
        ends = block_ends
        limit = max(0.0, block_ends - time.monotonic())
    while True:
        state = conn.poll()
        if state == extensions.POLL_OK:
            return
        remaining = ends - time.monotonic()
        if remaining <= 0:
            raise psycopg2.OperationalError(
                f"the database did not answer within {limit:.1f} s ({'connecting' if connecting else 'query'})"
            )
        if state == extensions.POLL_READ:
            select.select([conn.fileno()], [], [], remaining)
        elif state == extensions.POLL_WRITE:
            select.select([], [conn.fileno()], [], remaining)
        else:  # pragma: no cover - psycopg2 documents no other state
            raise psycopg2.OperationalError(f"bad state from poll: {state}")


def install() -> bool:
    """Register the wait when the default database is PostgreSQL through psycopg2; returns whether it did."""
    if settings.DATABASES["default"]["ENGINE"] not in ("core.postgresql", "django.db.backends.postgresql"):
        return False
    try:
        from psycopg2 import extensions
    except ImportError:  # psycopg 3 has no such hook
        return False
    extensions.set_wait_callback(wait_with_deadline)
    return True
