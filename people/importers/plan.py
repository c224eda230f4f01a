"""One plan for every import: what a file would change in a school's registry, worked out before
anything is written, shown as the preview, then applied as it stands (`people.services.imports`).

Matching, the same for every file:
- people by `reference` (a pupil's UPN), never by name. A reference held by someone of another school,
  or by someone recorded as having left, refuses the row: the office decides, not the file;
- parents and carers, within the school: by reference when the file gives one; else by email; else by
  first name, last name and phone; else (neither email nor phone) by name among the pupil's own
  parents. A contact shared by siblings is therefore one person, linked to each of them;
- a link between a parent and a pupil is the existing one when there is one (its relationship,
  parental responsibility and contact order updated), otherwise a new one.

A field the file leaves empty never clears what the registry holds. Reading the registry costs the
same few queries whatever the size of the file.
"""

import re
from dataclasses import dataclass, field

from ..models import ClassGroup, ParentLink, Person, PersonKind, School
from .records import ContactIn, Parsed, PersonIn

CONTACT_FIELDS = ("first_name", "last_name", "email", "phone")
LINK_FIELDS = ("relationship", "parental_responsibility", "contact_order")
PUPIL_KINDS = (PersonKind.PUPIL, PersonKind.FORMER_PUPIL)


@dataclass
class Update:
    """One record the import changes: each changed field as (old, new)."""

    record: object
    changes: dict
    row: str = ""


@dataclass
class NewLink:
    parent: Person
    pupil: Person
    relationship: str
    parental_responsibility: bool
    contact_order: int | None


@dataclass
class Plan:
    """Everything an import would do, and every row it refuses with the reason."""

    school: School
    added: list[Person] = field(default_factory=list)
    updated: list[Update] = field(default_factory=list)
    leavers: list[Person] = field(default_factory=list)
    contacts_added: list[Person] = field(default_factory=list)
    contacts_updated: list[Update] = field(default_factory=list)
    links_added: list[NewLink] = field(default_factory=list)
    links_updated: list[Update] = field(default_factory=list)
    classes_added: list[ClassGroup] = field(default_factory=list)
    class_places: list[tuple[ClassGroup, Person]] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    unchanged: int = 0

    def counts(self) -> dict:
        """The figures of the preview, of the audit event and of the command's output."""
        return {
            "added": len(self.added),
            "updated": len(self.updated),
            "left": len(self.leavers),
            "unchanged": self.unchanged,
            "contacts_added": len(self.contacts_added),
            "contacts_updated": len(self.contacts_updated),
            "links_added": len(self.links_added),
            "links_updated": len(self.links_updated),
            "classes_added": len(self.classes_added),
            "class_places_added": len(self.class_places),
            "refused": len(self.refused),
        }

    @property
    def changes_anything(self) -> bool:
        counts = self.counts()
        return any(value for key, value in counts.items() if key not in ("refused", "unchanged"))


def _digits(phone: str) -> str:
    return re.sub(r"\D", "", phone or "")


def _name_key(first: str, last: str) -> tuple[str, str]:
    return (first.strip().casefold(), last.strip().casefold())


class _Contacts:
    """The school's parents and carers, indexed by each matching rule; new contacts join the indexes
    as they are planned, so a contact given for several pupils becomes one person."""

    def __init__(self, parents: list[Person], links: dict):
        self.by_reference, self.by_email, self.by_name_phone = {}, {}, {}
        self.links = links  # (parent id, pupil id) -> ParentLink
        self.updated_contacts: dict[int, Update] = {}
        self.updated_links: set[int] = set()
        for parent in parents:
            self.add(parent)

    def add(self, parent: Person) -> None:
        if parent.reference:
            self.by_reference.setdefault(parent.reference, parent)
        if parent.email:
            self.by_email.setdefault(parent.email.casefold(), parent)
        if parent.phone:
            key = (*_name_key(parent.first_name, parent.last_name), _digits(parent.phone))
            self.by_name_phone.setdefault(key, parent)

    def find(self, contact: ContactIn, pupil: Person, parents_of: dict) -> Person | None:
        if contact.reference:
            return self.by_reference.get(contact.reference)
        if contact.email:
            return self.by_email.get(contact.email.casefold())
        if contact.phone:
            return self.by_name_phone.get(
                (*_name_key(contact.first_name, contact.last_name), _digits(contact.phone))
            )
        wanted = _name_key(contact.first_name, contact.last_name)
        for parent in parents_of.get(id(pupil), []):
            if _name_key(parent.first_name, parent.last_name) == wanted:
                return parent
        return None


