"""The notices this app sends, through the notifications outbox.

Every one is a safeguarding notice: it prints a category, the school's name and a sign-in
link, never case detail. The subject of a case is excluded from every notice about it
(KCSIE part four), by `exclude=[subject]` on each call below.
"""

from dataclasses import dataclass

from django.urls import reverse

from core.vocabulary import platform_minimum_age
from notifications.catalogue import SAFEGUARDING_PRINTS, Audience, register_template
from notifications.recipients import (
    Recipient,
    chair_of_governors,
    contactable_parents_of,
    dsls_of,
    executive_heads,
    heads_of,
    slt_of,
)
from notifications.services import notify

from . import notice_lines
from .models import ActionKind, Allegation, CaseManager, Concern, IncidentAction, PupilIncident, Routing

CONCERN_RECEIVED = "incidents_concern_received"
ALLEGATION_RECORDED = "incidents_allegation_recorded"
LADO_DUE_SOON = "incidents_lado_due_soon"
LADO_OVERDUE = "incidents_lado_overdue"
LADO_ADVICE_RECORDED = "incidents_lado_advice_recorded"
LOW_LEVEL_REVIEW_DUE = "incidents_low_level_review_due"
PUPIL_INCIDENT_ALERT = "incidents_pupil_incident_alert"
PARENT_STAFF_SOCIAL = "incidents_parent_staff_social"
PARENT_UNDER_AGE = "incidents_parent_under_age"
PARENT_CONTACT_REQUEST = "parent_contact_request"


def _what(template: str, record, now) -> str:
    """What a notice of this app is about, in words, after its record's reference."""
    if template == ALLEGATION_RECORDED:
        return f"new case — {notice_lines.referral_state(record, now)}"
    if template in (LADO_DUE_SOON, LADO_OVERDUE):
        return notice_lines.referral_state(record, now)
    if template == CYBERBULLYING_REPORTED:  # declared with the cyberbullying notices, below
        return "a cyberbullying report was recorded"
    return IN_APP_WORDS.get(template, "")


IN_APP_WORDS = {
    LADO_ADVICE_RECORDED: "the LADO's advice was recorded",
    LOW_LEVEL_REVIEW_DUE: "repeated low-level concerns about the same adult: a review is due",
    CONCERN_RECEIVED: "a report from staff waits for the safeguarding team",
    PUPIL_INCIDENT_ALERT: "a pupil incident needs your attention",
}


def in_app_lines(user, notifications) -> dict[int, str]:
    """The in-app centre's line for each of the recipient's notices of this app (notice_lines)."""
    return notice_lines.lines_for(user, notifications, _what)


for _key, _label in [
    (CONCERN_RECEIVED, "A concern was reported"),
    (ALLEGATION_RECORDED, "An allegation about an adult was recorded"),
    (LADO_DUE_SOON, "LADO referral: half the time has gone"),
    (LADO_OVERDUE, "LADO referral: the deadline was missed"),
    (LADO_ADVICE_RECORDED, "LADO advice was recorded"),
    (LOW_LEVEL_REVIEW_DUE, "Low-level concerns: a review is due"),
    (PUPIL_INCIDENT_ALERT, "A pupil incident needs your attention"),
]:
    register_template(_key, label=_label, prints=SAFEGUARDING_PRINTS, safeguarding=True, in_app=in_app_lines)

CATEGORY_CONCERN = "Concern reported by a member of staff"
CATEGORY_ALLEGATION = "Allegation about an adult"
CATEGORY_LOW_LEVEL = "Low-level concerns about an adult"


def _unique(*groups: list[Recipient]) -> list[Recipient]:
    seen, result = set(), []
    for group in groups:
        for recipient in group:
            if recipient.key not in seen:
                seen.add(recipient.key)
                result.append(recipient)
    return result


