"""Every write of approvals. Services are keyword-only, take the acting user as `actor`, check the
policy again, write and audit in one transaction, and queue notices that are sent after commit."""

from ._common import add_months
from .declarations import (
    declaration_acknowledge,
    declaration_create,
    declaration_redeclare,
    declaration_reminders_send,
    declaration_steps,
    declaration_withdraw,
)
from .permissions import permission_agree, permission_decline, permission_request, permission_steps
from .proposal_drafts import PROPOSAL_FIELDS, proposal_create, proposal_update
from .proposal_jobs import proposal_expire, proposal_review_reminders_send, proposals_expire_due
from .proposals import (
    proposal_approve,
    proposal_reinstate,
    proposal_reject,
    proposal_renew,
    proposal_request_changes,
    proposal_steps,
    proposal_submit,
    proposal_suspend,
    proposal_withdraw,
)

__all__ = [
    "PROPOSAL_FIELDS",
    "add_months",
    "declaration_acknowledge",
    "declaration_create",
    "declaration_redeclare",
    "declaration_reminders_send",
    "declaration_steps",
    "declaration_withdraw",
    "permission_agree",
    "permission_decline",
    "permission_request",
    "permission_steps",
    "proposal_approve",
    "proposal_create",
    "proposal_expire",
    "proposal_reinstate",
    "proposal_reject",
    "proposal_renew",
    "proposal_request_changes",
    "proposal_review_reminders_send",
    "proposal_steps",
    "proposal_submit",
    "proposal_suspend",
    "proposal_update",
    "proposal_withdraw",
    "proposals_expire_due",
]
