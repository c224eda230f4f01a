"""Every write to the registry. Each service checks the policy again, writes, and audits
in the same transaction."""

from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from audit.services import audit_record
from core import formats
from core.text import HIDDEN_FORMATTING, has_hidden_formatting

from .. import policies
from ..models import (
    FEDERATION_ROLES,
    KINDS_NEEDING_DOB,
    KINDS_WITH_LOGIN,
    ClassGroup,
    Membership,
    ParentLink,
    Person,
    PersonKind,
    Role,
    RoleAssignment,
    School,
)

# Fields of a person that the registry forms may set and the audit trail records.
PERSON_FIELDS = ("kind", "first_name", "last_name", "date_of_birth", "email", "phone", "reference")


def _check_manages(actor, school: School) -> None:
    if actor is not None and not policies.schools_managed_by(actor).filter(pk=school.pk).exists():
        raise PermissionDenied("You do not keep the registry of this school.")


def validate_person_fields(
    *, kind: str, date_of_birth: date | None, names: dict | None = None, today: date | None = None
) -> None:
    """Pupils and former pupils need a date of birth (the under-13 rules rest on it); none is in the future;
    no name carries hidden formatting characters (`names`: field name to value)."""
    today = today or timezone.localdate()
    errors = {
        field: HIDDEN_FORMATTING for field, value in (names or {}).items() if has_hidden_formatting(value)
    }
    if kind in KINDS_NEEDING_DOB and date_of_birth is None:
        errors["date_of_birth"] = "A date of birth is needed for pupils and former pupils."
    if date_of_birth is not None and date_of_birth > today:
        errors["date_of_birth"] = "The date of birth cannot be in the future."
    if errors:
        raise ValidationError(errors)


def _names(fields: dict) -> dict:
    return {name: fields[name] for name in ("first_name", "last_name") if fields.get(name)}


@transaction.atomic
def person_create(*, actor, school: School, started_on: date | None = None, **fields) -> Person:
    """Add a person to a school's registry."""
    _check_manages(actor, school)
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"Unknown person fields: {sorted(unknown)}")
    validate_person_fields(
        kind=fields.get("kind"), date_of_birth=fields.get("date_of_birth"), names=_names(fields)
    )
    person = Person.objects.create(**fields)
    Membership.objects.create(person=person, school=school, started_on=started_on)
    audit_record(
        actor=actor,
        action="people.person.create",
        target=person,
        school=school,
        data={"fields": {k: fields.get(k) for k in PERSON_FIELDS if fields.get(k) not in (None, "")}},
    )
    return person


@transaction.atomic
def person_update(*, actor, person: Person, **changes) -> Person:
    """Change a person's details; records each changed field as [old, new]."""
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"Unknown person fields: {sorted(unknown)}")
    person = Person.objects.select_for_update().get(pk=person.pk)
    if actor is not None and not policies.can_edit_person(actor, person):
        raise PermissionDenied("You do not keep the registry of this person's school.")
    new_kind = changes.get("kind", person.kind)
    validate_person_fields(
        kind=new_kind, date_of_birth=changes.get("date_of_birth", person.date_of_birth), names=_names(changes)
    )
    diff = {}
    for name, value in changes.items():
        old = getattr(person, name)
        if old != value:
            diff[name] = [old, value]
            setattr(person, name, value)
    if diff:
        person.save()
        audit_record(
            actor=actor,
            action="people.person.update",
            target=person,
            school=_first_school_id(person),
            data={"changed": diff},
        )
    return person


