"""Reading a record's history and viewers, and showing them without further queries."""

from zoneinfo import ZoneInfo

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateformat import format as date_format

from audit.selectors import history_for, viewers_of
from audit.services import audit_record, audit_view


def make_trail(actor, other_actor, school):
    create = audit_record(actor=actor, action="people.school.create", target=school, school=school)
    view_1 = audit_view(actor=other_actor, target=school, school=school)
    update = audit_record(
        actor=None, action="people.school.update", target=school, data={"changed": {"name": ["Ash", "Birch"]}}
    )
    view_2 = audit_view(actor=actor, target=school)
    # Events on another record never show up.
    audit_record(actor=actor, action="people.user.update", target=other_actor)
    return create, view_1, update, view_2


def test_history_lists_changes_newest_first_in_one_query(
    actor, other_actor, audit_school, django_assert_num_queries
):
    """`history_for` returns the non-view events on the target, newest first, in one query with actors."""
    create, _view_1, update, _view_2 = make_trail(actor, other_actor, audit_school)
    with django_assert_num_queries(1):
        history = history_for(audit_school)
        names = [e.actor.get_full_name() if e.actor else None for e in history]
    assert history == [update, create]
    assert names == [None, "Alice Archer"]


def test_viewers_lists_views_newest_first_in_one_query(
    actor, other_actor, audit_school, django_assert_num_queries
):
    """`viewers_of` returns only the view events on the target, newest first, in one query with actors."""
    _create, view_1, _update, view_2 = make_trail(actor, other_actor, audit_school)
    with django_assert_num_queries(1):
        viewers = viewers_of(audit_school)
        names = [e.actor.get_full_name() for e in viewers]
    assert viewers == [view_2, view_1]
    assert names == ["Alice Archer", "Bob Baker"]


def test_selectors_respect_the_limit(actor, audit_school):
    """`limit` caps how many events are returned (the newest ones)."""
    events = [audit_record(actor=actor, action="people.school.update", target=audit_school) for _ in range(4)]
    assert history_for(audit_school, limit=2) == [events[3], events[2]]
    assert viewers_of(audit_school, limit=2) == []


def test_panel_renders_history_and_viewers_without_queries(
    actor, other_actor, audit_school, django_assert_num_queries
):
    """The panel shows when (London time), who ("System" for no actor), a readable action and changed fields,
    and the viewers, running no query while rendering."""
    create, view_1, update, _view_2 = make_trail(actor, other_actor, audit_school)
    history, viewers = history_for(audit_school), viewers_of(audit_school)
    with django_assert_num_queries(0):
        html = render_to_string("audit/includes/history_panel.html", {"history": history, "viewers": viewers})
    assert "History" in html and "Who viewed this" in html
    assert "Alice Archer" in html and "Bob Baker" in html
    assert "System" in html
    assert "School create" in html and "School update" in html
    assert '<li class="list-inline-item">name</li>' in html
    london = timezone.localtime(create.at, ZoneInfo("Europe/London"))
    assert date_format(london, "j M Y H:i") in html
    assert 'scope="col"' in html and '<caption class="visually-hidden">' in html
    assert "style=" not in html and "<script" not in html
    # Values of changed fields are not repeated on the panel.
    assert "Ash" not in html


def test_panel_with_nothing_recorded(db, django_assert_num_queries):
    """Empty lists render plain notes rather than empty tables."""
    with django_assert_num_queries(0):
        html = render_to_string("audit/includes/history_panel.html", {"history": [], "viewers": []})
    assert "No changes recorded." in html and "No views recorded." in html
    assert "<table" not in html
