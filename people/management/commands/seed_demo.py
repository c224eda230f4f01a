"""Demo data for a local run: a small federation, one sign-in per role, pupils with parents.

Idempotent: every record has a fixed reference or username and is only added
when missing, so running it again changes nothing.
"""

import random
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from core.dashboard import demo_seeders
from people import services
from people.models import ClassGroup, Federation, ParentLink, Person, PersonKind, Role, School

DEMO_PASSWORD = "portal-demo-2026"
FEDERATION = "Larchwood Federation of Special Schools"
SCHOOLS = [
    ("larchwood", "Larchwood School"),
    ("elmpark", "Elm Park School"),
    ("riverside", "Riverside Centre"),
]
# (username, first name, last name, kind, school code or None for federation roles, roles)
SIGN_INS = [
    ("exec.head", "Helen", "Marsh", PersonKind.STAFF, None, [Role.EXECUTIVE_HEAD]),
    ("chair.governors", "Robert", "Okafor", PersonKind.GOVERNOR, None, [Role.CHAIR_OF_GOVERNORS]),
    ("head.larchwood", "Priya", "Shah", PersonKind.STAFF, "larchwood", [Role.HEAD_OF_SCHOOL, Role.STAFF]),
    ("slt.larchwood", "Daniel", "Price", PersonKind.STAFF, "larchwood", [Role.SLT, Role.STAFF]),
    ("dsl.larchwood", "Grace", "Adeyemi", PersonKind.STAFF, "larchwood", [Role.DSL, Role.STAFF]),
    ("teacher.larchwood", "Tom", "Fletcher", PersonKind.STAFF, "larchwood", [Role.CLASS_TEACHER, Role.STAFF]),
    ("staff.larchwood", "Amy", "Collins", PersonKind.STAFF, "larchwood", [Role.STAFF]),
    ("office.larchwood", "Sandra", "Lewis", PersonKind.STAFF, "larchwood", [Role.OFFICE_ADMIN, Role.STAFF]),
    ("governor.larchwood", "Martin", "Hughes", PersonKind.GOVERNOR, "larchwood", [Role.GOVERNOR]),
    ("head.elmpark", "Kwame", "Mensah", PersonKind.STAFF, "elmpark", [Role.HEAD_OF_SCHOOL, Role.STAFF]),
    ("dsl.elmpark", "Fiona", "Byrne", PersonKind.STAFF, "elmpark", [Role.DSL, Role.SLT, Role.STAFF]),
    ("teacher.elmpark", "Olivia", "Grant", PersonKind.STAFF, "elmpark", [Role.CLASS_TEACHER, Role.STAFF]),
    ("office.elmpark", "Ian", "Walsh", PersonKind.STAFF, "elmpark", [Role.OFFICE_ADMIN, Role.STAFF]),
]
FIRST_NAMES = [
    "Aiden",
    "Bella",
    "Callum",
    "Daisy",
    "Ethan",
    "Freya",
    "George",
    "Hana",
    "Isaac",
    "Jade",
    "Kai",
    "Lily",
    "Mason",
    "Nia",
    "Oscar",
    "Poppy",
    "Reuben",
    "Sofia",
    "Theo",
    "Zara",
]
LAST_NAMES = [
    "Abbott",
    "Baker",
    "Chowdhury",
    "Dunn",
    "Evans",
    "Foster",
    "Gill",
    "Hart",
    "Iqbal",
    "Jones",
    "Khan",
    "Lowe",
    "Morgan",
    "Nowak",
    "Osei",
    "Patel",
    "Quinn",
    "Reid",
    "Singh",
    "Turner",
]
PUPILS_PER_SCHOOL = 20


