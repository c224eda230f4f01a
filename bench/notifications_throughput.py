"""Notification throughput: the outbox through a real Celery worker, against no-op Celery tasks.

How to run (PostgreSQL and Redis running; from the repository root):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
    REDIS_URL=redis://127.0.0.1:6379/0 \\
    .venv/bin/python bench/notifications_throughput.py [--count 1000] [--concurrency N] [--check]

The database named in DATABASE_URL is created if missing and migrated; use a scratch
database, not the portal's own. The script starts one `celery -A socialpolicy worker`
(prefork with one process per CPU, as docker-compose.yml runs it; --concurrency 1 for
the solo pool) on a queue of its own, so it never takes another process's tasks, then
times:

1. COUNT no-op Celery tasks, from the first publish until the worker has run them all;
2. COUNT notifications queued with `notify()` (one email each, to COUNT parents),
   from the call until every row is `sent` (claim, render, send through the file
   mail backend into a temporary folder, mark sent).

It prints both times and the ratio (no-op time / notification time; the target is at
least 0.5, so the outbox costs at most twice Celery's own overhead) and writes
bench/results-notifications.json; with --check it exits 1 below the target. The people
and notifications it creates are removed afterwards (their audit events stay: the trail
is append-only).

What bounds the ratio: a no-op costs Celery about a millisecond (publish, fetch, ack). The
notices travel in batches (NOTIFICATIONS_DISPATCH_BATCH to a task), so that cost is shared;
each notice still adds two durable writes (the claim, one UPDATE ... RETURNING, and the
"sent" mark) and building a two-part MIME message, a few milliseconds. Workers keep their
database connection across tasks (CELERY_DB_REUSE_MAX).
"""

import argparse
import json
import os
import platform
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results-notifications.json"
TARGET_RATIO = 0.5
MARKER_KEY = "bench:notifications:noop-done"

sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialpolicy.settings")

from socialpolicy.celery import app  # noqa: E402


@app.task(name="bench.noop_task", ignore_result=True)
def noop_task():
    """Does nothing: what a task costs in Celery and Redis alone."""


@app.task(name="bench.marker_task", ignore_result=True)
def marker_task(token: str):
    """Runs after the no-ops (one worker, one queue, in order) and says so in Redis."""
    import redis

    redis.Redis.from_url(app.conf.broker_url).set(MARKER_KEY, token, ex=600)


def _ensure_database(url: str) -> None:
    """Create the scratch database if it does not exist."""
    from urllib.parse import urlsplit

    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(
        dbname="postgres",
        user=parts.username or "postgres",
        password=parts.password or None,
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def _wait(predicate, timeout: float, what: str, interval: float = 0.02) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise SystemExit(f"Timed out after {timeout} s waiting for {what}.")


def _start_worker(queue: str, mail_dir: Path, log_path: Path, concurrency: int) -> subprocess.Popen:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="socialpolicy.settings",
        DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        DJANGO_DEBUG="0",
        DJANGO_LOG_LEVEL="WARNING",
        PORTAL_MAIL_DIR=str(mail_dir),
        PYTHONPATH=os.pathsep.join([str(Path(__file__).resolve().parent), str(REPO_ROOT)]),
    )
    env.pop("PORTAL_SMTP_HOST", None)
    pool = ["--pool=solo"] if concurrency == 1 else ["--pool=prefork", f"--concurrency={concurrency}"]
    log = log_path.open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "socialpolicy",
            "worker",
            *pool,
            "-Q",
            queue,
            "--include",
            "notifications_throughput",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            f"{queue}@%h",
        ],
        cwd=REPO_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    _wait(
        lambda: " ready." in log_path.read_text(errors="replace") or process.poll() is not None,
        60,
        "the worker to start",
    )
    if process.poll() is not None:
        raise SystemExit(f"The worker exited:\n{log_path.read_text(errors='replace')}")
    return process


