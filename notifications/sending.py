"""The worker's side of the outbox: claim a notice, deliver it, record how it went; and the sweeper.

Sending is at-least-once with a claim (a conditional UPDATE) in front, so a repeated or duplicated
task sends nothing twice; the sweeper re-sends what a lost message or a killed worker left behind.

Email cannot be exactly-once: a worker can stop after the mail server accepted a message and before
the row says so. The portal narrows that window and is honest about it:
- the row is marked sent in its own one-statement transaction the moment the SMTP call returns;
- just before the hand-over, the attempt counts itself in `handovers` (a claim marker): a later attempt
  that finds an earlier hand-over unaccounted for sends again, and the row then says "possibly sent
  twice" in the delivery log (an attempt the mail server plainly refused takes its count back);
- every send of a notice carries the same Message-ID (`message_id`), so mail systems and people can
  recognise a resend as the same message.

The worker's moves (pending → sending; sending → sent, failed, or pending again for a retry) are not
taken through `core.workflow.transition`, which locks the row with SELECT ... FOR UPDATE and writes an
audit event: a claim must be one conditional UPDATE, so that a duplicated task finds nothing to claim
without waiting on a lock and the hot path is one round trip, and each move after it holds only while
the claim does (`_finish`), so that a reclaimed row is never overwritten. Attempts are the row's own
record (attempts, last error, times), not audit events. The steps a person takes are in
`notifications.workflow`.

Logs name notifications by id and failures by exception class only: never a message body, an address
or case detail.
"""

import logging
import random
import smtplib
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import connections
from django.db.models import F, Q
from django.utils import timezone

from people.models import Person

from .models import DISPATCHED_CHANNELS, Channel, Notification, Status
from .rendering import render_notification
from .services import dispatch

log = logging.getLogger(__name__)

MAX_ERROR_LENGTH = 500


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


def sweep_batch() -> int:
    return int(getattr(settings, "NOTIFICATIONS_SWEEP_BATCH", 1000))


# --- Claim, deliver, record -------------------------------------------------------------------------------------


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


def message_id(notification: Notification) -> str:
    """The notice's Message-ID, the same on every send of it (RFC 5322 §3.6.4: one message, one id).

    Made of the row's id and creation time (so a restored or rebuilt database that reuses an id still
    gives a new notice a new Message-ID) and the portal's domain (PORTAL_BASE_URL).
    """
    domain = urlsplit(settings.PORTAL_BASE_URL).hostname or "localhost"
    created = notification.created_at.strftime("%Y%m%d%H%M%S")
    return f"<notice-{notification.pk}.{created}@{domain}>"


def _count_handover(notification: Notification) -> bool:
    """Record, before the SMTP call, that this attempt is handing the email over; False if the claim was lost.

    One UPDATE in its own transaction (the worker runs in autocommit), guarded by the claim like `_finish`.
    """
    updated = Notification.objects.filter(
        pk=notification.pk, status=Status.SENDING, claimed_at=notification.claimed_at
    ).update(handovers=F("handovers") + 1, updated_at=timezone.now())
    if updated:
        notification.handovers += 1
        notification.handed_over = True
    return bool(updated)


def _maybe_delivered(error: BaseException) -> bool:
    """Whether the mail server may have taken the message although the SMTP call failed.

    A connection that dropped or timed out mid-conversation may have done so after the server accepted
    the message; a refusal (an SMTP error reply, a refused connection) means it did not.
    """
    if isinstance(
        error, smtplib.SMTPServerDisconnected | TimeoutError | ConnectionResetError | BrokenPipeError
    ):
        return True
    return False


def notification_deliver(notification: Notification) -> bool:
    """Deliver a claimed notification on its channel; raises when it could not be delivered.

    Returns False, having sent nothing, when another worker took the row over meanwhile. In-portal
    notices are delivered by existing: there is nothing to send.
    """
    if notification.channel == Channel.IN_APP:
        return True
    if notification.channel != Channel.EMAIL:
        raise PermanentDeliveryError(f"The {notification.channel} channel is delivered by hand.")
    address = _email_address(notification)
    subject, text, html = render_notification(notification)
    message = EmailMultiAlternatives(
        subject,
        text,
        settings.DEFAULT_FROM_EMAIL,
        [address],
        headers={
            "Message-ID": message_id(notification),
            "X-Portal-Notification": str(notification.pk),
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    if notification.handovers:
        log.warning(
            "notification %s: an earlier attempt may have reached the mail server; sending again with the "
            "same Message-ID",
            notification.pk,
        )
    if not _count_handover(notification):
        log.warning("notification %s was reclaimed before it was handed over", notification.pk)
        return False
    message.send()
    return True


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
    """Called the moment the SMTP call returns: one UPDATE, committed on its own (autocommit), so that the
    time in which a stopped worker leaves a delivered notice looking unsent is one database round trip."""
    if not _finish(notification, status=Status.SENT, sent_at=timezone.now(), last_error=""):
        log.warning("notification %s was reclaimed while it was being sent", notification.pk)
    elif notification.handovers > 1:
        log.warning("notification %s sent; possibly sent twice (see the delivery log)", notification.pk)


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
    changes = {}
    if getattr(notification, "handed_over", False) and not _maybe_delivered(error):
        # The mail server refused this attempt's message: it does not count as handed over.
        changes["handovers"] = F("handovers") - 1
    if permanent or notification.attempts >= max_attempts():
        _finish(notification, status=Status.FAILED, last_error=last_error, **changes)
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
        **changes,
    )
    log.info(
        "notification %s attempt %s failed (%s); retrying in %.0f s",
        notification.pk,
        notification.attempts,
        type(error).__name__,
        countdown,
    )
    return countdown


def sweep_outbox(*, grace: timedelta | None = None) -> list[int]:
    """Send again what was missed: pending rows due for over NOTIFICATIONS_SWEEP_AFTER_SECONDS (or `grace`),
    rows stuck "sending" for over NOTIFICATIONS_SENDING_TIMEOUT.

    A row is pending past its due time only when its message was lost (the broker was
    down, or a retry's message vanished); a row is stuck sending when its worker died
    mid-send. Both are claimable, so re-dispatching a row that is in fact queued costs
    a no-op task, never a second email. A worker that has just connected to the broker
    sweeps with no grace (`grace=timedelta(0)`): what was filed while it could not be
    reached goes at once rather than at the next scheduled sweep.
    """
    now = timezone.now()
    due = now - (sweep_after() if grace is None else grace)
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
        dispatch(ids, despite_breaker=True)
    return ids
