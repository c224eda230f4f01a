"""The notices this app sends, through the notifications outbox.

Every one is a safeguarding notice: it prints a category, the school's name and a sign-in
link, never case detail. The subject of a case is excluded from every notice about it
(KCSIE part four), by `exclude=[subject]` on each call below.
"""

from django.urls import reverse

from notifications.catalogue import SAFEGUARDING_PRINTS, register_template
from notifications.recipients import (
    Recipient,
    chair_of_governors,
    dsls_of,
    executive_heads,
    heads_of,
    slt_of,
)
from notifications.services import notify

from .models import Allegation, CaseManager, Concern, Routing

CONCERN_RECEIVED = "incidents_concern_received"
ALLEGATION_RECORDED = "incidents_allegation_recorded"
LADO_DUE_SOON = "incidents_lado_due_soon"
LADO_OVERDUE = "incidents_lado_overdue"
LADO_ADVICE_RECORDED = "incidents_lado_advice_recorded"
LOW_LEVEL_REVIEW_DUE = "incidents_low_level_review_due"

for _key, _label in [
    (CONCERN_RECEIVED, "A concern was reported"),
    (ALLEGATION_RECORDED, "An allegation about an adult was recorded"),
    (LADO_DUE_SOON, "LADO referral: half the time has gone"),
    (LADO_OVERDUE, "LADO referral: the deadline was missed"),
    (LADO_ADVICE_RECORDED, "LADO advice was recorded"),
    (LOW_LEVEL_REVIEW_DUE, "Low-level concerns: a review is due"),
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


def concern_received(*, concern: Concern, actor) -> None:
    """To whom §7 and §9 send the report. When the person it is about is among them, the rest of the
    safeguarding team and the heads are told instead, so the report never waits on its subject."""
    dsl, slt = dsls_of(concern.school_id), slt_of(concern.school_id)
    routed = {Routing.DSL: dsl, Routing.SLT: slt}.get(concern.routed_to) or _unique(slt, dsl)
    if not [r for r in routed if r.person_id != concern.subject_id] or _holds(routed, concern.subject_id):
        routed = _unique(routed, slt, dsl, heads_of(concern.school_id))
    notify(
        event=f"incidents.concern.{concern.pk}.received",
        recipients=routed,
        template=CONCERN_RECEIVED,
        about=concern,
        school=concern.school,
        context={"category": CATEGORY_CONCERN},
        actor=actor,
        exclude=[concern.subject] if concern.subject_id else (),
    )


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
