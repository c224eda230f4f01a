"""A federation at scale in a scratch PostgreSQL database, for the page benchmark (bench/run.py).

How to run (from the repository root; PostgreSQL on 127.0.0.1:5432):

    .venv/bin/python bench/seed_scale.py [--cases 1000 10000 100000]

The database is BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/portal_bench).
It is dropped, created again and migrated: give it a scratch name, never the portal's own.
Then it holds one federation of 50 schools, 5,000 staff (100 a school, ten of them with a
sign-in), 20,000 pupils (400 a school), a membership for each, and three bench users with
their roles and a confirmed TOTP device: the Executive Head, the DSL and the Head of School of
the first school. Cases are added in steps up to each --cases total, spread over the schools
and over the record types:

    allegations 30% (every LADO stage, the Executive Head as case manager), concerns 20%,
    pupil incidents 25% (one pupil and one action each), cyberbullying reports 10% (one
    victim each), social media proposals 10% (every status), declarations 5%.

Rows go in with bulk_create in batches: no service runs, so no audit event, notification or
outbox row is written for them. That is deliberate for a benchmark: the audit chain stays
valid (it only holds the events a real write made) and the append-only trigger on
audit_auditevent is left in place and never fired (nothing here updates or deletes an event).
"""

import argparse
import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/portal_bench"
SIZES = (1_000, 10_000, 100_000)
SCHOOLS = 50
STAFF_PER_SCHOOL = 100
PUPILS_PER_SCHOOL = 400
USERS_PER_SCHOOL = 10
BATCH = 2_000
# Shares of the case total, by record type (they add up to 1).
SHARES = {
    "allegation": 0.30,
    "concern": 0.20,
    "pupil_incident": 0.25,
    "cyberbullying": 0.10,
    "proposal": 0.10,
    "declaration": 0.05,
}
BENCH_USERS = ("bench.exec", "bench.dsl", "bench.head")

sys.path.insert(0, str(REPO_ROOT))


def database_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL


def _admin_connection(url: str):
    import psycopg2

    parts = urlsplit(url)
    connection = psycopg2.connect(
        dbname="postgres",
        user=parts.username or "postgres",
        password=parts.password or None,
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
    )
    connection.autocommit = True
    return connection


def recreate_database(url: str) -> None:
    """Drop and create the scratch database named in `url` (and only that one)."""
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        raise SystemExit("BENCH_DATABASE_URL must be a PostgreSQL URL.")
    name = parts.path.lstrip("/")
    if not name or name in {"postgres", "template0", "template1"}:
        raise SystemExit(f"Refusing to recreate the database {name!r}.")
    admin = _admin_connection(url)
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def setup_django(url: str) -> None:
    """Django on the bench database with the production settings (a throwaway key)."""
    import secrets

    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialpolicy.settings")
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    import django

    django.setup()


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _bulk(model, rows) -> list:
    return model.objects.bulk_create(rows, batch_size=BATCH)


