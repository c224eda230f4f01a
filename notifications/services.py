"""Every write of the outbox: queueing notices, sending them, and the delivery log's actions.

`notify()` is the one way any app tells someone something. It writes the rows in
the caller's transaction (so a rolled-back event notifies nobody) and sends them
after commit. Sending is at-least-once with a claim (a conditional UPDATE) in
front, so a repeated or duplicated task sends nothing twice; the sweeper re-sends
what a lost message or a killed worker left behind.

Logs name notifications by id and failures by exception class only: never a
message body, an address or case detail.
"""

import json
import logging
import random
import uuid
from collections.abc import Iterable
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models, transaction
from django.db.models import Q
from django.utils import timezone

from audit.services import audit_record
from people.models import Person, School

from . import policies
from .catalogue import get_template
from .models import DISPATCHED_CHANNELS, Channel, HiddenFrom, Notification, Status
from .recipients import Recipient
from .rendering import render_notification

log = logging.getLogger(__name__)

# Context values are short scalars (ids, a category, a school's name): room for a
# label, not for a narrative.
MAX_CONTEXT_STRING = 200
MAX_ERROR_LENGTH = 500


class InvalidTransition(ValidationError):
    """The notice is not in a state that allows this action."""


class PermanentDeliveryError(Exception):
    """Sending again will not help (no address, say): the row fails at once."""


# --- Settings --------------------------------------------------------------------------------


def max_attempts() -> int:
    return int(getattr(settings, "NOTIFICATIONS_MAX_ATTEMPTS", 5))


def retry_base_seconds() -> float:
    return float(getattr(settings, "NOTIFICATIONS_RETRY_BASE_SECONDS", 30))


def sending_timeout() -> timedelta:
    return timedelta(seconds=float(getattr(settings, "NOTIFICATIONS_SENDING_TIMEOUT", 300)))


def sweep_after() -> timedelta:
    return timedelta(seconds=float(getattr(settings, "NOTIFICATIONS_SWEEP_AFTER_SECONDS", 60)))


def dispatch_batch() -> int:
    return max(1, settings.NOTIFICATIONS_DISPATCH_BATCH)


def sweep_batch() -> int:
    return int(getattr(settings, "NOTIFICATIONS_SWEEP_BATCH", 1000))


# --- Queueing ----------------------------------------------------------------------------------


def _clean_context(context: dict | None) -> dict:
    """The context as stored (JSON round trip), refusing anything that could carry a case narrative."""
    data = json.loads(json.dumps(context or {}, cls=DjangoJSONEncoder, allow_nan=False))
    for key, value in data.items():
        if isinstance(value, dict | list):
            raise ValueError(
                f"Notification context values must be single values, not {type(value).__name__} ({key})."
            )
        if isinstance(value, str) and len(value) > MAX_CONTEXT_STRING:
            raise ValueError(
                f"Notification context value {key!r} is longer than {MAX_CONTEXT_STRING} characters: "
                "notices carry ids and labels, never case detail."
            )
    return data


def _excluded(exclude: Iterable) -> tuple[set[int], set[int]]:
    """(person ids, user ids) of the people who must not be told, read fresh from the database."""
    person_ids = set()
    for item in exclude:
        if isinstance(item, Person):
            if item.pk is None:
                raise ValueError("An excluded person must be saved.")
            person_ids.add(item.pk)
        elif isinstance(item, int) and not isinstance(item, bool):
            person_ids.add(item)
        else:
            raise TypeError("exclude takes people (Person instances or their ids).")
    if not person_ids:
        return set(), set()
    # Matched by sign-in too: a recipient given as a user is the same person.
    user_ids = set(
        Person.objects.filter(pk__in=person_ids, user__isnull=False).values_list("user_id", flat=True)
    )
    return person_ids, user_ids


def _about_key(about: models.Model | None) -> tuple[str, str]:
    if about is None:
        return "", ""
    if about.pk is None:
        raise ValueError("The record a notification is about must be saved.")
    return about._meta.concrete_model._meta.label_lower, str(about.pk)