def case_manager_recipients(allegation: Allegation) -> list[Recipient]:
    federation_id = allegation.school.federation_id
    if allegation.case_manager == CaseManager.CHAIR_OF_GOVERNORS:
        return chair_of_governors(federation_id)
    return executive_heads(federation_id)


def _holds(recipients: list[Recipient], person_id: int | None) -> bool:
    return person_id is not None and any(r.person_id == person_id for r in recipients)


Reach = Concern.Reach
# Why a notice went wider than its usual route; a staff report keeps it as its `reach`.
WIDER_FOR_SUBJECT, WIDER_FOR_NO_ONE = Reach.WIDER_FOR_SUBJECT, Reach.WIDER_FOR_NO_ONE


@dataclass(frozen=True)
class Route:
    """Where a notice goes, read by the notice itself and by every page that says where it went or will go:
    the people told (`recipients`), who they are by role (`roles`), why it went where it did (`reach`: as
    routed, wider because of its subject or a missing role, or to no one) and that, in words (`explanation`,
    for the person whose report or record set it off)."""

    recipients: tuple[Recipient, ...]
    roles: tuple[str, ...]
    reach: str
    explanation: str

    @property
    def about_a_receiver(self) -> bool:
        """It went wider because the person it is about would usually receive it."""
        return self.reach == Reach.WIDER_FOR_SUBJECT

    @property
    def told_no_one(self) -> bool:
        return self.reach == Reach.NOBODY


SLT, DSL, HEADS, EXECUTIVE_HEAD = (
    "the senior leadership team",
    "the designated safeguarding lead",
    "the Head of School",
    "the Executive Head",
)

# A staff report (§7, §9), in words for its author: where it went and who decides what follows.
CONCERN_ROUTED = {
    Routing.SLT_AND_DSL: "The senior leadership team and the designated safeguarding lead have been told. "
    "They decide what happens next, which may include advice from the Local Authority Designated "
    "Officer (LADO).",
    Routing.DSL: "The designated safeguarding lead (the named Child Protection person) has been told and will "
    "decide what happens next.",
    Routing.SLT: "A member of the senior leadership team has been told and will decide how to deal with it.",
}
CONCERN_WIDER = {
    WIDER_FOR_SUBJECT: "Your report is about someone who would usually receive it, so it has gone "
    "instead to others in the school's safeguarding team and its heads, or to the Executive Head if there is "
    "no one else. It has not been sent to the person it is about. They decide what happens next, which may "
    "include advice from the Local Authority Designated Officer (LADO).",
    WIDER_FOR_NO_ONE: "The school does not have everyone who would usually receive this report, so it "
    "has gone to those in its safeguarding team and its heads who are there, or to the Executive Head if "
    "there is no one. They decide what happens next.",
    Reach.NOBODY: "The portal found no one who could be sent your report: it is kept, but no one has been "
    "told yet. Please tell the Head of School or the Executive Head in person, and give them the reference "
    "above.",
}
CONCERN_ROLES = {Routing.SLT_AND_DSL: (SLT, DSL), Routing.DSL: (DSL,), Routing.SLT: (SLT,)}


def _concern_route(concern: Concern, reach: str, recipients=()) -> Route:
    if reach == Reach.ROUTED:
        roles, words = CONCERN_ROLES[Routing(concern.routed_to)], CONCERN_ROUTED[Routing(concern.routed_to)]
    else:
        roles = () if reach == Reach.NOBODY else (SLT, DSL, HEADS, EXECUTIVE_HEAD)
        words = CONCERN_WIDER[reach]
    return Route(recipients=tuple(recipients), roles=roles, reach=reach, explanation=words)


