"""Register filters (django-filter). Each carries the "f" prefix so its ids never clash with a form's."""

import django_filters
from django.forms import Select
from django_filters.fields import ModelChoiceField

from core.vocabulary import SERVICE_PLATFORM_CHOICES, display_name
from people.models import Person, School

from .models import (
    REGISTER_STATUSES,
    Declaration,
    DeclarationKind,
    DeclarationStatus,
    Proposal,
    ProposalStatus,
    PublicationPermission,
)


class RegisterFilter(django_filters.FilterSet):
    """The approved-services register by school, platform and status."""

    school = django_filters.ModelChoiceFilter(
        widget=Select, queryset=School.objects.none(), empty_label="Any school"
    )
    platform = django_filters.ChoiceFilter(
        widget=Select, choices=SERVICE_PLATFORM_CHOICES, empty_label="Any platform"
    )
    status = django_filters.ChoiceFilter(
        widget=Select,
        choices=[(s.value, s.label) for s in ProposalStatus if s in REGISTER_STATUSES],
        empty_label="Any status",
    )

    class Meta:
        model = Proposal
        fields = ["school", "platform", "status"]

    def __init__(self, *args, schools=None, **kwargs):
        super().__init__(*args, prefix="f", **kwargs)
        if schools is not None:
            self.filters["school"].queryset = schools


class _StaffField(ModelChoiceField):
    def label_from_instance(self, obj):
        return display_name(obj, registry=False)


class _PupilField(ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.last_name}, {obj.first_name}"


class StaffFilter(django_filters.ModelChoiceFilter):
    field_class = _StaffField


class PupilFilter(django_filters.ModelChoiceFilter):
    field_class = _PupilField


class DeclarationRegisterFilter(django_filters.FilterSet):
    """The declarations register by school, pupil, staff member, kind and status (§7)."""

    school = django_filters.ModelChoiceFilter(
        widget=Select, queryset=School.objects.none(), empty_label="Any school"
    )
    pupil = PupilFilter(
        queryset=Person.objects.none(), field_name="pupils", label="Pupil", empty_label="Any pupil"
    )
    declarant = StaffFilter(
        queryset=None, label="Member of staff", empty_label="Anyone", method="by_declarant"
    )
    kind = django_filters.ChoiceFilter(widget=Select, choices=DeclarationKind.choices, empty_label="Any kind")
    status = django_filters.ChoiceFilter(
        widget=Select, choices=DeclarationStatus.choices, empty_label="Any status"
    )

    class Meta:
        model = Declaration
        fields = ["school", "pupil", "declarant", "kind", "status"]

    def __init__(self, *args, schools=None, pupils=None, declarants=None, **kwargs):
        super().__init__(*args, prefix="f", **kwargs)
        if schools is not None:
            self.filters["school"].queryset = schools
        if pupils is not None:
            self.filters["pupil"].queryset = pupils
        if declarants is not None:
            self.filters["declarant"].queryset = declarants

    def by_declarant(self, queryset, name, value):
        return queryset.filter(declarant=value)


class PermissionRegisterFilter(django_filters.FilterSet):
    school = django_filters.ModelChoiceFilter(
        widget=Select, queryset=School.objects.none(), empty_label="Any school"
    )

    class Meta:
        model = PublicationPermission
        fields = ["school"]

    def __init__(self, *args, schools=None, **kwargs):
        super().__init__(*args, prefix="f", **kwargs)
        if schools is not None:
            self.filters["school"].queryset = schools
