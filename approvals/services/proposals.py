"""Social media service proposals (§5, §6): every write, through the table `workflows.PROPOSAL`.

draft → submitted → approved | rejected | changes requested; changes requested → submitted;
approved → suspended → approved (reinstated); approved → approved (renewed, new review date);
approved or suspended → expired on the review date; the proposer may withdraw any proposal
that is not finished, and a decider may withdraw a running service. Only the Executive Head or
the Head of School of the proposal's school decides, never the proposer (§5).

Two moves go a little beyond the bare list: a proposal sent back for changes may also be
withdrawn (rather than left waiting for ever), and a suspended service expires on its review
date like an approved one. Drafting is in `proposal_drafts`; the daily jobs in `proposal_jobs`.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from audit.models import AuditEvent
from core.vocabulary import Platform, default_minimum_age
from core.workflow import transition
from people.policies import access_for

from .. import policies
from ..models import LIVE_STATUSES, Proposal, ProposalStatus
from ._common import (
    ACTION_NEEDED,
    OUTCOME,
    add_months,
    deciders_of,
    queue_notice,
    review_months,
    user_recipients,
)
from .age_guard import require_old_enough
from .workflows import PROPOSAL

S = ProposalStatus
CATEGORY = "social media proposal"
# The furthest ahead an approver may set a review date: the service is looked at again within this.
MAX_REVIEW_MONTHS = 36

# What the reason kept with a status (`status_reason`) is called where the proposal is shown.
_REASON_HEADINGS = {
    S.CHANGES_REQUESTED: "Changes asked for",
    S.REJECTED: "Reason for turning it down",
    S.SUSPENDED: "Reason for suspending",
}


def reason_heading(proposal: Proposal | None) -> str:
    """The heading of the reason the proposer reads, or "" when the status carries none."""
    return _REASON_HEADINGS.get(proposal.status, "") if proposal is not None else ""


def proposal_steps(*, actor, proposal: Proposal) -> frozenset[str]:
    """The steps `actor` may take on `proposal` now (its page offers exactly these)."""
    return PROPOSAL.allowed_names(actor, proposal)


def _take(step: str, *, proposal: Proposal, actor, **kwargs) -> tuple[Proposal, AuditEvent]:
    # Only never-changing, non-null relations are joined: after waiting for the lock, PostgreSQL
    # re-reads the locked row but not the joined ones, so a joined decider would be stale.
    return transition(PROPOSAL, step, record=proposal, actor=actor, related=("school", "proposer"), **kwargs)


def _event_key(proposal: Proposal, event: AuditEvent, what: str) -> str:
    # The audit event's id makes each transition's notice unique (a resubmission is told again).
    return f"approvals.proposal.{proposal.pk}.{what}.{event.pk}"


def _tell_proposer(actor, outcome: str):
    """The step's notice to the proposer of what was done (queued with the step, sent after commit)."""

    def notify(proposal: Proposal, event: AuditEvent) -> None:
        queue_notice(
            event=_event_key(proposal, event, "outcome"),
            recipients=user_recipients([proposal.proposer]),
            template=OUTCOME,
            about=proposal,
            school=proposal.school,
            category=CATEGORY,
            outcome=outcome,
            actor=actor,
        )

    return notify


def _reason(reason: str, field: str, what: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field: f"Give a reason {what}: the proposer reads it."})
    return reason


def _review_date(review_date: date | None, today: date) -> date:
    if review_date is None:
        return add_months(today, review_months())
    if review_date <= today:
        raise ValidationError({"review_date": "The review date must be after today."})
    if review_date > add_months(today, MAX_REVIEW_MONTHS):
        raise ValidationError(
            {"review_date": f"Choose a review date within {MAX_REVIEW_MONTHS // 12} years of today."}
        )
    return review_date


# --- Submitting and deciding -------------------------------------------------------------------