def _row_key(notification: Notification) -> tuple[str, int, str]:
    if notification.recipient_user_id is not None:
        return ("user", notification.recipient_user_id, notification.channel)
    return ("person", notification.recipient_person_id, notification.channel)


@transaction.atomic
def notify(
    *,
    event: str,
    recipients: Iterable[Recipient],
    template: str,
    about: models.Model | None = None,
    school: School | None = None,
    context: dict | None = None,
    actor=None,
    exclude: Iterable = (),
) -> list[Notification]:
    """Queue the notice `template` about `event` to `recipients`, and send it once the caller commits.

    `event` is the caller's unique key for what happened ("incidents.concern.42"): calling
    again with the same event adds nothing for a recipient and channel already queued.
    `context` holds ids and labels only (a category, never case detail); the school's name
    and the record's path (`about.get_absolute_url()`) are added as `school_name` and
    `url`. Anyone in `exclude` (people, or their ids) is dropped, whether listed as a
    person or by their sign-in, and never sees the rows in the delivery log: the subject
    of an allegation gets no trace of it (KCSIE part four).

    Returns the rows for the remaining recipients, in their order (those queued earlier
    for the same event included).
    """
    get_template(template)  # an unknown notice fails here, in the caller's transaction
    if not event or len(event) > 200:
        raise ValueError("A notification event key is needed (at most 200 characters).")
    excluded_people, excluded_users = _excluded(exclude)

    chosen: dict[tuple[str, int, str], Recipient] = {}
    for recipient in recipients:
        if recipient.person_id in excluded_people or recipient.user_id in excluded_users:
            continue
        chosen.setdefault(recipient.key, recipient)

    data = _clean_context(context)
    about_type, about_id = _about_key(about)
    if about is not None and hasattr(about, "get_absolute_url"):
        data.setdefault("url", about.get_absolute_url())
    if school is not None:
        data.setdefault("school_name", school.name)

    now = timezone.now()
    rows = [
        Notification(
            event=event,
            recipient_user=recipient.user,
            recipient_person=None if recipient.user is not None else recipient.person,
            channel=recipient.channel,
            template=template,
            context=data,
            available_at=now,
            about_type=about_type,
            about_id=about_id,
            school=school,
        )
        for recipient in chosen.values()
    ]
    if not rows:
        return []
    Notification.objects.bulk_create(rows, ignore_conflicts=True)

    # ignore_conflicts leaves the primary keys unset: read the rows back.
    user_ids = {key[1] for key in chosen if key[0] == "user"}
    person_ids = {key[1] for key in chosen if key[0] == "person"}
    found = Notification.objects.filter(event=event).filter(
        Q(recipient_user_id__in=user_ids) | Q(recipient_person_id__in=person_ids)
    )
    by_key = {_row_key(row): row for row in found}
    saved = [by_key[key] for key in chosen if key in by_key]

    if excluded_people:
        HiddenFrom.objects.bulk_create(
            [HiddenFrom(notification=row, person_id=pid) for row in saved for pid in sorted(excluded_people)],
            ignore_conflicts=True,
        )
    audit_record(
        actor=actor,
        action="notifications.notification.queue",
        target=about,
        school=school,
        data={"event": event, "template": template, "count": len(saved)},
    )
    to_send = [row.pk for row in saved if row.status == Status.PENDING and row.channel in DISPATCHED_CHANNELS]
    if to_send:
        transaction.on_commit(partial(dispatch, to_send), robust=True)
    return saved


def dispatch(notification_ids: Iterable[int]) -> int:
    """Hand the notifications to Celery, in batches of NOTIFICATIONS_DISPATCH_BATCH (one task each);
    returns how many were handed over.

    Never raises: with the broker down the rows stay pending and the sweeper sends them
    later. After the first refusal the rest are left for the sweeper too, so a request
    waits for at most one failed publish.
    """
    from .tasks import send_notification_task, send_notifications_task

    ids = list(notification_ids)
    size = dispatch_batch()
    for start in range(0, len(ids), size):
        batch = ids[start : start + size]
        try:
            if len(batch) == 1:
                send_notification_task.delay(batch[0])
            else:
                send_notifications_task.delay(batch)
        except Exception as exc:  # any broker failure: the outbox row is the source of truth
            log.warning(
                "notification %s not queued (%s); it and %s more wait for the sweeper",
                batch[0],
                type(exc).__name__,
                len(ids) - start - 1,
            )
            return start
    return len(ids)


