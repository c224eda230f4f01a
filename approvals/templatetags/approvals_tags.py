"""Small display helpers for approvals' templates (no queries)."""

from django import template

from core.vocabulary import display_name

register = template.Library()

# Bootstrap badge classes whose text keeps at least 4.5:1 contrast.
_TONES = {
    "draft": "text-bg-light border",
    "submitted": "text-bg-info",
    "requested": "text-bg-info",
    "changes_requested": "text-bg-warning",
    "approved": "text-bg-success",
    "agreed": "text-bg-success",
    "acknowledged": "text-bg-success",
    "rejected": "text-bg-danger",
    "declined": "text-bg-danger",
    "suspended": "text-bg-warning",
    "withdrawn": "text-bg-secondary",
    "expired": "text-bg-dark",
}


@register.inclusion_tag("approvals/includes/status_badge.html")
def status_badge(record):
    """The record's status as a badge: any model with `status` and `get_status_display`."""
    return {"tone": _TONES.get(record.status, "text-bg-light border"), "label": record.get_status_display()}


@register.filter
def user_name(user) -> str:
    return display_name(user, registry=False)
