"""Every write of the outbox a person or another app makes: queueing notices and handing them to the
workers, and the delivery log's steps. The workers' side (claim, deliver, retry, sweep) is in
`notifications.sending`.

`notify()` is the one way any app tells someone something. It writes the rows in
the caller's transaction (so a rolled-back event notifies nobody) and sends them
after commit.

Logs name notifications by id and failures by exception class only: never a
message body, an address or case detail.
"""

import json
import logging
import uuid
from collections.abc import Iterable
from functools import partial

from celery import current_app
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from audit.services import audit_record
from core import broker
from core.workflow import transition
from people.models import Person, School

from . import policies
from .catalogue import get_template
from .models import DISPATCHED_CHANNELS, Channel, HiddenFrom, Notification, Status
from .recipients import Recipient
from .workflow import DELIVERY

log = logging.getLogger(__name__)

# Context values are short scalars (ids, a category, a school's name): room for a
# label, not for a narrative.
MAX_CONTEXT_STRING = 200


def dispatch_batch() -> int:
    return max(1, settings.NOTIFICATIONS_DISPATCH_BATCH)


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
        transaction.on_commit(partial(broker.publish_soon, dispatch, to_send), robust=True)
    return saved


def dispatch(notification_ids: Iterable[int], *, despite_breaker: bool = False) -> int:
    """Hand the notifications to Celery, in batches of NOTIFICATIONS_DISPATCH_BATCH (one task each);
    returns how many were handed over.

    Never raises: with the broker down the rows stay pending and the sweeper sends them
    later. After the first refusal the rest are left for the sweeper too, and for
    PORTAL_BROKER_RETRY_SECONDS this process does not try again (`core.broker`'s circuit
    breaker), unless `despite_breaker` (the sweep, which a worker runs only when it can
    reach the broker). `notify` calls this on the publisher thread, after the request has
    its answer (`core.broker.publish_soon`), so no person waits for a frozen broker.
    """
    # The tasks are looked up by name in Celery's registry (notifications.extensions imports them at
    # start-up): the outbox hands rows to the worker's module without importing it, which imports this one.
    send_notification_task = current_app.tasks["notifications.tasks.send_notification_task"]
    send_notifications_task = current_app.tasks["notifications.tasks.send_notifications_task"]
    ids = list(notification_ids)
    if ids and not despite_breaker and broker.broker_known_down():
        log.warning(
            "notification %s and %s more not queued (the broker failed just now); they wait for the sweeper",
            ids[0],
            len(ids) - 1,
        )
        return 0
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
            broker.note_broker_down()
            return start
    broker.note_broker_up()
    return len(ids)


# --- The delivery log's steps ------------------------------------------------------------------


def _take(name: str, *, actor, notification: Notification, apply=None, data=None) -> Notification:
    """Take the delivery log's step `name`: who first (PermissionDenied before any row is read), then
    the row, locked, among those the actor sees (404 otherwise), then its state."""
    if not DELIVERY.may(actor, notification, name):
        raise PermissionDenied
    row, _event = transition(
        DELIVERY,
        name,
        record=notification,
        actor=actor,
        queryset=policies.delivery_log_visible_to(actor),
        apply=apply,
        data=data,
    )
    return row


@transaction.atomic
def notification_retry(*, actor, notification: Notification) -> Notification:
    """Send a failed notice again from the start: back to pending, attempts reset, dispatched."""

    def apply(row: Notification) -> dict:
        previous_attempts = row.attempts
        row.attempts = 0
        row.last_error = ""
        row.claimed_at = None
        row.available_at = timezone.now()
        return {"previous_attempts": previous_attempts}

    row = _take("retry", actor=actor, notification=notification, apply=apply)
    if row.channel in DISPATCHED_CHANNELS:
        transaction.on_commit(partial(broker.publish_soon, dispatch, [row.pk]), robust=True)
    return row


@transaction.atomic
def notification_cancel(*, actor, notification: Notification) -> Notification:
    """Withdraw a notice that has not gone yet."""
    return _take("cancel", actor=actor, notification=notification)


@transaction.atomic
def notification_mark_delivered(*, actor, notification: Notification) -> Notification:
    """Record that the office phoned or wrote to a parent who prefers that to email."""

    def apply(row: Notification) -> None:
        row.sent_at = timezone.now()

    return _take("mark_delivered", actor=actor, notification=notification, apply=apply)


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
