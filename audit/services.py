"""Writing to and checking the audit trail."""

import re
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from .context import get_client_address
from .models import GENESIS_HASH, AuditEvent, normalise_client_address, normalise_data

# pg_advisory_xact_lock key that serialises appends to the chain ("auditlog" in ASCII).
# Any fixed bigint would do, as long as nothing else in the database uses it.
CHAIN_LOCK_KEY = 0x61756469746C6F67

# "app.model.verb", lower case, at least two dot-separated parts.
_ACTION_RE = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")


@dataclass(frozen=True, slots=True)
class ChainReport:
    """The outcome of `verify_chain`."""

    ok: bool
    checked: int
    first_broken_id: int | None = None
    reason: str = ""


def _actor_id(actor) -> int | None:
    # Anonymous users (and None) are "the system" in the trail.
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    if actor.pk is None:
        raise ValueError("The actor must be a saved user.")
    return actor.pk


def _school_id(school) -> int | None:
    if school is None:
        return None
    if isinstance(school, models.Model):
        if school.pk is None:
            raise ValueError("The school must be saved.")
        return school.pk
    return int(school)


def _target_key(target: models.Model | None) -> tuple[str, str]:
    if target is None:
        return "", ""
    if target.pk is None:
        raise ValueError("The audit target must be saved before it is recorded.")
    # The concrete model, so that a proxy's events land in the same history.
    return target._meta.concrete_model._meta.label_lower, str(target.pk)


def _lock_chain() -> None:
    """Serialise appenders for the rest of the current transaction.

    PostgreSQL: a transaction-scoped advisory lock, released at commit or rollback. The
    last hash is read after the lock is granted, and under READ COMMITTED (Django's
    default) that read sees the previous appender's committed row. SQLite: write
    transactions begin IMMEDIATE (see settings), so the database lock already admits one
    writer at a time.
    """
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


def audit_record(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    school: models.Model | int | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the audit trail and return it.

    `actor` is a user, or None / an anonymous user for the system. `target` is the saved
    model instance acted on (or None); `school` a School, its id, or None. `data` says what
    changed (for example {"changed": {"email": [old, new]}}); it must be JSON-serialisable
    with Django's encoder and must not hold free-text case content. It is stored in its
    JSON round-tripped form (dates as ISO strings). The client address comes from the
    request context set by `AuditContextMiddleware`.

    Joins the caller's transaction, or opens one: the event is committed or rolled back
    with the work it records. Appends are serialised so the chain never forks; on
    PostgreSQL the lock is held until the caller's transaction ends, so record the event
    late in a long transaction.
    """
    if not isinstance(action, str) or len(action) > 100 or not _ACTION_RE.match(action):
        raise ValueError(f"Audit action must look like 'app.model.verb' (at most 100 characters): {action!r}")
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise TypeError("Audit data must be a dict.")
    target_type, target_id = _target_key(target)
    event = AuditEvent(
        actor_id=_actor_id(actor),
        action=action,
        target_type=target_type,
        target_id=target_id,
        school_id=_school_id(school),
        data=normalise_data(data),
        client_address=normalise_client_address(get_client_address()),
    )
    if event.actor_id is not None:
        event.actor = actor  # saves the template a query when it shows who acted
    # savepoint=False: join the caller's transaction rather than nest one; a failed append
    # must fail the caller's work anyway.
    with transaction.atomic(savepoint=False):
        _lock_chain()
        last_hash = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        event.prev_hash = last_hash or GENESIS_HASH
        # The timestamp is taken under the lock, so chain order is also time order.
        event.at = timezone.now()
        event.hash = event.compute_hash()
        event.save(force_insert=True)
    return event


def audit_view(*, actor, target: models.Model, school: models.Model | int | None = None) -> AuditEvent:
    """Record that `actor` viewed the restricted record `target`, as "<app_label>.<model_name>.view"."""
    if target is None:
        raise ValueError("audit_view needs the record that was viewed.")
    return audit_record(
        actor=actor,
        action=view_action_for(target),
        target=target,
        school=school,
    )


def view_action_for(target: models.Model) -> str:
    """The action name `audit_view` records for `target`'s model."""
    return f"{target._meta.concrete_model._meta.label_lower}.view"


def verify_chain() -> ChainReport:
    """Walk the whole trail in id order and report the first broken link.

    A link is broken when a row's prev_hash is not the previous row's hash (a row was
    deleted or inserted; the first row must start from the genesis hash) or when a row's
    hash differs from the one recomputed from its fields (the row was edited). Deleting
    the newest rows leaves a shorter chain that still verifies.
    """
    checked = 0
    expected_prev = GENESIS_HASH
    previous_id = None
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        checked += 1
        if event.prev_hash != expected_prev:
            if previous_id is None:
                reason = "the first event does not start from the genesis hash (earlier events are missing)"
            else:
                reason = (
                    f"its prev_hash does not match the hash of the previous event #{previous_id} "
                    "(an event was removed or inserted)"
                )
            return ChainReport(ok=False, checked=checked, first_broken_id=event.pk, reason=reason)
        if event.hash != event.compute_hash():
            return ChainReport(
                ok=False,
                checked=checked,
                first_broken_id=event.pk,
                reason="its stored hash does not match its contents (the event was altered)",
            )
        expected_prev = event.hash
        previous_id = event.pk
    return ChainReport(ok=True, checked=checked)