def concern_routing(concern: Concern) -> Route:
    """To whom §7 and §9 send the report, and why it went wider than its routing, if it did.
    When the person it is about is among those it is routed to, or the school lacks a role it is routed to,
    the rest of the safeguarding team and the heads are told as well; when none of them is left but the
    person it is about, the Executive Head is told. The report never waits on its subject, nor on no one.
    (The subject is dropped from the list when it is sent.)"""
    dsl, slt = dsls_of(concern.school_id), slt_of(concern.school_id)
    groups = {Routing.DSL: [dsl], Routing.SLT: [slt]}.get(concern.routed_to, [slt, dsl])
    routed = _unique(*groups)
    about_a_receiver = _holds(routed, concern.subject_id)
    why = ""
    if about_a_receiver or not all(groups):
        routed = _unique(routed, slt, dsl, heads_of(concern.school_id))
        why = WIDER_FOR_SUBJECT if about_a_receiver else WIDER_FOR_NO_ONE
    if not [r for r in routed if r.person_id != concern.subject_id]:
        routed = _unique(routed, executive_heads(concern.school.federation_id))
        why = why or WIDER_FOR_NO_ONE
    return _concern_route(concern, why or Reach.ROUTED, routed)


def concern_went(concern: Concern) -> Route:
    """Where a report went when it was filed (kept as its `reach`); for one filed before that was kept,
    where the routing sends it today."""
    if concern.reach:
        return _concern_route(concern, concern.reach)
    return concern_routing(concern)


def concern_received(*, concern: Concern, actor) -> Route:
    """Send the report where `concern_routing` sends it. Returns that route, or one to no one when no one
    but its subject could be told."""
    route = concern_routing(concern)
    rows = notify(
        event=f"incidents.concern.{concern.pk}.received",
        recipients=list(route.recipients),
        template=CONCERN_RECEIVED,
        about=concern,
        school=concern.school,
        context={"category": CATEGORY_CONCERN},
        actor=actor,
        exclude=[concern.subject] if concern.subject_id else (),
    )
    return route if rows else _concern_route(concern, Reach.NOBODY)


def allegation_recorded(*, allegation: Allegation, actor) -> None:
    notify(
        event=f"incidents.allegation.{allegation.pk}.recorded",
        recipients=_unique(
            case_manager_recipients(allegation), dsls_of(allegation.school_id), slt_of(allegation.school_id)
        ),
        template=ALLEGATION_RECORDED,
        about=allegation,
        school=allegation.school,
        context={"category": CATEGORY_ALLEGATION},
        actor=actor,
        exclude=[allegation.subject],
    )


def lado_deadline_event(allegation_id: int, *, missed: bool) -> str:
    return f"incidents.allegation.{allegation_id}.lado_{'overdue' if missed else 'due_soon'}"


def lado_deadline(*, allegation: Allegation, missed: bool) -> None:
    """Half-time and missed-deadline reminders: to SLT and the case manager. One of each per case."""
    notify(
        event=lado_deadline_event(allegation.pk, missed=missed),
        recipients=_unique(slt_of(allegation.school_id), case_manager_recipients(allegation)),
        template=LADO_OVERDUE if missed else LADO_DUE_SOON,
        about=allegation,
        school=allegation.school,
        context={"category": CATEGORY_ALLEGATION},
        exclude=[allegation.subject],
    )


def lado_advice_recorded(*, allegation: Allegation, actor) -> None:
    notify(
        event=f"incidents.allegation.{allegation.pk}.advice_recorded",
        recipients=_unique(
            case_manager_recipients(allegation), dsls_of(allegation.school_id), slt_of(allegation.school_id)
        ),
        template=LADO_ADVICE_RECORDED,
        about=allegation,
        school=allegation.school,
        context={"category": CATEGORY_ALLEGATION},
        actor=actor,
        exclude=[allegation.subject],
    )


def low_level_review_due(*, allegation: Allegation, actor) -> None:
    """The threshold of low-level concerns about one person was reached: the DSL reviews them."""
    notify(
        event=f"incidents.allegation.{allegation.pk}.low_level_review_due",
        recipients=_unique(dsls_of(allegation.school_id), case_manager_recipients(allegation)),
        template=LOW_LEVEL_REVIEW_DUE,
        about=allegation,
        school=allegation.school,
        context={"category": CATEGORY_LOW_LEVEL, "url": reverse("incidents:low_level_list")},
        actor=actor,
        exclude=[allegation.subject],
    )


