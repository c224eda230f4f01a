"""The subject of an allegation never receives its notice, nor sees it in the delivery log (KCSIE part four)."""

import pytest
from django.urls import reverse

from notifications.models import Channel, HiddenFrom, Notification
from notifications.recipients import Recipient, dsls_of, executive_heads
from notifications.services import notify
from people.models import Role

from ..factories import make_user

pytestmark = pytest.mark.django_db


def test_the_subject_gets_nothing_even_when_they_hold_the_dsl_role(
    school, exec_head_user, mailoutbox, django_capture_on_commit_callbacks
):
    subject = make_user(Role.DSL, Role.STAFF, school=school, email="subject@larch.example.org")
    other_dsl = make_user(Role.DSL, Role.STAFF, school=school, email="dsl2@larch.example.org")

    with django_capture_on_commit_callbacks(execute=True):
        rows = notify(
            event="incidents.allegation.7",
            recipients=dsls_of(school) + executive_heads(school.federation),
            template="safeguarding_alert",
            school=school,
            context={"category": "Allegation about an adult"},
            exclude=[subject.person],
        )

    assert subject.pk not in {row.recipient_user_id for row in rows}
    assert {row.recipient_user_id for row in rows} == {other_dsl.pk, exec_head_user.pk}
    assert not Notification.objects.filter(recipient_user=subject).exists()
    assert "subject@larch.example.org" not in [address for m in mailoutbox for address in m.to]


def test_matched_by_person_id_and_by_sign_in(school):
    """Excluding a person by id also drops a recipient listed only by their sign-in, and vice versa."""
    subject = make_user(Role.DSL, school=school)
    by_user = Recipient(user=subject, channel=Channel.EMAIL)
    by_person = Recipient(person=subject.person, channel=Channel.EMAIL)

    assert (
        notify(event="e.1", recipients=[by_user], template="test_notice", exclude=[subject.person.pk]) == []
    )
    assert notify(event="e.2", recipients=[by_person], template="test_notice", exclude=[subject.person]) == []
    assert not Notification.objects.exists()


def test_the_rows_are_hidden_from_the_subject_in_the_delivery_log(client, school, dsl_user):
    """An office admin who is the subject sees no trace in the log; a colleague sees the rows."""
    subject = make_user(Role.OFFICE_ADMIN, Role.STAFF, school=school)
    colleague = make_user(Role.OFFICE_ADMIN, Role.STAFF, school=school)
    rows = notify(
        event="incidents.allegation.8",
        recipients=dsls_of(school),
        template="safeguarding_alert",
        school=school,
        context={"category": "Allegation about an adult"},
        exclude=[subject.person],
    )
    assert HiddenFrom.objects.filter(person=subject.person).count() == len(rows) == 2

    client.force_login(subject)
    page = client.get(reverse("notifications:log"))
    assert page.context["page"].paginator.count == 0
    assert client.post(reverse("notifications:cancel", args=[rows[0].pk])).status_code == 404

    client.force_login(colleague)
    assert client.get(reverse("notifications:log")).context["page"].paginator.count == 2


def test_exclude_takes_people_only(school, dsl_user):
    with pytest.raises(TypeError):
        notify(event="e.3", recipients=dsls_of(school), template="test_notice", exclude=[dsl_user])
