"""Who may see and do what with the policy and its reports. Built on `people.policies.access_for`.

Deny by default. The rules:
- The policy's current version is public (§10: parents should know it); the version history
  (ratified and superseded texts) is open to everyone who works for the federation; drafts,
  import, ratification and discarding are for the heads (the Head of School of any school of
  the federation, and the Executive Head), who record what the governors ratified.
- Every member of staff, and the Executive Head, reads and confirms the current version.
- Reports: office admins and governors get the registers and the anonymised reports, never case
  detail; SLT, the DSL and the heads (and the Executive Head) get the rest; the chair of
  governors gets the anonymised reports. Case-level reports read their cases through
  `incidents.policies` (subject blindness, sealed reporters), so a role here is necessary but
  never sufficient.
"""

from django.db.models import Q, QuerySet

from people.models import Role, School
from people.policies import CASE_TEAM_ROLES, STAFF_ROLES, access_for

from .models import PolicyVersion, VersionStatus

# Heads record the governors' ratification and keep the policy's versions.
POLICY_KEEPER_ROLES = frozenset({Role.HEAD_OF_SCHOOL})
# Who reads and confirms the policy: everyone employed by a school, and the Executive Head.
ACKNOWLEDGING_ROLES = STAFF_ROLES

# The case-level reports are for the case team.
LEADERSHIP = CASE_TEAM_ROLES
OFFICE = frozenset({Role.OFFICE_ADMIN})
GOVERNORS = frozenset({Role.GOVERNOR})


class ReportAccess:
    """Who may run one report: roles held at a school (which then scope it to that school), and
    whether the Executive Head and the chair of governors may run it across the federation."""

    def __init__(self, school_roles, *, executive_head: bool, chair: bool):
        self.school_roles = frozenset(school_roles)
        self.executive_head = executive_head
        self.chair = chair


# Report key -> access. Keys are the reports' own (policydocs.reports.registry).
REPORT_ACCESS = {
    # Case-level: the safeguarding leadership only.
    "lado_log": ReportAccess(LEADERSHIP, executive_head=True, chair=False),
    # Per case; the case itself must also be visible (incidents.policies.allegations_visible_to), which
    # lets in the chair of governors when they manage the case (KCSIE part four).
    "chronology_pack": ReportAccess(LEADERSHIP, executive_head=True, chair=True),
    # Anonymised counts.
    "incident_summary": ReportAccess(LEADERSHIP | OFFICE | GOVERNORS, executive_head=True, chair=True),
    "governors_termly": ReportAccess(LEADERSHIP | OFFICE | GOVERNORS, executive_head=True, chair=True),
    # Registers. The approved services are the school's public accounts; declarations name staff and
    # pupils, so governors (who do not read the people registry) do not get them.
    "approved_services": ReportAccess(LEADERSHIP | OFFICE | GOVERNORS, executive_head=True, chair=True),
    "declarations": ReportAccess(LEADERSHIP | OFFICE, executive_head=True, chair=False),
    # Names staff and whether they confirmed the policy: heads, leadership and the office.
    "ack_compliance": ReportAccess(LEADERSHIP | OFFICE, executive_head=True, chair=False),
}


def _federation_wide(access, rule: ReportAccess) -> bool:
    return (rule.executive_head and access.is_executive_head) or (rule.chair and access.is_chair_of_governors)


def can_run_report(user, key: str) -> bool:
    """May the user run the report `key` at all (no query beyond the cached roles)?"""
    rule = REPORT_ACCESS.get(key)
    if rule is None:
        return False
    access = access_for(user)
    return _federation_wide(access, rule) or bool(access.schools_with(rule.school_roles))


def report_schools(user, key: str) -> QuerySet[School]:
    """Schools whose records the report may cover for this user."""
    rule = REPORT_ACCESS.get(key)
    if rule is None:
        return School.objects.none()
    access = access_for(user)
    condition = Q(pk__in_ids=access.schools_with(rule.school_roles))
    if _federation_wide(access, rule):
        condition |= Q(federation_id__in_ids=access.federation_ids)
    return School.objects.filter(condition)


def reports_for(user) -> list[str]:
    return [key for key in REPORT_ACCESS if can_run_report(user, key)]


def can_see_reports(user) -> bool:
    return bool(reports_for(user))


# --- The policy ------------------------------------------------------------------------------------


def federations_of(user) -> QuerySet:
    """Ids of the federations the user works for (one query), as a values queryset."""
    access = access_for(user)
    school_ids = {school_id for school_id, _ in access.school_roles}
    return (
        School.objects.filter(Q(pk__in=school_ids) | Q(federation_id__in_ids=access.federation_ids))
        .values_list("federation_id", flat=True)
        .distinct()
    )


def works_for_federation(user) -> bool:
    access = access_for(user)
    return bool(access.school_roles or access.federation_ids)


def can_manage_policy(user) -> bool:
    """Heads and the Executive Head import versions and record their ratification (no query)."""
    access = access_for(user)
    return access.is_executive_head or bool(access.schools_with(POLICY_KEEPER_ROLES))


def policy_federations_managed_by(user) -> QuerySet:
    """Federation ids whose policy the user keeps (one query)."""
    access = access_for(user)
    return (
        School.objects.filter(
            Q(pk__in_ids=access.schools_with(POLICY_KEEPER_ROLES))
            | Q(federation_id__in_ids=access.federation_ids if access.is_executive_head else [])
        )
        .values_list("federation_id", flat=True)
        .distinct()
    )


def can_manage_policy_of(user, federation_id: int) -> bool:
    return (
        can_manage_policy(user)
        and policy_federations_managed_by(user).filter(federation_id=federation_id).exists()
    )


def versions_visible_to(user) -> QuerySet[PolicyVersion]:
    """Ratified and superseded versions for everyone working for the federation; drafts for its heads."""
    if not works_for_federation(user):
        return PolicyVersion.objects.none()
    condition = Q(policy__federation_id__in=federations_of(user)) & ~Q(status=VersionStatus.DRAFT)
    if can_manage_policy(user):
        condition |= Q(policy__federation_id__in=policy_federations_managed_by(user))
    return PolicyVersion.objects.filter(condition)


def must_acknowledge(user) -> bool:
    """Members of staff and the Executive Head read and confirm the current version (no query)."""
    access = access_for(user)
    return access.person_id is not None and (
        access.is_executive_head or bool(access.schools_with(ACKNOWLEDGING_ROLES))
    )
