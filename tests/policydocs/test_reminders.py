"""Daily reminders: the review date (60 and 14 days before, to the heads and the Executive Head) and
staff who have not confirmed the current version (weekly). Re-runs send nothing twice."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import Channel, Notification
from notifications.reminders import registered_daily
from policydocs import acknowledgements, services

from .helpers import acknowledge, ratified_version

pytestmark = pytest.mark.django_db


def test_the_daily_jobs_are_registered():
    assert {
        "policydocs.review_due",
        "policydocs.acknowledgements_outstanding",
        "policydocs.report_files_cleanup",
    } <= set(registered_daily())


@pytest.fixture
def reviewed(federation):
    today = timezone.localdate()
    return ratified_version(federation), today


def _review_rows(version, mark):
    return Notification.objects.filter(event=f"policydocs.version.{version.pk}.review_due.{mark}")


@pytest.mark.parametrize(("days_left", "mark"), [(60, 60), (45, 60), (14, 14), (3, 14)])
def test_heads_are_reminded_60_and_14_days_before_review(
    head_user, exec_head_user, staff_user, reviewed, days_left, mark
):
    version, today = reviewed
    version.review_due_on = today + timedelta(days=days_left)
    version.save(update_fields=["review_due_on"])

    services.review_reminders_send(today)

    rows = _review_rows(version, mark)
    assert {row.recipient_user_id for row in rows} == {head_user.pk, exec_head_user.pk}
    assert {row.template for row in rows} == {"policydocs_review_due"}
    assert rows.filter(channel=Channel.EMAIL).first().context["days"] == days_left


def test_no_review_reminder_earlier_than_60_days(head_user, reviewed):
    version, today = reviewed
    version.review_due_on = today + timedelta(days=61)
    version.save(update_fields=["review_due_on"])

    assert services.review_reminders_send(today) == 0
    assert not Notification.objects.filter(template="policydocs_review_due").exists()


def test_a_second_run_sends_no_second_review_reminder(head_user, reviewed):
    version, today = reviewed
    version.review_due_on = today + timedelta(days=14)
    version.save(update_fields=["review_due_on"])

    services.review_reminders_send(today)
    services.review_reminders_send(today)
    services.review_reminders_send(today + timedelta(days=1))

    assert _review_rows(version, 14).filter(recipient_user=head_user).count() == 2  # email and in the portal


def test_staff_who_have_not_confirmed_are_reminded_weekly(staff_user, office_user, head_user, federation):
    version = ratified_version(federation)
    acknowledge(office_user, version)
    ratified = timezone.localdate(version.ratified_at)

    assert acknowledgements.acknowledgement_reminders_send(ratified + timedelta(days=6)) == 0
    acknowledgements.acknowledgement_reminders_send(ratified + timedelta(days=7))
    acknowledgements.acknowledgement_reminders_send(ratified + timedelta(days=8))  # same week: nothing new

    week_one = Notification.objects.filter(event=f"policydocs.version.{version.pk}.acknowledge.reminder.1")
    assert {row.recipient_user_id for row in week_one} == {staff_user.pk, head_user.pk}
    assert week_one.count() == 4
    assert {row.template for row in week_one} == {"policydocs_acknowledgement_reminder"}

    acknowledge(staff_user, version)
    acknowledgements.acknowledgement_reminders_send(ratified + timedelta(days=14))
    week_two = Notification.objects.filter(event=f"policydocs.version.{version.pk}.acknowledge.reminder.2")
    assert {row.recipient_user_id for row in week_two} == {head_user.pk}