@transaction.atomic
def person_mark_left(*, actor, person: Person, left_on: date) -> Person:
    """Record that someone left the school(s). A pupil becomes a former pupil and keeps their history."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if actor is not None and not policies.can_edit_person(actor, person):
        raise PermissionDenied("You do not keep the registry of this person's school.")
    if person.left_on is not None:
        raise ValidationError(
            f"{person.full_name} is already recorded as having left on {formats.day(person.left_on)}."
        )
    if left_on > timezone.localdate():
        raise ValidationError({"left_on": "The leaving date cannot be in the future."})
    old_kind = person.kind
    person.left_on = left_on
    if person.kind == PersonKind.PUPIL:
        person.kind = PersonKind.FORMER_PUPIL
    person.save(update_fields=["left_on", "kind", "updated_at"])
    person.memberships.filter(ended_on__isnull=True).update(ended_on=left_on)
    audit_record(
        actor=actor,
        action="people.person.left",
        target=person,
        school=_first_school_id(person),
        data={"left_on": left_on, "kind": [old_kind, person.kind]},
    )
    return person


def _first_school_id(person: Person) -> int | None:
    return person.memberships.order_by("id").values_list("school_id", flat=True).first()


@transaction.atomic
def parent_link_create(
    *,
    actor,
    pupil: Person,
    parent: Person | None = None,
    new_parent: dict | None = None,
    relationship: str,
    parental_responsibility: bool = True,
    may_contact: bool = True,
    preferred_channel: str = ParentLink.Channel.EMAIL,
) -> ParentLink:
    """Link a parent or carer to a pupil: an existing person, or a new one added to the pupil's school."""
    if pupil.kind not in (PersonKind.PUPIL, PersonKind.FORMER_PUPIL):
        raise ValidationError("Parents and carers can only be linked to pupils.")
    if actor is not None and not policies.can_edit_person(actor, pupil):
        raise PermissionDenied("You do not keep the registry of this pupil's school.")
    school = School.objects.get(pk=_first_school_id(pupil))
    if (parent is None) == (new_parent is None):
        raise ValidationError("Choose an existing parent or carer, or enter a new one, not both.")
    if parent is None:
        parent = person_create(actor=actor, school=school, kind=PersonKind.PARENT, **new_parent)
    elif parent.kind != PersonKind.PARENT:
        raise ValidationError({"parent": "Only a person recorded as a parent or carer can be linked."})
    elif actor is not None and not policies.people_editable_by(actor).filter(pk=parent.pk).exists():
        raise ValidationError({"parent": "Choose a parent or carer of a school whose registry you keep."})
    if ParentLink.objects.filter(parent=parent, pupil=pupil).exists():
        raise ValidationError({"parent": f"{parent.full_name} is already linked to {pupil.full_name}."})
    if may_contact:
        if preferred_channel == ParentLink.Channel.EMAIL and not parent.email:
            raise ValidationError(
                {"preferred_channel": "Email is preferred but the parent has no email address."}
            )
        if preferred_channel == ParentLink.Channel.PHONE and not parent.phone:
            raise ValidationError(
                {"preferred_channel": "Phone is preferred but the parent has no phone number."}
            )
    link = ParentLink.objects.create(
        parent=parent,
        pupil=pupil,
        relationship=relationship,
        parental_responsibility=parental_responsibility,
        may_contact=may_contact,
        preferred_channel=preferred_channel,
    )
    audit_record(
        actor=actor,
        action="people.parentlink.create",
        target=pupil,
        school=school,
        data={
            "parent_id": parent.pk,
            "relationship": relationship,
            "parental_responsibility": parental_responsibility,
            "may_contact": may_contact,
            "preferred_channel": preferred_channel,
        },
    )
    return link


@transaction.atomic
def role_grant(*, actor, person: Person, role: str, school: School | None = None) -> RoleAssignment:
    """Give a person a role at a school, or a federation role (Executive Head, chair of governors)."""
    if actor is not None:
        if not policies.can_manage_access(actor, person):
            raise PermissionDenied("You cannot change this person's roles.")
        if role in FEDERATION_ROLES and not policies.can_grant_federation_roles(actor):
            raise PermissionDenied("Only the Executive Head grants federation roles.")
        if (
            school is not None
            and not policies.schools_whose_roles_user_keeps(actor).filter(pk=school.pk).exists()
        ):
            raise PermissionDenied("You cannot grant roles at this school.")
    if person.kind not in KINDS_WITH_LOGIN:
        raise ValidationError(f"A {person.get_kind_display().lower()} cannot hold a role in the portal.")
    if role in FEDERATION_ROLES:
        if school is not None:
            raise ValidationError(f"{Role(role).label} is a federation role, not a school one.")
        federation = _federation_of(person, fallback_school=None)
        assignment, created = RoleAssignment.objects.get_or_create(
            person=person, role=role, federation=federation
        )
    else:
        if school is None:
            raise ValidationError(f"{Role(role).label} is held at a school: choose the school.")
        assignment, created = RoleAssignment.objects.get_or_create(person=person, role=role, school=school)
        Membership.objects.get_or_create(person=person, school=school)
    if created:
        audit_record(
            actor=actor,
            action="people.role.grant",
            target=person,
            school=school,
            data={"role": role},
        )
    return assignment


def _federation_of(person: Person, fallback_school: School | None):
    from ..models import Federation

    school_id = _first_school_id(person)
    if school_id:
        return School.objects.get(pk=school_id).federation
    if fallback_school is not None:
        return fallback_school.federation
    return Federation.objects.order_by("id").first()


@transaction.atomic
def role_revoke(*, actor, assignment: RoleAssignment) -> None:
    """Take a role away. The audit trail keeps that it was held."""
    person = assignment.person
    if actor is not None:
        if not policies.can_manage_access(actor, person):
            raise PermissionDenied("You cannot change this person's roles.")
        if assignment.role in FEDERATION_ROLES and not policies.can_grant_federation_roles(actor):
            raise PermissionDenied("Only the Executive Head removes federation roles.")
        if (
            assignment.school_id
            and not policies.schools_whose_roles_user_keeps(actor).filter(pk=assignment.school_id).exists()
        ):
            raise PermissionDenied("You cannot change roles at this school.")
    audit_record(
        actor=actor,
        action="people.role.revoke",
        target=person,
        school=assignment.school_id,
        data={"role": assignment.role},
    )
    assignment.delete()


