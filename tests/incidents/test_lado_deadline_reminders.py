"""LADO referral reminders through the outbox: when half the time has gone and when the deadline is
missed, to SLT and the case manager, never to the subject; repeats add nothing."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail

from audit.models import AuditEvent
from incidents import services, tasks
from notifications.models import HiddenFrom, Notification
from notifications.reminders import registered_daily

from .casework import assess, record_case, refer

pytestmark = pytest.mark.django_db


def _sweep(at):
    return services.lado_deadlines_sweep(now=at)


def test_half_time_then_missed_reminders_go_to_slt_and_the_executive_head(
    slt_user, dsl_user, exec_head_user, school, subject
):
    case = record_case(slt_user, school, subject)
    assert _sweep(case.referral_half_at - timedelta(minutes=1)) == []

    assert _sweep(case.referral_half_at) == [(case.pk, "due_soon")]
    soon = Notification.objects.filter(event=f"incidents.allegation.{case.pk}.lado_due_soon")
    assert {n.recipient_user_id for n in soon} == {slt_user.pk, exec_head_user.pk}
    assert {n.template for n in soon} == {"incidents_lado_due_soon"}

    assert _sweep(case.referral_due_at + timedelta(minutes=1)) == [(case.pk, "overdue")]
    missed = Notification.objects.filter(event=f"incidents.allegation.{case.pk}.lado_overdue")
    assert {n.recipient_user_id for n in missed} == {slt_user.pk, exec_head_user.pk}


def test_sweeping_again_adds_nothing_and_writes_no_audit_noise(slt_user, exec_head_user, school, subject):
    case = record_case(slt_user, school, subject)
    later = case.referral_due_at + timedelta(hours=1)
    _sweep(later)
    rows, events = Notification.objects.count(), AuditEvent.objects.count()
    assert _sweep(later) == [] and _sweep(later + timedelta(minutes=15)) == []
    assert Notification.objects.count() == rows and AuditEvent.objects.count() == events


def test_a_case_first_found_after_its_deadline_gets_only_the_missed_reminder(slt_user, school, subject):
    case = record_case(slt_user, school, subject)
    assert _sweep(case.referral_due_at + timedelta(days=1)) == [(case.pk, "overdue")]
    assert not Notification.objects.filter(event__endswith="lado_due_soon").exists()


def test_referred_and_low_level_cases_get_no_reminder(slt_user, school, subject):
    referred = refer(slt_user, assess(slt_user, record_case(slt_user, school, subject)))
    low = assess(slt_user, record_case(slt_user, school, subject), met=False)
    assert _sweep(max(referred.referral_due_at, low.referral_due_at) + timedelta(days=2)) == []


def test_the_subject_is_never_reminded_even_with_slt_rights(slt_user, subject_user, exec_head_user, school):
    case = record_case(slt_user, school, subject_user.person)
    _sweep(case.referral_due_at + timedelta(minutes=1))
    rows = Notification.objects.filter(about_id=str(case.pk))
    assert rows.exists() and subject_user.pk not in {n.recipient_user_id for n in rows}
    assert (
        HiddenFrom.objects.filter(person=subject_user.person, notification__in=rows).count() == rows.count()
    )


def test_when_the_executive_head_is_the_subject_the_chair_is_reminded(
    slt_user, exec_head_user, chair_user, school
):
    case = record_case(slt_user, school, exec_head_user.person)
    _sweep(case.referral_due_at + timedelta(minutes=1))
    told = {n.recipient_user_id for n in Notification.objects.filter(event__endswith="lado_overdue")}
    assert told == {slt_user.pk, chair_user.pk}


def test_the_reminder_email_carries_no_case_detail(
    slt_user, exec_head_user, school, subject, django_capture_on_commit_callbacks
):
    exec_head_user.email = "exec@example.org"
    exec_head_user.save()
    case = record_case(slt_user, school, subject, what_happened="DETAIL-7731 must stay in the portal")
    with django_capture_on_commit_callbacks(execute=True):
        _sweep(case.referral_due_at + timedelta(minutes=1))
    [message] = [m for m in mail.outbox if "deadline was missed" in m.subject]
    assert "DETAIL-7731" not in message.body and "Sam Subject" not in message.body
    assert case.get_absolute_url() in message.body and school.name in message.body


def test_the_sweep_runs_every_fifteen_minutes_and_daily():
    beat = settings.CELERY_BEAT_SCHEDULE["incidents-lado-deadlines"]
    assert beat["task"] == "incidents.tasks.lado_deadlines_sweep_task"
    assert beat["schedule"] == 15 * 60
    assert registered_daily()["incidents.lado_deadlines"] is tasks.daily_lado_deadlines
    assert registered_daily()["incidents.retention"] is tasks.daily_retention


def test_the_task_runs_the_sweep(slt_user, school, subject, frozen_now):
    case = record_case(slt_user, school, subject)
    frozen_now(case.referral_due_at + timedelta(minutes=1))
    assert tasks.lado_deadlines_sweep_task() == 1
    assert tasks.lado_deadlines_sweep_task() == 0
