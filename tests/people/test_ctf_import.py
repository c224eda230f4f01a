"""Importing a Common Transfer File: matched by UPN, previewed as a plan, applied all or nothing, audited
as one event; contacts shared by siblings become one person; hostile and wrong files refused whole."""

from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from audit.models import AuditEvent
from people.importers.ctf import upn_check_letter, upn_problem
from people.models import ClassGroup, Membership, ParentLink, Person, PersonKind
from people.services import imports
from tests.factories import PupilFactory

from .ctf.build import contact, ctf, pupil, upn

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "ctf"
ADA, BEN, CY, ELI = "L801700114001", "A801700114002", "P801700114003", "T801700114005"


def read(name: str) -> bytes:
    return (FILES / name).read_bytes()


def apply(school, name, actor=None, leavers=False):
    plan = imports.import_plan(school=school, source="ctf", data=read(name), mark_leavers=leavers)
    imports.import_apply(actor=actor, plan=plan, source="ctf")
    return plan


def test_upn_check_letter():
    """The check letter weighs characters 2 to 13 by position, modulo 23, over the letters without I, O, S."""
    assert upn_check_letter("?801700114001") == "L"
    assert upn_problem(ADA) == ""
    assert "wrong check letter" in upn_problem("B801700114001")
    assert "not a letter, 11 digits" in upn_problem("L80170011400")
    body = "80170011400A"  # a temporary UPN ends in a letter
    assert upn_problem(upn_check_letter("?" + body) + body) == ""


def test_a_full_export_is_previewed_without_writing(school):
    people_before = Person.objects.count()
    plan = imports.import_plan(school=school, source="ctf", data=read("full_export.xml"))
    assert plan.counts() == {
        "added": 3,
        "updated": 0,
        "left": 0,
        "unchanged": 0,
        "contacts_added": 3,  # the Stones' two parents are shared by Ada and Ben
        "contacts_updated": 0,
        "links_added": 5,
        "links_updated": 0,
        "classes_added": 3,
        "class_places_added": 3,
        "refused": 0,
    }
    assert Person.objects.count() == people_before


def test_a_full_export_creates_pupils_contacts_links_and_classes(school, office_user):
    apply(school, "full_export.xml", actor=office_user)
    ada = Person.objects.get(reference=ADA)
    assert (ada.first_name, ada.last_name, ada.date_of_birth, ada.sex, ada.nc_year) == (
        "Ada",
        "Stone",
        date(2014, 2, 3),
        "F",
        "6",
    )
    assert Person.objects.get(reference=CY).sex == "M"  # read from <Gender> in a version 19 file
    assert Membership.objects.filter(person=ada, school=school).exists()
    jane = Person.objects.get(email="jane.stone@example.org")
    assert jane.kind == PersonKind.PARENT and jane.phone == "07700900001"
    assert set(ParentLink.objects.filter(parent=jane).values_list("pupil__reference", flat=True)) == {
        ADA,
        BEN,
    }
    mark = Person.objects.get(first_name="Mark", last_name="Stone")
    link = ParentLink.objects.get(parent=mark, pupil=ada)
    assert (link.relationship, link.parental_responsibility, link.contact_order) == ("father", False, 2)
    assert link.preferred_channel == "phone"
    assert ParentLink.objects.get(parent=jane, pupil=ada).relationship == "mother"
    assert set(ClassGroup.objects.get(name="6 Oak").pupils.all()) == {ada}
    assert ClassGroup.objects.get(name="6 Oak").year_group == 6


def test_the_import_is_audited_as_one_event_with_counts_and_no_names(school, office_user):
    before = AuditEvent.objects.count()
    apply(school, "full_export.xml", actor=office_user)
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.get(action="people.person.import")
    assert event.data["source"] == "ctf"
    assert event.data["counts"]["added"] == 3
    assert event.data["counts"]["contacts_added"] == 3
    text = str(event.data)
    assert "Stone" not in text and "Ada" not in text and "@" not in text


def test_a_later_export_updates_adds_and_lists_leavers(school, office_user):
    apply(school, "full_export.xml", actor=office_user)
    plan = imports.import_plan(school=school, source="ctf", data=read("later_export.xml"), mark_leavers=True)
    counts = plan.counts()
    assert (counts["added"], counts["updated"], counts["unchanged"], counts["left"]) == (1, 1, 1, 1)
    (update,) = plan.updated
    assert update.record.reference == ADA
    assert update.changes == {"last_name": ("Stone", "Stone-Hill"), "nc_year": ("6", "7")}
    (jane,) = plan.contacts_updated
    assert jane.changes == {"phone": ("07700900001", "07700900099")}
    assert [p.reference for p in plan.leavers] == [CY]
    imports.import_apply(actor=office_user, plan=plan, source="ctf")
    cy = Person.objects.get(reference=CY)
    assert cy.kind == PersonKind.FORMER_PUPIL and cy.left_on == date.today()
    assert Membership.objects.get(person=cy).ended_on == date.today()
    assert Person.objects.get(reference=ADA).last_name == "Stone-Hill"
    assert Person.objects.filter(reference=ELI, kind=PersonKind.PUPIL).exists()
    # Jane is still one person, with her new phone, linked to both children.
    jane = Person.objects.get(email="jane.stone@example.org")
    assert jane.phone == "07700900099"
    assert ParentLink.objects.filter(parent=jane).count() == 2


def test_without_leavers_nobody_is_recorded_as_having_left(school):
    apply(school, "full_export.xml")
    plan = apply(school, "later_export.xml")
    assert plan.leavers == []
    assert Person.objects.get(reference=CY).left_on is None