@transaction.atomic
def user_create_for_person(*, actor, person: Person, username: str, password: str | None) -> Person:
    """Give a member of staff or a governor a sign-in. Without a password, the account has none
    until its holder sets one through the emailed link."""
    if actor is not None and not policies.can_manage_sign_in(actor, person):
        raise PermissionDenied("You cannot give this person a sign-in.")
    if person.kind not in KINDS_WITH_LOGIN:
        raise ValidationError("Only members of staff and governors have sign-ins.")
    if person.user_id:
        raise ValidationError(f"{person.full_name} already has a sign-in.")
    if get_user_model().objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": "That username is taken: choose another."})
    user_model = get_user_model()
    user = user_model(username=username, first_name=person.first_name, last_name=person.last_name)
    user.email = person.email
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    person.user = user
    person.save(update_fields=["user", "updated_at"])
    audit_record(
        actor=actor,
        action="people.user.create",
        target=person,
        school=_first_school_id(person),
        data={"username": username},
    )
    return person


@transaction.atomic
def class_group_save(
    *,
    actor,
    school: School,
    name: str,
    year_group: int | None,
    teachers: list[Person],
    pupils: list[Person],
    class_group: ClassGroup | None = None,
) -> ClassGroup:
    """Create or update a class with its teachers and pupils."""
    _check_manages(actor, school)
    if has_hidden_formatting(name):
        raise ValidationError({"name": HIDDEN_FORMATTING})
    action = "people.classgroup.update" if class_group else "people.classgroup.create"
    if class_group is None:
        class_group = ClassGroup.objects.create(school=school, name=name, year_group=year_group)
    else:
        class_group.name, class_group.year_group = name, year_group
        class_group.save()
    class_group.teachers.set(teachers)
    class_group.pupils.set(pupils)
    audit_record(
        actor=actor,
        action=action,
        target=class_group,
        school=school,
        data={
            "name": name,
            "year_group": year_group,
            "teacher_ids": sorted(p.pk for p in teachers),
            "pupil_ids": sorted(p.pk for p in pupils),
        },
    )
    return class_group


@transaction.atomic
def user_set_active(*, actor, person: Person, active: bool) -> Person:
    """Switch a sign-in off or on. Switched off, every session of the account ends at its next request."""
    if actor is not None and not policies.can_manage_sign_in(actor, person):
        raise PermissionDenied("You cannot change this person's sign-in.")
    if not person.user_id:
        raise ValidationError(f"{person.full_name} has no sign-in.")
    user = person.user
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action="people.user.activate" if active else "people.user.deactivate",
            target=person,
            school=_first_school_id(person),
            data={},
        )
    return person


def set_password_link(user) -> str:
    """An absolute one-time link where the account holder sets their password."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.PORTAL_BASE_URL + reverse("password_reset_confirm", args=[uid, token])


@transaction.atomic
def send_set_password_link(*, actor, person: Person) -> None:
    """Email the holder a link to set their password (after the transaction commits)."""
    if actor is not None and not policies.can_manage_sign_in(actor, person):
        raise PermissionDenied("You cannot send this person a link to set their password.")
    if not person.user_id:
        raise ValidationError(f"{person.full_name} has no sign-in.")
    if not person.email:
        raise ValidationError(f"{person.full_name} has no email address: add one first.")
    user = person.user
    link = set_password_link(user)
    body = render_to_string("registration/set_password_email.txt", {"user": user, "link": link})
    audit_record(
        actor=actor,
        action="people.user.set_password_link",
        target=person,
        school=_first_school_id(person),
        data={},
    )
    transaction.on_commit(
        lambda: send_mail("Set your password for the Social Media Policy portal", body, None, [person.email])
    )


@transaction.atomic
def sign_in_record(*, user, method: str, provider: str, mfa_asserted: bool, authenticator: bool) -> None:
    """Record a sign-in other than by password: how (method and provider), whether the provider asserted
    multi-factor authentication, and whether the portal's own authenticator step was passed."""
    person = getattr(user, "person", None)
    audit_record(
        actor=user,
        action="people.user.sign_in",
        target=person,
        school=_first_school_id(person) if person else None,
        data={
            "method": method,
            "provider": provider,
            "mfa_asserted": mfa_asserted,
            "authenticator": authenticator,
        },
    )


@transaction.atomic
def sign_in_refused_record(*, user, method: str, provider: str, reason: str) -> None:
    """Record a refused sign-in: the reason, and the account when one was matched (a switched-off one).
    The address a provider gave for an unknown person is not kept."""
    person = getattr(user, "person", None) if user is not None else None
    audit_record(
        actor=None,
        action="people.user.sign_in_refused",
        target=person,
        school=_first_school_id(person) if person else None,
        data={"method": method, "provider": provider, "reason": reason},
    )