def _check_live_account(proposal: Proposal) -> None:
    clash = (
        Proposal.objects.filter(
            school_id=proposal.school_id, platform=proposal.platform, status__in=LIVE_STATUSES
        )
        .annotate(account_key=Lower("account"))
        .filter(account_key=proposal.account.lower())
        .exclude(pk=proposal.pk)
        .first()
    )
    if clash is not None:
        raise ValidationError(
            f"{proposal.school.name} already has a proposal for the {proposal.platform_label} account "
            f"{proposal.account} ({clash.get_status_display().lower()}: {clash.title}). "
            "Ask its proposer, or withdraw it first."
        )


def _check_complete(proposal: Proposal) -> None:
    problems = []
    if not proposal.audience_labels:
        problems.append("Choose who the service is for (pupils, parents and carers, staff or the public).")
    if proposal.audience_pupils and not (proposal.classes.exists() or proposal.pupils.exists()):
        problems.append("Pupils are in the audience: name the classes or pupils who will take part.")
    if not proposal.moderators.exists():
        problems.append("Name at least one moderator from the school's staff.")
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def proposal_submit(
    *, actor, proposal: Proposal, terms_confirmed: bool, today: date | None = None
) -> Proposal:
    """Send a draft (or a proposal sent back for changes) to the deciders.

    The proposer confirms the Terms of Use (§6). Refused while any pupil taking part is
    younger than the platform's minimum age on the day of submission (§8).
    """
    today = today or timezone.localdate()

    def apply(p: Proposal) -> None:
        if not terms_confirmed:
            raise ValidationError(
                {"confirm_terms": "Confirm that the service will keep to the Terms of Use (§6)."}
            )
        _check_complete(p)
        # Known platforms follow the table (and the setting) as they are on the day.
        if p.platform != Platform.OTHER:
            p.minimum_age = default_minimum_age(p.platform)
        require_old_enough(p, today, verb="submitted")
        _check_live_account(p)
        now = timezone.now()
        p.terms_confirmed_at = now
        p.submitted_at = now
        p.status_reason = ""

    def tell_deciders(p: Proposal, event: AuditEvent) -> None:
        queue_notice(
            event=_event_key(p, event, "submitted"),
            recipients=deciders_of(p.school),
            template=ACTION_NEEDED,
            about=p,
            school=p.school,
            category=CATEGORY,
            actor=actor,
            exclude=[pid for pid in [access_for(actor).person_id] if pid],
        )

    try:
        locked, _event = _take("submit", proposal=proposal, actor=actor, apply=apply, notify=tell_deciders)
    except IntegrityError:
        # Another live proposal for the same account won a race with this one: say so.
        _check_live_account(Proposal.objects.select_related("school").get(pk=proposal.pk))
        raise
    return locked


def _decide(*, actor, proposal: Proposal, step: str, apply, data: dict, outcome: str) -> Proposal:
    def apply_decision(p: Proposal) -> None:
        apply(p)
        p.decided_by = actor
        p.decided_at = timezone.now()

    locked, _event = _take(
        step,
        proposal=proposal,
        actor=actor,
        apply=apply_decision,
        data=data,
        notify=_tell_proposer(actor, outcome),
    )
    return locked


@transaction.atomic
def proposal_approve(
    *,
    actor,
    proposal: Proposal,
    conditions: str = "",
    review_date: date | None = None,
    today: date | None = None,
) -> Proposal:
    """Approve a submitted proposal, with any conditions and a review date (default 12 months, a setting).

    The age guard runs again: a class may have gained a younger pupil since submission.
    """
    today = today or timezone.localdate()
    conditions = (conditions or "").strip()
    chosen = _review_date(review_date, today)

    def apply(p: Proposal) -> None:
        require_old_enough(p, today, verb="approved")
        p.conditions = conditions
        p.review_date = chosen
        p.status_reason = ""

    return _decide(
        actor=actor,
        proposal=proposal,
        step="approve",
        apply=apply,
        data={"conditions": conditions, "review_date": chosen},
        outcome="approved",
    )


