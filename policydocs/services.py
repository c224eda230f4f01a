"""The policy's versions: import a draft, ratify it (which supersedes the version before), discard a
draft; and the reminders that a ratified version's review is due. Staff acknowledgements are in
`policydocs.acknowledgements`.

Services are keyword-only, check the policy again, audit in the same transaction and queue notices
through the outbox (sent after commit). A version's status moves only through `core.workflow.transition`
with the table in `policydocs.workflow`.
"""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from audit.services import audit_record
from core import formats
from core.workflow import lock, transition
from notifications.recipients import executive_heads, heads_of
from notifications.services import notify
from people.models import Federation, School

from . import policies
from .acknowledgements import acknowledgement_requests_send
from .importer import ParsedPolicy, parse_policy
from .models import Clause, Policy, PolicyVersion, Section, VersionStatus
from .workflow import VERSION

REVIEW_DUE = "policydocs_review_due"

DEFAULT_POLICY_SLUG = "social-media"
S = VersionStatus


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


def _ratification_errors(ratified_by: str, ratified_on: date | None, review_due_on: date | None) -> dict:
    today = timezone.localdate()
    errors: dict[str, str] = {}
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
    return errors


@transaction.atomic
def policy_version_ratify(
    *, actor, version: PolicyVersion, ratified_by: str, ratified_on: date | None, review_due_on: date | None
) -> PolicyVersion:
    """Record that a draft was ratified (by a governors' committee, on a date) and make it the current
    policy: the ratified version before it is superseded, and every member of staff is asked, through
    the outbox, to read and confirm the new one."""
    ratified_by = (ratified_by or "").strip()
    recorder = actor if actor is not None and actor.is_authenticated else None

    def apply(row: PolicyVersion) -> dict:
        errors = _ratification_errors(ratified_by, ratified_on, review_due_on)
        if errors:
            raise ValidationError(errors)
        now = timezone.now()
        current = (
            PolicyVersion.objects.filter(policy_id=row.policy_id, status=S.RATIFIED)
            .exclude(pk=row.pk)
            .first()
        )
        if current is not None:
            # Superseded first: a policy has one ratified version at a time (a database constraint).
            def supersede(old: PolicyVersion) -> dict:
                old.superseded_at = now
                old.superseded_by = row
                return {"number": old.number, "superseded_by": row.number}

            transition(
                VERSION, "supersede", record=current, actor=actor, related=("policy",), apply=supersede
            )
        row.ratified_by = ratified_by[:200]
        row.ratified_on = ratified_on
        row.review_due_on = review_due_on
        row.ratified_at = now
        row.ratification_recorded_by = recorder
        return {
            "number": row.number,
            "ratified_by": ratified_by,
            "ratified_on": ratified_on,
            "review_due_on": review_due_on,
            "supersedes": current.number if current is not None else None,
            "content_hash": row.content_hash,
        }

    ratified, _event = transition(
        VERSION, "ratify", record=version, actor=actor, related=("policy",), apply=apply
    )
    acknowledgement_requests_send(actor=actor, version=ratified)
    return ratified


@transaction.atomic
def policy_version_discard(*, actor, version: PolicyVersion) -> None:
    """Delete a draft that will not be ratified. Ratified and superseded versions are the record and
    stay; the audit trail keeps a tombstone of the draft."""
    row = lock(PolicyVersion.objects.all(), related=("policy",), pk=version.pk)
    VERSION.check(actor, row, "discard")
    audit_record(
        actor=actor,
        action="policydocs.version.discard",
        target=row,
        data={"number": row.number, "content_hash": row.content_hash},
    )
    row.delete()


# --- Review reminders ---------------------------------------------------------------------------------


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
            "review_date": formats.day(version.review_due_on),
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
