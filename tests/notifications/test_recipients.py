"""Resolvers: who holds a role where, and how each recipient is reached."""

from datetime import date

import pytest

from notifications.models import Channel
from notifications.recipients import (
    Recipient,
    chair_of_governors,
    contactable_parents_of,
    dsls_of,
    executive_heads,
    heads_of,
    slt_of,
)
from people.models import ParentLink, Person, Role

from ..factories import ParentFactory, ParentLinkFactory, PersonFactory, PupilFactory, make_user

pytestmark = pytest.mark.django_db


def _people(recipients):
    return {(r.user_id, r.channel) for r in recipients}


def test_dsls_of_a_school_get_email_and_in_portal_rows(school, other_school, dsl_user, slt_user):
    """Only the school's own DSL: not its SLT, not another school's DSL."""
    make_user(Role.DSL, school=other_school)

    assert _people(dsls_of(school)) == {(dsl_user.pk, Channel.EMAIL), (dsl_user.pk, Channel.IN_APP)}


@pytest.mark.parametrize(
    "resolver, role",
    [(slt_of, Role.SLT), (heads_of, Role.HEAD_OF_SCHOOL), (dsls_of, Role.DSL)],
    ids=["slt", "head", "dsl"],
)
def test_school_resolvers_follow_the_role(school, other_school, resolver, role):
    holder = make_user(role, school=school)
    make_user(role, school=other_school)
    make_user(Role.STAFF, school=school)

    assert {r.user_id for r in resolver(school)} == {holder.pk}
    assert {r.user_id for r in resolver(school.pk)} == {holder.pk}


def test_federation_resolvers(school, exec_head_user, chair_user, head_user):
    from ..factories import FederationFactory

    elsewhere = FederationFactory(name="Another Federation")
    make_user(Role.EXECUTIVE_HEAD, federation=elsewhere)

    assert {r.user_id for r in executive_heads(school.federation)} == {exec_head_user.pk}
    assert {r.user_id for r in chair_of_governors(school.federation)} == {chair_user.pk}


def test_a_role_holder_without_a_sign_in_still_gets_an_email_row(school):
    """No sign-in: no in-portal notice, but an email row, which fails visibly if there is no address."""
    person = PersonFactory(school=school, email="no-login@larch.example.org")
    person.roles.create(role=Role.DSL, school=school)

    [recipient] = dsls_of(school)
    assert recipient == Recipient(person=person, channel=Channel.EMAIL)


def test_people_who_left_or_are_deactivated(school):
    left = make_user(Role.DSL, school=school)
    Person.objects.filter(user=left).update(left_on=date(2025, 7, 20))
    inactive = make_user(Role.DSL, school=school)
    inactive.is_active = False
    inactive.save()

    recipients = dsls_of(school)
    assert left.pk not in {r.user_id for r in recipients}
    # A deactivated sign-in gets no in-portal notice; the person is still written to.
    assert [(r.user, r.person.user_id, r.channel) for r in recipients] == [(None, inactive.pk, Channel.EMAIL)]


def test_resolvers_cost_one_query(school, django_assert_num_queries):
    for _ in range(3):
        make_user(Role.DSL, school=school)
    with django_assert_num_queries(1):
        assert len(dsls_of(school)) == 6


def test_parents_only_when_the_school_may_contact_them(school):
    pupil = PupilFactory(school=school)
    by_email = ParentLinkFactory(pupil=pupil).parent
    ParentLinkFactory(pupil=pupil, may_contact=False)
    by_phone = ParentLinkFactory(pupil=pupil, preferred_channel=ParentLink.Channel.PHONE).parent
    by_letter = ParentLinkFactory(pupil=pupil, preferred_channel=ParentLink.Channel.LETTER).parent
    no_address = ParentLinkFactory(pupil=pupil, parent=ParentFactory(email="")).parent
    ParentLinkFactory()  # someone else's child

    recipients = {r.person.pk: r.channel for r in contactable_parents_of(pupil)}

    assert recipients == {
        by_email.pk: Channel.EMAIL,
        by_phone.pk: Channel.MANUAL,
        by_letter.pk: Channel.MANUAL,
        no_address.pk: Channel.MANUAL,
    }


def test_a_recipient_needs_someone_and_in_portal_needs_a_sign_in():
    parent = ParentFactory.build()
    with pytest.raises(ValueError):
        Recipient(channel=Channel.EMAIL)
    with pytest.raises(ValueError):
        Recipient(person=parent, channel=Channel.IN_APP)
    with pytest.raises(ValueError):
        Recipient(person=parent, channel="sms")
