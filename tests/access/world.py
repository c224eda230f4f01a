"""The people and records the access matrix signs in as and asks for.

Every role of the portal holds its role at the signed-in school (`school`); a second school of
the same federation (`other`) has its own staff. `build_*` functions make one record for one
scope and return the URL's keyword arguments:

- ``own``: a record of the signed-in user's school, made by a colleague;
- ``other``: the same kind of record at the other school of the federation;
- ``subject``: a record about the signed-in person (an allegation, a concern, their own registry entry);
- ``reporter``: a record the signed-in person made (a concern they reported, a proposal they wrote);
- ``none``: the URL takes no record.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from people.models import PersonKind, Role

from ..factories import ClassGroupFactory, FederationFactory, PersonFactory, SchoolFactory, make_user

# Keys of the roles, as the table names them, and the conftest fixture of each signed-in role.
ROLE_FIXTURES = {
    "staff": "staff_user",
    "teacher": "teacher_user",
    "dsl": "dsl_user",
    "slt": "slt_user",
    "head": "head_user",
    "office": "office_user",
    "governor": "governor_user",
    "exec_head": "exec_head_user",
    "chair": "chair_user",
}
ROLES = ("anonymous", *ROLE_FIXTURES)
SCOPES = ("none", "own", "other", "subject", "reporter")


@dataclass
class World:
    school: object
    other: object
    users: dict
    # Colleagues who make the records of each school, so that no signed-in role made them.
    colleague: object = None  # staff at `school`
    colleague_dsl: object = None  # a second DSL at `school`
    other_staff: object = None
    other_dsl: object = None
    cache: dict = field(default_factory=dict)

    def at(self, scope):
        """(school, a DSL there, a member of staff there) for a record of `scope`."""
        if scope == "other":
            return self.other, self.other_dsl, self.other_staff
        return self.school, self.colleague_dsl, self.colleague

    def foreign_federation_school(self):
        if "foreign" not in self.cache:
            federation = FederationFactory(name="Another Federation")
            self.cache["foreign"] = SchoolFactory(name="Birch School", code="birch", federation=federation)
        return self.cache["foreign"]


def make_world(school, other_school, users) -> World:
    return World(
        school=school,
        other=other_school,
        users=users,
        colleague=make_user(Role.STAFF, school=school, first_name="Cora", last_name="Colleague"),
        colleague_dsl=make_user(Role.DSL, Role.STAFF, school=school, first_name="Dana", last_name="Second"),
        other_staff=make_user(Role.STAFF, school=other_school, first_name="Olly", last_name="Other"),
        other_dsl=make_user(Role.DSL, Role.STAFF, school=other_school, first_name="Odile", last_name="Lead"),
    )


def adult_at(school):
    return PersonFactory(school=school, kind=PersonKind.STAFF, first_name="Alex", last_name="Adult")


def recently(hours=1):
    return timezone.now() - timedelta(hours=hours)


__all__ = ["ROLES", "SCOPES", "ROLE_FIXTURES", "World", "make_world", "adult_at", "ClassGroupFactory"]
