"""Pupil incidents built through the services, for the tests of part two."""

from datetime import timedelta

from django.utils import timezone

from incidents import notices, services
from incidents.models import IncidentType
from notifications.models import Notification

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


def a_changed_choice_sends_nothing(client, url):
    """Another notice ticked after the preview of the age warning: nothing is sent, and the one now chosen
    is previewed, carried as the one previewed."""
    changed = client.post(
        url,
        {"template": notices.PARENT_CONTACT_REQUEST, "previewed": notices.PARENT_UNDER_AGE, "confirm": "yes"},
    )
    parents = [notices.PARENT_UNDER_AGE, notices.PARENT_CONTACT_REQUEST]
    assert not Notification.objects.filter(template__in=parents).exists()
    assert changed.context["template"] == notices.PARENT_CONTACT_REQUEST
    assert (
        "The notice chosen changed after the preview, so nothing was sent. Check this preview, then send it."
        in changed.text
    )
    assert f'name="previewed" value="{notices.PARENT_CONTACT_REQUEST}"' in changed.text
