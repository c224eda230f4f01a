"""Reads for the policy pages. Each returns what its page shows with the joins it needs, so that
templates never query."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from . import policies
from .models import Acknowledgement, PolicyVersion, Section, VersionStatus

_SECTIONS = Prefetch("sections", queryset=Section.objects.order_by("number"))


def public_versions() -> list[PolicyVersion]:
    """The current (ratified) version of every policy, with its sections: two queries."""
    return list(
        PolicyVersion.objects.filter(status=VersionStatus.RATIFIED)
        .select_related("policy__federation")
        .prefetch_related(_SECTIONS)
        .order_by("policy__federation__name", "policy__title", "policy_id")
    )


def current_for(user) -> PolicyVersion | None:
    """The current version of the user's federation's policy, with its sections (two queries)."""
    return (
        PolicyVersion.objects.filter(
            status=VersionStatus.RATIFIED, policy__federation_id__in=policies.federations_of(user)
        )
        .select_related("policy")
        .prefetch_related(_SECTIONS)
        .order_by("policy__title", "policy_id")
        .first()
    )


def acknowledgement_of(user, version: PolicyVersion) -> Acknowledgement | None:
    person_id = policies.access_for(user).person_id
    if person_id is None:
        return None
    return Acknowledgement.objects.filter(version=version, person_id=person_id).first()


def versions_for_list(user) -> QuerySet[PolicyVersion]:
    """The versions the user may see, newest first, with how many staff confirmed each (one query)."""
    return (
        policies.versions_visible_to(user)
        .select_related("policy", "imported_by")
        .annotate(confirmations=Count("acknowledgements"))
        .order_by("policy__title", "policy_id", "-number")
    )


def version_for_page(user, pk: int) -> QuerySet[PolicyVersion]:
    return (
        policies.versions_visible_to(user)
        .filter(pk=pk)
        .select_related("policy", "imported_by", "ratification_recorded_by", "superseded_by")
        .prefetch_related(_SECTIONS, "clauses")
    )


def versions_to_compare(user) -> QuerySet[PolicyVersion]:
    return policies.versions_visible_to(user).select_related("policy").order_by("-number")


def open_versions(user) -> QuerySet[PolicyVersion]:
    """Drafts the user may ratify or discard."""
    return policies.versions_visible_to(user).filter(Q(status=VersionStatus.DRAFT))


def current_version_for(federation_id: int) -> PolicyVersion | None:
    """The federation's current (ratified) version, or None."""
    return (
        PolicyVersion.objects.filter(policy__federation_id=federation_id, status=VersionStatus.RATIFIED)
        .select_related("policy")
        .order_by("policy__title", "policy_id")
        .first()
    )


def unacknowledged_current_versions(user):
    """Ratified versions of the user's federations that the user has not confirmed (one query)."""
    access = policies.access_for(user)
    return PolicyVersion.objects.filter(
        status=VersionStatus.RATIFIED, policy__federation_id__in=policies.federations_of(user)
    ).exclude(Exists(Acknowledgement.objects.filter(version=OuterRef("pk"), person_id=access.person_id)))
