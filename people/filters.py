"""Registry search (django-filter)."""

import django_filters
from django.db.models import Q
from django.forms import Select

from .models import ClassGroup, Person, PersonKind, School


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Name or reference")
    school = django_filters.ModelChoiceFilter(
        widget=Select,
        queryset=School.objects.none(),
        method="in_school",
        label="School",
        empty_label="Any school",
    )
    kind = django_filters.ChoiceFilter(
        widget=Select, choices=PersonKind.choices, label="Kind", empty_label="Any kind"
    )
    class_group = django_filters.ModelChoiceFilter(
        widget=Select,
        queryset=ClassGroup.objects.none(),
        field_name="classes_attended",
        label="Class",
        empty_label="Any class",
    )

    class Meta:
        model = Person
        fields = ["q", "school", "kind", "class_group"]

    def __init__(self, *args, schools=None, classes=None, **kwargs):
        # A prefix keeps the filter's ids apart from any model form on the page.
        super().__init__(*args, prefix="f", **kwargs)
        if schools is not None:
            self.filters["school"].queryset = schools
        if classes is not None:
            self.filters["class_group"].queryset = classes

    def search(self, queryset, name, value):
        words = value.split()
        for word in words[:5]:
            queryset = queryset.filter(
                Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(reference__iexact=word)
            )
        return queryset

    def in_school(self, queryset, name, value):
        return queryset.filter(memberships__school=value)
