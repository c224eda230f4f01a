"""Recording events: what a row holds, and how rows link into a chain."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from audit.context import client_address
from audit.models import GENESIS_HASH, AuditEvent
from audit.services import audit_record, audit_view, verify_chain


def test_event_records_actor_target_school_and_data(actor, audit_school):
    """A recorded event names its actor, target ("app_label.model", pk), school and data."""
    event = audit_record(
        actor=actor,
        action="people.school.update",
        target=audit_school,
        school=audit_school,
        data={"changed": {"name": ["Ash School", "Birch School"]}},
    )
    event.refresh_from_db()
    assert event.actor_id == actor.pk
    assert event.action == "people.school.update"
    assert (event.target_type, event.target_id) == ("people.school", str(audit_school.pk))
    assert event.school_id == audit_school.pk
    assert event.data == {"changed": {"name": ["Ash School", "Birch School"]}}
    assert len(event.hash) == 64


def test_event_takes_client_address_from_context(actor):
    """The client address set by the middleware's context is stored on the event."""
    with client_address("203.0.113.7"):
        event = audit_record(actor=actor, action="people.person.export")
    event.refresh_from_db()
    assert event.client_address == "203.0.113.7"


def test_event_outside_a_request_has_no_client_address(actor):
    """Without a request context (a task, a command) the address is empty."""
    event = audit_record(actor=actor, action="people.person.export")
    assert event.client_address is None


def test_ipv6_address_is_stored_canonically_and_verifies(actor):
    """An IPv6 address is stored in canonical form, so the hash matches what the database returns."""
    with client_address("2001:0DB8:0000:0000:0000:0000:0000:0001"):
        event = audit_record(actor=actor, action="people.person.export")
    event.refresh_from_db()
    assert event.client_address == "2001:db8::1"
    assert verify_chain().ok


def test_unparseable_client_address_is_dropped(actor):
    """A REMOTE_ADDR that is not an IP address is not stored (and does not break the write)."""
    with client_address("testserver"):
        event = audit_record(actor=actor, action="people.person.export")
    assert event.client_address is None


def test_anonymous_or_missing_actor_is_recorded_as_system(db):
    """An anonymous user or None is recorded with no actor (the system)."""
    assert audit_record(actor=AnonymousUser(), action="people.person.import").actor_id is None
    assert audit_record(actor=None, action="people.person.import").actor_id is None


def test_school_may_be_given_by_id(actor, audit_school):
    """`school` accepts a School's id as well as the instance."""
    event = audit_record(actor=actor, action="people.person.export", school=audit_school.pk)
    assert event.school_id == audit_school.pk


def test_data_is_stored_as_the_database_returns_it(actor):
    """Dates and decimals in `data` are normalised before hashing, so a reloaded row still verifies."""
    event = audit_record(
        actor=actor,
        action="people.person.left",
        data={"left_on": date(2025, 7, 18), "score": Decimal("1.50"), "kind": ("pupil", "former_pupil")},
    )
    assert event.data == {"left_on": "2025-07-18", "score": "1.50", "kind": ["pupil", "former_pupil"]}
    event.refresh_from_db()
    assert event.compute_hash() == event.hash
    assert verify_chain().ok


@pytest.mark.parametrize("action", ["", "create", "People.Person.Create", "people person create", "a." * 60])
def test_badly_formed_action_is_refused(actor, action):
    """Actions must be lower-case, dot-namespaced and at most 100 characters."""
    with pytest.raises(ValueError):
        audit_record(actor=actor, action=action)
    assert not AuditEvent.objects.exists()


def test_unsaved_target_is_refused(actor):
    """A target must have a primary key, or the event could not be found again."""
    with pytest.raises(ValueError):
        audit_record(actor=actor, action="people.user.create", target=get_user_model()(username="x"))


def test_view_is_recorded_with_model_view_action(actor, audit_school):
    """`audit_view` records "<app_label>.<model_name>.view" on the target."""
    event = audit_view(actor=actor, target=audit_school, school=audit_school)
    assert event.action == "people.school.view"
    assert event.target_id == str(audit_school.pk)
    assert event.data == {}


def test_chain_links_each_event_to_the_one_before(actor):
    """The first event starts from the genesis hash; each next one carries its predecessor's hash."""
    first = audit_record(actor=actor, action="people.person.create")
    second = audit_record(actor=None, action="people.person.update")
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert second.hash != first.hash


def test_event_is_rolled_back_with_the_callers_work(actor):
    """An event recorded in a transaction that rolls back disappears with it, and the chain stays intact."""
    kept = audit_record(actor=actor, action="people.person.create")

    class Abort(Exception):
        """Raised to roll the transaction back."""

    with pytest.raises(Abort), transaction.atomic():
        audit_record(actor=actor, action="people.person.update")
        raise Abort
    after = audit_record(actor=actor, action="people.person.delete")
    assert list(AuditEvent.objects.values_list("action", flat=True)) == [
        "people.person.create",
        "people.person.delete",
    ]
    assert after.prev_hash == kept.hash
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_event_outside_a_transaction_opens_its_own(django_user_model):
    """Called in autocommit mode, the helper opens (and commits) its own transaction."""
    user = django_user_model.objects.create_user(username="carol", password="a-long-test-password-42")
    assert not transaction.get_connection().in_atomic_block
    first = audit_record(actor=user, action="people.person.create")
    second = audit_record(actor=user, action="people.person.update")
    assert second.prev_hash == first.hash
    assert AuditEvent.objects.count() == 2
    assert verify_chain().ok


def test_saved_event_cannot_be_changed_or_deleted_through_the_model(actor):
    """The model refuses to save an existing row again or to delete one."""
    event = audit_record(actor=actor, action="people.person.create")
    event.action = "people.person.delete"
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()


def test_event_without_hash_cannot_be_saved_directly(actor):
    """Rows made outside the services (with no hash) are refused, so the chain has no gaps of that kind."""
    with pytest.raises(ValueError):
        AuditEvent.objects.create(actor=actor, action="people.person.create")


def test_label_and_changed_fields_are_readable(actor):
    """`label` reads "people.parent_link.create" as "Parent link create"; `changed_fields` names the fields."""
    event = audit_record(
        actor=actor,
        action="people.parent_link.create",
        data={"changed": {"date_of_birth": ["2014-01-01", "2014-01-02"], "email": ["a", "b"]}},
    )
    assert event.label == "Parent link create"
    assert event.changed_fields == ["date of birth", "email"]
    assert str(event) == f"#{event.pk} people.parent_link.create -"
