"""core.dbwait: the deadline on every wait for PostgreSQL, tried on a socket that never answers."""

import socket
import time

import pytest

psycopg2 = pytest.importorskip("psycopg2")
from psycopg2 import extensions  # noqa: E402

from core import dbwait  # noqa: E402


class Silent:
    """A connection whose server never answers: psycopg2 keeps asking to wait for reading."""

    def __init__(self, status=extensions.STATUS_READY):
        self.status = status
        self._ours, self._theirs = socket.socketpair()

    def poll(self):
        return extensions.POLL_READ

    def fileno(self):
        return self._ours.fileno()

    def close(self):
        self._ours.close()
        self._theirs.close()


@pytest.fixture
def silent():
    conns = []

    def make(**kwargs):
        conns.append(Silent(**kwargs))
        return conns[-1]

    yield make
    for conn in conns:
        conn.close()


def _time_to_fail(conn) -> float:
    started = time.monotonic()
    with pytest.raises(psycopg2.OperationalError, match="did not answer"):
        dbwait.wait_with_deadline(conn)
    return time.monotonic() - started


def test_a_query_waits_the_query_deadline_and_a_connection_the_connect_timeout(settings, silent):
    settings.PORTAL_DB_QUERY_DEADLINE_SECONDS = 0.6
    settings.PORTAL_DB_CONNECT_SECONDS = 0.2
    assert 0.55 < _time_to_fail(silent()) < 1.5
    assert 0.15 < _time_to_fail(silent(status=extensions.STATUS_SETUP)) < 0.5


def test_a_deadline_block_bounds_all_its_waits_together(settings, silent):
    settings.PORTAL_DB_QUERY_DEADLINE_SECONDS = 10
    settings.PORTAL_DB_CONNECT_SECONDS = 10
    started = time.monotonic()
    with dbwait.deadline(0.5):
        for conn in (
            silent(),
            silent(status=extensions.STATUS_SETUP),
        ):  # a health check, then a new connection
            with pytest.raises(psycopg2.OperationalError):
                dbwait.wait_with_deadline(conn)
        with dbwait.deadline(5):  # an inner block never extends the outer one
            with pytest.raises(psycopg2.OperationalError):
                dbwait.wait_with_deadline(silent())
    assert time.monotonic() - started < 1.5


def test_an_answer_ends_the_wait(silent):
    conn = silent()
    conn.poll = lambda: extensions.POLL_OK
    dbwait.wait_with_deadline(conn)
