"""factory_boy factories for approvals, and a helper that puts a proposal in any state."""

from datetime import timedelta

import factory
from django.utils import timezone

from approvals.models import (
    DECIDED_STATUSES,
    REASONED_STATUSES,
    Declaration,
    DeclarationKind,
    Hosting,
    Proposal,
    ProposalStatus,
    PublicationPermission,
    Relationship,
)
from core.vocabulary import Platform

from ..factories import SchoolFactory, UserFactory


class ProposalFactory(factory.django.DjangoModelFactory):
    """A complete draft for a school-hosted blog for parents (pass status=... through `in_state`)."""

    class Meta:
        model = Proposal
        skip_postgeneration_save = True

    school = factory.SubFactory(SchoolFactory)
    proposer = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Service {n}")
    platform = Platform.BLOG
    minimum_age = 13
    account = factory.Sequence(lambda n: f"blog.example.org/{n}")
    purpose = "News for families."
    hosting = Hosting.SCHOOL
    audience_parents = True
    moderation_plan = "Two moderators check each post."
    safeguard_comment_moderation = True
    safeguard_privacy_settings = True
    safeguard_no_personal_details = True
    safeguard_image_consent = True

    @factory.post_generation
    def moderators(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.moderators.set(extracted)


def in_state(status: str, *, decider=None, **fields) -> Proposal:
    """A proposal as the workflow would have left it in `status` (decided by `decider` where it was decided)."""
    now = timezone.now()
    values = {"status": status}
    if status not in (ProposalStatus.DRAFT,):
        values.update(terms_confirmed_at=now, submitted_at=now)
    if status == ProposalStatus.WITHDRAWN:
        values.update(terms_confirmed_at=None, submitted_at=None)
    if status in DECIDED_STATUSES or status == ProposalStatus.REJECTED:
        values.update(decided_by=decider or UserFactory(), decided_at=now)
    if status in DECIDED_STATUSES:
        values["review_date"] = timezone.localdate() + timedelta(days=300)
    if status in REASONED_STATUSES:
        values["status_reason"] = "A reason."
    if status == ProposalStatus.CHANGES_REQUESTED:
        values.update(decided_by=decider or UserFactory(), decided_at=now)
    values.update(fields)
    return ProposalFactory(**values)


class DeclarationFactory(factory.django.DjangoModelFactory):
    """A submitted declaration of a family link (pass pupils=[...])."""

    class Meta:
        model = Declaration
        skip_postgeneration_save = True

    school = factory.SubFactory(SchoolFactory)
    declarant = factory.SubFactory(UserFactory)
    kind = DeclarationKind.FAMILY_LINK
    relationship = Relationship.RELATIVE
    statement = "My niece is at the school."
    declared_on = factory.LazyFunction(timezone.localdate)

    @factory.post_generation
    def pupils(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.pupils.set(extracted)


class PermissionFactory(factory.django.DjangoModelFactory):
    """A request for permission to post on an approved service."""

    class Meta:
        model = PublicationPermission
        skip_postgeneration_save = True

    service = factory.LazyAttribute(lambda o: in_state(ProposalStatus.APPROVED, school=o.school))
    school = factory.SubFactory(SchoolFactory)
    requester = factory.SubFactory(UserFactory)
    post_text = "Photos of the museum trip."
    event = "Museum trip"
