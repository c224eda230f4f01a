"""Drafting a social media service proposal (§5): what the proposer fills in, checked field by
field. Nothing is decided on a draft; the workflow is in `proposals`."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from audit.services import audit_record
from core.vocabulary import SERVICE_PLATFORMS, Platform, default_minimum_age, portal_minimum_age
from core.workflow import lock
from people.models import ClassGroup, Person, PersonKind, School

from .. import policies
from ..models import Proposal
from .workflows import PROPOSAL

# The fields a proposer fills in (the classes, pupils and moderators are passed separately).
PROPOSAL_FIELDS = (
    "title",
    "platform",
    "platform_name",
    "minimum_age",
    "account",
    "purpose",
    "hosting",
    "audience_pupils",
    "audience_parents",
    "audience_staff",
    "audience_public",
    "moderation_plan",
    "safeguard_comment_moderation",
    "safeguard_privacy_settings",
    "safeguard_no_personal_details",
    "safeguard_image_consent",
)


# --- Drafting -------------------------------------------------------------------------------------


def _clean_fields(
    *, school: School, fields: dict, classes: Iterable, pupils: Iterable, moderators: Iterable
) -> tuple[dict, list, list, list]:
    """Check and normalise what the proposer entered; raises ValidationError by field."""
    unknown = set(fields) - set(PROPOSAL_FIELDS)
    if unknown:
        raise TypeError(f"Unknown proposal fields: {sorted(unknown)}")
    fields = dict(fields)
    errors: dict[str, str] = {}
    platform = fields.get("platform")
    if platform == Platform.OTHER:
        fields["platform_name"] = (fields.get("platform_name") or "").strip()
        if not fields["platform_name"]:
            errors["platform_name"] = "Give the platform's name."
        minimum = fields.get("minimum_age")
        if minimum is None:
            errors["minimum_age"] = "Give the platform's minimum age (see its terms of use)."
        elif minimum < portal_minimum_age():
            errors["minimum_age"] = (
                f"The policy keeps pupils under {portal_minimum_age()} off social networking (§8): "
                f"the minimum age cannot be below {portal_minimum_age()}."
            )
    elif platform in SERVICE_PLATFORMS:
        fields["platform_name"] = ""
        fields["minimum_age"] = default_minimum_age(platform)
    else:
        errors["platform"] = "Choose a platform from the list, or Other."
    fields["account"] = (fields.get("account") or "").strip()

    classes, pupils, moderators = list(classes), list(pupils), list(moderators)
    if not fields.get("audience_pupils"):
        # Pupils take part only when they are in the audience.
        classes, pupils = [], []
    foreign = [c.name for c in classes if c.school_id != school.pk]
    if foreign:
        errors["classes"] = f"Not a class at {school.name}: {', '.join(foreign)}."
    school_members = set(
        Person.objects.filter(
            memberships__school=school, pk__in=[p.pk for p in pupils + moderators]
        ).values_list("pk", flat=True)
    )
    bad_pupils = [p.full_name for p in pupils if p.kind != PersonKind.PUPIL or p.pk not in school_members]
    if bad_pupils:
        errors["pupils"] = f"Not a pupil at {school.name}: {', '.join(bad_pupils)}."
    bad_staff = [p.full_name for p in moderators if p.kind != PersonKind.STAFF or p.pk not in school_members]
    if bad_staff:
        errors["moderators"] = f"Not a member of staff at {school.name}: {', '.join(bad_staff)}."
    if errors:
        raise ValidationError(errors)
    return fields, classes, pupils, moderators


@transaction.atomic
def proposal_create(
    *,
    actor,
    school: School,
    classes: Iterable[ClassGroup] = (),
    pupils: Iterable[Person] = (),
    moderators: Iterable[Person] = (),
    **fields,
) -> Proposal:
    """Start a draft proposal at a school where the actor works (§5). Nothing is decided on a draft."""
    if not policies.schools_for_staff(actor).filter(pk=school.pk).exists():
        raise PermissionDenied("You can propose a service only at a school where you work.")
    fields, classes, pupils, moderators = _clean_fields(
        school=school, fields=fields, classes=classes, pupils=pupils, moderators=moderators
    )
    proposal = Proposal.objects.create(school=school, proposer=actor, **fields)
    proposal.classes.set(classes)
    proposal.pupils.set(pupils)
    proposal.moderators.set(moderators)
    audit_record(
        actor=actor,
        action="approvals.proposal.create",
        target=proposal,
        school=school,
        data={"fields": _audit_fields(fields, classes, pupils, moderators)},
    )
    return proposal


@transaction.atomic
def proposal_update(
    *,
    actor,
    proposal: Proposal,
    classes: Iterable[ClassGroup] = (),
    pupils: Iterable[Person] = (),
    moderators: Iterable[Person] = (),
    **fields,
) -> Proposal:
    """Change a draft, or a proposal sent back for changes. Only the proposer edits it."""
    locked = lock(Proposal.objects.all(), related=("school",), pk=proposal.pk)
    # The status stays, and only the changed fields are audited: checked as a step, not taken as one.
    PROPOSAL.check(actor, locked, "update")
    fields, classes, pupils, moderators = _clean_fields(
        school=locked.school, fields=fields, classes=classes, pupils=pupils, moderators=moderators
    )
    changed = [name for name, value in fields.items() if getattr(locked, name) != value]
    for name, value in fields.items():
        setattr(locked, name, value)
    for name, values in (("classes", classes), ("pupils", pupils), ("moderators", moderators)):
        manager = getattr(locked, name)
        if {o.pk for o in manager.all()} != {o.pk for o in values}:
            changed.append(name)
            manager.set(values)
    locked.save()
    if changed:
        audit_record(
            actor=actor,
            action="approvals.proposal.update",
            target=locked,
            school=locked.school_id,
            data={"changed": {name: True for name in sorted(changed)}},
        )
    return locked


def _audit_fields(fields: dict, classes, pupils, moderators) -> dict:
    recorded = {k: v for k, v in fields.items() if v not in (None, "", False)}
    # Free text stays in the record; the trail names the fields.
    for name in ("purpose", "moderation_plan"):
        if name in recorded:
            recorded[name] = True
    recorded["class_ids"] = sorted(c.pk for c in classes)
    recorded["pupil_ids"] = sorted(p.pk for p in pupils)
    recorded["moderator_ids"] = sorted(p.pk for p in moderators)
    return recorded
