"""The cases of the benchmark's federation (bench/seed_scale.py seeds the rest): rows of every record
type added in bulk up to a total, spread over the schools and over the record types by SHARES.

Each record type is made in chunks of CHUNK rows (so that memory stays flat up to 1,000,000 cases),
each chunk one transaction of bulk_create in batches of BATCH: no service runs and no row is saved
one by one, so no audit event, notification or outbox row is written for them (the pages read none).
"""

from datetime import timedelta

BATCH = 10_000
CHUNK = 50_000
# Shares of the case total, by record type (they add up to 1).
SHARES = {
    "allegation": 0.30,
    "concern": 0.20,
    "pupil_incident": 0.25,
    "cyberbullying": 0.10,
    "proposal": 0.10,
    "declaration": 0.05,
}


def bulk(model, rows) -> list:
    return model.objects.bulk_create(rows, batch_size=BATCH)


class _Context:
    """What case rows point at: schools, staff and pupils per school, users per school."""

    def __init__(self):
        from people.models import Person, PersonKind, School

        self.schools = list(School.objects.order_by("id").values_list("id", flat=True))
        staff = Person.objects.filter(kind=PersonKind.STAFF, user__username__startswith="staff.").values_list(
            "id", "user_id", "last_name"
        )
        self.users: dict[int, list[int]] = {}
        codes = dict(School.objects.values_list("code", "id"))
        for _, user_id, code in staff:
            self.users.setdefault(codes[code], []).append(user_id)
        self.staff: dict[int, list[int]] = {}
        for pk, code in Person.objects.filter(
            kind=PersonKind.STAFF, last_name__startswith="school-"
        ).values_list("id", "last_name"):
            self.staff.setdefault(codes[code], []).append(pk)
        self.pupils: dict[int, list[int]] = {}
        for pk, code in Person.objects.filter(kind=PersonKind.PUPIL).values_list("id", "last_name"):
            self.pupils.setdefault(codes[code], []).append(pk)

    def school(self, n: int) -> int:
        return self.schools[n % len(self.schools)]

    def staff_at(self, school: int, n: int) -> int:
        people = self.staff[school]
        return people[n % len(people)]

    def user_at(self, school: int, n: int) -> int:
        users = self.users[school]
        return users[n % len(users)]

    def pupil_at(self, school: int, n: int) -> int:
        pupils = self.pupils[school]
        return pupils[n % len(pupils)]


def _allegations(ctx: _Context, start: int, count: int, now) -> None:
    from incidents.models import Allegation, CaseManager, Outcome, ReferralMethod, Source

    S = Allegation.Status
    stages = [
        S.RECORDED,
        S.REFERRED_TO_LADO,
        S.LADO_ADVICE_RECORDED,
        S.INVESTIGATING,
        S.OUTCOME_RECORDED,
        S.LOW_LEVEL_CONCERN,
        S.CLOSED,
    ]
    rows = []
    for n in range(start, start + count):
        school = ctx.school(n)
        status = stages[n % len(stages)]
        received = now - timedelta(days=n % 700, hours=n % 11)
        referred = (
            received + timedelta(hours=2 + n % 30) if status in stages[1:5] or status == S.CLOSED else None
        )
        advised = referred + timedelta(hours=6) if referred and status not in (S.REFERRED_TO_LADO,) else None
        outcome = Outcome.UNSUBSTANTIATED if status in (S.OUTCOME_RECORDED, S.CLOSED) else ""
        source = [Source.PARENT, Source.OTHER, Source.PUPIL][n % 3]
        worker = ctx.user_at(school, n + 1)
        rows.append(
            Allegation(
                school_id=school,
                status=status,
                received_at=received,
                received_by_id=ctx.staff_at(school, n + 11),
                recorded_by_id=ctx.user_at(school, n),
                source=source,
                reporter_name="A parent" if source == Source.PARENT else "Someone",
                subject_id=ctx.staff_at(school, n + 17),
                case_manager=CaseManager.EXECUTIVE_HEAD,
                what_happened="Benchmark case.",
                referral_due_at=received + timedelta(days=1),
                referral_half_at=received + timedelta(hours=12),
                harm_assessed_at=received + timedelta(hours=1) if status != S.RECORDED else None,
                harm_assessed_by_id=worker if status != S.RECORDED else None,
                harm_rationale="Assessed." if status != S.RECORDED else "",
                harm_to_child=status not in (S.RECORDED, S.LOW_LEVEL_CONCERN) or None,
                is_low_level=status == S.LOW_LEVEL_CONCERN,
                referred_at=referred,
                referred_by_id=worker if referred else None,
                lado_name="The LADO" if referred else "",
                referral_method=ReferralMethod.PHONE if referred else "",
                advice_at=advised,
                advice_recorded_by_id=worker if advised else None,
                advice="Advice given." if advised else "",
                investigation_started_at=advised + timedelta(days=1) if status == S.INVESTIGATING else None,
                investigation_started_by_id=worker if status == S.INVESTIGATING else None,
                outcome=outcome,
                outcome_at=advised + timedelta(days=3) if outcome and advised else None,
                outcome_by_id=worker if outcome else None,
                closed_by_id=worker if status == S.CLOSED else None,
                retain_until=(now + timedelta(days=3650)).date() if outcome else None,
                closed_at=(received + timedelta(days=9)) if status == S.CLOSED else None,
            )
        )
    bulk(Allegation, rows)


