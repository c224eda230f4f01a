"""The three workflows of approvals, each a table of steps (`core.workflow`): who may take each step,
from which statuses, and how a refusal reads. Every status change is taken through these tables by
the services (`proposals`, `declarations`, `permissions`); pages ask them for the steps on offer.

Proposals (§5, §6): draft → submitted → approved | rejected | changes requested; changes requested →
submitted; approved → suspended → approved (reinstated); approved → approved (renewed); approved or
suspended → expired on the review date; withdrawn by the proposer before it finishes, or by a decider
while it runs. Declarations (§7): submitted → acknowledged | withdrawn, and declared again each year.
Publication permissions (§6): requested → agreed | declined, by the Executive Head only.
"""

from core.vocabulary import display_name
from core.workflow import Step, Workflow
from people.models import Role

from .. import policies
from ..models import (
    OPEN_DECLARATION_STATUSES,
    Declaration,
    DeclarationStatus,
    PermissionStatus,
    Proposal,
    ProposalStatus,
    PublicationPermission,
)
from ._common import when

S = ProposalStatus
D = DeclarationStatus
P = PermissionStatus

# --- Social media service proposals (§5, §6) --------------------------------------------------------

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
_EDITABLE = frozenset({S.DRAFT, S.CHANGES_REQUESTED})
_RUNNING = frozenset({S.APPROVED, S.SUSPENDED})


def _not_decider(what: str) -> str:
    return (
        f"Only the Executive Head or the Head of School of the proposal's school can {what}, "
        "and never on their own proposal."
    )


def _the_portal(actor, proposal: Proposal) -> bool:
    """Expiry is the portal's own step, on the review date (§5): no person takes it."""
    return actor is None


def _proposal_already_decided(proposal: Proposal, step: Step) -> str | None:
    if step.name in DECISIONS and proposal.status in _DECIDED and proposal.decided_at:
        return (
            f"This proposal was already decided by {display_name(proposal.decided_by)} at "
            f"{when(proposal.decided_at)} ({STATUS_PHRASES[proposal.status]}). Nothing was changed."
        )
    return None


_decides = policies.can_decide_proposal

PROPOSAL = Workflow(
    model=Proposal,
    audit="approvals.proposal",
    noun="proposal",
    phrases=STATUS_PHRASES,
    stamp="status_changed_at",
    wrong_state=_proposal_already_decided,
    steps=[
        # Changing a draft keeps its status; the step says who may and when (`proposal_update`).
        Step(
            "update",
            _EDITABLE,
            None,
            label="Change",
            done="changed",
            may=policies.is_proposer,
            refused="Only the person who made the proposal can change it.",
        ),
        Step(
            "submit",
            _EDITABLE,
            S.SUBMITTED,
            label="Submit for approval",
            done="submitted",
            may=policies.is_proposer,
            refused="Only the person who made the proposal can submit it.",
        ),
        Step(
            "approve",
            {S.SUBMITTED},
            S.APPROVED,
            label="Approve",
            done="approved",
            may=_decides,
            refused=_not_decider("approve a proposal"),
        ),
        Step(
            "reject",
            {S.SUBMITTED},
            S.REJECTED,
            label="Turn down",
            done="rejected",
            may=_decides,
            refused=_not_decider("turn a proposal down"),
        ),
        Step(
            "request_changes",
            {S.SUBMITTED},
            S.CHANGES_REQUESTED,
            label="Send back for changes",
            done="sent back for changes",
            may=_decides,
            refused=_not_decider("send a proposal back for changes"),
        ),
        Step(
            "renew",
            {S.APPROVED},
            S.APPROVED,
            label="Renew",
            done="renewed",
            may=_decides,
            refused=_not_decider("renew a service"),
        ),
        Step(
            "reinstate",
            {S.SUSPENDED},
            S.APPROVED,
            label="Reinstate",
            done="reinstated",
            may=_decides,
            refused=_not_decider("reinstate a service"),
        ),
        Step(
            "suspend",
            {S.APPROVED},
            S.SUSPENDED,
            label="Suspend",
            done="suspended",
            may=_decides,
            refused=_not_decider("suspend a service"),
        ),
        # A proposal sent back for changes may be withdrawn too, rather than left waiting for ever.
        Step(
            "withdraw",
            _EDITABLE | {S.SUBMITTED} | _RUNNING,
            S.WITHDRAWN,
            label="Withdraw",
            done="withdrawn",
            may=policies.can_withdraw_proposal,
            refused="Only the proposer can withdraw this proposal.",
        ),
        # A suspended service expires on its review date like an approved one.
        Step(
            "expire",
            _RUNNING,
            S.EXPIRED,
            label="Expire",
            done="expired",
            may=_the_portal,
            refused="A service expires on its own, on its review date.",
        ),
    ],
)


# --- Family-link declarations (§7) ------------------------------------------------------------------


def _already_acknowledged(declaration: Declaration, step: Step) -> str | None:
    if step.name == "acknowledge" and declaration.status == D.ACKNOWLEDGED:
        return (
            f"This declaration was already acknowledged by {display_name(declaration.acknowledged_by)} at "
            f"{when(declaration.acknowledged_at)}. Nothing was changed."
        )
    return None


DECLARATION = Workflow(
    model=Declaration,
    audit="approvals.declaration",
    noun="declaration",
    stamp="status_changed_at",
    wrong_state=_already_acknowledged,
    steps=[
        Step(
            "acknowledge",
            {D.SUBMITTED},
            D.ACKNOWLEDGED,
            label="Acknowledge",
            done="acknowledged",
            may=policies.can_acknowledge_declaration,
            refused="Only the Executive Head or the Head of School of the school acknowledge declarations, "
            "and never their own.",
        ),
        # The yearly re-declaration (§7): dated today, to be acknowledged again.
        Step(
            "redeclare",
            OPEN_DECLARATION_STATUSES,
            D.SUBMITTED,
            label="Declare again",
            done="declared again",
            may=policies.can_redeclare,
            refused="Only the person who made a declaration can declare it again.",
        ),
        Step(
            "withdraw",
            OPEN_DECLARATION_STATUSES,
            D.WITHDRAWN,
            label="Withdraw",
            done="withdrawn",
            may=policies.can_withdraw_declaration,
            refused="Only the person who made a declaration can withdraw it.",
        ),
    ],
)


# --- Publication permissions (§6) --------------------------------------------------------------------

_NOT_EXECUTIVE_HEAD = (
    f"Only the {Role.EXECUTIVE_HEAD.label} gives permission to publish, and never on their own request."
)


def _request_already_decided(permission: PublicationPermission, step: Step) -> str | None:
    if permission.decided_at:
        return (
            f"This request was already {permission.get_status_display().lower()} by "
            f"{display_name(permission.decided_by)} at {when(permission.decided_at)}. Nothing was changed."
        )
    return None


PERMISSION = Workflow(
    model=PublicationPermission,
    audit="approvals.permission",
    noun="request",
    wrong_state=_request_already_decided,
    steps=[
        Step(
            "agree",
            {P.REQUESTED},
            P.AGREED,
            label="Agree",
            done="agreed",
            may=policies.can_decide_permission,
            refused=_NOT_EXECUTIVE_HEAD,
        ),
        Step(
            "decline",
            {P.REQUESTED},
            P.DECLINED,
            label="Decline",
            done="declined",
            may=policies.can_decide_permission,
            refused=_NOT_EXECUTIVE_HEAD,
        ),
    ],
)
