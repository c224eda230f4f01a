"""Delivery log filters (django-filter)."""

import django_filters
from django.forms import Select

from .models import Channel, Notification, Status


class DeliveryLogFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        widget=Select, choices=Status.choices, label="Status", empty_label="Any status"
    )
    channel = django_filters.ChoiceFilter(
        widget=Select, choices=Channel.choices, label="Channel", empty_label="Any channel"
    )

    class Meta:
        model = Notification
        fields = ["status", "channel"]

    def __init__(self, *args, **kwargs):
        # A prefix keeps the filter's ids apart from any other form on the page.
        super().__init__(*args, prefix="f", **kwargs)
