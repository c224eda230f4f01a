"""Checking the chain: intact trails pass, edited or removed rows are found, PostgreSQL refuses tampering."""

import io
import threading

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, connections, transaction

from audit.models import AuditEvent
from audit.services import audit_record, verify_chain

from .helpers import append_only_trigger_disabled

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the append-only trigger exists on PostgreSQL only"
)


@pytest.fixture
def three_events(actor, audit_school):
    return [
        audit_record(actor=actor, action="people.school.create", target=audit_school, school=audit_school),
        audit_record(
            actor=actor,
            action="people.school.update",
            target=audit_school,
            data={"changed": {"name": ["Ash", "Birch"]}},
        ),
        audit_record(actor=None, action="people.school.view", target=audit_school),
    ]


def run_verify() -> tuple[int, str, str]:
    """Run `audit_verify`; returns (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit_verify", stdout=out, stderr=err)
    except SystemExit as exc:
        return exc.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_empty_trail_verifies(db):
    """A trail with no events is intact."""
    report = verify_chain()
    assert report.ok and report.checked == 0 and report.first_broken_id is None


def test_intact_chain_verifies(three_events):
    """An untouched trail is reported intact with the number of events checked."""
    report = verify_chain()
    assert report.ok
    assert report.checked == 3
    assert report.first_broken_id is None
    assert report.reason == ""


def test_command_reports_intact_chain_and_exits_0(three_events):
    """`audit_verify` prints the count and exits 0 on an intact trail."""
    code, out, err = run_verify()
    assert code == 0
    assert "Audit chain intact: 3 events checked." in out
    assert err == ""


def test_edited_event_is_found(three_events):
    """Changing a row's data breaks its hash: the command exits 1 naming that event."""
    edited = three_events[1]
    with append_only_trigger_disabled():
        AuditEvent.objects.filter(pk=edited.pk).update(data={"changed": {"name": ["Ash", "Elm"]}})
    report = verify_chain()
    assert not report.ok
    assert report.first_broken_id == edited.pk
    assert report.checked == 2
    assert "altered" in report.reason

    code, out, err = run_verify()
    assert code == 1
    assert f"Audit chain broken at event #{edited.pk}: " in err
    assert "intact" not in out


def test_rehashed_edit_is_found_at_the_next_event(three_events):
    """An edit whose hash was recomputed still breaks the link to the following event."""
    edited = three_events[0]
    edited.action = "people.school.delete"
    new_hash = edited.compute_hash()
    with append_only_trigger_disabled():
        AuditEvent.objects.filter(pk=edited.pk).update(action="people.school.delete", hash=new_hash)
    report = verify_chain()
    assert not report.ok
    assert report.first_broken_id == three_events[1].pk


def test_deleted_middle_event_is_found(three_events):
    """Removing a row in the middle breaks the next row's link: it is named as the first broken event."""
    with append_only_trigger_disabled():
        AuditEvent.objects.filter(pk=three_events[1].pk).delete()
    report = verify_chain()
    assert not report.ok
    assert report.first_broken_id == three_events[2].pk
    assert "removed" in report.reason

    code, _out, err = run_verify()
    assert code == 1
    assert f"#{three_events[2].pk}" in err


def test_deleted_first_event_is_found(three_events):
    """Removing the first row leaves the new first row not starting from the genesis hash."""
    with append_only_trigger_disabled():
        AuditEvent.objects.filter(pk=three_events[0].pk).delete()
    report = verify_chain()
    assert not report.ok
    assert report.first_broken_id == three_events[1].pk


@postgres_only
def test_postgres_refuses_update(three_events):
    """On PostgreSQL the trigger refuses any UPDATE of an audit row."""
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=three_events[1].pk).update(action="people.school.delete")
    assert AuditEvent.objects.get(pk=three_events[1].pk).action == "people.school.update"


@postgres_only
def test_postgres_refuses_delete(three_events):
    """On PostgreSQL the trigger refuses any DELETE of an audit row."""
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=three_events[1].pk).delete()
    assert AuditEvent.objects.count() == 3


@postgres_only
def test_postgres_edit_after_disabling_trigger_is_found(three_events):
    """Even someone who switches the trigger off (as the table owner can) is caught by the chain."""
    target = three_events[2]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=target.pk).update(actor=three_events[0].actor)
    with append_only_trigger_disabled(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET actor_id = %s WHERE id = %s", [three_events[0].actor_id, target.pk]
        )
    # The trigger is back on afterwards.
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=target.pk).delete()
    code, _out, err = run_verify()
    assert code == 1
    assert f"Audit chain broken at event #{target.pk}:" in err


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_postgres_concurrent_appends_do_not_fork(django_user_model):
    """Writers on separate connections append one at a time: the chain stays a single line."""
    user = django_user_model.objects.create_user(username="dave", password="a-long-test-password-42")
    per_thread, threads = 15, 4
    errors = []
    start = threading.Barrier(threads)

    def writer():
        try:
            start.wait()
            for _ in range(per_thread):
                with transaction.atomic():
                    audit_record(actor=user, action="people.person.view")
        except Exception as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=writer) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    report = verify_chain()
    assert report.ok, report
    assert report.checked == per_thread * threads
    prev_hashes = list(AuditEvent.objects.values_list("prev_hash", flat=True))
    assert len(set(prev_hashes)) == len(prev_hashes)
