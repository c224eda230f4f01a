"""A pupil's page: their incidents and current ICT sanctions (§8) for the school's safeguarding team, and the
family links staff declared with them (§7) for the declarations register's readers (the heads and the DSL)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents import cards
from incidents.models import IncidentType
from people.models import PersonKind, Role
from people.policies import access_for

from ..approvals.factories import DeclarationFactory
from ..factories import make_user
from .pupilwork import pupil_with_parent, record

pytestmark = pytest.mark.django_db

INCIDENTS = "Incidents (§8)"
SANCTION = "School ICT only under close supervision until"
LINKS = "Declared family links (§7)"


@pytest.fixture
def pupil_world(school, staff_user):
    """A pupil with a phone incident, a firewall breach under a current sanction, an earlier sanction that has
    ended, and a family link declared by a class teacher."""
    pupil = pupil_with_parent(school)
    today = timezone.localdate()
    phone = record(staff_user, school, IncidentType.PHONE_NOT_HANDED_IN, pupils=[pupil])
    firewall = record(
        staff_user,
        school,
        IncidentType.FIREWALL_BREACH,
        pupils=[pupil],
        sanction_starts_on=today - timedelta(days=1),
        sanction_ends_on=today + timedelta(days=6),
    )
    record(
        staff_user,
        school,
        IncidentType.FIREWALL_BREACH,
        pupils=[pupil],
        sanction_starts_on=today - timedelta(days=30),
        sanction_ends_on=today - timedelta(days=20),
    )
    declarant = make_user(Role.CLASS_TEACHER, Role.STAFF, school=school)
    DeclarationFactory(school=school, declarant=declarant, pupils=[pupil])
    return {"pupil": pupil, "phone": phone, "firewall": firewall, "until": today + timedelta(days=6)}


def _page(client, user, pupil):
    client.force_login(user)
    return client.get(reverse("people:person_detail", args=[pupil.pk]))


@pytest.mark.parametrize(
    ("fixture", "incidents", "links"),
    [
        ("dsl_user", True, True),
        ("head_user", True, True),
        ("exec_head_user", True, True),
        ("slt_user", True, False),
        ("teacher_user", False, False),
        ("office_user", False, False),
    ],
)
def test_who_sees_what_on_the_pupils_page(client, request, pupil_world, fixture, incidents, links):
    response = _page(client, request.getfixturevalue(fixture), pupil_world["pupil"])
    assert response.status_code == 200
    html = response.content.decode()
    assert (INCIDENTS in html) is incidents
    assert (pupil_world["phone"].reference in html) is incidents
    assert (pupil_world["firewall"].reference in html) is incidents
    # Everyone who works with the pupil knows the sanction in force, once; only the case team sees why.
    assert html.count(SANCTION) == 1
    assert (LINKS in html) is links


def test_the_class_teacher_sees_the_sanction_and_its_end_without_the_incident(
    client, teacher_user, pupil_world
):
    html = _page(client, teacher_user, pupil_world["pupil"]).content.decode()
    assert f"{SANCTION} {pupil_world['until']:%-d %b %Y}. The DSL holds the details." in html
    assert pupil_world["firewall"].get_absolute_url() not in html


def test_no_sanction_in_force_shows_nothing_to_the_teacher(client, teacher_user, school):
    pupil = pupil_with_parent(school)
    record(teacher_user, school, IncidentType.PHONE_NOT_HANDED_IN, pupils=[pupil])
    assert SANCTION not in _page(client, teacher_user, pupil).content.decode()


def test_the_panel_lists_the_incidents_and_only_the_sanction_in_force(client, dsl_user, pupil_world):
    html = _page(client, dsl_user, pupil_world["pupil"]).content.decode()
    firewall = pupil_world["firewall"]
    assert f"{SANCTION} {pupil_world['until']:%-d %b %Y}" in html
    assert f'href="{firewall.get_absolute_url()}">{firewall.reference}</a>)' in html
    assert html.count(SANCTION) == 1
    assert html.count("An attempt to get round the school&#x27;s firewall") == 2


def test_another_schools_safeguarding_team_sees_nothing(client, pupil_world, other_school):
    dsl = make_user(Role.DSL, Role.HEAD_OF_SCHOOL, Role.STAFF, school=other_school)
    response = _page(client, dsl, pupil_world["pupil"])
    assert response.status_code == 404 or INCIDENTS not in response.content.decode()


def test_the_adult_of_an_improper_contact_never_sees_it_on_the_pupils_page(client, staff_user, school):
    adult = make_user(Role.DSL, Role.STAFF, school=school)
    pupil = pupil_with_parent(school)
    contact = record(staff_user, school, IncidentType.IMPROPER_CONTACT, pupils=[pupil], adult=adult.person)
    phone = record(staff_user, school, IncidentType.PHONE_NOT_HANDED_IN, pupils=[pupil])
    html = _page(client, adult, pupil).content.decode()
    assert phone.reference in html and contact.reference not in html


def test_a_former_pupils_incidents_stay_on_their_page(client, dsl_user, pupil_world):
    pupil = pupil_world["pupil"]
    pupil.kind, pupil.left_on = PersonKind.FORMER_PUPIL, timezone.localdate()
    pupil.save(update_fields=["kind", "left_on"])
    html = _page(client, dsl_user, pupil).content.decode()
    assert pupil_world["phone"].reference in html


@pytest.mark.parametrize("rows", [1, 10])
def test_the_panel_costs_two_queries_whatever_the_rows(
    django_assert_num_queries, staff_user, dsl_user, school, rows
):
    """The incidents (with their school) and the current sanctions (with their incident)."""
    pupil = pupil_with_parent(school)
    today = timezone.localdate()
    for _ in range(rows):
        record(
            staff_user,
            school,
            IncidentType.FIREWALL_BREACH,
            pupils=[pupil],
            sanction_starts_on=today,
            sanction_ends_on=today + timedelta(days=3),
        )
    staff = make_user(Role.STAFF, school=school)
    access_for(dsl_user), access_for(staff)  # a request has read the roles already
    with django_assert_num_queries(2):
        panel = cards.pupil_incidents_panel(dsl_user, pupil)
        assert len(panel.context["incidents"]) == len(panel.context["sanctions"]) == rows
    with django_assert_num_queries(0):
        assert cards.pupil_incidents_panel(staff, pupil) is None
