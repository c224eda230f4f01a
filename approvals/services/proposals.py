"""Social media service proposals (§5, §6): every write, through one guarded transition helper.

draft → submitted → approved | rejected | changes requested; changes requested → submitted;
approved → suspended → approved (reinstated); approved → approved (renewed, new review date);
approved or suspended → expired on the review date; the proposer may withdraw any proposal
that is not finished, and a decider may withdraw a running service. Only the Executive Head or
the Head of School of the proposal's school decides, never the proposer (§5).

Two moves go a little beyond the bare list: a proposal sent back for changes may also be
withdrawn (rather than left waiting for ever), and a suspended service expires on its review
date like an approved one. Drafting is in `proposal_drafts`; the daily jobs in `proposal_jobs`.
"""

from collections.abc import Callable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_record
from core.vocabulary import Platform, default_minimum_age
from people.policies import access_for

from .. import policies
from ..models import LIVE_STATUSES, Proposal, ProposalStatus
from ._common import (
    ACTION_NEEDED,
    OUTCOME,
    InvalidTransition,
    Move,
    add_months,
    deciders_of,
    name_of,
    queue_notice,
    review_months,
    user_recipients,
    when,
    wrong_state_message,
)
from .age_guard import require_old_enough

S = ProposalStatus
CATEGORY = "social media proposal"
# The furthest ahead an approver may set a review date: the service is looked at again within this.
MAX_REVIEW_MONTHS = 36

TRANSITIONS: dict[str, Move] = {
    "submit": Move(frozenset({S.DRAFT, S.CHANGES_REQUESTED}), S.SUBMITTED, "submitted"),
    "approve": Move(frozenset({S.SUBMITTED}), S.APPROVED, "approved"),
    "reject": Move(frozenset({S.SUBMITTED}), S.REJECTED, "rejected"),
    "request_changes": Move(frozenset({S.SUBMITTED}), S.CHANGES_REQUESTED, "sent back for changes"),
    "suspend": Move(frozenset({S.APPROVED}), S.SUSPENDED, "suspended"),
    "reinstate": Move(frozenset({S.SUSPENDED}), S.APPROVED, "reinstated"),
    "renew": Move(frozenset({S.APPROVED}), S.APPROVED, "renewed"),
    "withdraw": Move(
        frozenset({S.DRAFT, S.SUBMITTED, S.CHANGES_REQUESTED, S.APPROVED, S.SUSPENDED}),
        S.WITHDRAWN,
        "withdrawn",
    ),
    "expire": Move(frozenset({S.APPROVED, S.SUSPENDED}), S.EXPIRED, "expired"),
}
# Each status as it reads after "it is", for messages.
STATUS_PHRASES = {
    S.DRAFT: "a draft",
    S.SUBMITTED: "submitted",
    S.CHANGES_REQUESTED: "sent back for changes",
    S.APPROVED: "approved",
    S.REJECTED: "turned down",
    S.SUSPENDED: "suspended",
    S.WITHDRAWN: "withdrawn",
    S.EXPIRED: "expired",
}
# The three answers to a submission: once one is given, a second decider is told who gave it.
DECISIONS = frozenset({"approve", "reject", "request_changes"})
# Statuses a decision leaves behind.
_DECIDED = frozenset({S.APPROVED, S.REJECTED, S.CHANGES_REQUESTED, S.SUSPENDED, S.EXPIRED, S.WITHDRAWN})


# --- The guarded transition -------------------------------------------------------------------------


def _wrong_state(proposal: Proposal, action: str) -> str:
    move = TRANSITIONS[action]
    if action in DECISIONS and proposal.status in _DECIDED and proposal.decided_at:
        return (
            f"This proposal was already decided by {name_of(proposal.decided_by)} at "
            f"{when(proposal.decided_at)} ({STATUS_PHRASES[proposal.status]}). Nothing was changed."
        )
    return wrong_state_message("proposal", proposal.status, move, STATUS_PHRASES)


def refusal_for(proposal: Proposal, action: str) -> str | None:
    """Why `action` cannot be taken on `proposal` in its present state, or None when it can (for pages)."""
    if proposal.status in TRANSITIONS[action].sources:
        return None
    return _wrong_state(proposal, action)


