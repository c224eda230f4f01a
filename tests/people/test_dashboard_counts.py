"""A card counts no further than the dashboard's limit and then shows "999+": counting stops there, so the
dashboard costs the same however many records the federation holds. The lists give the exact figures."""

import pytest
from django.urls import reverse

from people.dashboard import COUNT_LIMIT, Card, count_up_to, figure
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
    assert Card(title="T", body="B", count=COUNT_LIMIT + 1).count_text == "999+"
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
        "people.views.cards_for",
        lambda user: [Card(title="Many", body="B", count=COUNT_LIMIT + 1, url="/x/", link_text="Open")],
    )
    response = client.get(reverse("dashboard"))
    assert '<p class="card-count mb-1">999+</p>' in response.text
