"""factory_boy factories for the registry. Domain apps add theirs beside these."""

from datetime import date

import factory
from django.contrib.auth import get_user_model

from people.models import (
    ClassGroup,
    Federation,
    Membership,
    ParentLink,
    Person,
    PersonKind,
    Role,
    RoleAssignment,
    School,
)

TEST_PASSWORD = "a-long-test-password-42"


class FederationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Federation
        django_get_or_create = ("name",)

    name = "Test Federation"


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    federation = factory.SubFactory(FederationFactory)
    name = factory.Sequence(lambda n: f"School {n}")
    code = factory.Sequence(lambda n: f"school-{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PersonFactory(factory.django.DjangoModelFactory):
    """A person at a school (pass school=...); kind staff unless told."""

    class Meta:
        model = Person
        skip_postgeneration_save = True

    kind = PersonKind.STAFF
    first_name = factory.Sequence(lambda n: f"First{n}")
    last_name = factory.Sequence(lambda n: f"Last{n}")

    @factory.post_generation
    def school(obj, create, extracted, **kwargs):
        if create and extracted:
            Membership.objects.create(person=obj, school=extracted)


class PupilFactory(PersonFactory):
    kind = PersonKind.PUPIL
    date_of_birth = date(2014, 5, 1)


class ParentFactory(PersonFactory):
    kind = PersonKind.PARENT
    email = factory.Sequence(lambda n: f"parent{n}@example.org")


class ParentLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParentLink

    parent = factory.SubFactory(ParentFactory)
    pupil = factory.SubFactory(PupilFactory)
    relationship = ParentLink.Relationship.MOTHER


class ClassGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClassGroup

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"Class {n}")
    year_group = 7


def make_user(*roles, school=None, federation=None, kind=PersonKind.STAFF, **person_fields):
    """A sign-in whose person holds `roles`: school roles at `school`, federation roles
    in `federation` (by default the school's). The person belongs to `school` when given."""
    user = UserFactory()
    person = PersonFactory(user=user, kind=kind, school=school, **person_fields)
    for role in roles:
        if role in (Role.EXECUTIVE_HEAD, Role.CHAIR_OF_GOVERNORS):
            fed = federation or (school.federation if school else FederationFactory())
            RoleAssignment.objects.create(person=person, role=role, federation=fed)
        else:
            RoleAssignment.objects.create(person=person, role=role, school=school)
    return user