# --- Pupil incidents (§8) ---------------------------------------------------------------------------------

register_template(
    PARENT_STAFF_SOCIAL,
    label="Your child tried to join a member of staff's social media",
    prints={"school_name"},
    audience=Audience.PARENT,
)
register_template(
    PARENT_UNDER_AGE,
    label="Your child holds a social media account below the platform's minimum age",
    prints={"school_name", "platform_name", "minimum_age"},
    audience=Audience.PARENT,
)

CATEGORY_PUPIL_INCIDENT = "Pupil incident"

# The parent notices staff may choose from, for each kind of action that tells parents (§8).
PARENT_TEMPLATES = {
    ActionKind.INFORM_PARENTS: [PARENT_STAFF_SOCIAL, PARENT_CONTACT_REQUEST],
    ActionKind.WARN_PARENTS: [PARENT_UNDER_AGE, PARENT_CONTACT_REQUEST],
}


def pupil_incident_alert(
    *, incident: PupilIncident, recipients: list[Recipient], actor, audience: str
) -> None:
    """A safeguarding notice (category, school, link) to the Executive Head or the DSL."""
    notify(
        event=f"incidents.pupil_incident.{incident.pk}.{audience}",
        recipients=recipients,
        template=PUPIL_INCIDENT_ALERT,
        about=incident,
        school=incident.school,
        context={"category": CATEGORY_PUPIL_INCIDENT},
        actor=actor,
        exclude=[incident.adult] if incident.adult_id else (),
    )


# A pupil incident's alert (§8), in words for the member of staff recording it.
JOINED_STAFF_SOCIAL_WORDS = {
    Reach.ROUTED: "The Executive Head is told at once, and the designated safeguarding lead is asked to tell "
    "each pupil's parents or carers.",
    WIDER_FOR_SUBJECT: "The member of staff you named is the Executive Head, so the school's Head of "
    "School and designated safeguarding lead are told at once instead, and the designated safeguarding lead "
    "is asked to tell each pupil's parents or carers. The Executive Head is not told.",
    WIDER_FOR_NO_ONE: "The federation has no Executive Head to tell, so the school's Head of School "
    "and designated safeguarding lead are told at once instead, and the designated safeguarding lead is "
    "asked to tell each pupil's parents or carers.",
}
IMPROPER_CONTACT_WORDS = {
    Reach.ROUTED: "The designated safeguarding lead is told at once and reviews it. The adult named is not "
    "told.",
    WIDER_FOR_SUBJECT: "The adult you named is a designated safeguarding lead of the school, so the "
    "school's other safeguarding leads, the senior leadership team and the Head of School are told at once "
    "instead, and the senior leadership team reviews it. The adult named is not told.",
    WIDER_FOR_NO_ONE: "The school has no designated safeguarding lead to tell, so the senior "
    "leadership team and the Head of School are told at once. The adult named is not told.",
}


def joined_staff_social_routing(school_id: int, federation_id: int, adult_id: int | None) -> Route:
    """Who is told that a pupil joined a member of staff's social media (§8): the Executive Head. When the
    member of staff is the Executive Head, or the federation has none, the school's Head of School and
    designated safeguarding lead are told instead (then its senior leadership team), so the alert never
    goes only to the person it is about, or to no one."""
    heads = executive_heads(federation_id)
    if [r for r in heads if r.person_id != adult_id]:
        reach, recipients, roles = Reach.ROUTED, heads, (EXECUTIVE_HEAD,)
    else:
        reach = WIDER_FOR_SUBJECT if _holds(heads, adult_id) else WIDER_FOR_NO_ONE
        school_team = [r for r in _unique(heads_of(school_id), dsls_of(school_id)) if r.person_id != adult_id]
        recipients, roles = (school_team, (HEADS, DSL)) if school_team else (slt_of(school_id), (SLT,))
    return Route(tuple(recipients), roles, reach, JOINED_STAFF_SOCIAL_WORDS[reach])


