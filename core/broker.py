"""Publishing to the broker (Redis) without making a person wait for it.

A frozen Redis (a stopped process, a network that drops packets) does not refuse a connection: each
publish waits out its socket timeouts, two to six seconds. Work whose record is already saved (the
outbox, which the sweep re-dispatches) need not wait for that, so:

- `publish_soon(fn, *args)` hands the publish to this process's publisher thread and returns at once;
  the request answers while the thread talks to the broker. A process that exits with publishes still
  queued loses only messages: the records stay, and the sweep sends them.
- a short circuit breaker: after a publish fails, `broker_known_down()` is true for
  PORTAL_BROKER_RETRY_SECONDS, and callers leave their work to the sweep instead of trying again. Each
  process remembers on its own; any successful publish closes the breaker at once.

With tasks in-process (no REDIS_URL, CELERY_TASK_ALWAYS_EAGER) there is no broker: `publish_soon` runs
the function inline and the breaker is never consulted.
"""

import logging
import os
import queue
import threading
import time

from celery import current_app
from django.conf import settings

log = logging.getLogger(__name__)

_lock = threading.Lock()
_down_until = 0.0
_queue: queue.SimpleQueue | None = None
_owner_pid: int | None = None
_idle = threading.Event()
_idle.set()
_pending = 0


def retry_seconds() -> float:
    return float(getattr(settings, "PORTAL_BROKER_RETRY_SECONDS", 30))


def tasks_in_process() -> bool:
    return bool(current_app.conf.task_always_eager)


def broker_known_down() -> bool:
    """A publish failed less than PORTAL_BROKER_RETRY_SECONDS ago in this process (never with tasks in-process)."""
    return not tasks_in_process() and time.monotonic() < _down_until


def note_broker_down() -> None:
    global _down_until
    _down_until = time.monotonic() + retry_seconds()


def note_broker_up() -> None:
    global _down_until
    _down_until = 0.0


def publish_soon(fn, *args) -> None:
    """Call `fn(*args)` on the publisher thread (inline with tasks in-process). `fn` must not raise and must
    not need the database: it runs outside the request, and after it may have ended."""
    if tasks_in_process():
        fn(*args)
        return
    global _pending
    with _lock:
        _pending += 1
        _idle.clear()
    _publisher().put((fn, args))


def wait_until_idle(timeout: float) -> bool:
    """Wait until every publish handed over so far has been made (or given up); for tests and shutdown."""
    return _idle.wait(timeout)


def _publisher() -> queue.SimpleQueue:
    """This process's publisher queue, its thread started on first use (and again in a forked child,
    which inherits the queue but not the thread)."""
    global _queue, _owner_pid
    with _lock:
        if _queue is None or _owner_pid != os.getpid():
            _queue = queue.SimpleQueue()
            _owner_pid = os.getpid()
            threading.Thread(target=_run, args=(_queue,), name="broker-publisher", daemon=True).start()
        return _queue


def _run(jobs: queue.SimpleQueue) -> None:
    global _pending
    while True:
        fn, args = jobs.get()
        try:
            fn(*args)
        except Exception as exc:  # the thread must outlive any one publish
            log.warning("background publish failed (%s)", type(exc).__name__)
        finally:
            with _lock:
                _pending -= 1
                if _pending <= 0:
                    _pending = 0
                    _idle.set()


def reset() -> None:
    """Forget a remembered failure (tests; a process that knows the broker is back)."""
    note_broker_up()
