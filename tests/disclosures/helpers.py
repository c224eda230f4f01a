"""Building subject access requests for tests through the services, as the handler would."""

from datetime import date

from disclosures import services
from disclosures.models import RequestKind

from ..factories import ParentFactory, ParentLinkFactory, PupilFactory


def own_request(actor, school, person, received_on=date(2026, 11, 2)):
    return services.request_record(
        actor=actor, school=school, kind=RequestKind.OWN, requester=person, received_on=received_on
    )


def child_request(actor, school, pupil=None, received_on=date(2026, 11, 2)):
    pupil = pupil or PupilFactory(school=school)
    parent = ParentFactory(school=school)
    ParentLinkFactory(parent=parent, pupil=pupil)
    return services.request_record(
        actor=actor,
        school=school,
        kind=RequestKind.CHILD,
        requester=parent,
        subject=pupil,
        received_on=received_on,
    )


def in_review(actor, request):
    services.request_assemble(actor=actor, request=request)
    return services.request_review(actor=actor, request=request)
