"""Every write of the policy documents: import, ratify (which supersedes), discard a draft, and
staff acknowledgements; and the daily reminders' notices.

Services are keyword-only, check the policy again, audit in the same transaction and queue notices
through the outbox (sent after commit). A version's status moves only through `_transition`.
"""

import logging
from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from audit.services import audit_record
from notifications.models import Channel
from notifications.recipients import Recipient, executive_heads, heads_of
from notifications.services import notify
from people.models import Federation, Person, Role, RoleAssignment, School

from . import policies
from .importer import ParsedPolicy, parse_policy
from .models import Acknowledgement, Clause, Policy, PolicyVersion, Section, VersionStatus

log = logging.getLogger(__name__)

ACK_REQUESTED = "policydocs_acknowledgement_requested"
ACK_REMINDER = "policydocs_acknowledgement_reminder"
REVIEW_DUE = "policydocs_review_due"

DEFAULT_POLICY_SLUG = "social-media"
S = VersionStatus


class InvalidTransition(ValidationError):
    """The version is not in a state that allows this."""


class AlreadyAcknowledged(InvalidTransition):
    """The member of staff has already confirmed this version."""


TRANSITIONS = {
    S.DRAFT: {S.RATIFIED},
    S.RATIFIED: {S.SUPERSEDED},
    S.SUPERSEDED: set(),
}


def _refusal(row: PolicyVersion, to: str) -> str:
    """Why `row` cannot move to `to`, in words a head can act on."""
    if row.status == S.SUPERSEDED:
        when = timezone.localtime(row.superseded_at).strftime("%d %B %Y").lstrip("0")
        return (
            f"{row.label} was superseded on {when} and cannot change any more. To bring its text back, "
            "import it again as a new version."
        )
    if row.status == S.RATIFIED and to == S.RATIFIED:
        return f"{row.label} is already ratified: it is the current policy."
    if row.status == S.DRAFT and to == S.SUPERSEDED:
        return f"{row.label} is a draft: only a ratified version is superseded."
    return f"{row.label} cannot move from {row.get_status_display().lower()} to {S(to).label.lower()}."


def _locked(version: PolicyVersion) -> PolicyVersion:
    return PolicyVersion.objects.select_for_update().select_related("policy").get(pk=version.pk)


def _transition(
    *, actor, version: PolicyVersion, to: str, action: str, data=None, **changes
) -> PolicyVersion:
    """Lock the version, check the move in TRANSITIONS, apply `changes`, save and audit."""
    row = _locked(version)
    if to not in TRANSITIONS[row.status]:
        raise InvalidTransition(_refusal(row, to), code="invalid_transition")
    previous = row.status
    row.status = to
    for name, value in changes.items():
        setattr(row, name, value)
    row.save()
    audit_record(
        actor=actor,
        action=action,
        target=row,
        data={"from": previous, "to": to, "number": row.number, **(data or {})},
    )
    return row


def _require_keeper(actor, federation_id: int) -> None:
    if not policies.can_manage_policy_of(actor, federation_id):
        raise PermissionDenied


# --- Import ------------------------------------------------------------------------------------------


def policy_for(federation: Federation, *, title: str) -> Policy:
    """The federation's policy (created on first import)."""
    policy, _created = Policy.objects.get_or_create(
        federation=federation, slug=DEFAULT_POLICY_SLUG, defaults={"title": title[:200] or "Policy"}
    )
    return policy


