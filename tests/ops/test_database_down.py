"""Database-down drill: with the database stopped, the portal answers 503 with a plain message within
five seconds, and once the database is started again it answers normally, without being restarted.

A real stopped server, not a simulated one: the test makes its own PostgreSQL cluster (initdb, then
pg_ctl on a free port in a temporary folder; as root it runs them as the `postgres` system user,
since initdb refuses root) and never touches the shared server. The portal runs in a subprocess
(`manage.py runserver --noreload`) with the production settings (DJANGO_DEBUG off; static files from
the finders, see drill_settings.py), migrated into the private cluster. Runs where the suite runs on
PostgreSQL; under CI=true a missing piece fails the test instead of skipping it.
"""

import contextlib
import glob
import http.client
import os
import pwd
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.db import connection

from ..notifications.stack import free_port, wait_for

REPO_ROOT = Path(__file__).resolve().parents[2]
UNAVAILABLE = "The portal is temporarily unavailable"
LIMIT_SECONDS = 5.0

pytestmark = pytest.mark.postgres


def _postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _skip_or_fail(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


class PrivateCluster:
    """A throwaway PostgreSQL cluster on 127.0.0.1:<free port>, stoppable and startable again."""

    def __init__(self, bindir: Path, root: Path):
        self.bindir, self.root = bindir, root
        self.data, self.log = root / "data", root / "server.log"
        self.port = free_port()
        self.as_postgres: list[str] = []
        if os.geteuid() == 0:
            self.as_postgres = ["runuser", "-u", "postgres", "--"]
            owner = pwd.getpwnam("postgres")
            os.chown(root, owner.pw_uid, owner.pw_gid)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str, timeout: float = 120):
        subprocess.run([*self.as_postgres, *args], check=True, capture_output=True, timeout=timeout)

    def init(self):
        self._run(
            str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
            "--no-sync",
        )  # fmt: skip

    def start(self):
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} -c fsync=off"
        self._run(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-o",
            options,
            "-w",
            "start",
        )

    def stop(self):
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")


def _portal_env(database_url: str) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "PORTAL_", "PYTEST_"))
        and name not in ("DATABASE_URL", "REDIS_URL")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="tests.ops.drill_settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        PORTAL_REQUIRE_2FA="0",
        DATABASE_URL=database_url,
        PYTHONPATH=str(REPO_ROOT),
    )
    return env


SIGNED_IN_SESSION = """
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from people.models import Role
from tests.factories import SchoolFactory, make_user
user = make_user(Role.STAFF, school=SchoolFactory(name="Drill School", code="drill"))
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print(session.session_key)
"""


def _get(port: int, path: str, session_key: str = "") -> tuple[int, str, float]:
    started = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        headers = {"Cookie": f"sessionid={session_key}"} if session_key else {}
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace"), time.monotonic() - started
    finally:
        conn.close()


@pytest.fixture
def cluster():
    if connection.vendor != "postgresql":
        _skip_or_fail("the drill runs with the PostgreSQL suite: set DATABASE_URL")
    bindir = _postgres_bin()
    if bindir is None:
        _skip_or_fail("the drill needs PostgreSQL's server programs (initdb, pg_ctl)")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            _skip_or_fail("running as root, the drill needs a `postgres` system user to run initdb as")
        if shutil.which("runuser") is None:
            _skip_or_fail("running as root, the drill needs runuser to run initdb as `postgres`")
    root = Path(tempfile.mkdtemp(prefix="portal-db-drill-"))
    server = PrivateCluster(bindir, root)
    try:
        server.init()
        server.start()
        yield server
    finally:
        with contextlib.suppress(subprocess.SubprocessError):  # already stopped, or never started
            server.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def portal(cluster):
    env = _portal_env(cluster.url)
    manage = [sys.executable, "manage.py"]
    subprocess.run(
        [*manage, "migrate", "--noinput"],
        cwd=REPO_ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=600,
    )
    made = subprocess.run(
        [*manage, "shell", "-c", SIGNED_IN_SESSION], cwd=REPO_ROOT, env=env, check=True, capture_output=True, text=True, timeout=120
    )  # fmt: skip
    session_key = made.stdout.strip().splitlines()[-1]
    port = free_port()
    log = (cluster.root / "portal.log").open("w")
    process = subprocess.Popen(
        [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"], cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )  # fmt: skip

    def up():
        try:
            return _get(port, "/healthz/")[0] == 200
        except OSError:
            return False

    try:
        wait_for(up, timeout=60, message="the portal answers /healthz/")
        yield port, session_key, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def test_pages_answer_503_while_the_database_is_stopped_and_recover_without_a_restart(cluster, portal):
    port, session_key, process = portal
    status, body, _ = _get(port, "/", session_key)
    assert status == 200, body[:500]
    assert "Drill School" in body or "Sign out" in body or "sign out" in body.lower()
    assert _get(port, "/policy/public/")[0] == 200

    cluster.stop()
    for path, key in [("/", session_key), ("/people/", session_key), ("/policy/public/", "")]:
        status, body, elapsed = _get(port, path, key)
        assert status == 503, (path, status, body[:300])
        assert UNAVAILABLE in body
        assert "Traceback" not in body and "OperationalError" not in body
        assert elapsed < LIMIT_SECONDS, (path, elapsed)
    for key in ("", session_key):  # a probe without a session, and a browser with one: the same JSON
        status, body, elapsed = _get(port, "/healthz/", key)
        assert (status, elapsed < LIMIT_SECONDS) == (503, True)
        assert '"unavailable"' in body

    cluster.start()
    assert process.poll() is None  # the same portal process, never restarted
    wait_for(lambda: _get(port, "/healthz/")[0] == 200, timeout=20, message="/healthz/ recovers")
    status, body, _ = _get(port, "/", session_key)
    assert status == 200, body[:300]
    assert UNAVAILABLE not in body
    assert process.poll() is None