def _concerns(ctx: _Context, start: int, count: int, now) -> None:
    from incidents.models import ROUTES, Concern, ConcernCategory

    categories = list(ConcernCategory)
    statuses = list(Concern.Status)
    rows = []
    for n in range(start, start + count):
        school = ctx.school(n)
        category = categories[n % len(categories)]
        status = statuses[n % len(statuses)]
        rows.append(
            Concern(
                school_id=school,
                reported_by_id=ctx.user_at(school, n),
                category=category,
                routed_to=ROUTES[category],
                subject_id=ctx.staff_at(school, n + 23),
                what_happened="Benchmark concern.",
                happened_on=(now - timedelta(days=n % 400)).date(),
                status=status,
                closed_at=now if status == Concern.Status.CLOSED else None,
            )
        )
    bulk(Concern, rows)


def _pupil_incidents(ctx: _Context, start: int, count: int, now) -> None:
    from incidents.models import (
        ActionKind,
        ActionOwner,
        IncidentAction,
        IncidentType,
        Platform,
        PupilIncident,
    )

    kinds = [k for k in IncidentType if k != IncidentType.IMPROPER_CONTACT]
    rows, schools = [], []
    for n in range(start, start + count):
        school = ctx.school(n)
        kind = kinds[n % len(kinds)]
        closed = n % 3 == 0
        schools.append(school)
        rows.append(
            PupilIncident(
                school_id=school,
                kind=kind,
                recorded_by_id=ctx.user_at(school, n),
                occurred_at=now - timedelta(days=n % 500, minutes=n % 300),
                in_school_day=n % 2 == 0,
                location="Classroom",
                what_happened="Benchmark incident.",
                platform=Platform.TIKTOK if kind == IncidentType.UNDER_AGE_ACCOUNT else "",
                status=PupilIncident.Status.CLOSED if closed else PupilIncident.Status.OPEN,
                closed_at=now if closed else None,
            )
        )
    rows = bulk(PupilIncident, rows)
    Through = PupilIncident.pupils.through
    bulk(
        Through,
        [
            Through(pupilincident_id=incident.pk, person_id=ctx.pupil_at(school, start + i))
            for i, (incident, school) in enumerate(zip(rows, schools, strict=True))
        ],
    )
    bulk(
        IncidentAction,
        [
            IncidentAction(
                incident_id=incident.pk,
                school_id=school,
                kind=ActionKind.INFORM_PARENTS,
                pupil_id=ctx.pupil_at(school, start + i),
                owner=ActionOwner.DSL,
                due_on=(now + timedelta(days=i % 20)).date(),
                status=IncidentAction.Status.DONE
                if incident.status == "closed"
                else IncidentAction.Status.OPEN,
                finished_at=now if incident.status == "closed" else None,
            )
            for i, (incident, school) in enumerate(zip(rows, schools, strict=True))
        ],
    )


def _cyberbullying(ctx: _Context, start: int, count: int, now) -> None:
    from incidents.models import BullyingChannel, CyberbullyingReport, ReportSource, WhenItHappens

    rows, schools = [], []
    for n in range(start, start + count):
        school = ctx.school(n)
        decided = n % 2 == 0
        schools.append(school)
        rows.append(
            CyberbullyingReport(
                school_id=school,
                recorded_by_id=ctx.user_at(school, n),
                source=ReportSource.PARENT,
                reported_on=(now - timedelta(days=n % 365)).date(),
                when=[WhenItHappens.EVENINGS],
                channels=[BullyingChannel.MESSAGING],
                what_happened="Benchmark report.",
                status=CyberbullyingReport.Status.DECIDED if decided else CyberbullyingReport.Status.REPORTED,
                decided_at=now if decided else None,
            )
        )
    rows = bulk(CyberbullyingReport, rows)
    Through = CyberbullyingReport.victims.through
    bulk(
        Through,
        [
            Through(cyberbullyingreport_id=report.pk, person_id=ctx.pupil_at(school, start + i + 5))
            for i, (report, school) in enumerate(zip(rows, schools, strict=True))
        ],
    )


