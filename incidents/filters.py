"""The LADO referrals list's filters (django-filter), over a queryset already limited by the policy."""

import django_filters
from django import forms
from django.db.models import Q
from django.forms import Select
from django.utils import timezone

from core.viewtools import record_id
from people.models import School

from .models import Allegation, CyberbullyingReport, Outcome, Perpetrator, TriageRule


class AllegationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Reference or subject's name")
    school = django_filters.ModelChoiceFilter(
        widget=Select, queryset=School.objects.none(), label="School", empty_label="Any school"
    )
    status = django_filters.ChoiceFilter(
        widget=Select, choices=Allegation.Status.choices, label="Status", empty_label="Any status"
    )
    overdue = django_filters.BooleanFilter(
        method="only_overdue",
        label="Only overdue referrals",
        widget=forms.CheckboxInput,
    )
    outcome = django_filters.ChoiceFilter(
        widget=Select, choices=Outcome.choices, label="Outcome", empty_label="Any outcome"
    )

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


class CyberbullyingFilter(django_filters.FilterSet):
    """The cyberbullying list's filters (§10), over the reports the policy lets the user see."""

    school = django_filters.ModelChoiceFilter(
        widget=Select, queryset=School.objects.none(), label="School", empty_label="Any school"
    )
    status = django_filters.ChoiceFilter(
        widget=Select, choices=CyberbullyingReport.Status.choices, label="Status", empty_label="Any status"
    )
    outcome = django_filters.ChoiceFilter(
        widget=Select,
        choices=[(rule.value, rule.label.split(":")[0]) for rule in TriageRule],
        method="with_outcome",
        label="Outcome decided",
        empty_label="Any outcome",
    )
    pupil = django_filters.CharFilter(method="involving", label="Pupil's name (bullied or responsible)")
    open_actions = django_filters.BooleanFilter(
        method="with_open_actions", label="Only reports with open actions", widget=forms.CheckboxInput
    )

    class Meta:
        model = CyberbullyingReport
        fields = ["school", "status", "outcome", "pupil", "open_actions"]

    def __init__(self, *args, schools=None, **kwargs):
        super().__init__(*args, **kwargs)
        if schools is not None:
            self.filters["school"].queryset = schools

    def involving(self, queryset, name, value):
        """Reports where a pupil whose name holds every word is bullied or said to be responsible (subqueries,
        so each report is listed once)."""
        from people.models import Person

        pupils = Person.objects.all()
        for word in value.split()[:5]:
            pupils = pupils.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
        return queryset.filter(
            Q(
                pk__in=CyberbullyingReport.victims.through.objects.filter(person__in=pupils).values(
                    "cyberbullyingreport"
                )
            )
            | Q(pk__in=Perpetrator.objects.filter(person__in=pupils).values("report"))
        )

    def with_outcome(self, queryset, name, value):
        # The decided rules are a JSON list of codes, none of which is part of another: a text match finds
        # the one asked for on SQLite and PostgreSQL alike.
        return queryset.filter(rules__icontains=value) if value in TriageRule.values else queryset

    def with_open_actions(self, queryset, name, value):
        return queryset.filter(open_actions__gt=0) if value else queryset
