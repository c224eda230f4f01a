"""Frozen-database drill: with PostgreSQL frozen (it keeps its connections open and accepts new ones but
answers nothing, as a stopped process or a stalled host does), pages and /healthz/ answer 503 within
seconds instead of hanging until gunicorn kills the worker, and recover once it answers again.

The portal runs under gunicorn (one sync worker, so a database connection is kept between requests, as
in production) against a private cluster (see test_database_down.py) reached through a relay the test
can freeze (tests.notifications.stack.FreezableProxy): no root, and the shared server is never touched.
The statement timeout is shortened to 2 s so that the query deadline (core.dbwait) is 5 s.
"""

import subprocess
import sys
import time

import pytest

from ..notifications.stack import FreezableProxy, free_port, wait_for
from .test_database_down import REPO_ROOT, SIGNED_IN_SESSION, UNAVAILABLE, _get, _portal_env, cluster  # noqa: F401

pytestmark = pytest.mark.postgres

HEALTHZ_LIMIT = 4.0  # PORTAL_HEALTHZ_DB_SECONDS (2) and the request's own costs
PAGE_LIMIT = 6.5  # the kept connection's health check (2 s), a new connection's timeout (3 s), the page


@pytest.fixture
def frozen_portal(cluster):  # noqa: F811
    env = _portal_env(cluster.url)
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput"], cwd=REPO_ROOT, env=env, check=True, capture_output=True, timeout=600)  # fmt: skip
    made = subprocess.run(
        [*manage, "shell", "-c", SIGNED_IN_SESSION], cwd=REPO_ROOT, env=env, check=True, capture_output=True, text=True, timeout=120
    )  # fmt: skip
    session_key = made.stdout.strip().splitlines()[-1]

    proxy = FreezableProxy(cluster.port).start()
    # The same secret key as made the session, through the relay.
    env.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{proxy.port}/postgres",
        DJANGO_DB_STATEMENT_TIMEOUT_MS="2000",
    )
    port = free_port()
    log = (cluster.root / "portal.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "socialpolicy.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--timeout", "120"],
        cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip

    def up():
        try:
            return _get(port, "/healthz/")[0] == 200
        except OSError:
            return False

    try:
        wait_for(up, timeout=60, message="the portal answers /healthz/")
        yield port, session_key, process, proxy
    finally:
        proxy.stop()
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def test_pages_and_the_health_check_answer_503_within_seconds_while_the_database_is_frozen(frozen_portal):
    port, session_key, process, proxy = frozen_portal
    status, body, _ = _get(port, "/", session_key)
    assert status == 200, body[:500]  # the worker now keeps a connection

    proxy.freeze()
    # A signed-in page first: its kept connection's health check, then a new connection, time out.
    for path, key in [("/", session_key), ("/policy/public/", "")]:
        status, body, elapsed = _get(port, path, key)
        assert status == 503, (path, status, body[:300])
        assert UNAVAILABLE in body
        assert elapsed < PAGE_LIMIT, (path, elapsed)
    for key in ("", session_key):  # a probe, and a browser with a session: the same JSON, as quickly
        status, body, elapsed = _get(port, "/healthz/", key)
        assert (status, body) == (503, '{"status": "unavailable"}')
        assert elapsed < HEALTHZ_LIMIT, elapsed

    proxy.thaw()
    started = time.monotonic()
    wait_for(lambda: _get(port, "/healthz/")[0] == 200, timeout=20, message="/healthz/ recovers")
    assert time.monotonic() - started < 10
    status, body, _ = _get(port, "/", session_key)
    assert status == 200, body[:300]
    assert process.poll() is None  # the same worker throughout: never killed for hanging


def test_a_kept_connection_to_a_frozen_database_fails_the_health_check_within_its_deadline(frozen_portal):
    """The health check's own connection was kept from the check before: it gives up after 2 s."""
    port, _session_key, process, proxy = frozen_portal
    assert _get(port, "/healthz/")[0] == 200
    proxy.freeze()
    status, _body, elapsed = _get(port, "/healthz/")
    assert status == 503 and elapsed < HEALTHZ_LIMIT, elapsed
    proxy.thaw()
    wait_for(lambda: _get(port, "/healthz/")[0] == 200, timeout=20, message="/healthz/ recovers")
    assert process.poll() is None
