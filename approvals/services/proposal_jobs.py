"""The daily jobs of proposals: approvals expire on their review date unless renewed (§5), and
proposer and approver are reminded as the date nears. Run by notifications' daily beat task."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from core import formats
from core.workflow import InvalidTransition

from ..models import Proposal, ProposalStatus
from ._common import (
    EXPIRED,
    REVIEW_DUE,
    already_queued,
    queue_notice,
    review_reminder_days,
    user_recipients,
)
from .proposals import CATEGORY, _event_key, _take
from .workflows import PROPOSAL

S = ProposalStatus


@transaction.atomic
def proposal_expire(*, proposal: Proposal, today: date | None = None) -> Proposal:
    """The portal ends an approval on its review date when it was not renewed; proposer and approver are told."""
    today = today or timezone.localdate()

    def apply(p: Proposal) -> dict:
        if p.review_date > today:
            raise InvalidTransition(f"This service runs until its review date, {formats.day(p.review_date)}.")
        return {"review_date": p.review_date}

    def tell(p: Proposal, event) -> None:
        queue_notice(
            event=_event_key(p, event, "expired"),
            recipients=user_recipients([p.proposer, p.decided_by]),
            template=EXPIRED,
            about=p,
            school=p.school,
            category=CATEGORY,
            actor=None,
        )

    locked, _event = _take("expire", proposal=proposal, actor=None, apply=apply, notify=tell)
    return locked


def proposals_expire_due(*, today: date | None = None) -> list[int]:
    """Expire every approved or suspended service whose review date has come; returns their ids.

    Each in its own transaction, so one failure leaves the others done.
    """
    today = today or timezone.localdate()
    due = list(
        Proposal.objects.filter(status__in=PROPOSAL["expire"].sources, review_date__lte=today)
        .order_by("review_date", "pk")
        .values_list("pk", flat=True)
    )
    expired = []
    for pk in due:
        try:
            proposal_expire(proposal=Proposal(pk=pk), today=today)
        except InvalidTransition:
            continue  # renewed or withdrawn since the list was read
        expired.append(pk)
    return expired


@transaction.atomic
def proposal_review_reminders_send(*, today: date | None = None) -> int:
    """Remind proposer and approver as the review date nears (30 and 7 days by default, a setting).

    Each reminder goes once per review date: the event key holds the review date and the
    reminder's days, and a missed day is made up the next day.
    """
    today = today or timezone.localdate()
    windows = review_reminder_days()
    sent = 0
    running = Proposal.objects.filter(
        status=S.APPROVED, review_date__gt=today, review_date__lte=today + timedelta(days=windows[0])
    ).select_related("school", "proposer", "decided_by")
    for proposal in running:
        left = (proposal.review_date - today).days
        # The nearest window that has been reached: 7 days before, else 30 days before.
        days = min(d for d in windows if left <= d)
        key = f"approvals.proposal.{proposal.pk}.review_due.{proposal.review_date.isoformat()}.{days}"
        if already_queued(key):
            continue
        queue_notice(
            event=key,
            recipients=user_recipients([proposal.proposer, proposal.decided_by]),
            template=REVIEW_DUE,
            about=proposal,
            school=proposal.school,
            category=CATEGORY,
            days=left,
            review_date=formats.day(proposal.review_date),
            actor=None,
        )
        sent += 1
    return sent
