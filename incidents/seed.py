"""Demo cases for a local run: every state of the workflow, one overdue referral, repeated low-level
concerns, and one case about a senior leader (slt.larchwood) that they cannot see when they sign in.

Idempotent: each case is recognised by its text and only added when missing. Everything is written
through the services, as a person would, so the demo has its audit trail and notices too.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from core.dashboard import register_demo_seeder
from people.models import Person

from . import services
from .models import (
    Allegation,
    Concern,
    ConcernCategory,
    IncidentType,
    Outcome,
    Platform,
    PupilIncident,
    ReferralMethod,
    Source,
)

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


@register_demo_seeder
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


# --- Pupil incidents (§8) --------------------------------------------------------------------------------


@register_demo_seeder
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


# --- Cyberbullying (§10) ---------------------------------------------------------------------------------


def _pupils_by_age(school):
    """Larchwood's pupils on roll with a date of birth, youngest last, and whether a parent may be contacted."""
    from notifications.recipients import contactable_parents_of
    from people.models import age_on

    from . import policies

    today = timezone.localdate()
    pupils = [p for p in policies.possible_pupils(school).order_by("reference") if p.date_of_birth]
    young = [p for p in pupils if 10 <= age_on(p.date_of_birth, today) < 13 and contactable_parents_of(p)]
    older = [p for p in pupils if 13 <= age_on(p.date_of_birth, today) <= 16]
    young.sort(key=lambda p: p.date_of_birth)
    return young, older


@register_demo_seeder
def seed_cyberbullying(*, schools, stdout):
    """One report per §10 scenario at Larchwood: some decided, some waiting for the DSL's decision."""
    from . import notices
    from .models import ActionKind, CyberbullyingReport, IncidentAction

    school = schools.get("larchwood")
    dsl, teacher, staff = (_user(u) for u in ("dsl.larchwood", "teacher.larchwood", "staff.larchwood"))
    if not all((school, dsl, teacher, staff)):
        return
    young, older = _pupils_by_age(school)
    if len(young) < 4 or len(older) < 5:
        return
    today = timezone.localdate()
    made = 0

    def report(text, *, victims, perpetrators, actor=teacher, **fields):
        nonlocal made
        if CyberbullyingReport.objects.filter(school=school, what_happened=text).exists():
            return None
        made += 1
        values = {
            "source": "parent",
            "when": ["weekends"],
            "channels": ["social_media"],
            "platform": "instagram",
        }
        values.update(fields)
        return services.cyberbullying_report_record(
            actor=actor,
            school=school,
            victims=victims,
            perpetrators=perpetrators,
            what_happened=text,
            **values,
        )

    def pupil(person):
        return {"kind": "pupil", "person": person}

    # 1. A former pupil, now at another school: decided; the school may help broker a resolution.
    rep = report(
        "Demo: a pupil who left in the summer posts mocking videos of a Year 9 pupil.",
        victims=[older[0]],
        perpetrators=[
            {
                "kind": "former_pupil",
                "name": "A former pupil",
                "left_on": today - timedelta(days=120),
                "new_school": "Ashgrove Academy",
            }
        ],
        platform="tiktok",
    )
    if rep:
        services.cyberbullying_decide(actor=dsl, report=rep)

    # 2. A duty of care: pupils old enough for the platform, at the weekend; waiting for the DSL, with the
    #    messages the pupil brought in kept on the report by the DSL.
    rep = report(
        "Demo: two pupils aged 13 and over trade insults in an Instagram group at weekends.",
        victims=[older[1]],
        perpetrators=[pupil(older[2])],
        source="pupil",
        reporter=older[1],
    )
    if rep:
        services.evidence_upload(
            actor=dsl,
            report=rep,
            name="group-messages.txt",
            data=b"The group's messages, copied by the DSL from the pupil's phone with the pupil present.\n",
        )

    # 3. Under the platform's minimum age: decided, the warnings to all the parents still to send.
    rep = report(
        "Demo: two Year 7 pupils, both under 13, exchange threats on TikTok at the weekend.",
        victims=[young[2]],
        perpetrators=[pupil(young[3])],
        platform="tiktok",
    )
    if rep:
        services.cyberbullying_decide(actor=dsl, report=rep)

    # 4. A later report after a warning that was sent: the school declines the social-networking part.
    earlier_text = "Demo: a Year 7 pupil under 13 is sent unkind Snapchat messages by a classmate."
    earlier = report(earlier_text, victims=[young[0]], perpetrators=[pupil(young[1])], platform="snapchat")
    if earlier:
        services.cyberbullying_decide(actor=dsl, report=earlier)
        for action in earlier.actions.all():
            if action.kind == ActionKind.WARN_PARENTS:
                services.incident_parent_notice_send(
                    actor=dsl, action=action, template=notices.PARENT_UNDER_AGE
                )
            else:
                services.incident_action_complete(actor=dsl, action=action, note="Done with the families.")
        services.cyberbullying_close(actor=dsl, report=earlier)
    sent = IncidentAction.objects.filter(
        report__what_happened=earlier_text, kind=ActionKind.WARN_PARENTS, status=IncidentAction.Status.DONE
    ).exists()
    if sent:
        rep = report(
            "Demo: the same two pupils, still on Snapchat at weekends after their parents were warned.",
            victims=[young[0]],
            perpetrators=[pupil(young[1])],
            platform="snapchat",
        )
        if rep:
            services.cyberbullying_decide(actor=dsl, report=rep)

    # 5. The parents refuse to engage and it continues: a referral to the police; waiting for the DSL.
    report(
        "Demo: repeated late-night texts and calls to a pupil; the family of the sender will not meet us.",
        victims=[older[3]],
        perpetrators=[pupil(older[4])],
        when=["evenings"],
        channels=["text", "phone"],
        platform="",
        parents_refuse_to_engage=True,
        bullying_continues=True,
        actor=staff,
    )

    # 6. Mixed: a former pupil and a current pupil together; waiting for the DSL.
    report(
        "Demo: a former pupil and a current pupil run a WhatsApp group mocking a pupil.",
        victims=[older[1]],
        perpetrators=[
            {"kind": "former_pupil", "name": "A former pupil", "left_on": today - timedelta(days=400)},
            pupil(older[0]),
        ],
        channels=["messaging", "social_media"],
        platform="whatsapp",
    )
    if made:
        stdout.write(f"Demo cyberbullying reports: {made} added (sign in as dsl.larchwood to decide them).")
