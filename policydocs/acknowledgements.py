"""Read-and-sign: who must confirm the current version, asking them (when a version is ratified, then
every week until they do), and recording a member of staff's confirmation (§7).

Services are keyword-only, check the policy again, audit in the same transaction and queue notices
through the outbox (sent after commit).
"""

from collections import defaultdict
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from audit.services import audit_record
from core import formats
from core.workflow import InvalidTransition, lock
from notifications.models import Channel
from notifications.recipients import Recipient
from notifications.services import notify
from people.models import Person, Role, RoleAssignment, School

from . import policies
from .models import Acknowledgement, Policy, PolicyVersion, VersionStatus

ACK_REQUESTED = "policydocs_acknowledgement_requested"
ACK_REMINDER = "policydocs_acknowledgement_reminder"

S = VersionStatus


class AlreadyAcknowledged(InvalidTransition):
    """The member of staff has already confirmed this version."""


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
    row = lock(PolicyVersion.objects.all(), related=("policy",), pk=version.pk)
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
        when = formats.day(existing.acknowledged_at)
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


# --- Reminders --------------------------------------------------------------------------------


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
