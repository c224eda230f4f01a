"""`__in_ids`: the scopes' filter on a set of integer keys, sent as one array parameter on PostgreSQL.
It must match exactly the rows `__in` matches, in every shape the scopes use it."""

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef, Q

from people.models import ClassGroup, School

from ..factories import ClassGroupFactory, SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def classes():
    schools = SchoolFactory.create_batch(4)
    return {school.pk: ClassGroupFactory.create_batch(2, school=school) for school in schools}


def _ids(queryset) -> list[int]:
    return sorted(queryset.values_list("pk", flat=True))


def test_matches_the_rows_that_in_matches(classes):
    """On a foreign key, through the key of a join, and on a primary key, with repeated keys."""
    wanted = frozenset(list(classes)[:3])
    assert _ids(ClassGroup.objects.filter(school_id__in_ids=wanted)) == _ids(
        ClassGroup.objects.filter(school_id__in=wanted)
    )
    assert len(_ids(ClassGroup.objects.filter(school_id__in_ids=wanted))) == 6
    assert _ids(ClassGroup.objects.filter(school__pk__in_ids=wanted)) == _ids(
        ClassGroup.objects.filter(school_id__in=wanted)
    )
    assert _ids(School.objects.filter(pk__in_ids=[*wanted, *wanted])) == sorted(wanted)


def test_an_empty_set_matches_nothing_without_a_query(classes, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert list(ClassGroup.objects.filter(school_id__in_ids=frozenset())) == []


def test_an_empty_set_drops_out_of_an_or(classes):
    """As `__in` does: "in no school, or this class" is this class."""
    first = classes[next(iter(classes))][0]
    found = ClassGroup.objects.filter(Q(school_id__in_ids=frozenset()) | Q(pk=first.pk))
    assert _ids(found) == [first.pk]


def test_excluded_keys_leave_every_other_row(classes):
    """exclude() keeps the other rows, those where the column is NULL included, as `__in` does."""
    [first, *rest] = list(classes)
    assert len(_ids(ClassGroup.objects.exclude(school_id__in_ids={first}))) == 2 * len(rest)
    ClassGroup.objects.filter(school_id=first).update(year_group=None)
    years = {7}
    assert _ids(ClassGroup.objects.exclude(year_group__in_ids=years)) == _ids(
        ClassGroup.objects.exclude(year_group__in=years)
    )
    assert len(_ids(ClassGroup.objects.exclude(year_group__in_ids=years))) == 2
    assert len(_ids(ClassGroup.objects.exclude(school_id__in_ids=frozenset()))) == 2 * len(classes)


def test_inside_a_subquery(classes):
    """As the registry's scope uses it: within Exists(), next to an OuterRef."""
    wanted = frozenset(list(classes)[1:3])
    ours = School.objects.filter(
        Exists(ClassGroup.objects.filter(school=OuterRef("pk"), school_id__in_ids=wanted))
    )
    theirs = School.objects.filter(
        Exists(ClassGroup.objects.filter(school=OuterRef("pk"), school_id__in=wanted))
    )
    assert _ids(ours) == _ids(theirs) == sorted(wanted)


@pytest.mark.parametrize("keys", [["1"], [None], [True], [1.0], "12", 7])
def test_refuses_anything_but_integer_keys(keys):
    with pytest.raises(TypeError):
        ClassGroup.objects.filter(school_id__in_ids=keys)


def test_the_keys_go_as_one_parameter_on_postgresql_and_a_list_elsewhere():
    """The same set gives the same SQL whatever its order; PostgreSQL gets one array."""
    sql, params = ClassGroup.objects.filter(school_id__in_ids={9, 3, 5}).query.sql_with_params()
    again, _ = ClassGroup.objects.filter(school_id__in_ids=[5, 9, 3]).query.sql_with_params()
    assert sql == again
    if connection.vendor == "postgresql":
        assert '"school_id" = ANY(%s::bigint[])' in sql
        assert list(params) == [[3, 5, 9]]
        # The array has the column's own type (a key column is bigint), which PostgreSQL can hash.
        year_sql, _ = ClassGroup.objects.filter(year_group__in_ids={7}).query.sql_with_params()
        assert (
            f'"year_group" = ANY(%s::{ClassGroup._meta.get_field("year_group").cast_db_type(connection)}[])'
            in year_sql
        )
        pk_sql, _ = School.objects.filter(pk__in_ids={1}).query.sql_with_params()
        assert '"id" = ANY(%s::bigint[])' in pk_sql
    else:
        assert '"school_id" IN (%s, %s, %s)' in sql
        assert list(params) == [3, 5, 9]
