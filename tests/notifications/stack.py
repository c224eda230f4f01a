"""Real Redis servers and Celery workers for the worker tests, run as subprocesses.

Each test gets its own throwaway redis-server on a free port, so no other test run
sharing the machine's Redis can take its messages or leave some behind; the worker
reads the test database (pytest-django's test_<name>) and records mail in a folder.
"""

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

REPO_ROOT = Path(__file__).resolve().parents[2]
REDIS_SERVER = shutil.which("redis-server")


def skip_unless_worker_stack() -> None:
    """Worker tests need REDIS_URL, PostgreSQL and redis-server; under CI=true a gap is a failure."""
    reasons = []
    if not os.environ.get("REDIS_URL"):
        reasons.append("REDIS_URL is not set")
    if connection.vendor != "postgresql":
        reasons.append("the database is not PostgreSQL")
    if not REDIS_SERVER:
        reasons.append("redis-server is not installed")
    if reasons:
        message = "worker tests need Redis and PostgreSQL: " + ", ".join(reasons)
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def wait_for(predicate, *, timeout: float, message: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s: {message}")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A redis-server subprocess with no persistence, stoppable and restartable on the same port."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self.answers, timeout=10, message=f"redis-server on port {self.port} to answer")
        return self

    def answers(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=0.2).ping())
        except redis.RedisError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None


def current_database_url() -> str:
    """A DATABASE_URL for the database this test is using (the test database, not the real one)."""
    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"], safe="")
    host = s["HOST"] or "127.0.0.1"
    port = s["PORT"] or 5432
    return f"postgres://{auth}@{host}:{port}/{quote(s['NAME'], safe='')}"


class Worker:
    """`celery -A socialpolicy worker --pool=solo` in its own process group."""

    def __init__(
        self,
        *,
        broker_url: str,
        mail_dir: Path,
        log_dir: Path,
        release_file: Path | None = None,
        sending_timeout: float | None = None,
        hold_after_send: bool = False,
    ):
        self.name = f"notifications-test-{uuid.uuid4().hex[:8]}"
        self.log_path = Path(log_dir) / f"{self.name}.log"
        self.env = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith(("DJANGO_", "PORTAL_", "PYTEST_", "CELERY_"))
        }
        self.env.update(
            DJANGO_SETTINGS_MODULE="tests.notifications.worker_settings",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
            DJANGO_LOG_LEVEL="INFO",
            DATABASE_URL=current_database_url(),
            REDIS_URL=broker_url,
            NOTIFICATIONS_TEST_MAIL_DIR=str(mail_dir),
        )
        if release_file is not None:
            self.env["NOTIFICATIONS_TEST_RELEASE_FILE"] = str(release_file)
        if sending_timeout is not None:
            self.env["NOTIFICATIONS_TEST_SENDING_TIMEOUT"] = str(sending_timeout)
        if hold_after_send:
            self.env["NOTIFICATIONS_TEST_HOLD_AFTER_SEND"] = "1"
        self.process: subprocess.Popen | None = None

    def start(self, *, wait: bool = True) -> "Worker":
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "socialpolicy",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"{self.name}@%h",
            ],
            cwd=REPO_ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        if wait:
            wait_for(self.ready, timeout=60, message=f"worker {self.name} to start; see {self.log_path}")
        return self

    def ready(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"worker exited with {self.process.returncode}:\n{self.log()}")
        return " ready." in self.log()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def kill(self) -> None:
        """SIGKILL, as the out-of-memory killer or a pulled plug would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        if getattr(self, "_log", None) is not None:
            self._log.close()


def _reset_broker_pools(app) -> None:
    pool = app._pool
    if pool is not None:
        pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None


@contextlib.contextmanager
def publishing_to(broker_url: str):
    """Make this process publish tasks to `broker_url` (not in-process) for the block."""
    from core import broker
    from socialpolicy.celery import app

    saved = (app.conf.broker_url, app.conf.task_always_eager)
    _reset_broker_pools(app)
    broker.reset()
    app.conf.broker_url = broker_url
    app.conf.task_always_eager = False
    try:
        yield app
    finally:
        # Publishes still on the publisher thread finish (or give up) before the pools go.
        broker.wait_until_idle(timeout=15)
        _reset_broker_pools(app)
        broker.reset()
        app.conf.broker_url, app.conf.task_always_eager = saved


class FreezableProxy:
    """A TCP relay to a server on 127.0.0.1 that the test can freeze: connections stay open and new ones are
    accepted (as the kernel accepts them for a stopped process), but no byte moves either way until it is
    thawed, when what was held back flows on, as after SIGCONT. A stand-in for a frozen Redis or PostgreSQL
    that needs no root and touches no shared server."""

    def __init__(self, upstream_port: int):
        self.upstream_port = upstream_port
        self.port = free_port()
        self._thawed = threading.Event()
        self._thawed.set()
        self._sockets: list[socket.socket] = []
        self._listener: socket.socket | None = None

    def start(self) -> "FreezableProxy":
        self._listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def freeze(self) -> None:
        self._thawed.clear()

    def thaw(self) -> None:
        self._thawed.set()

    def stop(self) -> None:
        if self._listener is not None:
            self._listener.close()
        self.thaw()
        for sock in self._sockets:
            with contextlib.suppress(OSError):
                sock.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:  # stopped
                return
            self._sockets.append(client)
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        self._thawed.wait()
        try:
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=5)
            upstream.settimeout(None)
        except OSError:
            client.close()
            return
        self._sockets.append(upstream)
        threading.Thread(target=self._pipe, args=(client, upstream), daemon=True).start()
        self._pipe(upstream, client)

    def _pipe(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                self._thawed.wait()
                target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