@transaction.atomic
def policy_version_import(
    *,
    actor,
    federation: Federation,
    text: str,
    source_name: str = "",
    title: str | None = None,
    parsed: ParsedPolicy | None = None,
) -> PolicyVersion:
    """Save `text` as a new draft version of the federation's policy, with its sections and clauses.

    Refuses a text identical to a version already kept (nothing would change). `actor` None is the
    system (the management command and the demo data).
    """
    if actor is not None:
        _require_keeper(actor, federation.pk)
    parsed = parsed or parse_policy(text)
    title = (title or parsed.title or "Policy").strip()[:200]
    policy = policy_for(federation, title=title)
    # Numbers are handed out one at a time per policy.
    Policy.objects.select_for_update().filter(pk=policy.pk).first()
    same = policy.versions.filter(content_hash=parsed.content_hash).first()
    if same is not None:
        raise ValidationError(
            f"This text is exactly the same as {same.label} ({same.get_status_display().lower()}): "
            "there is nothing new to import.",
            code="duplicate",
        )
    number = (policy.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = PolicyVersion.objects.create(
        policy=policy,
        number=number,
        title=title,
        body=parsed.body,
        content_hash=parsed.content_hash,
        source_name=(source_name or "")[:255],
        imported_by=actor if actor is not None and actor.is_authenticated else None,
    )
    sections = Section.objects.bulk_create(
        [Section(version=version, number=s.number, title=s.title[:200], body=s.body) for s in parsed.sections]
    )
    by_number = {section.number: section for section in sections}
    Clause.objects.bulk_create(
        [
            Clause(
                version=version,
                section=by_number[s.number],
                position=clause.position,
                number=clause.number,
                text=clause.text,
            )
            for s in parsed.sections
            for clause in s.clauses
        ]
    )
    audit_record(
        actor=actor,
        action="policydocs.version.import",
        target=version,
        data={
            "number": number,
            "sections": len(parsed.sections),
            "clauses": parsed.clause_count,
            "content_hash": parsed.content_hash,
            "source_name": version.source_name,
        },
    )
    return version


# --- Ratify and supersede --------------------------------------------------------------------------


RATIFY_REQUIRED = {
    "ratified_by": "Say who ratified it, for example 'Resources Committee'.",
    "ratified_on": "Enter the date it was ratified.",
    "review_due_on": "Enter the date the policy is next due for review.",
}


@transaction.atomic
def policy_version_ratify(
    *, actor, version: PolicyVersion, ratified_by: str, ratified_on: date | None, review_due_on: date | None
) -> PolicyVersion:
    """Record that a draft was ratified (by a governors' committee, on a date) and make it the current
    policy: the ratified version before it is superseded, and every member of staff is asked, through
    the outbox, to read and confirm the new one."""
    row = _locked(version)
    if actor is not None:
        _require_keeper(actor, row.policy.federation_id)
    if S.RATIFIED not in TRANSITIONS[row.status]:
        raise InvalidTransition(_refusal(row, S.RATIFIED), code="invalid_transition")
    today = timezone.localdate()
    errors: dict[str, str] = {}
    ratified_by = (ratified_by or "").strip()
    if not ratified_by:
        errors["ratified_by"] = RATIFY_REQUIRED["ratified_by"]
    if ratified_on is None:
        errors["ratified_on"] = RATIFY_REQUIRED["ratified_on"]
    elif ratified_on > today:
        errors["ratified_on"] = (
            "The ratification date cannot be in the future: record it once it has happened."
        )
    if review_due_on is None:
        errors["review_due_on"] = RATIFY_REQUIRED["review_due_on"]
    elif ratified_on is not None and review_due_on <= ratified_on:
        errors["review_due_on"] = "The review date must come after the ratification date."
    elif review_due_on <= today:
        errors["review_due_on"] = "The review date must be in the future."
    if errors:
        raise ValidationError(errors)

    now = timezone.now()
    current = (
        PolicyVersion.objects.select_for_update()
        .filter(policy_id=row.policy_id, status=S.RATIFIED)
        .exclude(pk=row.pk)
        .first()
    )
    if current is not None:
        # Superseded first: a policy has one ratified version at a time (a database constraint).
        _transition(
            actor=actor,
            version=current,
            to=S.SUPERSEDED,
            action="policydocs.version.supersede",
            data={"superseded_by": row.number},
            superseded_at=now,
            superseded_by=row,
        )
    ratified = _transition(
        actor=actor,
        version=row,
        to=S.RATIFIED,
        action="policydocs.version.ratify",
        data={
            "ratified_by": ratified_by,
            "ratified_on": ratified_on,
            "review_due_on": review_due_on,
            "supersedes": current.number if current is not None else None,
            "content_hash": row.content_hash,
        },
        ratified_by=ratified_by[:200],
        ratified_on=ratified_on,
        review_due_on=review_due_on,
        ratified_at=now,
        ratification_recorded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    acknowledgement_requests_send(actor=actor, version=ratified)
    return ratified


@transaction.atomic
def policy_version_discard(*, actor, version: PolicyVersion) -> None:
    """Delete a draft that will not be ratified. Ratified and superseded versions are the record and
    stay; the audit trail keeps a tombstone of the draft."""
    row = _locked(version)
    _require_keeper(actor, row.policy.federation_id)
    if row.status != S.DRAFT:
        raise InvalidTransition(
            f"{row.label} has been ratified: a ratified version is part of the record and cannot be discarded.",
            code="invalid_transition",
        )
    audit_record(
        actor=actor,
        action="policydocs.version.discard",
        target=row,
        data={"number": row.number, "content_hash": row.content_hash},
    )
    row.delete()


# --- Who must confirm ------------------------------------------------------------------------------


def staff_to_acknowledge(federation_id: int) -> dict[int | None, list[Person]]:
    """Current staff of the federation's schools, and its Executive Head, by school (None for the
    federation's own roles); one query."""
    assignments = (
        RoleAssignment.objects.filter(
            Q(role__in=policies.ACKNOWLEDGING_ROLES, school__federation_id=federation_id)
            | Q(role=Role.EXECUTIVE_HEAD, federation_id=federation_id),
            person__left_on__isnull=True,
        )
        .select_related("person__user")
        .order_by("school_id", "person__last_name", "person__first_name", "person_id")
    )
    by_school: dict[int | None, dict[int, Person]] = defaultdict(dict)
    for assignment in assignments:
        by_school[assignment.school_id].setdefault(assignment.person_id, assignment.person)
    return {school_id: list(people.values()) for school_id, people in by_school.items()}


def _signed_in_recipients(people) -> list[Recipient]:
    """Email and in-portal notice for each person with an active sign-in: only they can confirm."""
    return [
        Recipient(user=person.user, person=person, channel=channel)
        for person in people
        if person.user_id and person.user.is_active
        for channel in (Channel.EMAIL, Channel.IN_APP)
    ]


def _notify_staff(
    *, actor, version: PolicyVersion, event: str, template: str, context: dict, only=None
) -> int:
    federation_id = version.policy.federation_id
    groups = staff_to_acknowledge(federation_id)
    schools = School.objects.in_bulk([school_id for school_id in groups if school_id is not None])
    count = 0
    for school_id, people in sorted(groups.items(), key=lambda item: (item[0] is None, item[0] or 0)):
        if only is not None:
            people = [person for person in people if person.pk in only]
        recipients = _signed_in_recipients(people)
        if not recipients:
            continue
        rows = notify(
            event=event,
            recipients=recipients,
            template=template,
            about=version,
            school=schools.get(school_id),
            context={**context, "url": reverse("policydocs:read")},
            actor=actor,
        )
        count += len(rows)
    return count


def acknowledgement_requests_send(*, actor, version: PolicyVersion) -> int:
    """Ask every member of staff to read and confirm `version` (one notice per person and channel)."""
    return _notify_staff(
        actor=actor,
        version=version,
        event=f"policydocs.version.{version.pk}.acknowledge",
        template=ACK_REQUESTED,
        context={"version_label": version.label},
    )


# --- Read-and-sign ----------------------------------------------------------------------------------


def needs_posts_check(person: Person, policy: Policy) -> bool:
    """New staff (anyone who has never confirmed it) confirm they checked their existing posts (§7)."""
    return not Acknowledgement.objects.filter(
        person=person, version__policy=policy, posts_checked_at__isnull=False
    ).exists()


@transaction.atomic
def acknowledgement_record(
    *,
    actor,
    version: PolicyVersion,
    read_confirmed: bool,
    posts_checked: bool = False,
    content_hash: str | None = None,
) -> Acknowledgement:
    """A member of staff confirms they read the current version; the time and the version's hash are
    kept. `content_hash` is the hash of the text the reader was shown: if the text changed meanwhile,
    nothing is recorded. §7: before joining, new employees check what they have posted and remove anything that could
    cause embarrassment or offence, so a first confirmation also records that check."""
    if not policies.must_acknowledge(actor):
        raise PermissionDenied
    person = Person.objects.get(pk=policies.access_for(actor).person_id)
    row = PolicyVersion.objects.select_for_update().select_related("policy").get(pk=version.pk)
    if not policies.federations_of(actor).filter(federation_id=row.policy.federation_id).exists():
        raise PermissionDenied
    if row.status != S.RATIFIED:
        raise InvalidTransition(
            f"{row.label} is not the current policy any more: read the current version and confirm that.",
            code="not_current",
        )
    if content_hash is not None and content_hash != row.content_hash:
        raise InvalidTransition(
            "The policy's text changed while you were reading it: read the version shown now and confirm that.",
            code="text_changed",
        )
    existing = Acknowledgement.objects.filter(version=row, person=person).first()
    if existing is not None:
        when = timezone.localtime(existing.acknowledged_at).strftime("%d %B %Y").lstrip("0")
        raise AlreadyAcknowledged(
            f"You confirmed {row.label} on {when}: there is nothing more to do.", code="already"
        )
    errors = {}
    if not read_confirmed:
        errors["read_confirmed"] = "Tick the box to confirm that you have read and understood the policy."
    new_to_policy = needs_posts_check(person, row.policy)
    if new_to_policy and not posts_checked:
        errors["posts_checked"] = (
            "As this is your first confirmation, tick the box to confirm that you have checked your existing "
            "social media posts and removed anything that could cause embarrassment or offence (§7)."
        )
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    acknowledgement = Acknowledgement.objects.create(
        version=row,
        person=person,
        user=actor,
        acknowledged_at=now,
        content_hash=row.content_hash,
        posts_checked_at=now if new_to_policy else None,
    )
    audit_record(
        actor=actor,
        action="policydocs.acknowledgement.create",
        target=acknowledgement,
        data={
            "version": row.number,
            "content_hash": row.content_hash,
            "posts_checked": new_to_policy,
        },
    )
    return acknowledgement


# --- Daily reminders --------------------------------------------------------------------------------


def acknowledgement_reminders_send(today: date | None = None) -> int:
    """Staff who have not confirmed the current version are reminded every
    POLICYDOCS_ACK_REMINDER_INTERVAL_DAYS after ratification. The event key holds the reminder's
    number, so a second run on the same day (or a late run) sends nothing twice."""
    today = today or timezone.localdate()
    interval = max(1, int(settings.POLICYDOCS_ACK_REMINDER_INTERVAL_DAYS))
    count = 0
    for version in PolicyVersion.objects.filter(status=S.RATIFIED).select_related("policy"):
        days = (today - timezone.localdate(version.ratified_at)).days
        if days < interval:
            continue
        round_number = days // interval
        confirmed = set(Acknowledgement.objects.filter(version=version).values_list("person_id", flat=True))
        groups = staff_to_acknowledge(version.policy.federation_id)
        waiting = {p.pk for people in groups.values() for p in people if p.pk not in confirmed}
        if not waiting:
            continue
        count += _notify_staff(
            actor=None,
            version=version,
            event=f"policydocs.version.{version.pk}.acknowledge.reminder.{round_number}",
            template=ACK_REMINDER,
            context={"version_label": version.label, "days": days},
            only=waiting,
        )
    return count


def review_reminders_send(today: date | None = None) -> int:
    """The heads (of every school of the federation) and the Executive Head are reminded 60 and 14 days
    (POLICYDOCS_REVIEW_REMINDER_DAYS) before a ratified version's review date. A reminder whose day was
    missed goes on the next run, unless a nearer one is already due."""
    today = today or timezone.localdate()
    marks = sorted({int(days) for days in settings.POLICYDOCS_REVIEW_REMINDER_DAYS})
    horizon = today + timedelta(days=max(marks)) if marks else today
    count = 0
    versions = PolicyVersion.objects.filter(
        status=S.RATIFIED, review_due_on__gte=today, review_due_on__lte=horizon
    ).select_related("policy")
    for version in versions:
        days_left = (version.review_due_on - today).days
        due_marks = [mark for mark in marks if days_left <= mark]
        if not due_marks:
            continue
        mark = min(due_marks)  # the nearest reminder due; an earlier, missed one is not sent late
        federation_id = version.policy.federation_id
        context = {
            "version_label": version.label,
            "review_date": version.review_due_on.strftime("%d %B %Y").lstrip("0"),
            "days": days_left,
        }
        event = f"policydocs.version.{version.pk}.review_due.{mark}"
        for school in School.objects.filter(federation_id=federation_id).order_by("name", "id"):
            count += len(
                notify(
                    event=event,
                    recipients=heads_of(school),
                    template=REVIEW_DUE,
                    about=version,
                    school=school,
                    context=context,
                )
            )
        count += len(
            notify(
                event=event,
                recipients=executive_heads(federation_id),
                template=REVIEW_DUE,
                about=version,
                context=context,
            )
        )
    return count


# --- Reads used by the services and the pages ---------------------------------------------------------


def current_version_for(federation_id: int) -> PolicyVersion | None:
    return (
        PolicyVersion.objects.filter(policy__federation_id=federation_id, status=S.RATIFIED)
        .select_related("policy")
        .order_by("policy__title", "policy_id")
        .first()
    )


def unacknowledged_current_versions(user):
    """Ratified versions of the user's federations that the user has not confirmed (one query)."""
    access = policies.access_for(user)
    return PolicyVersion.objects.filter(
        status=S.RATIFIED, policy__federation_id__in=policies.federations_of(user)
    ).exclude(Exists(Acknowledgement.objects.filter(version=OuterRef("pk"), person_id=access.person_id)))
