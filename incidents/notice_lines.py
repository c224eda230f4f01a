"""What the in-app centre names for each of this app's notices ("ALG-00003: referral due Thu 10 Dec 14:00"),
for the signed-in recipient only (notifications.catalogue, `in_app`).

Emails stay content-free: this is read only when the recipient opens their own notices in the portal, and
only for records they may still see, through the same `*_visible_to(user)` querysets as every page (so the
subject of a case, or someone who has since lost the role, gets the notice's plain subject instead). One
query per kind of record on the page, whatever the number of notices.
"""

from collections.abc import Callable

from django.utils import timezone

from core.formats import deadline, moment

from . import policies

# The records these notices are about, by their notice's `about_type`: how to read the ones a user may see.
VISIBLE = {
    "incidents.allegation": policies.allegations_visible_to,
    "incidents.concern": policies.concerns_visible_to,
    "incidents.pupilincident": policies.pupil_incidents_visible_to,
    "incidents.cyberbullyingreport": policies.cyberbullying_visible_to,
}


def referral_state(case, now) -> str:
    """Where the case's LADO referral stands now, in words."""
    if case.referred_at is not None:
        return f"referred to the LADO on {moment(case.referred_at)}"
    if not case.awaiting_referral:
        return "no referral needed"
    if case.referral_due_at < now:
        return f"referral overdue since {deadline(case.referral_due_at)}"
    return f"referral due {deadline(case.referral_due_at)}"


def lines_for(user, notifications, what: Callable) -> dict[int, str]:
    """{notification id: "<reference>: <what(template, record, now)>"} for the user's own notices about
    records they may see; the others are left out (the centre shows their subject)."""
    wanted: dict[str, set[int]] = {}
    for notification in notifications:
        if notification.recipient_user_id != user.pk or notification.about_type not in VISIBLE:
            continue
        if notification.about_id.isdigit():
            wanted.setdefault(notification.about_type, set()).add(int(notification.about_id))
    records = {
        about_type: VISIBLE[about_type](user).in_bulk(ids) for about_type, ids in sorted(wanted.items())
    }
    now = timezone.now()
    lines = {}
    for notification in notifications:
        record = records.get(notification.about_type, {}).get(
            int(notification.about_id) if notification.about_id.isdigit() else None
        )
        if record is None or notification.recipient_user_id != user.pk:
            continue
        words = what(notification.template, record, now)
        if words:
            lines[notification.pk] = f"{record.reference}: {words}"
    return lines