# --- Sending -------------------------------------------------------------------------------------


_claim_sql_by_vendor: dict[str, str] = {}


def _claim_sql(connection) -> str:
    """One statement that claims a row and returns it with its recipient's address.

    UPDATE ... RETURNING (PostgreSQL; SQLite 3.35+) makes the claim and the read one round
    trip: sending is the worker's hot path. Built once per database vendor.
    """
    sql = _claim_sql_by_vendor.get(connection.vendor)
    if sql is None:
        sql = _claim_sql_by_vendor[connection.vendor] = _build_claim_sql(connection)
    return sql


def _build_claim_sql(connection) -> str:
    qn = connection.ops.quote_name
    meta = Notification._meta
    names = (
        "id",
        "status",
        "channel",
        "claimed_at",
        "updated_at",
        "attempts",
        "recipient_user",
        "recipient_person",
    )
    column = {name: qn(meta.get_field(name).column) for name in names}
    users = qn(get_user_model()._meta.db_table)
    people = qn(Person._meta.db_table)
    returned = ", ".join(qn(field.column) for field in meta.concrete_fields)
    # Table and column names come from the models' metadata; every value is a parameter.
    return (
        f"UPDATE {qn(meta.db_table)} "  # noqa: S608  # nosec B608
        f"SET {column['status']} = %s, {column['claimed_at']} = %s, {column['updated_at']} = %s, "
        f"{column['attempts']} = {column['attempts']} + 1 "
        f"WHERE {column['id']} = %s AND {column['channel']} IN (%s, %s) "
        f"AND ({column['status']} = %s OR ({column['status']} = %s AND {column['claimed_at']} < %s)) "
        f"RETURNING {returned}, "
        f"(SELECT u.email FROM {users} u WHERE u.id = {column['recipient_user']}) AS user_email, "
        f"(SELECT u.is_active FROM {users} u WHERE u.id = {column['recipient_user']}) AS user_active, "
        f"(SELECT p.email FROM {people} p WHERE p.user_id = {column['recipient_user']}) AS user_person_email, "
        f"(SELECT p.email FROM {people} p WHERE p.id = {column['recipient_person']}) AS person_email"
    )


def notification_claim(*, notification_id: int) -> Notification | None:
    """Take a notification for sending, or None when it is not ours to send.

    One conditional UPDATE decides: a pending row, or one left "sending" longer than
    NOTIFICATIONS_SENDING_TIMEOUT (its worker died), becomes "sending" with this
    claim's time and one more attempt. Done, cancelled, manual and already-claimed
    rows are left alone, so a duplicated task sends nothing. The row comes back with
    `address` (where to email it) and `recipient_active` set.
    """
    connection = connections[Notification.objects.db]
    now = timezone.now()
    adapt = connection.ops.adapt_datetimefield_value
    params = [
        Status.SENDING,
        adapt(now),
        adapt(now),
        notification_id,
        *DISPATCHED_CHANNELS,
        Status.PENDING,
        Status.SENDING,
        adapt(now - sending_timeout()),
    ]
    claimed = list(Notification.objects.raw(_claim_sql(connection), params))
    if not claimed:
        return None
    [notification] = claimed
    if notification.recipient_user_id is not None:
        notification.address = notification.user_email or notification.user_person_email or ""
        notification.recipient_active = bool(notification.user_active)
    else:
        notification.address = notification.person_email or ""
        notification.recipient_active = True
    if notification.attempts > max_attempts():
        # Only a row whose sending kept being interrupted gets here.
        _finish(notification, status=Status.FAILED, last_error="Gave up: sending was interrupted too often.")
        log.warning(
            "notification %s failed: sending interrupted %s times", notification.pk, notification.attempts
        )
        return None
    return notification


