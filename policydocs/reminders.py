"""The daily jobs (run by notifications' beat task at 06:30 Europe/London)."""

from notifications.reminders import register_daily

from . import acknowledgements, services
from .reports import files


@register_daily("policydocs.review_due")
def remind_review_due():
    """Heads and the Executive Head are reminded 60 and 14 days before the policy's review date."""
    return services.review_reminders_send()


@register_daily("policydocs.acknowledgements_outstanding")
def remind_acknowledgements():
    """Staff who have not confirmed the current version are reminded each week."""
    return acknowledgements.acknowledgement_reminders_send()


@register_daily("policydocs.report_files_cleanup")
def delete_old_report_files():
    """Generated report files are kept for POLICYDOCS_REPORT_FILE_DAYS, then deleted."""
    return files.delete_expired()