def _proposals(ctx: _Context, start: int, count: int, now, decider: int) -> None:
    from approvals.models import Hosting, Proposal, ProposalStatus
    from core.vocabulary import Platform

    statuses = list(ProposalStatus)
    rows = []
    for n in range(start, start + count):
        school = ctx.school(n)
        status = statuses[n % len(statuses)]
        decided = status in (ProposalStatus.APPROVED, ProposalStatus.SUSPENDED, ProposalStatus.EXPIRED)
        rows.append(
            Proposal(
                school_id=school,
                proposer_id=ctx.user_at(school, n),
                title=f"Class page {n}",
                platform=Platform.FACEBOOK,
                minimum_age=13,
                account=f"bench-account-{n}",
                purpose="Benchmark.",
                hosting=Hosting.THIRD_PARTY,
                audience_parents=True,
                moderation_plan="Moderated.",
                status=status,
                terms_confirmed_at=None if status == ProposalStatus.DRAFT else now,
                submitted_at=None if status == ProposalStatus.DRAFT else now,
                decided_at=now if decided else None,
                decided_by_id=decider if decided else None,
                review_date=(now + timedelta(days=365)).date() if decided else None,
                status_reason="Reason."
                if status
                in (ProposalStatus.REJECTED, ProposalStatus.CHANGES_REQUESTED, ProposalStatus.SUSPENDED)
                else "",
            )
        )
    bulk(Proposal, rows)


def _declarations(ctx: _Context, start: int, count: int, now, decider: int) -> None:
    from approvals.models import Declaration, DeclarationKind, DeclarationStatus, Relationship
    from core.vocabulary import Platform

    rows = []
    for n in range(start, start + count):
        school = ctx.school(n)
        family = n % 2 == 0
        acknowledged = n % 3 == 0
        rows.append(
            Declaration(
                school_id=school,
                declarant_id=ctx.user_at(school, n),
                kind=DeclarationKind.FAMILY_LINK if family else DeclarationKind.PARENT_CONNECTION,
                relationship=Relationship.RELATIVE if family else "",
                platform="" if family else Platform.FACEBOOK,
                statement="Benchmark declaration.",
                status=DeclarationStatus.ACKNOWLEDGED if acknowledged else DeclarationStatus.SUBMITTED,
                declared_on=(now - timedelta(days=n % 400)).date(),
                acknowledged_by_id=decider if acknowledged else None,
                acknowledged_at=now if acknowledged else None,
            )
        )
    bulk(Declaration, rows)


def case_counts() -> dict[str, int]:
    from approvals.models import Declaration, Proposal
    from incidents.models import Allegation, Concern, CyberbullyingReport, PupilIncident

    return {
        "allegation": Allegation.objects.count(),
        "concern": Concern.objects.count(),
        "pupil_incident": PupilIncident.objects.count(),
        "cyberbullying": CyberbullyingReport.objects.count(),
        "proposal": Proposal.objects.count(),
        "declaration": Declaration.objects.count(),
    }


def grow_to(total: int) -> dict[str, int]:
    """Add cases until there are `total` across the record types (by SHARES); returns the counts."""
    from django.db import connection, transaction
    from django.utils import timezone

    from people.models import User

    ctx = _Context()
    decider = User.objects.get(username="bench.exec").pk
    now = timezone.now()
    have = case_counts()
    makers = {
        "allegation": _allegations,
        "concern": _concerns,
        "pupil_incident": _pupil_incidents,
        "cyberbullying": _cyberbullying,
        "proposal": lambda c, s, n, t: _proposals(c, s, n, t, decider),
        "declaration": lambda c, s, n, t: _declarations(c, s, n, t, decider),
    }
    for kind, share in SHARES.items():
        want = round(total * share)
        for start in range(have[kind], want, CHUNK):
            with transaction.atomic():
                makers[kind](ctx, start, min(CHUNK, want - start), now)

    # A database that has been in use has been vacuumed (autovacuum) as well as analysed: its visibility map
    # lets counts be answered from an index alone. A bulk load leaves that to do.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return case_counts()
