"""Demo data for approvals: proposals in every state, declarations and publication permissions.

Larchwood's teacher and member of staff propose; the Executive Head and Larchwood's Head of
School decide. Everything goes through the services (so it is audited, and notices are
queued as they would be). Idempotent: a record already there (by its title, or its declarant
and kind) is left alone.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from core.dashboard import register_demo_seeder
from core.vocabulary import Platform
from people.models import ClassGroup, Person, PersonKind

from . import services
from .models import Declaration, DeclarationKind, Hosting, Proposal, PublicationPermission, Relationship
from .services.permissions import posts_allowed_on

BASE = {
    "hosting": Hosting.THIRD_PARTY,
    "audience_pupils": False,
    "audience_parents": False,
    "audience_staff": False,
    "audience_public": False,
    "safeguard_comment_moderation": True,
    "safeguard_privacy_settings": True,
    "safeguard_no_personal_details": True,
    "safeguard_image_consent": True,
}


def _users() -> dict:
    names = ["exec.head", "head.larchwood", "teacher.larchwood", "staff.larchwood", "office.larchwood"]
    users = {u.username: u for u in get_user_model().objects.filter(username__in=names)}
    return users if len(users) == len(names) else {}


def _old_enough_class(school, today):
    """A Larchwood class whose pupils are all 13 or over today (the demo's ages are random)."""
    for class_group in (
        ClassGroup.objects.filter(school=school).order_by("-year_group").prefetch_related("pupils")
    ):
        pupils = list(class_group.pupils.all())
        if pupils and all(p.age_on(today) >= 13 for p in pupils) and class_group.year_group <= 11:
            return class_group
    return None


@register_demo_seeder
def seed_approvals(*, schools, stdout):
    school = schools["larchwood"]
    users = _users()
    if not users:
        stdout.write("Approvals demo skipped: the Larchwood sign-ins are missing.")
        return
    today = timezone.localdate()
    teacher, staff = users["teacher.larchwood"], users["staff.larchwood"]
    exec_head, head = users["exec.head"], users["head.larchwood"]
    moderators = [teacher.person, staff.person]
    older_class = _old_enough_class(school, today)

    def propose(proposer, title, **fields):
        existing = Proposal.objects.filter(school=school, title=title).first()
        if existing is not None:
            return existing, False
        data = {
            **BASE,
            "title": title,
            "purpose": f"Demo: {title}.",
            "moderation_plan": "Two moderators check every post.",
            **fields,
        }
        classes = data.pop("classes", [])
        return (
            services.proposal_create(
                actor=proposer, school=school, classes=classes, moderators=moderators, **data
            ),
            True,
        )

    def submitted(proposer, title, **fields):
        proposal, new = propose(proposer, title, **fields)
        if new:
            services.proposal_submit(actor=proposer, proposal=proposal, terms_confirmed=True)
        return proposal, new

    # Draft
    propose(
        teacher,
        "Sports day video channel",
        platform=Platform.YOUTUBE,
        account="@larchwood-sports",
        audience_parents=True,
    )
    # Submitted, awaiting a decision
    submitted(
        staff,
        "Parents' news page",
        platform=Platform.FACEBOOK,
        account="facebook.com/larchwoodnews",
        audience_parents=True,
    )
    # Approved, with a condition
    blog_fields = {
        "platform": Platform.BLOG,
        "account": "blogs.larchwood.example.org/history",
        "hosting": Hosting.SCHOOL,
        "audience_pupils": bool(older_class),
        "audience_parents": True,
        "classes": [older_class] if older_class else [],
    }
    blog, new = submitted(teacher, "Class history blog", **blog_fields)
    if new:
        services.proposal_approve(
            actor=exec_head, proposal=blog, conditions="Comments are approved before they show."
        )
    # Changes requested
    forum, new = submitted(
        staff,
        "Careers forum",
        platform=Platform.FORUM,
        account="forum.larchwood.example.org",
        audience_staff=True,
        audience_parents=True,
    )
    if new:
        services.proposal_request_changes(actor=head, proposal=forum, reason="Name a second moderator.")
    # Rejected
    group, new = submitted(
        staff, "Staff chat group", platform=Platform.WHATSAPP, account="Larchwood staff", audience_staff=True
    )
    if new:
        services.proposal_reject(actor=head, proposal=group, reason="Use the school's own messaging system.")
    # Suspended
    news, new = submitted(
        teacher, "School news feed", platform=Platform.X, account="@larchwoodschool", audience_public=True
    )
    if new:
        services.proposal_approve(actor=head, proposal=news)
        services.proposal_suspend(
            actor=head, proposal=news, reason="An old post named a pupil: check the feed."
        )
    # Withdrawn
    wiki, new = propose(
        staff,
        "Book club wiki",
        platform=Platform.WIKI,
        account="wiki.larchwood.example.org",
        audience_staff=True,
    )
    if new:
        services.proposal_withdraw(actor=staff, proposal=wiki, reason="The club uses the library system now.")
    # Expired: approved until tomorrow, then past its review date
    fair, new = submitted(
        teacher,
        "Summer fair photos",
        platform=Platform.INSTAGRAM,
        account="@larchwoodfair",
        audience_public=True,
    )
    if new:
        services.proposal_approve(actor=exec_head, proposal=fair, review_date=today + timedelta(days=1))
        services.proposal_expire(proposal=fair, today=today + timedelta(days=1))

    _declarations(school, users, today)
    _permissions(blog, users)
    stdout.write("Approvals demo: proposals in every state, declarations and publication permissions.")


def _declarations(school, users, today):
    teacher, staff, office = users["teacher.larchwood"], users["staff.larchwood"], users["office.larchwood"]
    pupils = list(
        Person.objects.filter(kind=PersonKind.PUPIL, memberships__school=school).order_by("reference")
    )
    parents = list(
        Person.objects.filter(kind=PersonKind.PARENT, memberships__school=school).order_by("reference")
    )
    if not Declaration.objects.filter(declarant=teacher).exists() and pupils:
        declaration = services.declaration_create(
            actor=teacher,
            school=school,
            kind=DeclarationKind.FAMILY_LINK,
            pupils=[pupils[0]],
            relationship=Relationship.RELATIVE,
            statement="My niece attends the school.",
        )
        services.declaration_acknowledge(
            actor=users["head.larchwood"], declaration=declaration, note="Noted; not in your classes."
        )
    if not Declaration.objects.filter(declarant=staff).exists() and parents:
        services.declaration_create(
            actor=staff,
            school=school,
            kind=DeclarationKind.PARENT_CONNECTION,
            parents=[parents[1]],
            platform=Platform.FACEBOOK,
            statement="We were at school together and are friends on Facebook.",
        )
    if not Declaration.objects.filter(declarant=office).exists() and len(pupils) > 2:
        # Declared on paper over a year ago: now due again.
        services.declaration_create(
            actor=office,
            school=school,
            kind=DeclarationKind.FAMILY_LINK,
            pupils=[pupils[2]],
            relationship=Relationship.FAMILY_FRIEND,
            statement="A family friend's child.",
            declared_on=today - timedelta(days=400),
        )


def _permissions(blog, users):
    if not posts_allowed_on(blog) or PublicationPermission.objects.filter(service=blog).exists():
        return
    teacher, exec_head = users["teacher.larchwood"], users["exec.head"]
    agreed = services.permission_request(
        actor=teacher, service=blog, post_text="Photos of our museum trip.", event="Museum trip"
    )
    services.permission_agree(actor=exec_head, permission=agreed, note="No faces of pupils without consent.")
    declined = services.permission_request(
        actor=teacher,
        service=blog,
        post_text="A thank-you to our teaching assistant.",
        staff=[users["staff.larchwood"].person],
    )
    services.permission_decline(actor=exec_head, permission=declined, reason="Ask the colleague first.")
    services.permission_request(
        actor=teacher, service=blog, post_text="Results of the history quiz.", event="History quiz"
    )
