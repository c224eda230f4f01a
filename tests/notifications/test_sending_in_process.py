"""The embedded default: with no broker, tasks run in-process right after commit."""

import pytest

from notifications.models import Channel, Notification, Status
from notifications.recipients import Recipient, contactable_parents_of, dsls_of
from notifications.services import notify
from notifications.tasks import send_notification_task
from people.models import ParentLink, Role

from ..factories import ParentLinkFactory, PersonFactory, PupilFactory, make_user

pytestmark = pytest.mark.django_db


def test_after_commit_the_email_is_sent_once(school, mailoutbox, django_capture_on_commit_callbacks):
    user = make_user(Role.DSL, school=school)
    user.email = "grace@larch.example.org"
    user.save()

    with django_capture_on_commit_callbacks(execute=True):
        notify(
            event="people.test.1",
            recipients=[Recipient(user=user, channel=Channel.EMAIL)],
            template="safeguarding_alert",
            school=school,
            context={"category": "Concern", "url": "/records/1/"},
        )

    row = Notification.objects.get()
    assert row.status == Status.SENT and row.sent_at is not None and row.attempts == 1
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["grace@larch.example.org"]
    assert message.subject == "Safeguarding: a new record needs your attention"
    assert message.extra_headers["X-Portal-Notification"] == str(row.pk)
    assert message.alternatives[0].mimetype == "text/html"


def test_in_portal_rows_are_marked_sent_without_email(
    school, dsl_with_email, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(event="people.test.2", recipients=dsls_of(school), template="test_notice")

    assert set(Notification.objects.values_list("channel", "status")) == {
        (Channel.EMAIL, Status.SENT),
        (Channel.IN_APP, Status.SENT),
    }
    assert len(mailoutbox) == 1
    # Without a user email the person's address is used.
    assert mailoutbox[0].to == ["dsl@larch.example.org"]


def test_running_the_task_again_sends_nothing(
    school, dsl_with_email, mailoutbox, django_capture_on_commit_callbacks
):
    """Idempotent: a duplicated message finds the row already sent."""
    with django_capture_on_commit_callbacks(execute=True):
        rows = notify(event="people.test.3", recipients=dsls_of(school), template="test_notice")
    email_row = next(row for row in rows if row.channel == Channel.EMAIL)

    assert send_notification_task.apply(args=[email_row.pk]).get() == "skipped"
    assert send_notification_task.apply(args=[email_row.pk]).get() == "skipped"
    assert len(mailoutbox) == 1
    email_row.refresh_from_db()
    assert email_row.attempts == 1


def test_manual_rows_wait_for_the_office(school, mailoutbox, django_capture_on_commit_callbacks):
    """A parent who prefers a call gets a pending manual row, never an email."""
    pupil = PupilFactory(school=school)
    ParentLinkFactory(pupil=pupil, preferred_channel=ParentLink.Channel.PHONE)

    with django_capture_on_commit_callbacks(execute=True):
        [row] = notify(
            event="people.test.4",
            recipients=contactable_parents_of(pupil),
            template="parent_contact_request",
            school=school,
        )

    row.refresh_from_db()
    assert (row.channel, row.status, row.attempts) == (Channel.MANUAL, Status.PENDING, 0)
    assert send_notification_task.apply(args=[row.pk]).get() == "skipped"
    assert mailoutbox == []


def test_no_address_fails_at_once_and_visibly(school, mailoutbox, django_capture_on_commit_callbacks):
    """Retrying cannot find an address: the row fails on its first attempt, with the reason."""
    person = PersonFactory(school=school, email="")
    with django_capture_on_commit_callbacks(execute=True):
        notify(event="people.test.5", recipients=[Recipient(person=person)], template="test_notice")

    row = Notification.objects.get()
    assert (row.status, row.attempts) == (Status.FAILED, 1)
    assert row.last_error == "PermanentDeliveryError: No email address is recorded for the recipient."
    assert mailoutbox == []


def test_a_missing_row_is_skipped():
    assert send_notification_task.apply(args=[987654]).get() == "skipped"
