"""Pupil incident pages: who sees what (forbidden is 404 or 403), the parent notice preview, query budgets."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from incidents import notices, services
from incidents.models import IncidentAction, IncidentType, PupilIncident
from notifications.models import Notification
from people.models import Role

from ..factories import PersonFactory, make_user
from .pupilwork import a_changed_choice_sends_nothing, pupil_with_parent, record
from .test_evidence_files import PDF

pytestmark = pytest.mark.django_db


def test_staff_record_an_incident_through_the_confirmation_step(client, staff_user, school):
    pupil = pupil_with_parent(school)
    data = {
        "school": school.pk,
        "kind": IncidentType.PHONE_NOT_HANDED_IN,
        "pupils": [pupil.pk],
        "occurred_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "in_school_day": "yes",
        "location": "Form room",
        "what_happened": "Kept the phone in a bag.",
    }
    client.force_login(staff_user)
    url = reverse("incidents:pupil_incident_record")
    check = client.post(url, data)
    assert b"Check the incident" in check.content and not PupilIncident.objects.exists()
    done = client.post(url, {**data, "confirm": "yes"})
    assert done.status_code == 302 and PupilIncident.objects.get().recorded_by == staff_user


def _incident_data(school, kind, **extra):
    return {
        "school": school.pk,
        "kind": kind,
        "occurred_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "in_school_day": "yes",
        "location": "Form room",
        "what_happened": "Seen on the way in.",
        **extra,
    }


def test_the_check_page_says_who_is_told_before_it_is_recorded(
    client, staff_user, dsl_user, exec_head_user, school
):
    pupil = pupil_with_parent(school)
    client.force_login(staff_user)
    url = reverse("incidents:pupil_incident_record")
    joined = client.post(
        url,
        _incident_data(
            school,
            IncidentType.JOINED_STAFF_SOCIAL,
            pupils=[pupil.pk],
            adult=dsl_user.person.pk,
            platform="tiktok",
        ),
    ).text
    assert "Once recorded, the incident is on the school&#x27;s safeguarding list (§8)." in joined
    assert "The Executive Head is told at once" in joined and "It cannot be withdrawn." in joined
    contact = client.post(
        url,
        _incident_data(school, IncidentType.IMPROPER_CONTACT, pupils=[pupil.pk], adult_description="A man"),
    ).text
    assert (
        "The designated safeguarding lead is told at once and reviews it. The adult named is not told."
        in contact
    )
    assert not PupilIncident.objects.exists()


def test_the_check_page_says_where_improper_contact_by_the_dsl_goes(client, staff_user, dsl_user, school):
    pupil = pupil_with_parent(school)
    client.force_login(staff_user)
    page = client.post(
        reverse("incidents:pupil_incident_record"),
        _incident_data(school, IncidentType.IMPROPER_CONTACT, pupils=[pupil.pk], adult=dsl_user.person.pk),
    ).text
    assert "The adult you named is a designated safeguarding lead of the school" in page
    assert "The designated safeguarding lead is told at once and reviews it" not in page


def test_bad_input_keeps_what_was_typed_with_field_errors(client, staff_user, school):
    client.force_login(staff_user)
    response = client.post(
        reverse("incidents:pupil_incident_record"),
        {
            "school": school.pk,
            "kind": IncidentType.UNDER_AGE_ACCOUNT,
            "location": "Hall",
            "in_school_day": "no",
            "what_happened": "Kept text",
            "pupils": [pupil_with_parent(school).pk],
            "occurred_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 200
    assert "Choose the platform the account is on" in response.content.decode()
    assert "Kept text" in response.content.decode()
    assert not PupilIncident.objects.exists()


def test_staff_and_other_schools_cannot_see_incidents(client, staff_user, dsl_user, school, other_school):
    incident = record(staff_user, school)
    client.force_login(staff_user)
    assert client.get(reverse("incidents:pupil_incident_list")).status_code == 403
    assert client.get(incident.get_absolute_url()).status_code == 404
    client.force_login(make_user(Role.DSL, Role.STAFF, school=other_school))
    assert client.get(incident.get_absolute_url()).status_code == 404
    client.force_login(dsl_user)
    assert client.get(incident.get_absolute_url()).status_code == 200
    assert incident.reference in client.get(reverse("incidents:pupil_incident_list")).content.decode()


def test_list_filters(client, staff_user, dsl_user, school):
    phone = record(staff_user, school, IncidentType.PHONE_NOT_HANDED_IN)
    contact = record(staff_user, school, IncidentType.IMPROPER_CONTACT, adult_description="Unknown adult")
    client.force_login(dsl_user)
    url = reverse("incidents:pupil_incident_list")
    page = client.get(url, {"kind": IncidentType.PHONE_NOT_HANDED_IN}).context["page"]
    assert list(page.object_list) == [phone]
    page = client.get(url, {"open_actions": "yes"}).context["page"]
    assert list(page.object_list) == [contact]
    name = contact.pupils.get().last_name
    page = client.get(url, {"pupil": name}).context["page"]
    assert list(page.object_list) == [contact]


def test_list_filters_by_school_and_status(client, staff_user, school, other_school, exec_head_user):
    here = record(staff_user, school, IncidentType.PHONE_NOT_HANDED_IN)
    there = record(make_user(Role.STAFF, school=other_school), other_school, IncidentType.PHONE_NOT_HANDED_IN)
    closed = record(staff_user, school, IncidentType.SOCIAL_MEDIA_IN_DAY)
    services.pupil_incident_close(actor=exec_head_user, incident=closed)
    client.force_login(exec_head_user)
    url = reverse("incidents:pupil_incident_list")
    assert set(client.get(url).context["page"].object_list) == {here, there, closed}
    page = client.get(url, {"school": other_school.pk}).context["page"]
    assert list(page.object_list) == [there]
    page = client.get(url, {"school": school.pk, "status": PupilIncident.Status.OPEN}).context["page"]
    assert list(page.object_list) == [here]
    page = client.get(url, {"status": PupilIncident.Status.CLOSED}).context["page"]
    assert list(page.object_list) == [closed]


def test_parent_notice_preview_then_send(client, staff_user, dsl_user, school):
    pupil = pupil_with_parent(school)
    incident = record(staff_user, school, IncidentType.UNDER_AGE_ACCOUNT, pupils=[pupil], platform="tiktok")
    action = incident.actions.get()
    url = reverse("incidents:incident_parent_notice", args=[incident.pk, action.pk])
    client.force_login(dsl_user)
    shown = client.post(url, {"template": notices.PARENT_UNDER_AGE})
    assert (
        "TikTok" in shown.context["preview_text"]
        and not Notification.objects.filter(template=notices.PARENT_UNDER_AGE).exists()
    )
    a_changed_choice_sends_nothing(client, url)
    client.post(
        url, {"template": notices.PARENT_UNDER_AGE, "previewed": notices.PARENT_UNDER_AGE, "confirm": "yes"}
    )
    assert Notification.objects.filter(template=notices.PARENT_UNDER_AGE).count() == 1
    action.refresh_from_db()
    assert action.status == IncidentAction.Status.DONE


def test_a_notice_action_is_done_by_sending_the_notice_and_waived_with_a_reason_in_the_note_box(
    client, staff_user, dsl_user, school
):
    incident = record(
        staff_user,
        school,
        IncidentType.UNDER_AGE_ACCOUNT,
        pupils=[pupil_with_parent(school)],
        platform="tiktok",
    )
    action = incident.actions.get()
    url = reverse("incidents:incident_action_finish", args=[incident.pk, action.pk])
    client.force_login(dsl_user)
    page = client.get(url).content.decode()
    assert "Mark as done" not in page and "This is done by sending the notice" in page
    assert f'Incident <a href="{incident.get_absolute_url()}">{incident.reference}</a>' in page
    refused = client.post(url, {"outcome": "done", "note": "Told them."})
    assert refused.context["form"].errors["note"] == [
        "Send the notice to the parents and carers, or waive it with a reason."
    ]
    no_reason = client.post(url, {"outcome": "waive", "note": " "})
    assert no_reason.context["form"].errors["note"] == ["Say why this action is not being taken."]
    action.refresh_from_db()
    assert action.status == IncidentAction.Status.OPEN


def test_close_page_shows_why_it_cannot_close(client, staff_user, dsl_user, school):
    incident = record(staff_user, school, IncidentType.IMPROPER_CONTACT, adult_description="Unknown")
    client.force_login(dsl_user)
    response = client.post(reverse("incidents:pupil_incident_close", args=[incident.pk]), {"confirm": "yes"})
    assert "1 action is still to do: complete or waive it first." in response.content.decode()


def test_pupil_page_panel_and_my_open_actions_card(client, staff_user, dsl_user, teacher_user, school):
    pupil = pupil_with_parent(school)
    record(
        staff_user,
        school,
        IncidentType.FIREWALL_BREACH,
        pupils=[pupil],
        sanction_starts_on=timezone.localdate(),
        sanction_ends_on=timezone.localdate() + timedelta(days=7),
    )
    record(staff_user, school, IncidentType.IMPROPER_CONTACT, pupils=[pupil], adult_description="Unknown")
    client.force_login(dsl_user)
    page = client.get(reverse("people:person_detail", args=[pupil.pk])).content.decode()
    assert "School ICT only under close supervision until" in page
    dashboard = client.get("/").content.decode()
    assert "My open actions" in dashboard
    client.force_login(teacher_user)
    page = client.get(reverse("people:person_detail", args=[pupil.pk]))
    assert "Incidents (§8)" not in page.content.decode()


# Every signed-in request of a safeguarding role costs five queries (see test_query_budgets.OVERHEAD_2FA).
# The list: the count, the page of incidents (open actions annotated), their pupils (one prefetch), the
# current ICT sanctions, and the schools for the filter. The case page: the incident (with the allegation it
# opened, if any), the view recorded in the audit chain (VIEW_EVENT), its actions, sanctions and pupils, its
# notes and files, and the chronology (its audit events, its latest views and the delivery of its notices).
VIEW_EVENT = 3 if connection.vendor == "postgresql" else 2
BUDGETS = {"list": 5 + 5, "detail": 5 + 1 + VIEW_EVENT + 3 + 2 + 3}


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["list", "detail"])
def test_query_budgets_do_not_grow_with_rows(client, staff_user, dsl_user, school, page):
    """The list and the case page cost the same with one incident or ten times as many."""

    def world(rows, first=None):
        last = None
        for _ in range(rows):
            last = record(
                staff_user,
                school,
                IncidentType.JOINED_STAFF_SOCIAL,
                pupils=[pupil_with_parent(school), pupil_with_parent(school)],
                adult=PersonFactory(school=school),
            )
            # Notes and files on the incident whose page is counted.
            services.pupil_incident_add_note(actor=dsl_user, incident=first or last, text="A note.")
            services.evidence_upload(actor=dsl_user, incident=first or last, name="a.pdf", data=PDF)
        return last

    client.force_login(dsl_user)
    first = world(1)
    url = reverse("incidents:pupil_incident_list") if page == "list" else first.get_absolute_url()
    small = _count(client, url)
    world(10, first)
    assert _count(client, url) == small
    assert small == BUDGETS[page]


def test_current_sanctions_list_shows_only_sanctions_in_force(client, staff_user, dsl_user, school):
    today = timezone.localdate()
    now_on = pupil_with_parent(school)
    ended = pupil_with_parent(school)
    record(
        staff_user,
        school,
        IncidentType.FIREWALL_BREACH,
        pupils=[now_on],
        sanction_starts_on=today - timedelta(days=2),
        sanction_ends_on=today,
    )
    record(
        staff_user,
        school,
        IncidentType.FIREWALL_BREACH,
        pupils=[ended],
        sanction_starts_on=today - timedelta(days=9),
        sanction_ends_on=today - timedelta(days=1),
    )
    client.force_login(dsl_user)
    sanctions = client.get(reverse("incidents:pupil_incident_list")).context["sanctions"]
    assert [s.pupil for s in sanctions] == [now_on]


@pytest.mark.parametrize("executive_head_is", ["the adult", "missing"])
def test_the_check_page_says_where_the_alert_goes_without_another_executive_head(
    client, staff_user, dsl_user, head_user, school, executive_head_is
):
    pupil = pupil_with_parent(school)
    if executive_head_is == "the adult":
        adult = make_user(Role.EXECUTIVE_HEAD, federation=school.federation).person
        said = "The member of staff you named is the Executive Head, so the school&#x27;s Head of School"
    else:
        adult = PersonFactory(school=school)
        said = "The federation has no Executive Head to tell, so the school&#x27;s Head of School"
    client.force_login(staff_user)
    page = client.post(
        reverse("incidents:pupil_incident_record"),
        _incident_data(
            school, IncidentType.JOINED_STAFF_SOCIAL, pupils=[pupil.pk], adult=adult.pk, platform="tiktok"
        ),
    ).text
    assert said in page
    assert "The Executive Head is told at once" not in page
    assert not PupilIncident.objects.exists()
