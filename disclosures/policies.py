"""Who may see and answer subject access requests: the handling role (a setting, by default the
Executive Head) and superusers; everyone else is answered 404, the register included.

A handler never handles a request they made or one about themselves (subject blindness, as for
allegations): another handler, or a superuser, answers it.
"""

from django.conf import settings
from django.db.models import Q, QuerySet

from people.models import FEDERATION_ROLES, Person, Role, School
from people.policies import access_for

from .models import AccessRequest


def handler_role() -> str:
    role = settings.DISCLOSURES_HANDLER_ROLE
    if role not in Role.values:
        raise ValueError(f"DISCLOSURES_HANDLER_ROLE names no role: {role!r}.")
    return role


def handler_role_label() -> str:
    return Role(handler_role()).label


def handled_school_ids(user) -> frozenset[int]:
    """The schools whose requests the user handles (none for everyone but the handling role)."""
    access = access_for(user)
    role = handler_role()
    if role in FEDERATION_ROLES:
        held = {f for f, r in access.federation_roles if r == role}
        return access.federation_school_ids if held else frozenset()
    return access.schools_with({role})


def can_handle_requests(user) -> bool:
    """Holds the handling role somewhere, or is a superuser (no query beyond the cached roles)."""
    access = access_for(user)
    return access.is_superuser or bool(handled_school_ids(user))


def requests_visible_to(user) -> QuerySet[AccessRequest]:
    """The requests the user handles; never one they made or one about themselves."""
    access = access_for(user)
    if access.is_superuser:
        found = AccessRequest.objects.all()
    elif not can_handle_requests(user):
        return AccessRequest.objects.none()
    else:
        found = AccessRequest.objects.filter(school_id__in_ids=handled_school_ids(user))
    if access.person_id is not None:
        found = found.exclude(Q(subject_id=access.person_id) | Q(requester_id=access.person_id))
    return found


def schools_for_requests(user) -> QuerySet[School]:
    if access_for(user).is_superuser:
        return School.objects.all()
    return School.objects.filter(pk__in_ids=handled_school_ids(user))


def people_for_requests(user) -> QuerySet[Person]:
    """Who a request may name (as requester or subject): people of the handler's schools, never the
    handler."""
    access = access_for(user)
    found = Person.objects.all()
    if not access.is_superuser:
        found = found.filter(memberships__school_id__in_ids=handled_school_ids(user)).distinct()
    if access.person_id is not None:
        found = found.exclude(pk=access.person_id)
    return found.order_by("last_name", "first_name", "id")


def can_work_request(user, request: AccessRequest) -> bool:
    """Takes the request's steps: a handler of its school who is neither its requester nor its subject."""
    access = access_for(user)
    if access.person_id is not None and access.person_id in (request.subject_id, request.requester_id):
        return False
    return access.is_superuser or request.school_id in handled_school_ids(user)
