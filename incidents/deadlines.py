"""The deadlines of the incidents app on the dashboard's "Urgent" list and the week's strip (core.deadlines):
LADO referrals still to be made (§9: one working day from receipt) and the open follow-up actions of pupil
incidents (§8) and cyberbullying reports (§10) owned by a role the user holds.

Each source reads through the `*_visible_to` querysets, so the subject of a case never sees its deadline,
and runs one query (none for a user outside the team).
"""

from django.utils import timezone

from core.deadlines import Deadline, Window, end_of_day, register_deadlines
from core.formats import deadline, weekday

from . import policies, selectors
from .countdown import countdown
from .models import Allegation


def awaiting_referral(user):
    return policies.allegations_visible_to(user).filter(status=Allegation.Status.RECORDED)


def referral_words(case: Allegation, now) -> str:
    """What is due on a case still to be referred, and when: "referral overdue by 4 days — refer now"."""
    if case.referral_due_at < now:
        return f"referral {countdown(case.referral_due_at, now)} — refer now"
    left = countdown(case.referral_due_at, now).removeprefix("due ")
    return f"referral due {deadline(case.referral_due_at)} ({left}) — refer to the LADO"


@register_deadlines
def referral_deadlines(user, window: Window) -> list[Deadline]:
    """Cases the user may see that still wait for their LADO referral, nearest deadline first."""
    if not policies.is_case_team(user):
        return []
    cases = window.within(awaiting_referral(user), "referral_due_at").only("pk", "referral_due_at")
    return [
        Deadline(
            due=case.referral_due_at,
            reference=case.reference,
            text=referral_words(case, window.now),
            url=case.get_absolute_url(),
            overdue=case.referral_due_at < window.now,
        )
        for case in cases[: window.limit]
    ]


def action_words(action, today) -> str:
    """What an open action is and when it is due: "action overdue by 2 days — Meet the family"."""
    late = (today - action.due_on).days
    if late > 0:
        when = f"overdue by {late} day{'s' if late != 1 else ''}"
    elif late == 0:
        when = "due today"
    else:
        when = f"due {weekday(action.due_on)}"
    return f"action {when} — {action.get_kind_display()}"


@register_deadlines
def action_deadlines(user, window: Window) -> list[Deadline]:
    """The user's open follow-up actions (`selectors.my_open_incident_actions`), soonest due first."""
    if not policies.can_see_pupil_incidents(user):
        return []
    today = timezone.localtime(window.now).date()
    actions = (
        window.within(selectors.my_open_incident_actions(user), "due_on", is_date=True)
        .select_related("incident", "report")
        .only("pk", "kind", "due_on", "incident__id", "report__id")
    )
    return [
        Deadline(
            due=end_of_day(action.due_on),
            reference=action.case.reference,
            text=action_words(action, today),
            url=action.case.get_absolute_url(),
            overdue=action.due_on < today,
        )
        for action in actions[: window.limit]
    ]
