"""Demo allegations and concerns: every state of the LADO workflow, one overdue referral, repeated
low-level concerns, and one case about a senior leader (slt.larchwood) that they cannot see."""

from datetime import timedelta

from django.utils import timezone

from .. import services
from ..models import (
    Allegation,
    Concern,
    ConcernCategory,
    Outcome,
    Platform,
    Source,
)
from .common import _advise, _assess, _person, _refer, _user


def seed_incidents(*, schools, stdout):
    school = schools.get("larchwood")
    slt, dsl, teacher, staff = (
        _user(u) for u in ("slt.larchwood", "dsl.larchwood", "teacher.larchwood", "staff.larchwood")
    )
    if not all((school, slt, dsl, teacher, staff)):
        return
    amy, tom, sandra, daniel = (
        _person(f"DEMO-{u}")
        for u in ("staff.larchwood", "teacher.larchwood", "office.larchwood", "slt.larchwood")
    )
    parent = _person("DEMO-LARCHWOOD-P001-PARENT")
    pupil = _person("DEMO-LARCHWOOD-P018")
    if not all((amy, tom, sandra, daniel, parent, pupil)):
        return
    now = timezone.now()
    made = 0

    def record(text, *, actor, subject, source, received_at, reporter=None, reporter_name="", concern=None):
        nonlocal made
        existing = Allegation.objects.filter(school=school, what_happened=text).first()
        if existing is not None:
            return None
        made += 1
        return services.allegation_record(
            actor=actor,
            school=school,
            received_at=received_at,
            received_by=actor.person,
            source=source,
            reporter=reporter,
            reporter_name=reporter_name,
            subject=subject,
            platforms=[Platform.FACEBOOK],
            what_happened=text,
            clauses=["6.school_matters"],
            concern=concern,
        )

    # 1. Overdue: a teacher's report, recorded by SLT five days ago and never referred.
    text = "Demo: posts in a public group describing a pupil's behaviour in class, with the class named."
    if not Allegation.objects.filter(what_happened=text).exists():
        concern = Concern.objects.filter(what_happened=text).first() or services.concern_submit(
            actor=teacher,
            school=school,
            category=ConcernCategory.ADULT_CONDUCT,
            subject=amy,
            what_happened=text,
            platforms=[Platform.FACEBOOK],
        )
        record(
            text,
            actor=slt,
            subject=amy,
            source=Source.STAFF,
            received_at=now - timedelta(days=5),
            concern=concern,
        )

    # 2. Recorded, within its deadline: a parent's disclosure, process not yet explained.
    record(
        "Demo: a parent says a member of staff accepted their child's friend request.",
        actor=slt,
        subject=tom,
        source=Source.PARENT,
        reporter=parent,
        received_at=now - timedelta(minutes=40),
    )

    # 3. Referred to the LADO.
    case = record(
        "Demo: messages to a former pupil on Instagram, reported by a colleague.",
        actor=slt,
        subject=sandra,
        source=Source.STAFF,
        reporter=tom,
        received_at=now - timedelta(days=2),
    )
    if case:
        _refer(slt, _assess(slt, case, met=True), now - timedelta(days=2) + timedelta(hours=3))

    # 4. LADO advice recorded: a pupil's disclosure, led by the DSL (§9).
    case = record(
        "Demo: a pupil says an adult at school follows them on TikTok and comments on their videos.",
        actor=dsl,
        subject=tom,
        source=Source.PUPIL,
        reporter=pupil,
        received_at=now - timedelta(days=6),
    )
    if case:
        case = _refer(dsl, _assess(dsl, case, met=True), now - timedelta(days=6) + timedelta(hours=2))
        _advise(dsl, case, now - timedelta(days=4))

    # 5. Investigating: an anonymous disclosure.
    case = record(
        "Demo: an anonymous note says a staff member runs a page selling tutoring to pupils' parents.",
        actor=slt,
        subject=amy,
        source=Source.ANONYMOUS,
        received_at=now - timedelta(days=20),
    )
    if case:
        case = _advise(
            slt,
            _refer(slt, _assess(slt, case, met=True), now - timedelta(days=20, hours=-1)),
            now - timedelta(days=18),
        )
        services.allegation_start_investigation(actor=slt, allegation=case)

    # 6. Outcome recorded: unsubstantiated.
    case = record(
        "Demo: a screenshot appears to show a staff member discussing a colleague on a forum.",
        actor=slt,
        subject=sandra,
        source=Source.OTHER,
        reporter_name="A visitor to the school",
        received_at=now - timedelta(days=40),
    )
    if case:
        case = _advise(
            slt,
            _refer(slt, _assess(slt, case, met=True), now - timedelta(days=40, hours=-2)),
            now - timedelta(days=38),
        )
        services.allegation_start_investigation(actor=slt, allegation=case)
        services.allegation_record_outcome(
            actor=slt,
            allegation=case,
            outcome=Outcome.UNSUBSTANTIATED,
            decision_notes="The account could not be shown to belong to the member of staff.",
        )

    # 7. Closed: a false allegation.
    case = record(
        "Demo: a parent reported a post they believed was about their child; it was about another school.",
        actor=slt,
        subject=tom,
        source=Source.PARENT,
        reporter=parent,
        received_at=now - timedelta(days=90),
    )
    if case:
        services.allegation_mark_parent_process_explained(actor=slt, allegation=case)
        case = _advise(
            slt,
            _refer(slt, _assess(slt, case, met=True), now - timedelta(days=90, hours=-2)),
            now - timedelta(days=88),
        )
        services.allegation_start_investigation(actor=slt, allegation=case)
        services.allegation_record_outcome(
            actor=slt,
            allegation=case,
            outcome=Outcome.FALSE,
            decision_notes="The post was about another school.",
        )
        services.allegation_close(
            actor=slt, allegation=case, closing_note="Parent told of the outcome; no further action."
        )

    # 8. Three low-level concerns about one person in a year: flagged for the DSL's review.
    for days, text in [
        (200, "Demo: liked a parent's post about a school trip from a personal account."),
        (100, "Demo: used a personal phone for social media in the staff room during lessons."),
        (10, "Demo: shared a school event photo on a personal account before it was published."),
    ]:
        case = record(
            text,
            actor=dsl,
            subject=amy,
            source=Source.OTHER,
            reporter_name="A colleague",
            received_at=now - timedelta(days=days),
        )
        if case:
            case = _assess(dsl, case, met=False)
            if days > 50:
                services.allegation_close(
                    actor=dsl, allegation=case, closing_note="Spoken to; guidance given."
                )

    # 9. About a senior leader: slt.larchwood signs in and finds no trace of it.
    case = record(
        "Demo: a parent reports direct messages from a senior leader to their child on WhatsApp.",
        actor=dsl,
        subject=daniel,
        source=Source.PARENT,
        reporter=parent,
        received_at=now - timedelta(days=1, hours=2),
    )
    if case:
        _refer(dsl, _assess(dsl, case, met=True), now - timedelta(days=1))

    # Reports waiting for the safeguarding team, and one dealt with.
    waiting = "Demo: pupils filming each other on a phone at lunchtime and posting it."
    if not Concern.objects.filter(what_happened=waiting).exists():
        services.concern_submit(
            actor=staff, school=school, category=ConcernCategory.WORKING_DAY_USE, what_happened=waiting
        )
    resolved = "Demo: a parent keeps messaging me on Facebook about homework; is replying appropriate?"
    if not Concern.objects.filter(what_happened=resolved).exists():
        concern = services.concern_submit(
            actor=staff, school=school, category=ConcernCategory.COMMUNICATION_DOUBT, what_happened=resolved
        )
        services.concern_close(
            actor=slt,
            concern=concern,
            closing_note="Advised to reply only through the school's email system (§7).",
        )
    if made:
        stdout.write(
            f"Demo allegations: {made} added (sign in as slt.larchwood or dsl.larchwood to see them)."
        )