def joined_staff_social_recipients(incident: PupilIncident) -> list[Recipient]:
    route = joined_staff_social_routing(incident.school_id, incident.school.federation_id, incident.adult_id)
    return list(route.recipients)


def improper_contact_recipients(incident: PupilIncident) -> list[Recipient]:
    """Improper contact goes to the school's DSL (§8). When the adult who made contact is a DSL of the
    school, or the school has no other, the senior leadership team and the Head of School are told too,
    as a staff report about its own recipient is (`concern_routing`): the review never waits on its
    subject, who is never told."""
    return list(improper_contact_routing(incident.school_id, incident.adult_id).recipients)


def improper_contact_routing(school_id: int, adult_id: int | None) -> Route:
    """Who is told of improper contact by this adult, and why it went wider than the DSL if it did."""
    dsl = dsls_of(school_id)
    if _holds(dsl, adult_id):
        reach = WIDER_FOR_SUBJECT
    elif not [r for r in dsl if r.person_id != adult_id]:
        reach = WIDER_FOR_NO_ONE
    else:
        return Route(tuple(dsl), (DSL,), Reach.ROUTED, IMPROPER_CONTACT_WORDS[Reach.ROUTED])
    recipients = _unique(dsl, slt_of(school_id), heads_of(school_id))
    return Route(tuple(recipients), (DSL, SLT, HEADS), reach, IMPROPER_CONTACT_WORDS[reach])


def parent_context(action: IncidentAction) -> dict:
    """What a parent notice may print: the school, and for the age warning the platform and its minimum age."""
    incident = action.incident if action.incident_id is not None else action.report
    return {
        "school_name": incident.school.name,
        "platform_name": incident.get_platform_display(),
        "minimum_age": platform_minimum_age(incident.platform),
    }


def parent_notice(*, action: IncidentAction, template: str, actor) -> list:
    """To the pupil's parents and carers the school may contact, by the channel each prefers."""
    if action.report_id is not None:
        return cyberbullying_parent_notice(action=action, template=template, actor=actor)
    return notify(
        event=f"incidents.pupil_incident.{action.incident_id}.action.{action.pk}.parents",
        recipients=contactable_parents_of(action.pupil_id),
        template=template,
        about=action.incident,
        school=action.incident.school,
        context=parent_context(action),
        actor=actor,
        exclude=[action.incident.adult] if action.incident.adult_id else (),
    )


# --- Cyberbullying (§10) ----------------------------------------------------------------------------------

CYBERBULLYING_REPORTED = "incidents_cyberbullying_reported"
CATEGORY_CYBERBULLYING = "Cyberbullying report"

register_template(
    CYBERBULLYING_REPORTED,
    label="A cyberbullying report was recorded",
    prints=SAFEGUARDING_PRINTS,
    safeguarding=True,
    in_app=in_app_lines,
)


def cyberbullying_reported(*, report, actor) -> None:
    """Every report reaches the school's DSL (§8, zero tolerance): a category, the school and a link."""
    notify(
        event=f"incidents.cyberbullying.{report.pk}.reported",
        recipients=dsls_of(report.school_id),
        template=CYBERBULLYING_REPORTED,
        about=report,
        school=report.school,
        context={"category": CATEGORY_CYBERBULLYING},
        actor=actor,
    )


def cyberbullying_parent_notice(*, action: IncidentAction, template: str, actor) -> list:
    """A §10 warning to one pupil's contactable parents and carers, by the channel each prefers."""
    return notify(
        event=f"incidents.cyberbullying.{action.report_id}.action.{action.pk}.parents",
        recipients=contactable_parents_of(action.pupil_id),
        template=template,
        about=action.report,
        school=action.report.school,
        context=parent_context(action),
        actor=actor,
    )