def _time_noops(count: int) -> float:
    import redis

    client = redis.Redis.from_url(app.conf.broker_url)
    token = uuid.uuid4().hex
    client.delete(MARKER_KEY)
    started = time.monotonic()
    for _ in range(count):
        noop_task.delay()
    marker_task.delay(token)
    _wait(lambda: client.get(MARKER_KEY) == token.encode(), 600, "the no-op tasks")
    return time.monotonic() - started


def _time_notifications(count: int, parents, label: str) -> float:
    from notifications.models import Channel, Notification, Status
    from notifications.recipients import Recipient
    from notifications.services import notify

    event = f"bench.notifications.{label}.{uuid.uuid4().hex}"
    started = time.monotonic()
    notify(
        event=event,
        recipients=[Recipient(person=parent, channel=Channel.EMAIL) for parent in parents[:count]],
        template="parent_contact_request",
        context={"school_name": "Bench School"},
    )
    sent = Notification.objects.filter(event=event, status=Status.SENT)
    _wait(lambda: sent.count() == count, 600, "the notifications", interval=0.05)
    elapsed = time.monotonic() - started
    failed = Notification.objects.filter(event=event).exclude(status=Status.SENT).count()
    if failed:
        raise SystemExit(f"{failed} notifications were not sent.")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument(
        "--concurrency", type=int, default=os.cpu_count() or 1, help="worker processes (1: the solo pool)"
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when the ratio is below the target")
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres") or not os.environ.get("REDIS_URL"):
        raise SystemExit(
            "Set DATABASE_URL (PostgreSQL, a scratch database) and REDIS_URL: see the top of this file."
        )
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    _ensure_database(database_url)

    import django

    django.setup()
    from django.core.management import call_command

    from notifications.models import Notification
    from people.models import Person, PersonKind

    call_command("migrate", verbosity=0, interactive=False)

    # A queue of our own, so the worker takes only this run's tasks.
    queue = f"bench-{uuid.uuid4().hex[:8]}"
    app.conf.task_default_queue = queue

    run = uuid.uuid4().hex[:8]
    warm_up = 20
    parents = Person.objects.bulk_create(
        Person(
            kind=PersonKind.PARENT,
            first_name="Bench",
            last_name=f"Parent {n}",
            email=f"bench-{run}-{n}@example.org",
        )
        for n in range(args.count + warm_up)
    )
    with tempfile.TemporaryDirectory(prefix="notifications-bench-") as tmp:
        tmp_path = Path(tmp)
        worker = _start_worker(queue, tmp_path / "mail", tmp_path / "worker.log", args.concurrency)
        try:
            # Warm up both paths: connections, imports, template compilation.
            _time_noops(warm_up)
            _time_notifications(warm_up, parents[args.count :], "warm-up")

            noop_seconds = _time_noops(args.count)
            notification_seconds = _time_notifications(args.count, parents, "run")
        finally:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=30)
            Notification.objects.filter(recipient_person__in=parents).delete()
            Person.objects.filter(pk__in=[p.pk for p in parents]).delete()

    ratio = noop_seconds / notification_seconds
    results = {
        "count": args.count,
        "worker": "solo" if args.concurrency == 1 else f"prefork x{args.concurrency}",
        "noop_seconds": round(noop_seconds, 3),
        "notification_seconds": round(notification_seconds, 3),
        "noop_per_second": round(args.count / noop_seconds, 1),
        "notifications_per_second": round(args.count / notification_seconds, 1),
        "ratio": round(ratio, 3),
        "target_ratio": TARGET_RATIO,
        "meets_target": ratio >= TARGET_RATIO,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
    }
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"{args.count} no-op tasks:      {noop_seconds:8.2f} s ({results['noop_per_second']}/s)")
    print(
        f"{args.count} notifications:    {notification_seconds:8.2f} s ({results['notifications_per_second']}/s)"
    )
    print(f"ratio (no-op / notification): {ratio:.2f} (target >= {TARGET_RATIO})")
    print(f"written to {RESULTS.relative_to(REPO_ROOT)}")
    if ratio < TARGET_RATIO:
        print("below the target")
        if args.check:
            sys.exit(1)


if __name__ == "__main__":
    main()