def seed_base() -> None:
    """Schools, staff, pupils, memberships, sign-ins for some staff, and the three bench users."""
    from django.contrib.auth.hashers import make_password
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from people.models import Federation, Membership, Person, PersonKind, Role, RoleAssignment, School, User

    federation = Federation.objects.create(name="Bench federation")
    schools = _bulk(
        School,
        [
            School(federation=federation, name=f"School {n:02d}", code=f"school-{n:02d}")
            for n in range(SCHOOLS)
        ],
    )
    unusable = make_password(None)
    users = _bulk(
        User,
        [
            User(username=f"staff.{s:02d}.{n}", password=unusable, first_name="Staff", last_name=f"{s}-{n}")
            for s in range(SCHOOLS)
            for n in range(USERS_PER_SCHOOL)
        ],
    )
    staff, pupils = [], []
    for s, school in enumerate(schools):
        for n in range(STAFF_PER_SCHOOL):
            user = users[s * USERS_PER_SCHOOL + n] if n < USERS_PER_SCHOOL else None
            staff.append(
                Person(kind=PersonKind.STAFF, first_name=f"Staff{n}", last_name=f"{school.code}", user=user)
            )
        for n in range(PUPILS_PER_SCHOOL):
            born = date(2008, 9, 1) + timedelta(days=(n * 37) % (365 * 12))
            pupils.append(
                Person(
                    kind=PersonKind.PUPIL,
                    first_name=f"Pupil{n}",
                    last_name=f"{school.code}",
                    date_of_birth=born,
                    reference=f"P{s:02d}{n:04d}",
                )
            )
    staff = _bulk(Person, staff)
    pupils = _bulk(Person, pupils)
    _bulk(
        Membership,
        [Membership(person=p, school_id=schools[i // STAFF_PER_SCHOOL].pk) for i, p in enumerate(staff)]
        + [Membership(person=p, school_id=schools[i // PUPILS_PER_SCHOOL].pk) for i, p in enumerate(pupils)],
    )
    _bulk(
        RoleAssignment,
        [
            RoleAssignment(person=p, role=Role.STAFF, school_id=schools[i // STAFF_PER_SCHOOL].pk)
            for i, p in enumerate(staff)
        ],
    )

    first = schools[0]
    roles = {
        "bench.exec": [(Role.EXECUTIVE_HEAD, None)],
        "bench.dsl": [(Role.DSL, first), (Role.STAFF, first)],
        "bench.head": [(Role.HEAD_OF_SCHOOL, first), (Role.STAFF, first)],
    }
    for username, held in roles.items():
        user = User.objects.create(
            username=username, password=unusable, first_name="Bench", last_name=username
        )
        person = Person.objects.create(
            kind=PersonKind.STAFF, first_name="Bench", last_name=username, user=user
        )
        for role, school in held:
            if school is None:
                RoleAssignment.objects.create(person=person, role=role, federation=federation)
            else:
                RoleAssignment.objects.create(person=person, role=role, school=school)
                Membership.objects.get_or_create(person=person, school=school)
        TOTPDevice.objects.create(user=user, name="default", confirmed=True)


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
    _bulk(Allegation, rows)


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
    _bulk(Concern, rows)


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
    rows = _bulk(PupilIncident, rows)
    Through = PupilIncident.pupils.through
    _bulk(
        Through,
        [
            Through(pupilincident_id=incident.pk, person_id=ctx.pupil_at(school, start + i))
            for i, (incident, school) in enumerate(zip(rows, schools, strict=True))
        ],
    )
    _bulk(
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
    rows = _bulk(CyberbullyingReport, rows)
    Through = CyberbullyingReport.victims.through
    _bulk(
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
    _bulk(Proposal, rows)


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
    _bulk(Declaration, rows)


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
    from django.db import transaction
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
        if want > have[kind]:
            with transaction.atomic():
                makers[kind](ctx, have[kind], want - have[kind], now)
    from django.db import connection

    # A database that has been in use has been vacuumed (autovacuum) as well as analysed: its visibility map
    # lets counts be answered from an index alone. A bulk load leaves that to do.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return case_counts()


def prepare(url: str | None = None) -> str:
    """A fresh, migrated bench database with the base population; returns its URL."""
    url = url or database_url()
    recreate_database(url)
    setup_django(url)
    migrate()
    seed_base()
    return url


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, nargs="+", default=list(SIZES))
    args = parser.parse_args()
    started = time.perf_counter()
    url = prepare()
    print(f"{urlsplit(url).path.lstrip('/')}: base population in {time.perf_counter() - started:.1f} s")
    for total in sorted(args.cases):
        step = time.perf_counter()
        counts = grow_to(total)
        print(f"{sum(counts.values()):>7} cases in {time.perf_counter() - step:.1f} s: {counts}")
    print(f"seeded in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