@transaction.atomic
def proposal_reject(*, actor, proposal: Proposal, reason: str) -> Proposal:
    """Turn a submitted proposal down, with a reason for the proposer."""
    reason = _reason(reason, "reason", "for turning the proposal down")

    def apply(p: Proposal) -> None:
        p.status_reason = reason

    return _decide(
        actor=actor,
        proposal=proposal,
        step="reject",
        apply=apply,
        data={"reason": reason},
        outcome="turned down",
    )


@transaction.atomic
def proposal_request_changes(*, actor, proposal: Proposal, reason: str) -> Proposal:
    """Send a submitted proposal back to its proposer, saying what must change."""
    reason = _reason(reason, "reason", "saying what must change")

    def apply(p: Proposal) -> None:
        p.status_reason = reason

    return _decide(
        actor=actor,
        proposal=proposal,
        step="request_changes",
        apply=apply,
        data={"reason": reason},
        outcome="sent back for changes",
    )


# --- A running service --------------------------------------------------------------------------------


@transaction.atomic
def proposal_suspend(*, actor, proposal: Proposal, reason: str) -> Proposal:
    """Stop an approved service for now (it stays on the register as suspended)."""
    reason = _reason(reason, "reason", "for suspending the service")

    def apply(p: Proposal) -> None:
        p.status_reason = reason

    locked, _event = _take(
        "suspend",
        proposal=proposal,
        actor=actor,
        apply=apply,
        data={"reason": reason},
        notify=_tell_proposer(actor, "suspended"),
    )
    return locked


@transaction.atomic
def proposal_reinstate(*, actor, proposal: Proposal, note: str = "", today: date | None = None) -> Proposal:
    """Let a suspended service run again until its review date."""
    today = today or timezone.localdate()
    note = (note or "").strip()

    def apply(p: Proposal) -> None:
        if p.review_date <= today:
            raise ValidationError(
                "The service's review date has passed: it expires rather than being reinstated. "
                "A new proposal is needed."
            )
        p.status_reason = ""

    locked, _event = _take(
        "reinstate",
        proposal=proposal,
        actor=actor,
        apply=apply,
        data={"note": note} if note else {},
        notify=_tell_proposer(actor, "reinstated"),
    )
    return locked


@transaction.atomic
def proposal_renew(
    *,
    actor,
    proposal: Proposal,
    review_date: date | None = None,
    conditions: str | None = None,
    today: date | None = None,
) -> Proposal:
    """Renew an approved service at its review: a new review date, and the conditions confirmed or changed."""
    today = today or timezone.localdate()
    chosen = _review_date(review_date, today)

    def apply(p: Proposal) -> None:
        require_old_enough(p, today, verb="renewed")
        if conditions is not None:
            p.conditions = conditions.strip()
        p.review_date = chosen
        p.decided_by = actor
        p.decided_at = timezone.now()

    data = {"review_date": chosen}
    if conditions is not None:
        data["conditions"] = conditions.strip()
    locked, _event = _take(
        "renew",
        proposal=proposal,
        actor=actor,
        apply=apply,
        data=data,
        notify=_tell_proposer(actor, "renewed"),
    )
    return locked


@transaction.atomic
def proposal_withdraw(*, actor, proposal: Proposal, reason: str = "") -> Proposal:
    """Withdraw a proposal or close a service. The proposer may, at any stage before it finishes;
    a decider may close a running (approved or suspended) service."""
    reason = (reason or "").strip()

    def apply(p: Proposal) -> None:
        p.status_reason = reason

    def notify(p: Proposal, event: AuditEvent) -> None:
        if not policies.is_proposer(actor, p):
            _tell_proposer(actor, "withdrawn")(p, event)

    locked, _event = _take(
        "withdraw",
        proposal=proposal,
        actor=actor,
        apply=apply,
        data={"reason": reason} if reason else {},
        notify=notify,
    )
    return locked
