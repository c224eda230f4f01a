"""A worker sweeps the outbox each time it connects to the broker: notices filed while Redis was down, or
while no worker ran, go within seconds of a worker (re)connecting, not at the next scheduled sweep.

No beat runs in these tests, so nothing but the worker's sweep on connecting can send the notices.
"""

import time

import pytest

from notifications.models import Channel, Notification, Status
from notifications.recipients import Recipient
from notifications.services import notify

from ..factories import ParentFactory
from .backends import sent_ids
from .stack import publishing_to, wait_for

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

PROMPTLY = 10  # seconds; the scheduled sweep would take up to a minute, and no beat runs here at all


def _file_notices_while_redis_is_down(redis_server, count=3):
    redis_server.stop()
    with publishing_to(redis_server.url):
        rows = notify(
            event="people.test.on-connect",
            recipients=[Recipient(person=ParentFactory(), channel=Channel.EMAIL) for _ in range(count)],
            template="test_notice",
        )
    assert set(Notification.objects.values_list("status", flat=True)) == {Status.PENDING}
    return rows


def test_a_worker_starting_sends_what_waited_in_the_outbox(redis_server, start_worker):
    rows = _file_notices_while_redis_is_down(redis_server)
    redis_server.start()

    start_worker()
    started = time.monotonic()
    wait_for(
        lambda: Notification.objects.filter(status=Status.SENT).count() == len(rows),
        timeout=PROMPTLY,
        message="the notices to be sent after the worker started",
    )
    assert time.monotonic() - started < PROMPTLY
    assert sorted(sent_ids(start_worker.mail_dir)) == sorted(row.pk for row in rows)


def test_a_worker_reconnecting_to_redis_sends_what_was_filed_while_it_was_away(redis_server, start_worker):
    worker = start_worker()
    rows = _file_notices_while_redis_is_down(redis_server)
    time.sleep(1)  # the worker notices the broker has gone
    redis_server.start()  # the same port

    wait_for(
        lambda: Notification.objects.filter(status=Status.SENT).count() == len(rows),
        timeout=30,  # the worker's own reconnection back-off, then the sweep
        message=f"the notices to be sent after the worker reconnected; see {worker.log_path}",
    )
    assert sorted(sent_ids(start_worker.mail_dir)) == sorted(row.pk for row in rows)
