"""Building cases for tests through the services, as a person would."""

from datetime import datetime, timedelta

from django.utils import timezone

from incidents import services
from incidents.models import Allegation, ConcernCategory, HeldAction, Outcome, ReferralMethod, Source


def staff_report(reporter, school, subject, what_happened="Saw a post."):
    """A member of staff's report of a colleague's conduct (§9), as they file it."""
    return services.concern_submit(
        actor=reporter,
        school=school,
        category=ConcernCategory.ADULT_CONDUCT,
        subject=subject,
        what_happened=what_happened,
    )


def record_case(
    actor,
    school,
    subject,
    *,
    source=Source.OTHER,
    reporter=None,
    reporter_name="A colleague",
    received_at: datetime | None = None,
    concern=None,
    what_happened="Posted about a pupil on a public page.",
    received_by=None,
    **extra,
) -> Allegation:
    if source in (Source.STAFF, Source.PUPIL) or reporter is not None or source == Source.ANONYMOUS:
        reporter_name = ""
    return services.allegation_record(
        actor=actor,
        school=school,
        received_at=received_at or timezone.now() - timedelta(hours=1),
        received_by=received_by or actor.person,
        source=source,
        reporter=reporter,
        reporter_name=reporter_name,
        subject=subject,
        what_happened=what_happened,
        concern=concern,
        **extra,
    )


def assess(actor, case, *, met=True) -> Allegation:
    return services.allegation_assess_harm(
        actor=actor,
        allegation=case,
        harm_to_child=met,
        criminal_offence=False,
        risk_to_children=False,
        unsuitable_to_work=False,
        rationale="Judged against the four tests.",
    )


def refer(actor, case, *, at=None) -> Allegation:
    return services.allegation_refer_to_lado(
        actor=actor,
        allegation=case,
        referred_at=at or timezone.now() - timedelta(minutes=30),
        lado_name="Jo Whitfield",
        lado_contact="lado@example.org",
        referral_method=ReferralMethod.PHONE,
        lado_reference="L-1",
    )


def advise(actor, case, *, suspension=False) -> Allegation:
    return services.allegation_record_advice(
        actor=actor,
        allegation=case,
        advice_at=timezone.now() - timedelta(minutes=10),
        advice="Investigate internally.",
        police_involved=False,
        strategy_meeting=False,
        suspension_advised=suspension,
        actions_advised="",
    )


def advance(actor, case, to: str, *, outcome=Outcome.UNSUBSTANTIATED) -> Allegation:
    """Walk a recorded case to state `to` through the services, as a person would."""
    S = Allegation.Status
    if to == S.RECORDED:
        return case
    if to == S.LOW_LEVEL_CONCERN:
        return assess(actor, case, met=False)
    case = refer(actor, assess(actor, case))
    if to == S.REFERRED_TO_LADO:
        return case
    case = advise(actor, case)
    if to == S.LADO_ADVICE_RECORDED:
        return case
    case = services.allegation_start_investigation(actor=actor, allegation=case)
    if to == S.INVESTIGATING:
        return case
    case = services.allegation_record_outcome(
        actor=actor, allegation=case, outcome=outcome, decision_notes="Decided on the evidence."
    )
    if to == S.OUTCOME_RECORDED:
        return case
    return services.allegation_close(actor=actor, allegation=case, closing_note="Closed.")


def case_in(
    actor, school, subject, to: str, *, low_level=False, outcome=Outcome.UNSUBSTANTIATED, **kwargs
) -> Allegation:
    case = record_case(actor, school, subject, **kwargs)
    if to == Allegation.Status.CLOSED and low_level:
        case = assess(actor, case, met=False)
        return services.allegation_close(actor=actor, allegation=case, closing_note="Closed.")
    return advance(actor, case, to, outcome=outcome)


ALL_STATES = [
    Allegation.Status.RECORDED,
    Allegation.Status.REFERRED_TO_LADO,
    Allegation.Status.LADO_ADVICE_RECORDED,
    Allegation.Status.INVESTIGATING,
    Allegation.Status.OUTCOME_RECORDED,
    Allegation.Status.LOW_LEVEL_CONCERN,
    Allegation.Status.CLOSED,
]

HELD = list(HeldAction)
