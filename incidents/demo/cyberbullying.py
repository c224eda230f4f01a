"""Demo cyberbullying reports (§10): one per scenario at Larchwood."""

from datetime import timedelta

from django.utils import timezone

from notifications.recipients import contactable_parents_of
from people.models import age_on

from .. import notices, policies, services
from ..models import ActionKind, CyberbullyingReport, IncidentAction
from .common import _user


def _pupils_by_age(school):
    """Larchwood's pupils on roll with a date of birth, youngest last, and whether a parent may be contacted."""
    today = timezone.localdate()
    pupils = [p for p in policies.possible_pupils(school).order_by("reference") if p.date_of_birth]
    young = [p for p in pupils if 10 <= age_on(p.date_of_birth, today) < 13 and contactable_parents_of(p)]
    older = [p for p in pupils if 13 <= age_on(p.date_of_birth, today) <= 16]
    young.sort(key=lambda p: p.date_of_birth)
    return young, older


def seed_cyberbullying(*, schools, stdout):
    """One report per §10 scenario at Larchwood: some decided, some waiting for the DSL's decision."""
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
