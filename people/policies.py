"""Who may see and do what: every access rule of the registry, as plain predicates.

Deny by default. A user's roles come from their Person's role assignments and
are read once per request (`access_for`). Views fetch records through the
`*_visible_to(user)` querysets, so a record a user may not see answers 404,
exactly like a missing one.
"""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet

from .models import FEDERATION_ROLES, ClassGroup, Membership, Person, Role, RoleAssignment, School

# Roles held by employees of a school: they may look people of their school up.
STAFF_ROLES = frozenset(
    {Role.STAFF, Role.CLASS_TEACHER, Role.DSL, Role.SLT, Role.HEAD_OF_SCHOOL, Role.OFFICE_ADMIN}
)
# Roles that keep the registry: add, edit and import people of their school.
REGISTRY_KEEPERS = frozenset({Role.OFFICE_ADMIN, Role.HEAD_OF_SCHOOL})
# A school's case team: they see and work its safeguarding records (concerns, allegations, pupil incidents).
CASE_TEAM_ROLES = frozenset({Role.DSL, Role.SLT, Role.HEAD_OF_SCHOOL})
# Roles that must sign in with a second factor when PORTAL_REQUIRE_2FA is on.
TWO_FACTOR_ROLES = frozenset(
    {Role.DSL, Role.SLT, Role.HEAD_OF_SCHOOL, Role.EXECUTIVE_HEAD, Role.CHAIR_OF_GOVERNORS}
)


@dataclass(frozen=True)
class Access:
    """The roles one user holds, read once per request."""

    person_id: int | None = None
    school_roles: frozenset[tuple[int, str]] = field(default_factory=frozenset)
    federation_roles: frozenset[tuple[int, str]] = field(default_factory=frozenset)
    is_superuser: bool = False
    # Ids of the schools of those federations, so that a federation's records are filtered on their own
    # school column (`school_id IN (...)`) with no join to the schools.
    federation_school_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(r for _, r in self.school_roles) | frozenset(r for _, r in self.federation_roles)

    @property
    def federation_ids(self) -> frozenset[int]:
        return frozenset(f for f, _ in self.federation_roles)

    @property
    def is_executive_head(self) -> bool:
        return any(r == Role.EXECUTIVE_HEAD for _, r in self.federation_roles)

    @property
    def is_chair_of_governors(self) -> bool:
        return any(r == Role.CHAIR_OF_GOVERNORS for _, r in self.federation_roles)

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))

    def schools_with(self, roles) -> frozenset[int]:
        """Ids of the schools where the user holds any of `roles`."""
        roles = set(roles)
        return frozenset(s for s, r in self.school_roles if r in roles)

    def holds_at(self, school_id: int, roles) -> bool:
        return school_id in self.schools_with(roles)


NO_ACCESS = Access()


