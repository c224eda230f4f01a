"""The LADO referrals list's filters (django-filter), over a queryset already limited by the policy."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from people.models import School
from people.viewtools import record_id

from .models import Allegation, Outcome


class AllegationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Reference or subject's name")
    school = django_filters.ModelChoiceFilter(
        queryset=School.objects.none(), label="School", empty_label="Any school"
    )
    status = django_filters.ChoiceFilter(
        choices=Allegation.Status.choices, label="Status", empty_label="Any status"
    )
    overdue = django_filters.BooleanFilter(
        method="only_overdue",
        label="Only overdue referrals",
        widget=forms.CheckboxInput,
    )
    outcome = django_filters.ChoiceFilter(choices=Outcome.choices, label="Outcome", empty_label="Any outcome")

    class Meta:
        model = Allegation
        fields = ["q", "school", "status", "overdue", "outcome"]

    def __init__(self, *args, schools=None, **kwargs):
        # A prefix keeps the filter's ids apart from any other form on the page.
        super().__init__(*args, prefix="f", **kwargs)
        if schools is not None:
            self.filters["school"].queryset = schools

    def search(self, queryset, name, value):
        reference = value.strip().upper().removeprefix("ALG-")
        if record_id(reference) is not None:
            return queryset.filter(pk=record_id(reference))
        for word in value.split()[:5]:
            queryset = queryset.filter(
                Q(subject__first_name__icontains=word) | Q(subject__last_name__icontains=word)
            )
        return queryset

    def only_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(status=Allegation.Status.RECORDED, referral_due_at__lt=timezone.now())
