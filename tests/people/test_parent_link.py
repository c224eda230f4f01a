"""Linking parents and carers to pupils."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from people.models import ParentLink, Person, PersonKind

from ..factories import ParentFactory, PupilFactory

pytestmark = pytest.mark.django_db


def test_adds_a_new_parent_and_links_them(client, office_user, school):
    pupil = PupilFactory(school=school)
    client.force_login(office_user)
    response = client.post(
        reverse("people:parent_link_create", args=[pupil.pk]),
        {
            "first_name": "Jo",
            "last_name": "Brook",
            "email": "jo@example.org",
            "relationship": "mother",
            "parental_responsibility": "on",
            "may_contact": "on",
            "preferred_channel": "email",
        },
    )
    assert response.status_code == 302
    link = ParentLink.objects.get(pupil=pupil)
    assert link.parent.kind == PersonKind.PARENT
    assert link.parent.memberships.get().school == school
    assert link.may_contact and link.parental_responsibility
    assert AuditEvent.objects.filter(action="people.parentlink.create").count() == 1


def test_links_an_existing_parent(client, office_user, school):
    pupil = PupilFactory(school=school)
    parent = ParentFactory(school=school)
    client.force_login(office_user)
    client.post(
        reverse("people:parent_link_create", args=[pupil.pk]),
        {"parent": parent.pk, "relationship": "father", "preferred_channel": "letter"},
    )
    link = ParentLink.objects.get(pupil=pupil)
    assert link.parent == parent
    assert not link.may_contact


def test_email_preferred_needs_an_email_address(client, office_user, school):
    pupil = PupilFactory(school=school)
    client.force_login(office_user)
    response = client.post(
        reverse("people:parent_link_create", args=[pupil.pk]),
        {
            "first_name": "Jo",
            "last_name": "Brook",
            "relationship": "mother",
            "may_contact": "on",
            "preferred_channel": "email",
        },
    )
    assert "Email is the preferred channel: enter an email address." in response.content.decode()
    assert not Person.objects.filter(kind=PersonKind.PARENT).exists()


def test_needs_a_parent_one_way_or_the_other(client, office_user, school):
    pupil = PupilFactory(school=school)
    client.force_login(office_user)
    response = client.post(
        reverse("people:parent_link_create", args=[pupil.pk]),
        {"relationship": "mother", "preferred_channel": "letter"},
    )
    assert "Enter the parent&#x27;s first name, or choose one from the registry." in response.content.decode()


def test_parent_of_another_school_cannot_be_chosen(client, office_user, school, other_school):
    pupil = PupilFactory(school=school)
    stranger = ParentFactory(school=other_school)
    client.force_login(office_user)
    response = client.post(
        reverse("people:parent_link_create", args=[pupil.pk]),
        {"parent": stranger.pk, "relationship": "mother", "preferred_channel": "letter"},
    )
    assert response.status_code == 200
    assert not ParentLink.objects.exists()


def test_the_pupil_page_lists_parents(client, staff_user, school):
    pupil = PupilFactory(school=school)
    parent = ParentFactory(school=school, first_name="Visible", last_name="Parent")
    ParentLink.objects.create(parent=parent, pupil=pupil, relationship="carer", may_contact=False)
    client.force_login(staff_user)
    content = client.get(pupil.get_absolute_url()).content.decode()
    assert "Visible Parent" in content
    assert "Do not contact" in content


def test_a_pupil_at_two_schools_is_linked_only_to_parents_of_the_school_whose_registry_you_keep(
    client, office_user, school, other_school
):
    """The pupil also attends another school: its parents are not this office's to link, on the form or
    through the service."""
    from people.models import Membership
    from people.services import parent_link_create

    pupil = PupilFactory(school=school)
    Membership.objects.create(person=pupil, school=other_school)
    theirs, ours = ParentFactory(school=other_school), ParentFactory(school=school)
    client.force_login(office_user)
    url = reverse("people:parent_link_create", args=[pupil.pk])
    choices = client.get(url).context["form"].fields["parent"].queryset
    assert ours in choices and theirs not in choices
    with pytest.raises(ValidationError) as refused:
        parent_link_create(actor=office_user, pupil=pupil, parent=theirs, relationship="mother")
    assert refused.value.message_dict["parent"] == [
        "Choose a parent or carer of a school whose registry you keep."
    ]
    assert not ParentLink.objects.exists()


def test_the_new_link_form_leaves_responsibility_and_contact_unticked(client, office_user, school):
    """Neither is assumed: whoever links the parent ticks each one deliberately."""
    import re

    pupil = PupilFactory(school=school)
    client.force_login(office_user)
    html = client.get(reverse("people:parent_link_create", args=[pupil.pk])).content.decode()
    for name in ("parental_responsibility", "may_contact"):
        box = re.search(rf'<input type="checkbox" name="{name}"[^>]*>', html)
        assert box is not None, name
        assert "checked" not in box.group(0), name


def test_a_link_posted_without_the_boxes_stores_neither(client, office_user, school):
    pupil = PupilFactory(school=school)
    client.force_login(office_user)
    response = client.post(
        reverse("people:parent_link_create", args=[pupil.pk]),
        {"first_name": "Jo", "last_name": "Brook", "relationship": "mother", "preferred_channel": "letter"},
    )
    assert response.status_code == 302
    link = ParentLink.objects.get(pupil=pupil)
    assert not link.parental_responsibility
    assert not link.may_contact
