"""The notices this app sends, through the notifications outbox.

Every one is a safeguarding notice: it prints a category, the school's name and a sign-in
link, never case detail. The subject of a case is excluded from every notice about it
(KCSIE part four), by `exclude=[subject]` on each call below.
"""

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

for _key, _label in [
    (CONCERN_RECEIVED, "A concern was reported"),
    (ALLEGATION_RECORDED, "An allegation about an adult was recorded"),
    (LADO_DUE_SOON, "LADO referral: half the time has gone"),
    (LADO_OVERDUE, "LADO referral: the deadline was missed"),
    (LADO_ADVICE_RECORDED, "LADO advice was recorded"),
    (LOW_LEVEL_REVIEW_DUE, "Low-level concerns: a review is due"),
    (PUPIL_INCIDENT_ALERT, "A pupil incident needs your attention"),
]:
    register_template(_key, label=_label, prints=SAFEGUARDING_PRINTS, safeguarding=True)

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


# Why a notice went wider than its usual route; a staff report keeps it as its `reach`.
WIDER_FOR_SUBJECT, WIDER_FOR_NO_ONE = Concern.Reach.WIDER_FOR_SUBJECT, Concern.Reach.WIDER_FOR_NO_ONE


def concern_recipients(concern: Concern) -> tuple[list[Recipient], str]:
    """To whom §7 and §9 send the report, and why it went wider than its routing, if it did ("" if not).
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
    return routed, why


def concern_received(*, concern: Concern, actor) -> tuple[list, str]:
    """Send the report to those `concern_recipients` chooses. Returns the rows queued (none when no one
    but its subject could be told) and why it went wider, if it did."""
    routed, why = concern_recipients(concern)
    rows = notify(
        event=f"incidents.concern.{concern.pk}.received",
        recipients=routed,
        template=CONCERN_RECEIVED,
        about=concern,
        school=concern.school,
        context={"category": CATEGORY_CONCERN},
        actor=actor,
        exclude=[concern.subject] if concern.subject_id else (),
    )
    return rows, why


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


def joined_staff_social_routing(
    school_id: int, federation_id: int, adult_id: int | None
) -> tuple[list[Recipient], str]:
    """Who is told that a pupil joined a member of staff's social media (§8): the Executive Head, and why
    it went elsewhere ("" if not). When the member of staff is the Executive Head, or the federation has
    none, the school's Head of School and designated safeguarding lead are told instead (then its senior
    leadership team), so the alert never goes only to the person it is about, or to no one."""
    heads = executive_heads(federation_id)
    if [r for r in heads if r.person_id != adult_id]:
        return heads, ""
    why = WIDER_FOR_SUBJECT if _holds(heads, adult_id) else WIDER_FOR_NO_ONE
    school_team = [r for r in _unique(heads_of(school_id), dsls_of(school_id)) if r.person_id != adult_id]
    return school_team or slt_of(school_id), why


def joined_staff_social_recipients(incident: PupilIncident) -> list[Recipient]:
    recipients, _why = joined_staff_social_routing(
        incident.school_id, incident.school.federation_id, incident.adult_id
    )
    return recipients


def improper_contact_recipients(incident: PupilIncident) -> list[Recipient]:
    """Improper contact goes to the school's DSL (§8). When the adult who made contact is a DSL of the
    school, or the school has no other, the senior leadership team and the Head of School are told too,
    as a staff report about its own recipient is (`concern_received`): the review never waits on its
    subject, who is never told."""
    recipients, _why = improper_contact_routing(incident.school_id, incident.adult_id)
    return recipients


def improper_contact_routing(school_id: int, adult_id: int | None) -> tuple[list[Recipient], str]:
    """Who is told of improper contact by this adult, and why it went wider than the DSL ("" if not)."""
    dsl = dsls_of(school_id)
    if _holds(dsl, adult_id):
        return _unique(dsl, slt_of(school_id), heads_of(school_id)), WIDER_FOR_SUBJECT
    if not [r for r in dsl if r.person_id != adult_id]:
        return _unique(dsl, slt_of(school_id), heads_of(school_id)), WIDER_FOR_NO_ONE
    return dsl, ""


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
