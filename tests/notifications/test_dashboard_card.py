"""The dashboard card: failed notices, for those who may see the delivery log."""

import pytest
from django.urls import reverse

from core.dashboard import cards_for
from notifications.cards import failed_notifications_card
from notifications.models import Channel, Status

from ..factories import ParentFactory
from .factories import NotificationFactory

pytestmark = pytest.mark.django_db


def _failed(school):
    return NotificationFactory(
        school=school,
        recipient_user=None,
        recipient_person=ParentFactory(),
        channel=Channel.EMAIL,
        status=Status.FAILED,
    )


def test_failed_notices_stand_out(office_user, school, other_school):
    _failed(school)
    _failed(school)
    _failed(other_school)

    card = failed_notifications_card(office_user)

    assert (card.count, card.tone) == (2, "danger")
    assert card.url == reverse("notifications:log") + "?f-status=failed"


def test_quiet_when_nothing_failed(dsl_user):
    card = failed_notifications_card(dsl_user)
    assert (card.count, card.tone) == (0, "secondary")


def test_no_card_for_those_without_the_log(staff_user, governor_user):
    assert failed_notifications_card(staff_user) is None
    assert failed_notifications_card(governor_user) is None


def test_the_card_is_registered(head_user):
    assert "Failed notifications" in [card.title for card in cards_for(head_user)]
