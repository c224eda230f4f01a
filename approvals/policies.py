"""Who may see and do what in approvals: plain predicates on `people.policies.access_for`.

Deny by default. Views fetch records through the `*_visible_to(user)` querysets, so a
record a user may not see answers 404, exactly like a missing one; a record they may
see but may not act on answers 403 (the predicates below).

Rules, with the policy sections they come from:
- Any member of staff may propose a service, declare a link and ask for permission to
  publish, at their own school; the Executive Head at any school of the federation.
- Proposals (§5): the Executive Head (any school of the federation) or the Head of
  School of the proposal's school decides, never the proposer. A draft is the
  proposer's alone; deciders see everything else of their schools; every member of
  staff sees the services of their school's register (approved, suspended, expired).
- Declarations (§7): made to the Executive Head or Head of School, who acknowledge
  them; the DSL (the named Child Protection person) sees them too. The declarant sees
  their own.
- Publication permissions (§6): agreed or declined by the Executive Head only; the
  Head of School sees those of the school; the requester sees their own.
"""

from django.db.models import Q, QuerySet

from people.models import Role, School
from people.policies import STAFF_ROLES, access_for

from .models import (
    REGISTER_STATUSES,
    Declaration,
    Proposal,
    ProposalStatus,
    PublicationPermission,
)

HEAD_ROLES = frozenset({Role.HEAD_OF_SCHOOL})
# Who keeps the declarations register of a school (§7): the heads and the DSL.
DECLARATION_REGISTER_ROLES = frozenset({Role.HEAD_OF_SCHOOL, Role.DSL})


def _school_q(access, roles, prefix: str = "school__") -> Q:
    """Records of schools where the user holds `roles`, or of the Executive Head's federation."""
    condition = Q(**{f"{prefix}pk__in_ids": access.schools_with(roles)})
    if access.is_executive_head:
        condition |= Q(**{f"{prefix}pk__in_ids": access.federation_school_ids})
    return condition


def _at_school(access, roles, school: School) -> bool:
    if access.is_executive_head and school.federation_id in access.federation_ids:
        return True
    return access.holds_at(school.pk, roles)


# --- Where a user works --------------------------------------------------------------------


def can_use_approvals(user) -> bool:
    """Staff of a school and the Executive Head: who may propose, declare and ask permission."""
    access = access_for(user)
    return access.is_executive_head or bool(access.schools_with(STAFF_ROLES))


def schools_for_staff(user) -> QuerySet[School]:
    """Schools where the user may propose a service, declare a link or ask for permission."""
    access = access_for(user)
    return School.objects.filter(_school_q(access, STAFF_ROLES, prefix=""))


# --- Proposals (§5) ------------------------------------------------------------------------


def is_decider(user) -> bool:
    """Holds a role that decides proposals somewhere (no query)."""
    access = access_for(user)
    return access.is_executive_head or bool(access.schools_with(HEAD_ROLES))


def can_view_register(user) -> bool:
    return can_use_approvals(user)


def proposals_visible_to(user) -> QuerySet[Proposal]:
    """The user's own proposals; every proposal but drafts at schools where they decide; the
    register's services at schools where they work."""
    access = access_for(user)
    if not getattr(user, "is_authenticated", False):
        return Proposal.objects.none()
    condition = Q(proposer_id=user.pk)
    condition |= _school_q(access, HEAD_ROLES) & ~Q(status=ProposalStatus.DRAFT)
    condition |= _school_q(access, STAFF_ROLES) & Q(status__in=REGISTER_STATUSES)
    return Proposal.objects.filter(condition)


def proposals_decidable_by(user) -> QuerySet[Proposal]:
    """Proposals at schools where the user decides, other than their own (any status)."""
    access = access_for(user)
    if not is_decider(user):
        return Proposal.objects.none()
    return Proposal.objects.filter(_school_q(access, HEAD_ROLES)).exclude(proposer_id=user.pk)


def can_decide_proposal(user, proposal: Proposal) -> bool:
    """The Executive Head, or the Head of School of the proposal's school; never the proposer (§5)."""
    if proposal.proposer_id == user.pk:
        return False
    return _at_school(access_for(user), HEAD_ROLES, proposal.school)


def is_proposer(user, proposal: Proposal) -> bool:
    return proposal.proposer_id == user.pk