def access_for(user) -> Access:
    """The user's roles, cached on the user object for the rest of the request (one query)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_ACCESS
    cached = getattr(user, "_portal_access", None)
    if cached is not None:
        return cached
    # A federation role comes once per school of its federation (the same one query).
    rows = list(
        Person.objects.filter(user_id=user.pk).values_list(
            "id", "roles__role", "roles__school_id", "roles__federation_id", "roles__federation__schools__id"
        )
    )
    person_id = rows[0][0] if rows else None
    school_roles = frozenset((s, r) for _, r, s, f, _ in rows if r and s)
    federation_rows = [(f, r, fs) for _, r, s, f, fs in rows if r and f and r in FEDERATION_ROLES]
    access = Access(
        person_id=person_id,
        school_roles=school_roles,
        federation_roles=frozenset((f, r) for f, r, _ in federation_rows),
        is_superuser=user.is_superuser,
        federation_school_ids=frozenset(fs for _, _, fs in federation_rows if fs),
    )
    user._portal_access = access
    return access


def requires_two_factor(user) -> bool:
    """Safeguarding and leadership roles sign in with a second factor."""
    return access_for(user).has_role(*TWO_FACTOR_ROLES)


def has_second_factor(user) -> bool:
    """Whether the user has a confirmed second-factor device. A session already verified with one
    (django-otp marks the request's user) needs no look-up."""
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return True
    from django_otp import devices_for_user

    return next(devices_for_user(user, confirmed=True), None) is not None


# --- Schools --------------------------------------------------------------------------


def schools_visible_to(user) -> QuerySet[School]:
    """Schools whose registry the user may look at: their own, or the federation's."""
    access = access_for(user)
    if access.is_executive_head:
        return School.objects.filter(federation_id__in_ids=access.federation_ids)
    return School.objects.filter(pk__in_ids=access.schools_with(STAFF_ROLES))


def schools_managed_by(user) -> QuerySet[School]:
    """Schools whose registry the user keeps (adds, edits and imports people)."""
    access = access_for(user)
    if access.is_executive_head:
        return School.objects.filter(federation_id__in_ids=access.federation_ids)
    return School.objects.filter(pk__in_ids=access.schools_with(REGISTRY_KEEPERS))


# --- People ---------------------------------------------------------------------------


def can_view_registry(user) -> bool:
    access = access_for(user)
    return access.is_executive_head or bool(access.schools_with(STAFF_ROLES))


def can_manage_registry(user) -> bool:
    access = access_for(user)
    return access.is_executive_head or bool(access.schools_with(REGISTRY_KEEPERS))


def _in_schools(school_filter: Q) -> Exists:
    return Exists(Membership.objects.filter(school_filter, person=OuterRef("pk")))


def people_visible_to(user) -> QuerySet[Person]:
    """People the user may look up: members of their school(s); the federation for the Executive Head.

    Governors and the chair of governors read anonymised reports, not the registry.
    """
    access = access_for(user)
    if access.is_executive_head:
        feds = access.federation_ids
        return Person.objects.filter(
            _in_schools(Q(school_id__in_ids=access.federation_school_ids))
            | Exists(RoleAssignment.objects.filter(person=OuterRef("pk"), federation_id__in=feds))
        )
    schools = access.schools_with(STAFF_ROLES)
    if not schools:
        return Person.objects.none()
    return Person.objects.filter(_in_schools(Q(school_id__in=schools)))


def people_editable_by(user) -> QuerySet[Person]:
    """People whose record the user may change: members of a school whose registry they keep."""
    access = access_for(user)
    if access.is_executive_head:
        return people_visible_to(user)
    schools = access.schools_with(REGISTRY_KEEPERS)
    if not schools:
        return Person.objects.none()
    return Person.objects.filter(_in_schools(Q(school_id__in=schools)))


def can_edit_person(user, person: Person) -> bool:
    return people_editable_by(user).filter(pk=person.pk).exists()


def classes_visible_to(user) -> QuerySet[ClassGroup]:
    return ClassGroup.objects.filter(school__in=schools_visible_to(user))


def can_view_history(user, school_id: int | None) -> bool:
    """Who sees a record's history and viewers: the heads, SLT, DSL and office admins of its school."""
    access = access_for(user)
    if access.is_executive_head:
        return True
    roles = {Role.HEAD_OF_SCHOOL, Role.SLT, Role.DSL, Role.OFFICE_ADMIN}
    return school_id is not None and access.holds_at(school_id, roles)


# --- Sign-ins and roles ---------------------------------------------------------------------
# Roles decide who sees safeguarding records, so only heads grant them: the Head of School for
# their school's roles, the Executive Head for every school and for the federation roles.
ROLE_KEEPERS = frozenset({Role.HEAD_OF_SCHOOL})


def schools_whose_roles_user_keeps(user) -> QuerySet[School]:
    access = access_for(user)
    if access.is_executive_head:
        return School.objects.filter(federation_id__in_ids=access.federation_ids)
    return School.objects.filter(pk__in_ids=access.schools_with(ROLE_KEEPERS))


def can_manage_access(user, person: Person) -> bool:
    """May the user give this person a sign-in, grant or remove their roles?"""
    access = access_for(user)
    if access.person_id == person.pk and not access.is_superuser:
        return False  # nobody raises their own rights
    if access.is_executive_head:
        return people_visible_to(user).filter(pk=person.pk).exists()
    schools = access.schools_with(ROLE_KEEPERS)
    return bool(schools) and Membership.objects.filter(person=person, school_id__in=schools).exists()


def can_manage_sign_in(user, person: Person) -> bool:
    """May the user create this person's sign-in, switch it off or on, or email them a link to set its
    password? A sign-in is one account across the federation: those reach every school the holder works
    at and every role they hold. So a Head of School does them for people of their own school(s) only;
    someone who also belongs to another school, or holds a role there or across the federation, is the
    Executive Head's to manage. (Roles are granted school by school: `can_manage_access`.) One query."""
    access = access_for(user)
    if access.is_executive_head:
        return can_manage_access(user, person)
    schools = access.schools_with(ROLE_KEEPERS)
    if not schools or access.person_id == person.pk:
        return False
    memberships = Membership.objects.filter(person=OuterRef("pk"))
    elsewhere = Exists(memberships.exclude(school_id__in_ids=schools)) | Exists(
        RoleAssignment.objects.filter(person=OuterRef("pk")).filter(
            Q(federation__isnull=False) | ~Q(school_id__in_ids=schools)
        )
    )
    return (
        Person.objects.filter(pk=person.pk)
        .filter(Exists(memberships.filter(school_id__in_ids=schools)))
        .exclude(elsewhere)
        .exists()
    )


def can_grant_federation_roles(user) -> bool:
    return access_for(user).is_executive_head
