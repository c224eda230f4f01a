"""factory_boy factories for the outbox."""

import factory

from notifications.models import Channel, Notification, Status

from ..factories import UserFactory


class NotificationFactory(factory.django.DjangoModelFactory):
    """An in-portal notice to a user, already delivered; pass channel/status/recipient_person to vary."""

    class Meta:
        model = Notification

    event = factory.Sequence(lambda n: f"tests.event.{n}")
    recipient_user = factory.SubFactory(UserFactory)
    channel = Channel.IN_APP
    template = "test_notice"
    context = factory.LazyFunction(dict)
    status = Status.SENT