def _transition(
    *,
    proposal: Proposal,
    actor,
    action: str,
    allowed: Callable[[Proposal], bool] | None,
    refused: str,
    apply: Callable[[Proposal], dict | None] | None = None,
    data: dict | None = None,
) -> tuple[Proposal, AuditEvent]:
    """Lock the proposal, check who and when, apply the change, save and audit, in the caller's transaction.

    `allowed` says whether the actor may take this action (None for the portal itself, as
    in expiry); `refused` is the message when they may not. `apply` makes the action's own
    changes and checks, and may raise ValidationError: then nothing is saved. What `apply`
    returns is added to the audit event's data.
    """
    # Only never-changing, non-null relations are joined: after waiting for the lock, PostgreSQL
    # re-reads the locked row but not the joined ones, so a joined decider would be stale.
    locked = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("school", "proposer")
        .get(pk=proposal.pk)
    )
    if allowed is not None and not allowed(locked):
        raise PermissionDenied(refused)
    move = TRANSITIONS[action]
    if locked.status not in move.sources:
        raise InvalidTransition(_wrong_state(locked, action), code="invalid_transition")
    before = locked.status
    data = dict(data or {})
    if apply is not None:
        data.update(apply(locked) or {})
    locked.status = move.target
    locked.status_changed_at = timezone.now()
    try:
        with transaction.atomic():
            locked.save()
    except IntegrityError:
        # Another live proposal for the same account won a race with this one: say so.
        _check_live_account(locked)
        raise
    event = audit_record(
        actor=actor,
        action=f"approvals.proposal.{action}",
        target=locked,
        school=locked.school_id,
        data={"from": before, "to": move.target, **data},
    )
    # The caller's instance shows the new state too.
    for field in Proposal._meta.concrete_fields:
        setattr(proposal, field.attname, getattr(locked, field.attname))
    return locked, event


def _event_key(proposal: Proposal, event: AuditEvent, what: str) -> str:
    # The audit event's id makes each transition's notice unique (a resubmission is told again).
    return f"approvals.proposal.{proposal.pk}.{what}.{event.pk}"


def _tell_proposer(proposal: Proposal, event: AuditEvent, actor, outcome: str) -> None:
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


def _may_decide(actor) -> Callable[[Proposal], bool]:
    return lambda p: policies.can_decide_proposal(actor, p)


def _not_decider(what: str) -> str:
    return (
        f"Only the Executive Head or the Head of School of the proposal's school can {what}, "
        "and never on their own proposal."
    )


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

    locked, event = _transition(
        proposal=proposal,
        actor=actor,
        action="submit",
        allowed=lambda p: policies.is_proposer(actor, p),
        refused="Only the person who made the proposal can submit it.",
        apply=apply,
    )
    queue_notice(
        event=_event_key(locked, event, "submitted"),
        recipients=deciders_of(locked.school),
        template=ACTION_NEEDED,
        about=locked,
        school=locked.school,
        category=CATEGORY,
        actor=actor,
        exclude=[pid for pid in [access_for(actor).person_id] if pid],
    )
    return locked


def _decide(
    *, actor, proposal: Proposal, action: str, apply, data: dict, outcome: str, what: str
) -> Proposal:
    def apply_decision(p: Proposal) -> None:
        apply(p)
        p.decided_by = actor
        p.decided_at = timezone.now()

    locked, event = _transition(
        proposal=proposal,
        actor=actor,
        action=action,
        allowed=_may_decide(actor),
        refused=_not_decider(what),
        apply=apply_decision,
        data=data,
    )
    _tell_proposer(locked, event, actor, outcome)
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
        action="approve",
        apply=apply,
        data={"conditions": conditions, "review_date": chosen},
        outcome="approved",
        what="approve a proposal",
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
        action="reject",
        apply=apply,
        data={"reason": reason},
        outcome="turned down",
        what="turn a proposal down",
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
        action="request_changes",
        apply=apply,
        data={"reason": reason},
        outcome="sent back for changes",
        what="send a proposal back for changes",
    )


# --- A running service --------------------------------------------------------------------------------


@transaction.atomic
def proposal_suspend(*, actor, proposal: Proposal, reason: str) -> Proposal:
    """Stop an approved service for now (it stays on the register as suspended)."""
    reason = _reason(reason, "reason", "for suspending the service")

    def apply(p: Proposal) -> None:
        p.status_reason = reason

    locked, event = _transition(
        proposal=proposal,
        actor=actor,
        action="suspend",
        allowed=_may_decide(actor),
        refused=_not_decider("suspend a service"),
        apply=apply,
        data={"reason": reason},
    )
    _tell_proposer(locked, event, actor, "suspended")
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

    locked, event = _transition(
        proposal=proposal,
        actor=actor,
        action="reinstate",
        allowed=_may_decide(actor),
        refused=_not_decider("reinstate a service"),
        apply=apply,
        data={"note": note} if note else {},
    )
    _tell_proposer(locked, event, actor, "reinstated")
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
    locked, event = _transition(
        proposal=proposal,
        actor=actor,
        action="renew",
        allowed=_may_decide(actor),
        refused=_not_decider("renew a service"),
        apply=apply,
        data=data,
    )
    _tell_proposer(locked, event, actor, "renewed")
    return locked


@transaction.atomic
def proposal_withdraw(*, actor, proposal: Proposal, reason: str = "") -> Proposal:
    """Withdraw a proposal or close a service. The proposer may, at any stage before it finishes;
    a decider may close a running (approved or suspended) service."""
    reason = (reason or "").strip()

    def apply(p: Proposal) -> None:
        p.status_reason = reason

    locked, event = _transition(
        proposal=proposal,
        actor=actor,
        action="withdraw",
        allowed=lambda p: policies.can_withdraw_proposal(actor, p),
        refused="Only the proposer can withdraw this proposal.",
        apply=apply,
        data={"reason": reason} if reason else {},
    )
    if not policies.is_proposer(actor, locked):
        _tell_proposer(locked, event, actor, "withdrawn")
    return locked
