"""Who is told: resolvers that turn a role and a place into recipients.

Each resolver is one query. Staff with an active sign-in get an email and an
in-portal notice; a role holder without a sign-in still gets an email row (which
fails visibly in the delivery log when there is no address, rather than being
silently skipped). Parents are reached only when the school may contact them
(`ParentLink.may_contact`), by email or, when they prefer a call or a letter, by a
manual row the office completes.
"""

from dataclasses import dataclass

from django.db.models import Q

from people.models import Federation, ParentLink, Person, Role, RoleAssignment, School

from .models import Channel


@dataclass(frozen=True)
class Recipient:
    """One recipient on one channel: a user (staff with a sign-in) or a person (anyone else).

    When both are given the row is addressed to the user; the person is kept so that
    `notify(exclude=...)` can match either.
    """

    user: object | None = None
    person: Person | None = None
    channel: str = Channel.EMAIL

    def __post_init__(self):
        if self.user is None and self.person is None:
            raise ValueError("A recipient needs a user or a person.")
        if self.channel not in Channel.values:
            raise ValueError(f"Unknown channel {self.channel!r}.")
        if self.channel == Channel.IN_APP and self.user is None:
            raise ValueError("In-portal notices need a user who signs in.")

    @property
    def person_id(self) -> int | None:
        return self.person.pk if self.person is not None else None

    @property
    def user_id(self) -> int | None:
        if self.user is not None:
            return self.user.pk
        return self.person.user_id if self.person is not None else None

    @property
    def key(self) -> tuple[str, int, str]:
        """What the outbox's unique constraints compare: (recipient kind, id, channel)."""
        if self.user is not None:
            return ("user", self.user.pk, self.channel)
        return ("person", self.person.pk, self.channel)


def staff_recipients(person: Person) -> list[Recipient]:
    """Email and in-portal notice for a person with an active sign-in; email otherwise."""
    user = person.user if person.user_id else None
    if user is not None and user.is_active:
        return [
            Recipient(user=user, person=person, channel=Channel.EMAIL),
            Recipient(user=user, person=person, channel=Channel.IN_APP),
        ]
    return [Recipient(person=person, channel=Channel.EMAIL)]


def _holders(role_filter: Q) -> list[Recipient]:
    """Current holders of the roles matched by `role_filter`, in a stable order."""
    people = (
        Person.objects.filter(left_on__isnull=True)
        .filter(pk__in=RoleAssignment.objects.filter(role_filter).values("person_id"))
        .select_related("user")
        .order_by("last_name", "first_name", "id")
    )
    return [recipient for person in people for recipient in staff_recipients(person)]


def _school_id(school: School | int) -> int:
    return school if isinstance(school, int) else school.pk


def _federation_id(federation: Federation | int) -> int:
    return federation if isinstance(federation, int) else federation.pk


def dsls_of(school: School | int) -> list[Recipient]:
    """The school's designated safeguarding leads, the "named Child Protection person" (§7)."""
    return _holders(Q(role=Role.DSL, school_id=_school_id(school)))


def slt_of(school: School | int) -> list[Recipient]:
    """The school's senior leadership team (§9 disclosures go to SLT)."""
    return _holders(Q(role=Role.SLT, school_id=_school_id(school)))


def heads_of(school: School | int) -> list[Recipient]:
    """The school's Head of School."""
    return _holders(Q(role=Role.HEAD_OF_SCHOOL, school_id=_school_id(school)))


def executive_heads(federation: Federation | int) -> list[Recipient]:
    """The federation's Executive Head (case manager for allegations, KCSIE part four)."""
    return _holders(Q(role=Role.EXECUTIVE_HEAD, federation_id=_federation_id(federation)))


def chair_of_governors(federation: Federation | int) -> list[Recipient]:
    """The chair of governors: case manager when the Executive Head is the subject (KCSIE part four)."""
    return _holders(Q(role=Role.CHAIR_OF_GOVERNORS, federation_id=_federation_id(federation)))


def contactable_parents_of(pupil: Person | int) -> list[Recipient]:
    """Parents and carers the school may contact about `pupil`, on the channel they prefer.

    Email when they prefer email and an address is on record; otherwise a manual row
    ("call or write to the parent") for the office. Parents with may_contact off are
    never included.
    """
    pupil_id = pupil if isinstance(pupil, int) else pupil.pk
    links = (
        ParentLink.objects.filter(pupil_id=pupil_id, may_contact=True)
        .select_related("parent")
        .order_by("parent__last_name", "parent__first_name", "parent_id")
    )
    recipients = []
    for link in links:
        parent = link.parent
        if link.preferred_channel == ParentLink.Channel.EMAIL and parent.email:
            recipients.append(Recipient(person=parent, channel=Channel.EMAIL))
        else:
            recipients.append(Recipient(person=parent, channel=Channel.MANUAL))
    return recipients
