"""Who may see the delivery log and act on its rows. Built on `people.policies.access_for`.

The DSL, the Head of School and the office admin see every notice of their school;
the Executive Head sees the federation's. Everyone sees their own. A row hidden
from a person (the subject of an allegation, KCSIE part four) never shows to them,
whatever their role. Deny by default: anything else is missing (404).
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from people.models import Role, School
from people.policies import access_for

from .models import HiddenFrom, Notification

LOG_ROLES = frozenset({Role.DSL, Role.HEAD_OF_SCHOOL, Role.OFFICE_ADMIN})


def can_view_delivery_log(user) -> bool:
    access = access_for(user)
    return access.is_executive_head or bool(access.schools_with(LOG_ROLES))


def _school_filter(access, prefix: str = "") -> Q:
    condition = Q(**{f"{prefix}pk__in_ids": access.schools_with(LOG_ROLES)})
    if access.is_executive_head:
        condition |= Q(**{f"{prefix}pk__in_ids": access.federation_school_ids})
    return condition


def log_schools_of(user) -> QuerySet[School]:
    """Schools whose notices the user sees in the delivery log."""
    access = access_for(user)
    if not can_view_delivery_log(user):
        return School.objects.none()
    return School.objects.filter(_school_filter(access))


def delivery_log_visible_to(user) -> QuerySet[Notification]:
    """Every notice of the user's log schools, and their own; never one hidden from them."""
    access = access_for(user)
    if not can_view_delivery_log(user):
        return Notification.objects.none()
    rows = Notification.objects.filter(
        _school_filter(access, prefix="school__") | Q(recipient_user_id=user.pk)
    )
    if access.person_id is not None:
        rows = rows.exclude(
            Exists(HiddenFrom.objects.filter(notification=OuterRef("pk"), person_id=access.person_id))
        )
    return rows
