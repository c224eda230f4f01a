"""notify(): rows written in the caller's transaction, with minimal context, sent only after commit."""

import pytest
from django.db import connection, transaction

from audit.models import AuditEvent
from notifications.models import Channel, Notification, Status
from notifications.recipients import Recipient, dsls_of
from notifications.services import notify

from ..factories import PupilFactory

pytestmark = pytest.mark.django_db


def test_writes_one_row_per_recipient_and_channel_with_the_event(school, dsl_with_email):
    """A DSL with a sign-in gets an email row and an in-portal row, both carrying the event key."""
    rows = notify(event="people.test.42", recipients=dsls_of(school), template="test_notice", school=school)

    assert {(row.channel, row.recipient_user_id) for row in rows} == {
        (Channel.EMAIL, dsl_with_email.pk),
        (Channel.IN_APP, dsl_with_email.pk),
    }
    assert all(row.pk and row.event == "people.test.42" and row.status == Status.PENDING for row in rows)
    assert Notification.objects.filter(event="people.test.42").count() == 2


def test_rolled_back_event_leaves_no_row_and_sends_nothing(school, dsl_with_email, mailoutbox):
    """When the caller's transaction fails, nobody is notified of an event that never happened."""
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            notify(event="people.test.43", recipients=dsls_of(school), template="test_notice", school=school)
            raise RuntimeError("the event failed")

    assert not Notification.objects.exists()
    assert mailoutbox == []


def test_nothing_is_sent_before_commit(
    school, dsl_with_email, django_capture_on_commit_callbacks, mailoutbox
):
    """Sending waits for the commit: inside the transaction the rows are only queued."""
    with django_capture_on_commit_callbacks() as callbacks:
        notify(event="people.test.44", recipients=dsls_of(school), template="test_notice", school=school)
        assert mailoutbox == []
    assert len(callbacks) == 1


def test_context_gets_the_school_name_and_the_record_path(school):
    """The school's name and the record's own path are stored; nothing else is added."""
    pupil = PupilFactory(school=school, first_name="Maya")
    staff = Recipient(person=pupil, channel=Channel.EMAIL)

    [row] = notify(
        event="people.test.45",
        recipients=[staff],
        template="safeguarding_alert",
        about=pupil,
        school=school,
        context={"category": "Concern"},
    )

    assert row.context == {"category": "Concern", "url": pupil.get_absolute_url(), "school_name": school.name}
    assert (row.about_type, row.about_id, row.school_id) == ("people.person", str(pupil.pk), school.pk)


@pytest.mark.parametrize(
    "context",
    [{"detail": "x" * 201}, {"people": ["Maya", "Jo"]}, {"case": {"what": "happened"}}],
    ids=["long text", "list", "mapping"],
)
def test_refuses_context_that_could_carry_case_detail(school, dsl_with_email, context):
    """Context holds ids and short labels only; a narrative is refused before anything is written."""
    with pytest.raises(ValueError):
        notify(event="people.test.46", recipients=dsls_of(school), template="test_notice", context=context)
    assert not Notification.objects.exists()


def test_refuses_an_unknown_template(school, dsl_with_email):
    with pytest.raises(LookupError):
        notify(event="people.test.47", recipients=dsls_of(school), template="no_such_notice")


def test_records_one_audit_event_per_call(school, dsl_with_email, staff_user):
    notify(
        event="people.test.48",
        recipients=dsls_of(school),
        template="test_notice",
        school=school,
        actor=staff_user,
    )

    event = AuditEvent.objects.get(action="notifications.notification.queue")
    assert event.actor == staff_user
    assert event.school_id == school.pk
    assert event.data == {"event": "people.test.48", "template": "test_notice", "count": 2}


def test_no_recipients_writes_nothing(school):
    assert notify(event="people.test.49", recipients=[], template="test_notice") == []
    assert not Notification.objects.exists()


def test_a_recipient_listed_twice_gets_one_row(school, dsl_with_email):
    rows = notify(
        event="people.test.50", recipients=dsls_of(school) + dsls_of(school), template="test_notice"
    )
    assert len(rows) == 2


def test_query_count_does_not_grow_with_recipients(school, django_assert_num_queries):
    """Queued in bulk: the same number of queries for 3 recipients as for 30."""
    from ..factories import ParentFactory

    def recipients(n):
        return [Recipient(person=ParentFactory(), channel=Channel.EMAIL) for _ in range(n)]

    few, many = recipients(3), recipients(30)
    notify(event="warm.up", recipients=few, template="test_notice")  # warm caches
    # 1 savepoint, 2 the rows in one insert, 3 read back, 4 the audit chain's last hash,
    # 5 the audit event, 6 savepoint release; on PostgreSQL also the audit chain's advisory lock
    expected = 7 if connection.vendor == "postgresql" else 6
    with django_assert_num_queries(expected):
        notify(event="people.test.51", recipients=few, template="test_notice")
    with django_assert_num_queries(expected):
        notify(event="people.test.52", recipients=many, template="test_notice")