def build_plan(*, school: School, parsed: Parsed, mark_leavers: bool = False) -> Plan:
    """Work out what importing `parsed` into `school` would do, reading the registry in a fixed number
    of queries and writing nothing."""
    plan = Plan(school=school, refused=list(parsed.refused))
    references = {p.reference for p in parsed.people if p.reference}
    references |= {ref for _row, _c, refs in parsed.parent_rows for ref in refs}
    # 1: everyone the file names by reference, wherever they are.
    known = {
        person.reference: person
        for person in Person.objects.filter(reference__in=references).prefetch_related("memberships")
    }
    # 2 (and the prefetch above): the school's parents and carers, and 3: their links to its pupils.
    parents = list(Person.objects.filter(kind=PersonKind.PARENT, memberships__school=school))
    links = list(
        ParentLink.objects.filter(pupil__memberships__school=school).only(
            "id", "parent_id", "pupil_id", *LINK_FIELDS
        )
    )
    parents_by_id = {p.pk: p for p in parents}
    # 4 and 5: the school's classes and who is in them.
    classes = {c.name.casefold(): c for c in ClassGroup.objects.filter(school=school)}
    places = set(
        ClassGroup.pupils.through.objects.filter(classgroup__school=school).values_list(
            "classgroup_id", "person_id"
        )
    )
    pupils = {}  # reference -> Person (saved or planned)
    for incoming in parsed.people:
        person = _plan_person(plan, incoming, known.get(incoming.reference), school)
        if person is not None and incoming.reference:
            pupils[incoming.reference] = person
    # Pupils named by parent rows but not in the file: those already at the school.
    for reference, person in known.items():
        if reference not in pupils and _at_school(person, school) and person.kind in PUPIL_KINDS:
            pupils[reference] = person
    existing_links = {(link.parent_id, link.pupil_id): link for link in links}
    parents_of: dict[int, list[Person]] = {}
    pupils_by_pk = {p.pk: p for p in pupils.values() if p.pk}
    for link in links:
        if link.pupil_id in pupils_by_pk and link.parent_id in parents_by_id:
            parents_of.setdefault(id(pupils_by_pk[link.pupil_id]), []).append(parents_by_id[link.parent_id])
    index = _Contacts(parents, existing_links)
    planned_links: dict[tuple[int, int], NewLink] = {}
    for incoming in parsed.people:
        pupil = pupils.get(incoming.reference)
        if pupil is None:
            continue
        for contact in incoming.contacts:
            _plan_contact(plan, index, contact, pupil, parents_of, planned_links, incoming.row)
        if incoming.class_name:
            _plan_class(plan, classes, places, incoming, pupil, school)
    for row, contact, refs in parsed.parent_rows:
        missing = [ref for ref in refs if ref not in pupils]
        if missing:
            plan.refused.append(
                (row, "no pupil of this school has the reference " + ", ".join(missing) + ".")
            )
            continue
        for ref in refs:
            _plan_contact(plan, index, contact, pupils[ref], parents_of, planned_links, row)
    if mark_leavers:
        plan.leavers = list(
            Person.objects.filter(kind=PersonKind.PUPIL, left_on__isnull=True, memberships__school=school)
            .exclude(reference="")
            .exclude(reference__in=references | parsed.refused_references)
            .order_by("last_name", "first_name", "id")
        )
    return plan


