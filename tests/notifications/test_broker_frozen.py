"""A frozen Redis (it accepts connections and never answers) makes no person wait: a submission answers
at once with its notices in the outbox, and the sweep sends them once Redis is back."""

import time
from collections import Counter

import pytest
from django.urls import reverse

from core import broker
from notifications.models import Channel, Notification, Status
from notifications.tasks import sweep_outbox_task
from people.models import Role

from ..factories import SchoolFactory, make_user
from .backends import sent_ids
from .stack import FreezableProxy, publishing_to, wait_for

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def frozen_redis(redis_server):
    proxy = FreezableProxy(redis_server.port).start()
    yield proxy
    proxy.stop()


def test_a_submission_answers_within_a_second_while_redis_is_frozen(
    redis_server, frozen_redis, start_worker, client, settings
):
    school = SchoolFactory(name="Larch School", code="larch")
    office = make_user(Role.OFFICE_ADMIN, Role.STAFF, school=school, email="office@larch.example.org")
    client.force_login(office)
    broker_url = f"redis://127.0.0.1:{frozen_redis.port}/0"

    assert client.get(reverse("notifications:log")).status_code == 200  # the first request's one-off costs

    with publishing_to(broker_url):
        frozen_redis.freeze()
        durations = []
        for _ in range(2):
            started = time.monotonic()
            response = client.post(reverse("notifications:send_test"))
            durations.append(time.monotonic() - started)
            assert response.status_code == 302
        assert max(durations) < 1, durations
        assert Notification.objects.filter(status=Status.PENDING).count() == 4  # by email and in the portal

        # Off the request, the publisher gave up on the frozen broker and remembers it for a while.
        assert broker.wait_until_idle(timeout=20)
        assert broker.broker_known_down()

        frozen_redis.thaw()
        settings.NOTIFICATIONS_SWEEP_AFTER_SECONDS = 0
        assert sweep_outbox_task() == 4  # the sweep publishes despite the remembered failure
        start_worker()
        wait_for(
            lambda: Notification.objects.filter(status=Status.SENT).count() == 4,
            timeout=60,
            message="the notices to be sent once Redis is back",
        )

    emails = Notification.objects.filter(channel=Channel.EMAIL).values_list("pk", flat=True)
    assert Counter(sent_ids(start_worker.mail_dir)) == {pk: 1 for pk in emails}
