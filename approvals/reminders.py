"""The daily jobs (run by notifications' beat task at 06:30 Europe/London)."""

from notifications.reminders import register_daily

from . import services


@register_daily("approvals.proposals_expire")
def expire_proposals():
    """Approvals end on their review date unless renewed (§5); proposer and approver are told."""
    return services.proposals_expire_due()


@register_daily("approvals.proposal_reviews_due")
def remind_proposal_reviews():
    """Proposer and approver are reminded 30 and 7 days before a service's review date."""
    return services.proposal_review_reminders_send()


@register_daily("approvals.declarations_due")
def remind_declarations_due():
    """Staff are asked to declare family links again once a year (§7)."""
    return services.declaration_reminders_send()
