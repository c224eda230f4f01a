"""Pupil incidents built through the services, for the tests of part two."""

from datetime import timedelta

from django.utils import timezone

from incidents import services
from incidents.models import IncidentType

from ..factories import ParentLinkFactory, PupilFactory


def pupil_with_parent(school, **link_fields):
    pupil = PupilFactory(school=school)
    ParentLinkFactory(pupil=pupil, **link_fields)
    return pupil


def record(actor, school, kind=IncidentType.SOCIAL_MEDIA_IN_DAY, pupils=None, **fields):
    pupils = pupils if pupils is not None else [pupil_with_parent(school)]
    values = {
        "occurred_at": timezone.now() - timedelta(hours=1),
        "in_school_day": True,
        "location": "Classroom 4",
        "what_happened": "Seen using a phone in the lesson.",
    }
    values.update(fields)
    return services.pupil_incident_record(actor=actor, school=school, kind=kind, pupils=pupils, **values)
