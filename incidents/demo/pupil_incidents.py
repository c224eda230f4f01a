"""Demo pupil incidents (§8): at least one of every type at Larchwood."""

from datetime import timedelta

from django.utils import timezone

from .. import services
from ..models import IncidentType, Platform, PupilIncident, Source
from .common import _person, _user


def seed_pupil_incidents(*, schools, stdout):
    """At least one incident of every §8 type at Larchwood: a firewall breach under a sanction in force (its
    supervision action already overdue, for SLT's "My open actions"), an under-age account where one pupil has
    no parent the school may contact, improper contact by a stranger, and improper contact by a member of
    staff that opened an allegation (with a note and a file on the incident). Recognised by their text."""
    school = schools.get("larchwood")
    dsl, teacher, staff = (_user(u) for u in ("dsl.larchwood", "teacher.larchwood", "staff.larchwood"))
    if not all((school, dsl, teacher, staff)):
        return
    tom, sandra = _person("DEMO-teacher.larchwood"), _person("DEMO-office.larchwood")
    # P004 and P014 have a parent the school may not contact; P001 to P012 are under 13.
    pupils = {n: _person(f"DEMO-LARCHWOOD-P{n:03d}") for n in (4, 6, 8, 10, 11, 15, 16, 17, 19)}
    if not (tom and sandra and all(pupils.values())):
        return
    now, today = timezone.now(), timezone.localdate()
    made = 0

    def record(text, kind, pupil_numbers, *, actor=teacher, days_ago=1, **fields):
        nonlocal made
        if PupilIncident.objects.filter(school=school, what_happened=text).exists():
            return None
        made += 1
        values = {"in_school_day": True, "location": "Larchwood School", "platform": ""}
        values.update(fields)
        return services.pupil_incident_record(
            actor=actor,
            school=school,
            kind=kind,
            pupils=[pupils[n] for n in pupil_numbers],
            occurred_at=now - timedelta(days=days_ago, hours=2),
            what_happened=text,
            **values,
        )

    incident = record(
        "Demo: checking Instagram on a tablet during a maths lesson.",
        IncidentType.SOCIAL_MEDIA_IN_DAY,
        [15],
        days_ago=12,
        platform=Platform.INSTAGRAM,
    )
    if incident:
        services.pupil_incident_close(actor=dsl, incident=incident)
    record(
        "Demo: kept a phone in a coat pocket all morning.", IncidentType.PHONE_NOT_HANDED_IN, [16], days_ago=3
    )
    incident = record(
        "Demo: opened a social networking site on a library computer at lunchtime.",
        IncidentType.SCHOOL_COMPUTER_SOCIAL,
        [17],
        days_ago=8,
        location="Library",
    )
    if incident:
        services.pupil_incident_close(actor=dsl, incident=incident)
    record(
        "Demo: used a proxy website to get past the school's filtering.",
        IncidentType.FIREWALL_BREACH,
        [19],
        days_ago=2,
        location="ICT suite",
        sanction_starts_on=today - timedelta(days=2),
        sanction_ends_on=today + timedelta(days=12),
    )
    record(
        "Demo: sent a follow request to a teacher's personal account.",
        IncidentType.JOINED_STAFF_SOCIAL,
        [11],
        actor=staff,
        in_school_day=False,
        location="At home",
        platform=Platform.INSTAGRAM,
        adult=tom,
    )
    record(
        "Demo: two pupils under 13 said they post videos on their own TikTok accounts.",
        IncidentType.UNDER_AGE_ACCOUNT,
        [4, 10],
        location="Class 3",
        platform=Platform.TIKTOK,
    )
    record(
        "Demo: an adult the pupil does not know sent messages through an online game.",
        IncidentType.IMPROPER_CONTACT,
        [8],
        days_ago=4,
        in_school_day=False,
        location="At home",
        platform=Platform.OTHER,
        adult_description="An unknown adult using a gaming name",
    )
    text = "Demo: a pupil showed their teacher Snapchat messages from a member of the office staff."
    incident = record(
        text,
        IncidentType.IMPROPER_CONTACT,
        [6],
        in_school_day=False,
        location="At home",
        platform=Platform.SNAPCHAT,
        adult=sandra,
    )
    if incident:
        services.pupil_incident_add_note(
            actor=dsl,
            incident=incident,
            text="Spoke with the pupil and their parent; the messages were kept.",
        )
        services.evidence_upload(
            actor=dsl,
            incident=incident,
            name="messages-transcript.txt",
            data=b"Transcript of the messages, copied by the DSL with the parent present.\n",
        )
        services.allegation_record(
            actor=dsl,
            school=school,
            received_at=incident.created_at,
            received_by=tom,
            source=Source.STAFF,
            reporter=tom,
            subject=sandra,
            platforms=[Platform.SNAPCHAT],
            what_happened=text,
            clauses=["7.pupil_contact"],
            pupil_incident=incident,
        )
    if made:
        stdout.write(
            f"Demo pupil incidents: {made} added (sign in as dsl.larchwood: Safeguarding → Pupil incidents)."
        )
