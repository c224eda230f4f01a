"""5. Policy acknowledgement compliance: who has and has not confirmed the current version.

Staff are the current holders of a staff role at the school (people who have left are not
counted); the Executive Head appears under "Federation" on a federation-wide report. A confirmation
counts when it was made within the dates chosen (all dates by default)."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from core.formats import day, moment
from people.models import Role, RoleAssignment
from people.policies import access_for

from .. import policies
from ..models import Acknowledgement, PolicyVersion, VersionStatus
from .base import Filters, Report, Table, local_bounds
from .charts import Share
from .registry import register

FEDERATION = "Federation"


@dataclass
class StaffLine:
    school: str
    school_id: int | None
    person: object
    roles: list[str] = field(default_factory=list)


def current_versions(federation_ids) -> dict[int, PolicyVersion]:
    """The ratified version of each federation's policy (one query)."""
    versions = PolicyVersion.objects.filter(
        status=VersionStatus.RATIFIED, policy__federation_id__in=federation_ids
    ).select_related("policy")
    return {version.policy.federation_id: version for version in versions.order_by("-policy__title")}


def staff_lines(schools, *, with_federation_roles: bool, federation_ids) -> list[StaffLine]:
    """Current staff of `schools` (and the Executive Head when asked), one line per person and school."""
    condition = Q(role__in=policies.ACKNOWLEDGING_ROLES, school_id__in_ids=[s.pk for s in schools])
    if with_federation_roles:
        condition |= Q(role=Role.EXECUTIVE_HEAD, federation_id__in=federation_ids)
    assignments = (
        RoleAssignment.objects.filter(condition, person__left_on__isnull=True)
        .select_related("person", "school")
        .order_by("school__name", "person__last_name", "person__first_name", "person_id", "role")
    )
    lines: dict[tuple[int | None, int], StaffLine] = {}
    for assignment in assignments:
        key = (assignment.school_id, assignment.person_id)
        line = lines.get(key)
        if line is None:
            school = assignment.school.name if assignment.school_id else FEDERATION
            line = lines[key] = StaffLine(school, assignment.school_id, assignment.person)
        line.roles.append(assignment.get_role_display())
    return sorted(
        lines.values(),
        key=lambda line: (
            line.school_id is None,
            line.school,
            line.person.last_name,
            line.person.first_name,
            line.person.pk,
        ),
    )


@register
class ComplianceReport(Report):
    key = "ack_compliance"
    title = "Policy acknowledgement compliance"
    summary = "Who has and has not confirmed the current version of the policy, school by school."
    date_label = "Confirmed between"

    def default_dates(self, today):
        return None, None

    def build(self, user, filters: Filters, target=None):
        schools = list(self.scope(user, filters))
        federation_ids = {school.federation_id for school in schools}
        access = access_for(user)
        federation_wide = filters.school is None and access.is_executive_head
        versions = current_versions(
            federation_ids | (set(access.federation_ids) if federation_wide else set())
        )
        if not versions:
            return self.result(
                filters,
                schools=schools,
                notes=["No version of the policy has been ratified yet, so there is nothing to confirm."],
                tables=[Table("Staff", ["School", "Name"], [], empty="No ratified version.")],
            )
        lines = staff_lines(schools, with_federation_roles=federation_wide, federation_ids=list(versions))
        federation_of_school = {school.pk: school.federation_id for school in schools}
        acknowledgements = {
            (ack.version_id, ack.person_id): ack
            for ack in Acknowledgement.objects.filter(
                version__in=list(versions.values()), person_id__in={line.person.pk for line in lines}
            )
        }
        start, end = local_bounds(filters)
        rows = []
        per_school: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for line in lines:
            federation_id = (
                federation_of_school[line.school_id] if line.school_id is not None else next(iter(versions))
            )
            version = versions.get(federation_id)
            if version is None:
                continue
            ack = acknowledgements.get((version.pk, line.person.pk))
            in_dates = (
                ack is not None
                and (start is None or ack.acknowledged_at >= start)
                and (end is None or ack.acknowledged_at < end)
            )
            if in_dates:
                status = "Confirmed"
            elif ack is not None:
                status = "Confirmed outside these dates"
            elif not line.person.user_id:
                status = "Not confirmed (no sign-in)"
            else:
                status = "Not confirmed"
            per_school[line.school][0] += 1
            per_school[line.school][1] += int(in_dates)
            rows.append(
                [
                    line.school,
                    line.person.full_name,
                    ", ".join(line.roles),
                    version.label,
                    status,
                    moment(ack.acknowledged_at) if ack else "",
                    ack.content_hash[:12] if ack else "",
                    day(ack.posts_checked_at) if ack and ack.posts_checked_at else "",
                ]
            )
        staff = sum(total for total, _ in per_school.values())
        confirmed = sum(done for _, done in per_school.values())
        facts = [
            (
                "Current version",
                "; ".join(
                    f"{v.label} ({v.policy.title}), ratified {day(v.ratified_on)}, check code {v.short_hash}"
                    for v in versions.values()
                ),
            ),
            ("Staff", str(staff)),
            ("Confirmed", f"{confirmed} ({_percent(confirmed, staff)})"),
            ("Not confirmed", str(staff - confirmed)),
        ]
        return self.result(
            filters,
            schools=schools,
            facts=facts,
            shares=[Share("Staff who have confirmed the current policy", confirmed, staff, "staff")]
            if staff
            else [],
            tables=[
                Table(
                    "By school",
                    ["School", "Staff", "Confirmed", "Not confirmed", "Confirmed (%)"],
                    [
                        [school, str(total), str(done), str(total - done), _percent(done, total)]
                        for school, (total, done) in per_school.items()
                    ],
                    numeric=frozenset({1, 2, 3, 4}),
                ),
                Table(
                    "Staff",
                    [
                        "School",
                        "Name",
                        "Roles",
                        "Version",
                        "Status",
                        "Confirmed at",
                        "Check code of the wording",
                        "Checked own posts (§7)",
                    ],
                    rows,
                    empty="No current staff at these schools.",
                ),
            ],
        )


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "—"


def compliance_by_school(schools) -> dict[int, tuple[int, int]]:
    """{school id: (staff, confirmed the current version)} for the governors' report (three queries)."""
    federation_ids = {school.federation_id for school in schools}
    versions = current_versions(federation_ids)
    if not versions:
        return {}
    lines = staff_lines(schools, with_federation_roles=False, federation_ids=list(versions))
    confirmed = set(
        Acknowledgement.objects.filter(version__in=list(versions.values())).values_list(
            "version_id", "person_id"
        )
    )
    federation_of_school = {school.pk: school.federation_id for school in schools}
    out: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for line in lines:
        version = versions.get(federation_of_school[line.school_id])
        if version is None:
            continue
        out[line.school_id][0] += 1
        out[line.school_id][1] += int((version.pk, line.person.pk) in confirmed)
    return {school_id: (total, done) for school_id, (total, done) in out.items()}
