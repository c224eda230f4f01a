"""What the three workflows share: dates, wording and notices."""

import calendar
from collections.abc import Iterable
from datetime import date, datetime

from django.conf import settings
from django.utils import timezone

from notifications.models import Channel, Notification
from notifications.recipients import Recipient, executive_heads, heads_of
from notifications.services import notify

# The notices this app sends (registered in approvals.apps with what each may print).
ACTION_NEEDED = "approvals_action_needed"
OUTCOME = "approvals_outcome"
REVIEW_DUE = "approvals_review_due"
EXPIRED = "approvals_expired"
DECLARATION_DUE = "approvals_declaration_due"


def review_months() -> int:
    return int(getattr(settings, "APPROVALS_REVIEW_MONTHS", 12))


def declaration_renewal_months() -> int:
    return int(getattr(settings, "APPROVALS_DECLARATION_RENEWAL_MONTHS", 12))


def review_reminder_days() -> list[int]:
    return sorted(
        {int(d) for d in getattr(settings, "APPROVALS_REVIEW_REMINDER_DAYS", [30, 7])}, reverse=True
    )


def add_months(start: date, months: int) -> date:
    """The same day `months` later (or earlier); the month's last day when it has no such day."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def when(moment: datetime) -> str:
    """A moment as people in the schools read it: "14:05 on 3 Mar 2026" (Europe/London)."""
    local = timezone.localtime(moment)
    return f"{local:%H:%M} on {local.day} {local:%b %Y}"


def join_words(words: list[str], conjunction: str = "and") -> str:
    """["a", "b", "c"] → "a, b and c"."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {conjunction} " + words[-1]


# --- Notices ----------------------------------------------------------------------------------


def user_recipients(users: Iterable) -> list[Recipient]:
    """An email and an in-portal notice for each distinct, active user."""
    recipients, seen = [], set()
    for user in users:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        recipients.append(Recipient(user=user, channel=Channel.EMAIL))
        recipients.append(Recipient(user=user, channel=Channel.IN_APP))
    return recipients


def deciders_of(school) -> list[Recipient]:
    """The Head of School and the Executive Head: who decides for a school (§5, §7)."""
    return heads_of(school) + executive_heads(school.federation_id)


def queue_notice(
    *, event: str, recipients, template: str, about, school, category: str, actor, exclude=(), **context
) -> None:
    """Queue a notice through the outbox, in the caller's transaction (sent after commit).

    The notice carries a category, the school's name and a link: never the record's content.
    """
    notify(
        event=event,
        recipients=recipients,
        template=template,
        about=about,
        school=school,
        context={"category": category, **context},
        actor=actor,
        exclude=exclude,
    )


def already_queued(event: str) -> bool:
    """True when a daily job has queued this event before (so a re-run adds nothing, not even an audit row)."""
    return Notification.objects.filter(event=event).exists()