def test_importing_the_same_file_twice_changes_nothing(school):
    apply(school, "full_export.xml")
    plan = imports.import_plan(school=school, source="ctf", data=read("full_export.xml"))
    assert not plan.changes_anything
    assert plan.counts()["unchanged"] == 3


def test_bad_rows_are_refused_with_reasons_and_the_rest_imported(school):
    plan = apply(school, "bad_rows.xml")
    reasons = dict(plan.refused)
    assert reasons["pupil 1"].startswith("no UPN")
    assert "is not a real date" in reasons["pupil 2"]
    assert "wrong check letter" in reasons["pupil 3"]
    assert Person.objects.filter(kind=PersonKind.PUPIL).values_list("first_name", flat=True).get() == "Hal"


def test_a_refused_pupil_is_never_listed_as_a_leaver(school):
    PupilFactory(reference="D801700114004", school=school)
    plan = imports.import_plan(school=school, source="ctf", data=read("bad_rows.xml"), mark_leavers=True)
    assert plan.leavers == []


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("not_xml.xml", "not well-formed XML"),
        ("billion_laughs.xml", "declares a document type or entities"),
        ("external_entity.xml", "declares a document type or entities"),
        ("wrong_root.xml", "not a Common Transfer File"),
    ],
)
def test_hostile_and_wrong_files_are_refused_whole(school, name, message):
    before = Person.objects.count()
    with pytest.raises(imports.FileRefused) as refused:
        imports.import_plan(school=school, source="ctf", data=read(name))
    assert message in refused.value.messages[0]
    assert Person.objects.count() == before


def test_an_old_version_is_refused():
    with pytest.raises(imports.FileRefused, match="versions 18 and later"):
        imports.read_file(source="ctf", data=ctf([], version="16.0"))


def test_a_date_of_birth_in_the_future_is_refused():
    parsed = imports.read_file(source="ctf", data=ctf([pupil(upn(9), "Soon", "Zed", "2999-01-01")]))
    assert parsed.people == []
    assert "in the future" in parsed.refused[0][1]


def test_a_upn_of_another_school_is_refused(school, other_school):
    PupilFactory(reference=ADA, school=other_school)
    plan = imports.import_plan(school=school, source="ctf", data=read("full_export.xml"))
    assert (
        f"pupil 1 (UPN {ADA})",
        f"the reference {ADA} belongs to someone of another school.",
    ) in plan.refused


def test_contacts_without_email_or_phone_match_by_name_among_the_pupils_parents(school):
    data = ctf([pupil(upn(1), "Stone", "Ada", "2014-02-03", contacts=[contact(1, "Stone", "Jo")])])
    apply_plan = imports.import_plan(school=school, source="ctf", data=data)
    imports.import_apply(actor=None, plan=apply_plan, source="ctf")
    again = imports.import_plan(school=school, source="ctf", data=data)
    assert again.counts()["contacts_added"] == 0 and again.counts()["links_added"] == 0


def test_a_failure_part_way_writes_nothing(school, monkeypatch):
    plan = imports.import_plan(school=school, source="ctf", data=read("full_export.xml"))
    before = Person.objects.count()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ParentLink.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        imports.import_apply(actor=None, plan=plan, source="ctf")
    assert Person.objects.count() == before


def test_a_school_the_actor_does_not_keep_is_refused(other_school, office_user):
    from django.core.exceptions import PermissionDenied

    plan = imports.import_plan(school=other_school, source="ctf", data=read("full_export.xml"))
    with pytest.raises(PermissionDenied):
        imports.import_apply(actor=office_user, plan=plan, source="ctf")


def test_the_confirmed_counts_must_still_hold(school, office_user):
    with pytest.raises(ValidationError, match="changed since the preview"):
        imports.import_file(
            actor=office_user,
            school=school,
            source="ctf",
            data=read("full_export.xml"),
            expected={"added": 1},
        )
    assert not Person.objects.filter(reference=ADA).exists()


@pytest.mark.parametrize("size", [10, 50])
def test_the_import_costs_the_same_queries_for_10_and_50_pupils(school, size, django_assert_num_queries):
    plan = imports.import_plan(school=school, source="ctf", data=ctf_many(size))
    # savepoint, lock the school, insert people (pupils and contacts at once), their memberships, the
    # classes, the class places, the parent links, (on PostgreSQL, the audit chain's advisory lock,) the
    # audit trail's last hash, the audit event, release
    with django_assert_num_queries(QUERIES_TO_APPLY + (connection.vendor == "postgresql")):
        imports.import_apply(actor=None, plan=plan, source="ctf")
    assert Person.objects.filter(kind=PersonKind.PUPIL).count() == size


@pytest.mark.parametrize("size", [10, 50])
def test_the_plan_costs_the_same_queries_for_10_and_50_pupils(school, size, django_assert_num_queries):
    data = ctf_many(size)
    imports.import_apply(
        actor=None, plan=imports.import_plan(school=school, source="ctf", data=data), source="ctf"
    )
    # people by reference (and their memberships), parents of the school, their links, classes,
    # pupils in classes, pupils to mark as leavers
    with django_assert_num_queries(7):
        plan = imports.import_plan(school=school, source="ctf", data=data, mark_leavers=True)
    assert plan.counts()["unchanged"] == size


def ctf_many(size):
    from .ctf.build import many

    return many(size)


QUERIES_TO_APPLY = 10


def test_a_name_with_hidden_formatting_is_refused_with_its_row():
    parsed = imports.read_file(
        source="ctf", data=ctf([pupil(upn(7), "Stone", "Ali\u202eevil", "2015-01-01")])
    )
    assert parsed.people == []
    assert "hidden formatting characters" in parsed.refused[0][1]
