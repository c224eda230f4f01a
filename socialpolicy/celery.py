"""The Celery application: configured from Django settings (CELERY_* names)."""

import logging
import os

from celery import Celery, bootsteps

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialpolicy.settings")

log = logging.getLogger(__name__)

app = Celery("socialpolicy")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class SweepOnConnect(bootsteps.StartStopStep):
    """Each time a worker's consumer connects to the broker (when the worker starts, and again after
    Redis was away), it queues a sweep of the outbox: notices filed while no worker could be reached go
    within seconds, rather than at the next scheduled sweep. Celery restarts the consumer's steps on every
    reconnection, so `start` runs then too (celery.signals.worker_ready fires only once, at start-up)."""

    requires = {"celery.worker.consumer.tasks:Tasks"}

    def start(self, consumer):
        try:
            consumer.app.send_task("notifications.tasks.sweep_outbox_task", kwargs={"on_connect": True})
        except Exception as exc:  # the broker went again: the scheduled sweep will do
            log.warning("sweep on connect not queued (%s)", type(exc).__name__)


app.steps["consumer"].add(SweepOnConnect)
