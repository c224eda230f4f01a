"""Navigation, dashboard cards and the person-page panel of the incidents app.

Every figure comes from the `*_visible_to` querysets, so the subject of a case never sees it
counted (KCSIE part four). Predicates and providers return early, without a query, for users
outside the safeguarding team.
"""

from django.urls import reverse
from django.utils import timezone

from core.dashboard import Card, Panel, figure, register_card, register_nav, register_person_panel
from people.models import PersonKind

from . import policies, selectors
from .countdown import countdown
from .models import IctSanction

# "Report a concern" is one click from every page, for everyone who works at or for a school.
register_nav("Report a concern", "incidents:report", policies.can_report_concern, order=20)
register_nav(
    "LADO referrals", "incidents:allegation_list", policies.is_case_team, order=300, group="Safeguarding"
)


@register_card
def lado_referrals_card(user):
    if not policies.is_case_team(user):
        return None
    open_cases, overdue, next_due = yield (*selectors.case_counts(user), selectors.next_referral_due(user))
    # What is overdue first, in words: the figure a reader must act on before the open cases' total.
    parts = (
        [f"{figure(overdue)} LADO referral{'s are' if overdue != 1 else ' is'} overdue."] if overdue else []
    )
    parts.append(f"{figure(open_cases)} open case{'s' if open_cases != 1 else ''}.")
    if next_due is not None:
        due = timezone.localtime(next_due)
        parts.append(f"Next referral deadline: {due:%a %d %b %H:%M} ({countdown(next_due)}).")
    return Card(
        title="LADO referrals",
        body=" ".join(parts),
        count=open_cases,
        url=reverse("incidents:allegation_list"),
        link_text="Open the LADO referrals",
        tone="danger" if overdue else ("warning" if next_due else "secondary"),
        order=20,
    )


@register_card
def concerns_card(user):
    if not policies.can_triage_concerns(user):
        return None
    waiting = yield selectors.concerns_received(user)
    if not waiting:
        return None
    return Card(
        title="Reported concerns",
        body="Reports from staff waiting for the safeguarding team.",
        count=waiting,
        url=reverse("incidents:concern_list"),
        link_text="Look at the reports",
        tone="warning",
        order=25,
    )


@register_card
def low_level_card(user):
    if not policies.can_review_low_level(user):
        return None
    due = yield selectors.low_level_due(user)
    if not due:
        return None
    return Card(
        title="Low-level concerns to review",
        body="People with repeated low-level concerns: the DSL reviews them.",
        count=due,
        url=reverse("incidents:low_level_list"),
        link_text="Review them",
        tone="warning",
        order=30,
    )


@register_person_panel
def allegations_panel(user, person):
    """Cases about this person, for the safeguarding team only; nothing at all for anyone else."""
    if not policies.is_case_team(user):
        return None
    cases = list(
        policies.allegations_visible_to(user)
        .filter(subject=person)
        .select_related("school")
        .order_by("-received_at")
    )
    if not cases:
        return None
    return Panel(template="incidents/includes/person_panel.html", context={"cases": cases}, order=200)


# --- Pupil incidents (§8) --------------------------------------------------------------------------------

register_nav(
    "Pupil incidents",
    "incidents:pupil_incident_list",
    policies.can_see_pupil_incidents,
    order=310,
    group="Safeguarding",
)


@register_card
def my_open_actions_card(user):
    """Open follow-ups of pupil incidents and cyberbullying reports owned by a role the user holds at the case's
    school: how many, how many overdue and the nearest due date (read with the dashboard's other figures)."""
    if not policies.can_see_pupil_incidents(user):
        return None
    open_actions, overdue, next_due = yield (
        *selectors.my_action_counts(user),
        selectors.next_action_due(user),
    )
    if not open_actions:
        return None
    parts = [f"{figure(overdue)} action{'s are' if overdue != 1 else ' is'} overdue."] if overdue else []
    parts.append(
        f"{figure(open_actions)} open action{'s' if open_actions != 1 else ''} for you or your team."
    )
    parts.append(f"Next due: {next_due:%a %d %b %Y}.")
    return Card(
        title="My open actions",
        body=" ".join(parts),
        count=open_actions,
        url=reverse("incidents:my_actions"),
        link_text="Open my actions",
        tone="danger" if overdue else "warning",
        order=35,
    )


PUPIL_KINDS = (PersonKind.PUPIL, PersonKind.FORMER_PUPIL)


@register_person_panel
def pupil_incidents_panel(user, person):
    """A pupil's incidents and current ICT sanctions, for the safeguarding team of their school (a former
    pupil's too: the record stays). Declared family links are the approvals app's panel (§7)."""
    if person.kind not in PUPIL_KINDS or not policies.can_see_pupil_incidents(user):
        return None
    incidents = list(
        policies.pupil_incidents_visible_to(user)
        .filter(pupils=person)
        .select_related("school")
        .order_by("-occurred_at")
    )
    if not incidents:
        return None
    today = timezone.localdate()
    sanctions = list(
        IctSanction.objects.filter(
            pupil=person, incident__in=[i.pk for i in incidents], starts_on__lte=today, ends_on__gte=today
        )
        .select_related("incident")
        .order_by("ends_on")
    )
    return Panel(
        template="incidents/includes/pupil_panel.html",
        context={"incidents": incidents, "sanctions": sanctions},
        order=210,
    )


@register_person_panel
def ict_supervision_panel(user, person):
    """A pupil's current supervised-ICT sanction for the staff who teach them (§8), without the incident
    behind it; the case team reads it in the incidents panel instead, so nobody sees it twice."""
    if person.kind not in PUPIL_KINDS or policies.can_see_pupil_incidents(user):
        return None
    today = timezone.localdate()
    ends = list(
        policies.ict_sanctions_visible_to(user)
        .filter(pupil=person, starts_on__lte=today, ends_on__gte=today)
        .order_by("-ends_on")
        .values_list("ends_on", flat=True)[:1]
    )
    if not ends:
        return None
    return Panel(
        template="incidents/includes/ict_supervision_panel.html", context={"until": ends[0]}, order=205
    )


# --- Cyberbullying (§10) ---------------------------------------------------------------------------------

register_nav(
    "Cyberbullying",
    "incidents:cyberbullying_list",
    policies.can_see_pupil_incidents,
    order=320,
    group="Safeguarding",
)