def _email_address(notification: Notification) -> str:
    if not notification.recipient_active:
        raise PermanentDeliveryError("The recipient's sign-in is deactivated.")
    if not notification.address:
        raise PermanentDeliveryError("No email address is recorded for the recipient.")
    return notification.address


def notification_deliver(notification: Notification) -> None:
    """Deliver a claimed notification on its channel; raises when it could not be delivered.

    In-portal notices are delivered by existing: there is nothing to send.
    """
    if notification.channel == Channel.IN_APP:
        return
    if notification.channel != Channel.EMAIL:
        raise PermanentDeliveryError(f"The {notification.channel} channel is delivered by hand.")
    address = _email_address(notification)
    subject, text, html = render_notification(notification)
    message = EmailMultiAlternatives(
        subject,
        text,
        settings.DEFAULT_FROM_EMAIL,
        [address],
        headers={"X-Portal-Notification": str(notification.pk), "Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(html, "text/html")
    message.send()


def _finish(notification: Notification, **changes) -> bool:
    """Apply `changes` if this claim still holds the row (no one reclaimed it meanwhile)."""
    changes["updated_at"] = timezone.now()
    updated = Notification.objects.filter(
        pk=notification.pk, status=Status.SENDING, claimed_at=notification.claimed_at
    ).update(**changes)
    for name, value in changes.items():
        setattr(notification, name, value)
    return bool(updated)


def notification_mark_sent(notification: Notification) -> None:
    if not _finish(notification, status=Status.SENT, sent_at=timezone.now(), last_error=""):
        log.warning("notification %s was reclaimed while it was being sent", notification.pk)


def describe_error(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:MAX_ERROR_LENGTH]


def retry_countdown(attempts: int) -> float:
    """Seconds before the next attempt: exponential, with jitter so retries do not arrive together."""
    base = retry_base_seconds()
    return base * 2**attempts + random.uniform(0, base)  # noqa: S311 (jitter, not a secret)


def notification_record_failure(notification: Notification, error: BaseException) -> float | None:
    """Record a failed attempt. Returns the countdown to the next one, or None when the row has failed."""
    last_error = describe_error(error)
    permanent = isinstance(error, PermanentDeliveryError)
    if permanent or notification.attempts >= max_attempts():
        _finish(notification, status=Status.FAILED, last_error=last_error)
        log.warning(
            "notification %s failed after %s attempt(s) (%s)",
            notification.pk,
            notification.attempts,
            type(error).__name__,
        )
        return None
    countdown = retry_countdown(notification.attempts)
    _finish(
        notification,
        status=Status.PENDING,
        last_error=last_error,
        available_at=timezone.now() + timedelta(seconds=countdown),
    )
    log.info(
        "notification %s attempt %s failed (%s); retrying in %.0f s",
        notification.pk,
        notification.attempts,
        type(error).__name__,
        countdown,
    )
    return countdown


def sweep_outbox() -> list[int]:
    """Send again what was missed: pending rows due for over a minute, rows stuck "sending".

    A row is pending past its due time only when its message was lost (the broker was
    down, or a retry's message vanished); a row is stuck sending when its worker died
    mid-send. Both are claimable, so re-dispatching a row that is in fact queued costs
    a no-op task, never a second email.
    """
    now = timezone.now()
    due = now - sweep_after()
    missed = (
        Notification.objects.filter(channel__in=DISPATCHED_CHANNELS)
        .filter(
            Q(status=Status.PENDING, available_at__lte=due)
            | Q(status=Status.PENDING, available_at__isnull=True, created_at__lte=due)
            | Q(status=Status.SENDING, claimed_at__lt=now - sending_timeout())
        )
        .order_by("created_at", "id")
        .values_list("id", flat=True)[: sweep_batch()]
    )
    ids = list(missed)
    if ids:
        log.info("sweeper re-dispatching %s notification(s)", len(ids))
        dispatch(ids)
    return ids


# --- The delivery log's actions ---------------------------------------------------------------


def _lock_visible(*, actor, notification: Notification) -> Notification:
    """The row, locked, after checking again that `actor` may act on it."""
    row = (
        policies.delivery_log_visible_to(actor)
        .select_for_update(of=("self",))
        .filter(pk=notification.pk)
        .first()
    )
    if row is None:
        raise PermissionDenied
    return row


@transaction.atomic
def notification_retry(*, actor, notification: Notification) -> Notification:
    """Send a failed notice again from the start: back to pending, attempts reset, dispatched."""
    row = _lock_visible(actor=actor, notification=notification)
    if row.status != Status.FAILED:
        raise InvalidTransition("Only a notice that failed can be sent again.")
    previous_attempts = row.attempts
    row.status = Status.PENDING
    row.attempts = 0
    row.last_error = ""
    row.claimed_at = None
    row.available_at = timezone.now()
    row.save(update_fields=["status", "attempts", "last_error", "claimed_at", "available_at", "updated_at"])
    audit_record(
        actor=actor,
        action="notifications.notification.retry",
        target=row,
        school=row.school_id,
        data={"previous_attempts": previous_attempts},
    )
    if row.channel in DISPATCHED_CHANNELS:
        transaction.on_commit(partial(dispatch, [row.pk]), robust=True)
    return row


def notification_cancel_refusal(notification: Notification) -> str:
    """Why `notification` cannot be cancelled as it stands, or "" when it can."""
    if notification.status != Status.PENDING:
        return "Only a notice still waiting to be sent can be cancelled."
    return ""


@transaction.atomic
def notification_cancel(*, actor, notification: Notification) -> Notification:
    """Withdraw a notice that has not gone yet."""
    row = _lock_visible(actor=actor, notification=notification)
    if refusal := notification_cancel_refusal(row):
        raise InvalidTransition(refusal)
    row.status = Status.CANCELLED
    row.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="notifications.notification.cancel", target=row, school=row.school_id)
    return row


def notification_mark_delivered_refusal(notification: Notification) -> str:
    """Why `notification` cannot be marked delivered as it stands, or "" when it can."""
    if notification.channel != Channel.MANUAL or notification.status != Status.PENDING:
        return "Only a phone call or letter still to do can be marked as delivered."
    return ""


@transaction.atomic
def notification_mark_delivered(*, actor, notification: Notification) -> Notification:
    """Record that the office phoned or wrote to a parent who prefers that to email."""
    row = _lock_visible(actor=actor, notification=notification)
    if refusal := notification_mark_delivered_refusal(row):
        raise InvalidTransition(refusal)
    row.status = Status.SENT
    row.sent_at = timezone.now()
    row.save(update_fields=["status", "sent_at", "updated_at"])
    audit_record(actor=actor, action="notifications.notification.delivered", target=row, school=row.school_id)
    return row


@transaction.atomic
def send_test_notice(*, actor) -> list[Notification]:
    """A test notice to `actor` by email and in the portal, to check that notices reach them."""
    if not policies.can_view_delivery_log(actor):
        raise PermissionDenied
    school = policies.log_schools_of(actor).order_by("name", "id").first()
    return notify(
        event=f"notifications.test.{uuid.uuid4()}",
        recipients=[
            Recipient(user=actor, channel=Channel.EMAIL),
            Recipient(user=actor, channel=Channel.IN_APP),
        ],
        template="test_notice",
        school=school,
        actor=actor,
    )


# --- Reading ---------------------------------------------------------------------------------------


def notification_mark_read(*, actor, notification: Notification) -> bool:
    """Mark one of the actor's own in-portal notices read. The read time is the record; no audit event."""
    return bool(
        Notification.objects.filter(
            pk=notification.pk, recipient_user_id=actor.pk, channel=Channel.IN_APP, read_at__isnull=True
        ).update(read_at=timezone.now())
    )


def notifications_mark_all_read(*, actor) -> int:
    return Notification.objects.filter(
        recipient_user_id=actor.pk, channel=Channel.IN_APP, read_at__isnull=True
    ).update(read_at=timezone.now())
