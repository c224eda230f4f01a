"""The delivery log: who may see it, whose rows they see, filters, and its query budget."""

import pytest
from django.urls import reverse

from notifications.models import Channel, Status
from people.models import Role

from ..factories import ParentFactory, make_user
from .factories import NotificationFactory

pytestmark = pytest.mark.django_db

LOG = reverse("notifications:log")


def _row(school, **fields):
    fields.setdefault("recipient_user", None)
    fields.setdefault("recipient_person", ParentFactory())
    fields.setdefault("channel", Channel.EMAIL)
    return NotificationFactory(school=school, **fields)


@pytest.mark.parametrize("role_user", ["office_user", "dsl_user", "head_user", "exec_head_user"])
def test_the_office_the_dsl_and_the_heads_may_see_it(client, request, role_user, school):
    _row(school)
    client.force_login(request.getfixturevalue(role_user))
    response = client.get(LOG)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 1


@pytest.mark.parametrize(
    "role_user", ["staff_user", "teacher_user", "slt_user", "governor_user", "chair_user"]
)
def test_everyone_else_is_refused(client, request, role_user, school):
    client.force_login(request.getfixturevalue(role_user))
    assert client.get(LOG).status_code == 403
    assert client.post(reverse("notifications:send_test")).status_code == 403


def test_another_schools_rows_never_appear_and_answer_404(client, school, other_school, office_user):
    mine = _row(school, status=Status.FAILED)
    theirs = _row(other_school, status=Status.FAILED)
    client.force_login(office_user)

    page = client.get(LOG)

    assert [n.pk for n, _, _, _ in page.context["rows"]] == [mine.pk]
    for action in ("retry", "cancel", "delivered"):
        assert client.post(reverse(f"notifications:{action}", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Status.FAILED


def test_the_executive_head_sees_the_whole_federation(client, school, other_school, exec_head_user):
    from ..factories import FederationFactory, SchoolFactory

    elsewhere = SchoolFactory(federation=FederationFactory(name="Elsewhere Federation"))
    _row(school)
    _row(other_school)
    _row(elsewhere)
    client.force_login(exec_head_user)
    assert client.get(LOG).context["page"].paginator.count == 2


def test_filters_by_status_and_channel(client, school, office_user):
    failed = _row(school, status=Status.FAILED)
    _row(school, status=Status.SENT)
    manual = _row(school, status=Status.PENDING, channel=Channel.MANUAL)
    client.force_login(office_user)

    by_status = client.get(LOG, {"f-status": "failed"})
    by_channel = client.get(LOG, {"f-channel": "manual"})

    assert [n.pk for n, _, _, _ in by_status.context["rows"]] == [failed.pk]
    assert [n.pk for n, _, _, _ in by_channel.context["rows"]] == [manual.pk]
    assert 'id="id_f-status"' in by_status.content.decode()


def test_shows_recipient_channel_notice_status_attempts_and_error(client, school, office_user):
    parent = ParentFactory(first_name="Jo", last_name="Brookfield")
    _row(
        school,
        recipient_person=parent,
        status=Status.FAILED,
        attempts=5,
        last_error="SMTPRecipientsRefused: mailbox unavailable",
        template="parent_contact_request",
    )
    client.force_login(office_user)

    text = client.get(LOG).content.decode()

    for shown in [
        "Jo Brookfield",
        "Email",
        "Please contact the school",
        "Failed",
        ">5<",
        "SMTPRecipientsRefused: mailbox unavailable",
        "Send again",
    ]:
        assert shown in text, shown
    assert "<caption" in text and 'scope="col"' in text
    assert 'style="' not in text


def test_a_manual_row_shows_what_to_say(client, school, office_user):
    _row(
        school,
        status=Status.PENDING,
        channel=Channel.MANUAL,
        template="parent_contact_request",
        context={"school_name": "Larch School"},
    )
    client.force_login(office_user)

    text = client.get(LOG).content.decode()

    assert "Call or write to the parent" in text
    assert "Please contact the school office when you can." in text
    assert "Mark delivered" in text


def test_a_user_with_a_role_elsewhere_only_sees_their_school(client, school, other_school):
    other_office = make_user(Role.OFFICE_ADMIN, school=other_school)
    _row(school)
    client.force_login(other_office)
    assert client.get(LOG).context["page"].paginator.count == 0


def _log_queries(client, django_assert_num_queries, count):
    with django_assert_num_queries(count):
        assert client.get(LOG, {"f-status": "failed"}).status_code == 200


def test_query_count_is_constant_with_ten_times_the_rows(
    client, school, office_user, django_assert_num_queries
):
    def add(n):
        for _ in range(n):
            _row(school, status=Status.FAILED, last_error="TimeoutError: timed out")
            _row(school, status=Status.PENDING, channel=Channel.MANUAL, template="parent_contact_request")
            NotificationFactory(school=school, recipient_user=office_user, status=Status.FAILED)

    add(2)
    client.force_login(office_user)
    client.get(LOG)  # warm up
    # 1 session, 2 user, 3 the roles, 4 the page's count, 5 the page's rows (recipients and school
    # joined), 6 the unread count in the navigation; the session is not written
    _log_queries(client, django_assert_num_queries, 6)
    add(18)
    _log_queries(client, django_assert_num_queries, 6)
