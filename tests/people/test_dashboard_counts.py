"""A card counts no further than the dashboard's limit and then shows "99+": counting stops there, so the
dashboard costs the same however many records the federation holds. The lists give the exact figures."""

from datetime import date

import pytest
from django.urls import reverse

from core.dashboard import COUNT_LIMIT, Card, First, count_up_to, figure, read_figures
from core.extensions import DASHBOARD_CARDS
from people.models import Person

from ..factories import PupilFactory

pytestmark = pytest.mark.django_db


def test_counting_stops_one_past_the_limit(django_assert_num_queries, school):
    PupilFactory.create_batch(6, school=school)
    people = Person.objects.filter(memberships__school=school)
    with django_assert_num_queries(1):
        assert count_up_to(people, limit=3) == 4
    assert count_up_to(people, limit=6) == 6
    assert count_up_to(people, limit=10) == 6
    assert count_up_to(people.none()) == 0


def test_a_count_past_the_limit_shows_with_a_plus():
    assert figure(0) == "0"
    assert figure(COUNT_LIMIT) == f"{COUNT_LIMIT:,}"
    assert figure(COUNT_LIMIT + 1) == f"{COUNT_LIMIT:,}+"
    assert figure(1234, limit=2000) == "1,234"
    assert Card(title="T", body="B", count=COUNT_LIMIT + 1).count_text == "99+"
    assert Card(title="T", body="B", count=7).count_text == "7"
    assert Card(title="T", body="B").count_text == ""


def test_the_registry_card_links_without_counting(client, office_user, school):
    PupilFactory.create_batch(4, school=school)
    client.force_login(office_user)
    response = client.get(reverse("dashboard"))
    [card] = [c for c in response.context["cards"] if c.title == "People registry"]
    assert card.count is None and card.url == reverse("people:person_list")
    assert "Open the registry" in response.text


def test_a_count_past_the_limit_shows_the_limit_and_a_plus_on_the_page(client, dsl_user, monkeypatch):
    client.force_login(dsl_user)
    monkeypatch.setattr(
        "people.views.pages.cards_for",
        lambda user: [Card(title="Many", body="B", count=COUNT_LIMIT + 1, url="/x/", link_text="Open")],
    )
    response = client.get(reverse("dashboard"))
    assert '<p class="card-count mb-1">99+</p>' in response.text


def test_many_counts_come_in_one_query(django_assert_num_queries, school, other_school):
    PupilFactory.create_batch(5, school=school)
    PupilFactory.create_batch(2, school=other_school)
    here = Person.objects.filter(memberships__school=school)
    there = Person.objects.filter(memberships__school=other_school)
    with django_assert_num_queries(1):
        assert read_figures([here, there, here.filter(last_name="no such name")], limit=3) == [4, 2, 0]
    assert read_figures([here, there]) == [5, 2]


def test_a_count_that_can_match_nothing_costs_no_query(django_assert_num_queries, school):
    PupilFactory.create_batch(2, school=school)
    people = Person.objects.filter(memberships__school=school)
    with django_assert_num_queries(0):
        assert read_figures([]) == []
        assert read_figures([people.none(), Person.objects.filter(pk__in=[])]) == [0, 0]
    with django_assert_num_queries(1):
        assert read_figures([people.none(), people]) == [0, 2]


def test_a_first_value_comes_with_the_counts_converted_as_the_orm_converts_it(
    django_assert_num_queries, school, other_school
):
    """A nearest date read in the same query as the counts is the value the ORM would give: a date, an
    aware datetime; None when nothing matches, and no SQL at all when nothing can."""
    from django.db.models import Count

    from people.models import School

    PupilFactory(school=school, date_of_birth=date(2014, 5, 2))
    PupilFactory(school=school, date_of_birth=date(2012, 9, 30))
    people = Person.objects.filter(memberships__school=school)
    births = people.order_by("date_of_birth").values_list("date_of_birth", flat=True)
    created = people.order_by("-created_at").values_list("created_at", flat=True)
    with django_assert_num_queries(1):
        figures = read_figures(
            [people, First(births), First(created), First(births.filter(last_name="no such name"))]
        )
    assert figures == [2, date(2012, 9, 30), created.first(), None]
    assert figures[2].tzinfo is not None
    with django_assert_num_queries(0):
        assert read_figures([First(births.none()), people.none()]) == [None, 0]
    # A grouped queryset counts its groups.
    by_school = (
        School.objects.filter(pk__in=[school.pk, other_school.pk]).values("pk").annotate(n=Count("id"))
    )
    assert read_figures([by_school, by_school.filter(pk=school.pk)]) == [2, 1]


def test_card_providers_ask_for_their_counts_and_the_dashboard_counts_them_together(
    django_assert_num_queries, school
):
    """Two providers asking for counts and one that asks for none: one query for all of them, and each
    provider gets its own figures back, in the shape it asked."""
    from core import dashboard

    PupilFactory.create_batch(3, school=school)
    people = Person.objects.filter(memberships__school=school)

    def one(user):
        count = yield people
        return Card(title="One", body="", count=count)

    def two(user):
        first, second = yield (people, people.filter(last_name="no such name"))
        return None if not second else Card(title="Never", body="")

    def plain(user):
        return Card(title="Plain", body="")

    def early(user):
        return None
        yield people  # a generator that returns before asking

    with DASHBOARD_CARDS.emptied():
        for provider in (one, two, plain, early):
            dashboard.register_card(provider)
        dashboard.register_card(one)  # registering again changes nothing
        assert len(DASHBOARD_CARDS) == 4
        with django_assert_num_queries(1):
            cards = dashboard.cards_for(None)
        assert [(c.title, c.count) for c in cards] == [("One", 3), ("Plain", None)]
        with django_assert_num_queries(1):
            assert dashboard.register_card(one)(None).count == 3  # called on its own: its own query
        with django_assert_num_queries(0):
            assert dashboard.register_card(early)(None) is None


def test_a_provider_asking_twice_is_a_mistake(school):
    from core import dashboard

    def greedy(user):
        yield Person.objects.all()
        yield Person.objects.all()

    with pytest.raises(RuntimeError, match="once"):
        dashboard.CardProvider(greedy)(None)