def can_withdraw_proposal(user, proposal: Proposal) -> bool:
    """The proposer may withdraw their proposal; a decider may withdraw a running service."""
    if is_proposer(user, proposal):
        return True
    return proposal.status in (ProposalStatus.APPROVED, ProposalStatus.SUSPENDED) and can_decide_proposal(
        user, proposal
    )


# --- Declarations (§7) -----------------------------------------------------------------------


def can_view_declaration_register(user) -> bool:
    access = access_for(user)
    return access.is_executive_head or bool(access.schools_with(DECLARATION_REGISTER_ROLES))


def declaration_register_schools(user) -> QuerySet[School]:
    return School.objects.filter(_school_q(access_for(user), DECLARATION_REGISTER_ROLES, prefix=""))


def declarations_visible_to(user) -> QuerySet[Declaration]:
    """The user's own declarations, and those of the schools whose register they keep."""
    if not getattr(user, "is_authenticated", False):
        return Declaration.objects.none()
    access = access_for(user)
    condition = Q(declarant_id=user.pk)
    if can_view_declaration_register(user):
        condition |= _school_q(access, DECLARATION_REGISTER_ROLES)
    return Declaration.objects.filter(condition)


def declarations_on_register(user) -> QuerySet[Declaration]:
    """The register: every declaration of the schools whose register the user keeps."""
    if not can_view_declaration_register(user):
        return Declaration.objects.none()
    return Declaration.objects.filter(_school_q(access_for(user), DECLARATION_REGISTER_ROLES))


def can_acknowledge_declaration(user, declaration: Declaration) -> bool:
    """The Executive Head or the Head of School receive declarations (§7); not of their own."""
    if declaration.declarant_id == user.pk:
        return False
    return _at_school(access_for(user), HEAD_ROLES, declaration.school)


def can_withdraw_declaration(user, declaration: Declaration) -> bool:
    """Only the declarant withdraws a declaration, when it no longer applies."""
    return declaration.declarant_id == user.pk


def can_redeclare(user, declaration: Declaration) -> bool:
    return declaration.declarant_id == user.pk


def can_see_declaration_viewers(user, declaration: Declaration) -> bool:
    """Who viewed a declaration is shown to the register's readers of its school, not to the declarant."""
    return _at_school(access_for(user), DECLARATION_REGISTER_ROLES, declaration.school)


# --- Publication permissions (§6) ---------------------------------------------------------------


def permissions_visible_to(user) -> QuerySet[PublicationPermission]:
    """The requester's own; the Head of School's school; the Executive Head's federation."""
    if not getattr(user, "is_authenticated", False):
        return PublicationPermission.objects.none()
    access = access_for(user)
    return PublicationPermission.objects.filter(Q(requester_id=user.pk) | _school_q(access, HEAD_ROLES))


def can_request_permission(user) -> bool:
    """Staff ask the Executive Head; the Executive Head gives permission rather than asking."""
    return bool(access_for(user).schools_with(STAFF_ROLES))


def can_request_permission_at(user, school_id: int) -> bool:
    return access_for(user).holds_at(school_id, STAFF_ROLES)


def permission_request_schools(user) -> QuerySet[School]:
    """Schools where the user works as staff, and so may ask for permission."""
    return School.objects.filter(pk__in=access_for(user).schools_with(STAFF_ROLES))


def can_view_permission_register(user) -> bool:
    return is_decider(user)


def permissions_on_register(user) -> QuerySet[PublicationPermission]:
    if not can_view_permission_register(user):
        return PublicationPermission.objects.none()
    return PublicationPermission.objects.filter(_school_q(access_for(user), HEAD_ROLES))


def can_decide_permissions(user) -> bool:
    """Only the Executive Head agrees references to staff, pupils, parents or events (§6)."""
    return access_for(user).is_executive_head


def can_decide_permission(user, permission: PublicationPermission) -> bool:
    access = access_for(user)
    if permission.requester_id == user.pk or not access.is_executive_head:
        return False
    return permission.school.federation_id in access.federation_ids


def permissions_decidable_by(user) -> QuerySet[PublicationPermission]:
    access = access_for(user)
    if not access.is_executive_head:
        return PublicationPermission.objects.none()
    return PublicationPermission.objects.filter(school_id__in_ids=access.federation_school_ids).exclude(
        requester_id=user.pk
    )