class Command(BaseCommand):
    help = "Load demo data (idempotent) and print the demo sign-ins."

    @transaction.atomic
    def handle(self, *args, **options):
        today = timezone.localdate()
        federation, _ = Federation.objects.get_or_create(name=FEDERATION)
        schools = {}
        for code, name in SCHOOLS:
            schools[code], _ = School.objects.get_or_create(
                code=code, defaults={"name": name, "federation": federation}
            )
        self._sign_ins(schools)
        self._superuser()
        rng = random.Random(2026)  # the same demo every time
        for code, school in schools.items():
            pupils = self._pupils(rng, code, school, today)
            self._classes(code, school, pupils, today)
        # Each domain app adds its own demo records (proposals, cases, ...).
        for seeder in demo_seeders():
            seeder(schools=schools, stdout=self.stdout)
        self._print_sign_ins()

    def _sign_ins(self, schools):
        user_model = get_user_model()
        for username, first, last, kind, code, roles in SIGN_INS:
            school = schools[code] if code else schools["larchwood"]
            reference = f"DEMO-{username}"
            person = Person.objects.filter(reference=reference).first()
            if person is None:
                person = services.person_create(
                    actor=None,
                    school=school,
                    kind=kind,
                    first_name=first,
                    last_name=last,
                    email=f"{username}@larchwood.example.org",
                    reference=reference,
                )
            if not person.user_id and not user_model.objects.filter(username=username).exists():
                services.user_create_for_person(
                    actor=None, person=person, username=username, password=DEMO_PASSWORD
                )
            for role in roles:
                services.role_grant(
                    actor=None, person=person, role=role, school=None if code is None else school
                )

    def _superuser(self):
        user_model = get_user_model()
        if not user_model.objects.filter(username="admin").exists():
            user_model.objects.create_superuser("admin", "admin@larchwood.example.org", DEMO_PASSWORD)

    def _pupils(self, rng, code, school, today):
        pupils = []
        for n in range(PUPILS_PER_SCHOOL):
            reference = f"DEMO-{code.upper()}-P{n + 1:03d}"
            pupil = Person.objects.filter(reference=reference).first()
            if pupil is None:
                # Ages 5 to 18, spread so that every school has pupils either side of 13.
                age = 5 + (n * 14) // PUPILS_PER_SCHOOL
                born = today - timedelta(days=int(age * 365.25) + rng.randint(20, 340))
                pupil = services.person_create(
                    actor=None,
                    school=school,
                    kind=PersonKind.PUPIL,
                    first_name=rng.choice(FIRST_NAMES),
                    last_name=rng.choice(LAST_NAMES),
                    date_of_birth=born,
                    reference=reference,
                )
                parent_first = rng.choice(["Sarah", "James", "Aisha", "Mark", "Joanne", "Ravi", "Claire"])
                channel = rng.choice(
                    [ParentLink.Channel.EMAIL, ParentLink.Channel.EMAIL, ParentLink.Channel.PHONE]
                )
                services.parent_link_create(
                    actor=None,
                    pupil=pupil,
                    new_parent={
                        "first_name": parent_first,
                        "last_name": pupil.last_name,
                        "email": f"{parent_first.lower()}.{pupil.last_name.lower()}{n}@parents.example.org",
                        "phone": f"07700 900{rng.randint(100, 999)}",
                        "reference": f"{reference}-PARENT",
                    },
                    relationship=rng.choice([ParentLink.Relationship.MOTHER, ParentLink.Relationship.FATHER]),
                    parental_responsibility=True,
                    # One pupil in ten has a parent the school must not contact.
                    may_contact=n % 10 != 3,
                    preferred_channel=channel,
                )
            pupils.append(pupil)
        return pupils

    def _classes(self, code, school, pupils, today):
        teachers = list(Person.objects.filter(roles__role=Role.CLASS_TEACHER, roles__school=school))
        by_year: dict[int, list[Person]] = {}
        for pupil in pupils:
            age = pupil.age_on(_start_of_school_year(today))
            year = max(0, min(13, age - 4))
            by_year.setdefault(year, []).append(pupil)
        for year, members in sorted(by_year.items()):
            name = "Reception" if year == 0 else f"Year {year}"
            if ClassGroup.objects.filter(school=school, name=name).exists():
                continue
            services.class_group_save(
                actor=None,
                school=school,
                name=name,
                year_group=year,
                teachers=teachers,
                pupils=members,
            )

    def _print_sign_ins(self):
        self.stdout.write("")
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD})")
        for username, _first, _last, _, code, roles in SIGN_INS:
            where = dict(SCHOOLS)[code] if code else "federation"
            labels = ", ".join(Role(r).label for r in roles if r != Role.STAFF) or "Staff"
            self.stdout.write(f"  {username:<20} {labels} ({where})")
        self.stdout.write(f"  {'admin':<20} Django admin (superuser)")
        self.stdout.write("")


def _start_of_school_year(today: date) -> date:
    """Age on 31 August decides an English school year group."""
    year = today.year if today.month >= 9 else today.year - 1
    return date(year, 8, 31)
