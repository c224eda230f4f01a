"""Cyberbullying reports built through the services, for the page tests."""

from datetime import date

from incidents import services

from ..factories import ParentLinkFactory, PupilFactory

YEAR_7 = date(2014, 9, 1)  # under 13 until September 2027
YEAR_9 = date(2010, 9, 1)  # 13 or over


def pupil(school, born=YEAR_9, parent=True):
    child = PupilFactory(school=school, date_of_birth=born)
    if parent:
        ParentLinkFactory(pupil=child)
    return child


def report(actor, school, *, victims=None, perpetrators=None, **fields):
    values = {
        "source": "parent",
        "when": ["weekends"],
        "channels": ["social_media"],
        "platform": "instagram",
        "what_happened": "Unkind posts about a pupil.",
    }
    values.update(fields)
    return services.cyberbullying_report_record(
        actor=actor,
        school=school,
        victims=victims if victims is not None else [pupil(school)],
        perpetrators=perpetrators
        if perpetrators is not None
        else [{"kind": "pupil", "person": pupil(school)}],
        **values,
    )
