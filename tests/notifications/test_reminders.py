"""The daily reminders registry: each job runs on its own; a failure is logged by name only."""

import logging

import pytest

from core.extensions import DAILY_JOBS
from notifications import reminders
from notifications.models import Notification
from notifications.recipients import Recipient
from notifications.services import notify
from notifications.tasks import run_daily_reminders_task

from ..factories import ParentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry():
    with DAILY_JOBS.emptied():
        yield reminders


def test_every_registered_job_runs(registry):
    ran = []
    registry.register_daily("a.first")(lambda: ran.append("first"))
    registry.register_daily("b.second")(lambda: ran.append("second"))

    assert run_daily_reminders_task() == {"a.first": "ok", "b.second": "ok"}
    assert ran == ["first", "second"]


def test_a_failing_job_does_not_stop_the_others_nor_keep_its_writes(registry, caplog):
    parent = ParentFactory()

    @registry.register_daily("incidents.broken")
    def broken():
        notify(event="reminder.broken", recipients=[Recipient(person=parent)], template="test_notice")
        raise RuntimeError("Pupil Maya Brookfield: allegation details")

    @registry.register_daily("policydocs.fine")
    def fine():
        notify(event="reminder.fine", recipients=[Recipient(person=parent)], template="test_notice")

    with caplog.at_level(logging.ERROR, logger="notifications"):
        outcome = run_daily_reminders_task()

    assert outcome == {"incidents.broken": "failed", "policydocs.fine": "ok"}
    assert list(Notification.objects.values_list("event", flat=True)) == ["reminder.fine"]
    assert "daily reminder incidents.broken failed (RuntimeError)" in caplog.text
    assert "Maya" not in caplog.text


def test_a_name_is_registered_once(registry):
    def job():
        return None

    registry.register_daily("x.job")(job)
    registry.register_daily("x.job")(job)  # the same function again (a module imported twice) is fine
    with pytest.raises(ValueError):
        registry.register_daily("x.job")(lambda: None)
    assert list(registry.registered_daily()) == ["x.job"]


def test_the_beat_schedule_runs_the_sweeper_and_the_reminders(settings):
    from celery.schedules import crontab

    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert (
        schedule["notifications.tasks.sweep_outbox_task"] == 30.0
    )  # see NOTIFICATIONS_SWEEP_INTERVAL_SECONDS
    assert schedule["notifications.tasks.run_daily_reminders_task"] == crontab(hour=6, minute=30)
    assert settings.CELERY_TIMEZONE == "Europe/London"
