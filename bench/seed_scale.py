"""A federation at scale in a scratch PostgreSQL database, for the page benchmark (bench/run.py).

How to run (from the repository root; PostgreSQL on 127.0.0.1:5432):

    .venv/bin/python bench/seed_scale.py [--cases 1000 10000 100000 1000000]

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

Cases are made by bench/seed_cases.py, in chunks of 50,000 rows a record type. Rows go in with
bulk_create in large batches: no service runs, so no audit event, notification or
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
SIZES = (1_000, 10_000, 100_000, 1_000_000)
SCHOOLS = 50
STAFF_PER_SCHOOL = 100
PUPILS_PER_SCHOOL = 400
USERS_PER_SCHOOL = 10
BENCH_USERS = ("bench.exec", "bench.dsl", "bench.head")

sys.path.insert(0, str(REPO_ROOT))

from bench.seed_cases import bulk as _bulk  # noqa: E402
from bench.seed_cases import grow_to  # noqa: E402


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