def _at_school(person: Person, school: School) -> bool:
    return any(m.school_id == school.pk for m in person.memberships.all())


def _plan_person(plan: Plan, incoming: PersonIn, existing: Person | None, school: School) -> Person | None:
    values = {name: getattr(incoming, name) for name in incoming.given}
    if existing is None:
        person = Person(kind=incoming.kind, reference=incoming.reference, **values)
        plan.added.append(person)
        return person
    if not _at_school(existing, school):
        plan.refused.append(
            (incoming.row, f"the reference {incoming.reference} belongs to someone of another school.")
        )
        return None
    if existing.left_on is not None:
        plan.refused.append(
            (
                incoming.row,
                f"the reference {incoming.reference} belongs to someone recorded as having left: "
                "check the record before importing them again.",
            )
        )
        return None
    if existing.kind != incoming.kind:
        plan.refused.append(
            (
                incoming.row,
                f"the reference {incoming.reference} belongs to a {existing.get_kind_display().lower()}, "
                f"not a {PersonKind(incoming.kind).label.lower()}.",
            )
        )
        return None
    changes = {
        name: (getattr(existing, name), value)
        for name, value in values.items()
        if value not in (None, "") and getattr(existing, name) != value
    }
    if changes:
        plan.updated.append(Update(record=existing, changes=changes, row=incoming.row))
    else:
        plan.unchanged += 1
    return existing


def _plan_contact(plan, index: _Contacts, contact: ContactIn, pupil, parents_of, planned_links, row) -> None:
    parent = index.find(contact, pupil, parents_of)
    if parent is None:
        parent = Person(
            kind=PersonKind.PARENT,
            first_name=contact.first_name,
            last_name=contact.last_name,
            email=contact.email,
            phone=contact.phone,
            reference=contact.reference,
        )
        plan.contacts_added.append(parent)
        index.add(parent)
    elif parent.pk is not None:
        _plan_contact_update(plan, index, parent, contact, row)
    parents_of.setdefault(id(pupil), []).append(parent)
    wanted = {
        "relationship": contact.relationship,
        "parental_responsibility": contact.parental_responsibility,
        "contact_order": contact.order,
    }
    key = (parent.pk or id(parent), pupil.pk or id(pupil))
    existing = index.links.get(key) if parent.pk and pupil.pk else None
    if existing is not None:
        changes = {
            name: (getattr(existing, name), value)
            for name, value in wanted.items()
            if value is not None and getattr(existing, name) != value
        }
        if changes and existing.pk not in index.updated_links:
            index.updated_links.add(existing.pk)
            plan.links_updated.append(Update(record=existing, changes=changes, row=row))
        return
    if key not in planned_links:
        planned_links[key] = NewLink(parent=parent, pupil=pupil, **wanted)
        plan.links_added.append(planned_links[key])


def _plan_contact_update(plan: Plan, index: _Contacts, parent: Person, contact: ContactIn, row: str) -> None:
    previous = index.updated_contacts.get(parent.pk)
    changes = previous.changes if previous else {}
    for name in CONTACT_FIELDS:
        value = getattr(contact, name)
        if value and name not in changes and getattr(parent, name) != value:
            changes[name] = (getattr(parent, name), value)
    if changes and previous is None:
        index.updated_contacts[parent.pk] = Update(record=parent, changes=changes, row=row)
        plan.contacts_updated.append(index.updated_contacts[parent.pk])


def _plan_class(plan: Plan, classes: dict, places: set, incoming, pupil: Person, school: School) -> None:
    class_group = classes.get(incoming.class_name.casefold())
    if class_group is None:
        year = int(incoming.nc_year) if incoming.nc_year.isdigit() else None
        class_group = ClassGroup(school=school, name=incoming.class_name, year_group=year)
        classes[incoming.class_name.casefold()] = class_group
        plan.classes_added.append(class_group)
    if (class_group.pk, pupil.pk) not in places or class_group.pk is None or pupil.pk is None:
        plan.class_places.append((class_group, pupil))
