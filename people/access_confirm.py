"""What the Sign-in and roles page asks (`core.confirm`) before it grants or removes a role, or switches a
sign-in off or on: one plain question, and what follows from it. Roles decide who sees safeguarding
records, and switching a sign-in off signs its holder out everywhere, so none of these happens on one
click. Built from what the view has already loaded: no query."""

from django.urls import reverse

from core.confirm import Question

from .models import FEDERATION_ROLES, Person, Role, RoleAssignment, School
from .policies import CASE_TEAM_ROLES

_GAINS = {
    Role.DSL: "They will see that school's safeguarding records.",
    Role.SLT: "They will see that school's safeguarding records.",
    Role.HEAD_OF_SCHOOL: (
        "They will see that school's safeguarding records, and grant and remove roles there."
    ),
    Role.OFFICE_ADMIN: "They will keep that school's registry of pupils, parents and carers, and staff.",
    Role.EXECUTIVE_HEAD: (
        "They will see safeguarding records across the federation, and manage every school's sign-ins "
        "and roles."
    ),
    Role.CHAIR_OF_GOVERNORS: (
        "They will see the allegations the chair of governors manages, at every school of the federation."
    ),
}


def _question(person: Person, **fields) -> Question:
    """What follows is a warning on the page; Cancel goes back to the person's sign-in and roles."""
    consequence = fields.pop("consequence")
    return Question(
        warning=consequence, cancel_url=reverse("people:person_access", args=[person.pk]), **fields
    )


def _where(role: str, school_name: str | None) -> str:
    return "across the federation" if role in FEDERATION_ROLES or not school_name else f"at {school_name}"


def grant_question(person: Person, role: str, school: School | None) -> Question:
    """Asked with the role form: the role and school chosen are posted again with it, and can be changed."""
    label = Role(role).label
    gains = _GAINS.get(role, "They will see and do what that role allows at that school.")
    return _question(
        person,
        title="Grant a role?",
        question=f"Grant {label} {_where(role, school and school.name)} to {person.full_name}?",
        consequence=gains,
        confirm_label="Grant the role",
        hidden={"action": "grant"},
    )


def revoke_question(person: Person, assignment: RoleAssignment) -> Question:
    role = assignment.role
    if role == Role.CHAIR_OF_GOVERNORS:
        loses = "They will no longer see the allegations the chair of governors manages."
    elif role in FEDERATION_ROLES or role in CASE_TEAM_ROLES:
        records = "the federation's" if role in FEDERATION_ROLES else "that school's"
        loses = f"They will no longer see {records} safeguarding records through this role."
    else:
        loses = "They will no longer have what this role allows at that school."
    where = assignment.school.name if assignment.school_id else None
    return _question(
        person,
        title="Remove a role?",
        question=f"Remove {Role(role).label} {_where(role, where)} from {person.full_name}?",
        consequence=loses,
        confirm_label="Remove the role",
        hidden={"action": "revoke", "assignment": assignment.pk},
    )


def set_active_question(person: Person, *, active: bool) -> Question:
    if active:
        return _question(
            person,
            title="Switch the sign-in on?",
            question=f"Switch on {person.full_name}'s sign-in?",
            consequence=(
                "They can sign in again, and see again what their roles allow, including any "
                "safeguarding records."
            ),
            confirm_label="Switch the sign-in on",
            hidden={"action": "activate"},
        )
    return _question(
        person,
        title="Switch the sign-in off?",
        question=f"Switch off {person.full_name}'s sign-in?",
        consequence=(
            "They are signed out everywhere at once and cannot sign in until it is switched on again."
        ),
        confirm_label="Switch the sign-in off",
        hidden={"action": "deactivate"},
    )
