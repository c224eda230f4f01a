"""The Executive Head's federation-wide case queries filter on each record's own school column, with the
federation's schools read once with the roles: no join to the schools on every count and list."""

import pytest

from incidents import policies, selectors
from incidents.models import Allegation
from people.models import Role

from ..factories import PersonFactory, make_user
from .casework import record_case

pytestmark = pytest.mark.django_db


SCOPES = [
    policies.allegations_visible_to,
    policies.concerns_visible_to,
    policies.low_level_cases_visible_to,
    policies.low_level_reviews_visible_to,
    policies.pupil_incidents_visible_to,
    policies.cyberbullying_visible_to,
    selectors.my_open_incident_actions,
]


@pytest.mark.parametrize("scope", SCOPES, ids=lambda scope: scope.__name__)
def test_federation_scope_needs_no_join_to_the_schools(scope, exec_head_user, school, other_school):
    sql = str(scope(exec_head_user).query)
    assert "people_school" not in sql
    assert str(school.pk) in sql and str(other_school.pk) in sql


def test_the_executive_head_still_sees_every_school_of_the_federation(
    exec_head_user, dsl_user, school, other_school
):
    other_dsl = make_user(Role.DSL, Role.STAFF, school=other_school)
    cases = [
        record_case(dsl_user, school, PersonFactory(school=school)),
        record_case(other_dsl, other_school, PersonFactory(school=other_school)),
    ]
    visible = set(policies.allegations_visible_to(exec_head_user).values_list("pk", flat=True))
    assert visible == {case.pk for case in cases}
    assert Allegation.objects.count() == 2
