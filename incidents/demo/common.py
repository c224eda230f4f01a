"""What the demo seeders share: the demo's people by name, and the LADO steps written as a person would."""

from django.contrib.auth import get_user_model

from people.models import Person

from .. import services
from ..models import ReferralMethod

LADO = {"lado_name": "Jo Whitfield (LADO)", "lado_contact": "lado@westminster.example.org"}


def _user(username):
    return get_user_model().objects.filter(username=username).select_related("person").first()


def _person(reference):
    return Person.objects.filter(reference=reference).first()


def _assess(actor, case, *, met: bool):
    return services.allegation_assess_harm(
        actor=actor,
        allegation=case,
        harm_to_child=False,
        criminal_offence=False,
        risk_to_children=False,
        unsuitable_to_work=met,
        rationale="Judged against the four tests with the DSL." if met else "None of the tests is met.",
    )


def _refer(actor, case, at):
    return services.allegation_refer_to_lado(
        actor=actor,
        allegation=case,
        referred_at=at,
        referral_method=ReferralMethod.PHONE,
        lado_reference=f"LADO-DEMO-{case.pk}",
        **LADO,
    )


def _advise(actor, case, at):
    return services.allegation_record_advice(
        actor=actor,
        allegation=case,
        advice_at=at,
        advice="Investigate internally under the staff code of conduct; report back to the LADO.",
        police_involved=False,
        strategy_meeting=False,
        suspension_advised=False,
        actions_advised="Keep a record of any further contact.",
    )
