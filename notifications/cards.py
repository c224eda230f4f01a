"""The delivery log's dashboard card: failed notices, for those who may act on them."""

from django.urls import reverse

from core.dashboard import Card, register_card

from . import policies, selectors
from .models import Status


@register_card
def failed_notifications_card(user):
    if not policies.can_view_delivery_log(user):
        return None
    count = yield selectors.failed(user)
    if count:
        body = "Notices that could not be sent. Send them again, or reach the people another way."
    else:
        body = "Every notice of your school(s) has been sent or is on its way."
    return Card(
        title="Failed notifications",
        body=body,
        count=count,
        url=f"{reverse('notifications:log')}?f-status={Status.FAILED}",
        link_text="Open the delivery log",
        tone="danger" if count else "secondary",
        order=50,
    )
