"""What the Sign-in and roles page asks before it grants or removes a role, or switches a sign-in off or
on: one plain question, and what follows from it. Roles decide who sees safeguarding records, and
switching a sign-in off signs its holder out everywhere, so none of these happens on one click.
Built from what the view has already loaded: no query."""

from dataclasses import dataclass, field

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


@dataclass(frozen=True)
class AccessStep:
    """A confirmation: the page's heading, the question, what follows, and the values to post again."""

    title: str
    question: str
    consequence: str
    confirm_label: str
    hidden: dict = field(default_factory=dict)
    # Grant only: "Change what I entered" goes back to the form with the input kept.
    can_change: bool = False


def _where(role: str, school_name: str | None) -> str:
    return "across the federation" if role in FEDERATION_ROLES or not school_name else f"at {school_name}"


def grant_step(person: Person, role: str, school: School | None) -> AccessStep:
    label = Role(role).label
    gains = _GAINS.get(role, "They will see and do what that role allows at that school.")
    return AccessStep(
        title="Grant a role?",
        question=f"Grant {label} {_where(role, school and school.name)} to {person.full_name}?",
        consequence=gains,
        confirm_label="Grant the role",
        hidden={"action": "grant", "role": role, "school": school.pk if school else ""},
        can_change=True,
    )


def revoke_step(person: Person, assignment: RoleAssignment) -> AccessStep:
    role = assignment.role
    if role == Role.CHAIR_OF_GOVERNORS:
        loses = "They will no longer see the allegations the chair of governors manages."
    elif role in FEDERATION_ROLES or role in CASE_TEAM_ROLES:
        records = "the federation's" if role in FEDERATION_ROLES else "that school's"
        loses = f"They will no longer see {records} safeguarding records through this role."
    else:
        loses = "They will no longer have what this role allows at that school."
    where = assignment.school.name if assignment.school_id else None
    return AccessStep(
        title="Remove a role?",
        question=f"Remove {Role(role).label} {_where(role, where)} from {person.full_name}?",
        consequence=loses,
        confirm_label="Remove the role",
        hidden={"action": "revoke", "assignment": assignment.pk},
    )


def set_active_step(person: Person, *, active: bool) -> AccessStep:
    if active:
        return AccessStep(
            title="Switch the sign-in on?",
            question=f"Switch on {person.full_name}'s sign-in?",
            consequence=(
                "They can sign in again, and see again what their roles allow, including any "
                "safeguarding records."
            ),
            confirm_label="Switch the sign-in on",
            hidden={"action": "activate"},
        )
    return AccessStep(
        title="Switch the sign-in off?",
        question=f"Switch off {person.full_name}'s sign-in?",
        consequence=(
            "They are signed out everywhere at once and cannot sign in until it is switched on again."
        ),
        confirm_label="Switch the sign-in off",
        hidden={"action": "deactivate"},
    )
