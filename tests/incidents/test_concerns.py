"""Report a concern: one click from every page, routed as §7 and §9 say, thanked and told what happens
next, and the author sees only their report's broad status."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from audit.models import AuditEvent
from core.workflow import InvalidTransition
from incidents import notices, services
from incidents.models import Concern, ConcernCategory, Routing
from notifications.models import Notification
from people.models import Role

from ..factories import PupilFactory, make_user
from .casework import record_case

pytestmark = pytest.mark.django_db


def _submit(actor, school, category, subject=None, **extra):
    return services.concern_submit(
        actor=actor, school=school, category=category, subject=subject, what_happened="I saw a post.", **extra
    )


@pytest.mark.parametrize(
    "category, routed, told",
    [
        (ConcernCategory.ADULT_CONDUCT, Routing.SLT_AND_DSL, {"slt", "dsl"}),
        (ConcernCategory.STAFF_PUPIL_CONTACT, Routing.SLT_AND_DSL, {"slt", "dsl"}),
        (ConcernCategory.WORKING_DAY_USE, Routing.DSL, {"dsl"}),
        (ConcernCategory.COMMUNICATION_DOUBT, Routing.SLT, {"slt"}),
    ],
)
def test_each_kind_of_concern_goes_where_the_policy_sends_it(
    category, routed, told, staff_user, slt_user, dsl_user, head_user, school, subject
):
    concern = _submit(staff_user, school, category, subject)

    assert concern.routed_to == routed and concern.status == Concern.Status.RECEIVED
    users = {"slt": slt_user.pk, "dsl": dsl_user.pk}
    recipients = set(
        Notification.objects.filter(event=f"incidents.concern.{concern.pk}.received").values_list(
            "recipient_user", flat=True
        )
    )
    assert recipients == {users[role] for role in told}
    assert all(
        n.template == "incidents_concern_received"
        and n.context["category"] == "Concern reported by a member of staff"
        for n in Notification.objects.all()
    )
    event = AuditEvent.objects.get(action="incidents.concern.submit")
    assert event.actor == staff_user and event.data == {"category": category, "routed_to": routed}


def test_when_the_dsl_is_the_subject_the_report_goes_to_the_rest_of_the_team(
    staff_user, slt_user, head_user, school
):
    dsl = make_user(Role.DSL, Role.STAFF, school=school)
    concern = _submit(staff_user, school, ConcernCategory.WORKING_DAY_USE, dsl.person)
    recipients = set(
        Notification.objects.filter(about_id=str(concern.pk)).values_list("recipient_user", flat=True)
    )
    assert recipients == {slt_user.pk, head_user.pk}


@pytest.mark.parametrize("category", [ConcernCategory.ADULT_CONDUCT, ConcernCategory.STAFF_PUPIL_CONTACT])
def test_a_concern_about_an_adult_names_them(category, staff_user, school):
    with pytest.raises(ValidationError) as info:
        _submit(staff_user, school, category)
    assert info.value.message_dict == {"subject": ["Choose the adult this is about."]}


def test_a_report_about_yourself_is_refused_with_advice(staff_user, school):
    with pytest.raises(ValidationError) as info:
        _submit(staff_user, school, ConcernCategory.COMMUNICATION_DOUBT, staff_user.person)
    assert "speak to a member of the senior leadership team" in info.value.message_dict["subject"][0]


def test_a_pupil_cannot_be_named_as_the_adult(staff_user, school):
    with pytest.raises(ValidationError) as info:
        _submit(staff_user, school, ConcernCategory.ADULT_CONDUCT, PupilFactory(school=school))
    assert info.value.message_dict == {"subject": ["Choose an adult who works at the school."]}


def test_a_future_date_is_refused(staff_user, school):
    with pytest.raises(ValidationError) as info:
        _submit(
            staff_user,
            school,
            ConcernCategory.WORKING_DAY_USE,
            happened_on=timezone.localdate().replace(year=2099),
        )
    assert info.value.message_dict == {"happened_on": ["The date cannot be in the future."]}


def test_reports_are_made_at_your_own_school(staff_user, other_school):
    with pytest.raises(PermissionDenied):
        _submit(staff_user, other_school, ConcernCategory.WORKING_DAY_USE)


# --- Pages ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fixture",
    ["staff_user", "teacher_user", "office_user", "dsl_user", "slt_user", "governor_user", "exec_head_user"],
)
def test_report_a_concern_is_one_click_from_every_page(client, request, fixture):
    client.force_login(request.getfixturevalue(fixture))
    report_url = reverse("incidents:report")
    for url in [reverse("dashboard"), reverse("incidents:my_reports"), reverse("incidents:pupil_incidents")]:
        page = client.get(url)
        assert f'href="{report_url}"' in page.text.split("</nav>")[0], url


def test_a_user_without_a_role_cannot_report(client, school):
    from ..factories import UserFactory

    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("incidents:report")).status_code == 403
    assert 'href="/incidents/report/"' not in client.get(reverse("dashboard")).text


def test_the_author_checks_sends_is_thanked_and_told_what_happens_next(client, staff_user, dsl_user, school):
    client.force_login(staff_user)
    data = {"school": school.pk, "category": "working_day_use", "what_happened": "Phones out at lunch."}
    page = client.post(reverse("incidents:report"), data)
    assert "Check your report before you send it" in page.text and not Concern.objects.exists()

    response = client.post(reverse("incidents:report"), {**data, "confirm": "yes"})
    concern = Concern.objects.get()
    assert response["Location"] == reverse("incidents:concern_thanks", args=[concern.pk])
    thanks = client.get(response["Location"])
    assert "Thank you for your report" in thanks.text
    assert "The designated safeguarding lead (the named Child Protection person) has been told" in thanks.text


def test_a_report_about_the_dsl_does_not_tell_its_author_the_dsl_was_told(
    client, staff_user, dsl_user, slt_user, school
):
    concern = _submit(staff_user, school, ConcernCategory.ADULT_CONDUCT, dsl_user.person)
    client.force_login(staff_user)
    thanks = client.get(reverse("incidents:concern_thanks", args=[concern.pk])).text
    assert (
        "about someone who would usually receive it, so it has gone instead to others in the school" in thanks
    )
    assert "It has not been sent to the person it is about." in thanks
    assert "report it again." in thanks and "or speak to the designated safeguarding lead" not in thanks
    assert "The senior leadership team and the designated safeguarding lead have been told" not in thanks
    told = set(
        Notification.objects.filter(template=notices.CONCERN_RECEIVED).values_list(
            "recipient_user", flat=True
        )
    )
    assert dsl_user.pk not in told and slt_user.pk in told


def test_a_report_no_one_in_its_role_can_take_says_where_it_went(client, staff_user, slt_user, school):
    concern = _submit(staff_user, school, ConcernCategory.WORKING_DAY_USE)
    assert concern.routed_to == Routing.DSL
    client.force_login(staff_user)
    thanks = client.get(reverse("incidents:concern_thanks", args=[concern.pk])).text
    assert "The school does not have everyone who would usually receive this report" in thanks
    assert "The designated safeguarding lead (the named Child Protection person) has been told" not in thanks


def test_change_what_i_entered_goes_back_with_the_input(client, staff_user, school):
    client.force_login(staff_user)
    data = {
        "school": school.pk,
        "category": "working_day_use",
        "what_happened": "Phones out at lunch.",
        "edit": "1",
    }
    page = client.post(reverse("incidents:report"), data)
    assert "Phones out at lunch." in page.text and "Check my report" in page.text


def test_a_bad_report_keeps_the_input_and_says_what_is_missing(client, staff_user, school):
    client.force_login(staff_user)
    response = client.post(
        reverse("incidents:report"),
        {"school": school.pk, "category": "adult_conduct", "what_happened": "Keep this"},
    )
    assert "Choose the adult this is about." in response.text and "Keep this" in response.text
    assert not Concern.objects.exists()


def test_the_author_sees_the_broad_status_never_the_case(client, staff_user, slt_user, school, subject):
    concern = _submit(staff_user, school, ConcernCategory.ADULT_CONDUCT, subject)
    client.force_login(staff_user)
    assert "Received: waiting for the safeguarding team" in client.get(reverse("incidents:my_reports")).text

    case = record_case(slt_user, school, subject, concern=concern, what_happened="Case detail for SLT only")
    mine = client.get(reverse("incidents:my_reports")).text
    assert "Being dealt with by the safeguarding team" in mine
    assert case.reference not in mine and "Case detail for SLT only" not in mine
    assert client.get(case.get_absolute_url()).status_code == 404
    assert client.get(concern.get_absolute_url()).status_code == 404


def test_others_cannot_see_someone_elses_thanks_page(client, staff_user, teacher_user, school):
    concern = _submit(staff_user, school, ConcernCategory.WORKING_DAY_USE)
    client.force_login(teacher_user)
    assert client.get(reverse("incidents:concern_thanks", args=[concern.pk])).status_code == 404


def test_the_pupil_incidents_entry_point_says_where_to_go(client, teacher_user):
    client.force_login(teacher_user)
    page = client.get(reverse("incidents:pupil_incidents"))
    assert "recorded separately" in page.text and "cyberbullying" in page.text.lower()
    assert reverse("incidents:pupil_incidents") in client.get(reverse("incidents:report")).text


# --- Triage -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", ["dsl_user", "slt_user", "head_user", "exec_head_user"])
def test_the_safeguarding_team_sees_the_reports(client, request, fixture, staff_user, school):
    concern = _submit(staff_user, school, ConcernCategory.WORKING_DAY_USE)
    user = request.getfixturevalue(fixture)
    client.force_login(user)
    assert concern.reference in client.get(reverse("incidents:concern_list")).text
    assert client.get(concern.get_absolute_url()).status_code == 200
    assert AuditEvent.objects.filter(action="incidents.concern.view", actor=user).exists()


@pytest.mark.parametrize(
    "fixture", ["staff_user", "teacher_user", "office_user", "governor_user", "chair_user"]
)
def test_others_cannot_triage(client, request, fixture, staff_user, school):
    concern = _submit(make_user(Role.STAFF, school=school), school, ConcernCategory.WORKING_DAY_USE)
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(reverse("incidents:concern_list")).status_code == 403
    assert client.get(concern.get_absolute_url()).status_code == 404


def test_closing_a_report_with_a_note(client, dsl_user, staff_user, school):
    concern = _submit(staff_user, school, ConcernCategory.WORKING_DAY_USE)
    client.force_login(dsl_user)
    url = reverse("incidents:concern_close", args=[concern.pk])
    assert "What you entered" in client.post(url, {"closing_note": "Spoke to the class."}).text
    response = client.post(url, {"closing_note": "Spoke to the class.", "confirm": "yes"})
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.status == Concern.Status.CLOSED and concern.closed_by == dsl_user
    assert AuditEvent.objects.filter(action="incidents.concern.close", target_id=str(concern.pk)).exists()
    client.force_login(staff_user)
    mine = client.get(reverse("incidents:my_reports")).text
    assert "Closed" in mine and "Spoke to the class." not in mine


def test_a_note_is_needed_to_close(dsl_user, staff_user, school):
    concern = _submit(staff_user, school, ConcernCategory.WORKING_DAY_USE)
    with pytest.raises(ValidationError) as info:
        services.concern_close(actor=dsl_user, concern=concern, closing_note="")
    assert info.value.message_dict == {"closing_note": ["Write what was done, for the safeguarding record."]}


def test_a_closed_or_taken_forward_report_is_not_closed_again(
    dsl_user, slt_user, staff_user, school, subject
):
    concern = _submit(staff_user, school, ConcernCategory.WORKING_DAY_USE)
    services.concern_close(actor=dsl_user, concern=concern, closing_note="Done.")
    with pytest.raises(InvalidTransition) as info:
        services.concern_close(actor=dsl_user, concern=concern, closing_note="Again.")
    assert info.value.messages == ["This report is already closed."]

    other = _submit(staff_user, school, ConcernCategory.ADULT_CONDUCT, subject)
    record_case(slt_user, school, subject, concern=other)
    with pytest.raises(InvalidTransition) as info:
        services.concern_close(actor=dsl_user, concern=other, closing_note="x")
    assert info.value.messages == [
        "This report was taken forward as an allegation: it closes when that case is closed."
    ]


def test_the_report_closes_with_its_allegation(slt_user, staff_user, school, subject):
    from .casework import advance

    concern = _submit(staff_user, school, ConcernCategory.ADULT_CONDUCT, subject)
    case = record_case(slt_user, school, subject, concern=concern)
    advance(slt_user, case, "closed")
    concern.refresh_from_db()
    assert concern.status == Concern.Status.CLOSED


def test_a_report_about_the_only_receiver_goes_to_the_executive_head(
    client, staff_user, dsl_user, exec_head_user, school
):
    """No SLT and no Head of School: the report about the school's only DSL reaches the Executive Head."""
    concern = _submit(staff_user, school, ConcernCategory.WORKING_DAY_USE, dsl_user.person)
    told = set(
        Notification.objects.filter(event=f"incidents.concern.{concern.pk}.received").values_list(
            "recipient_user", flat=True
        )
    )
    assert told == {exec_head_user.pk}
    assert Concern.objects.get(pk=concern.pk).reach == Concern.Reach.WIDER_FOR_SUBJECT
    client.force_login(staff_user)
    thanks = client.get(reverse("incidents:concern_thanks", args=[concern.pk])).text
    assert "or to the Executive Head if there is no one else" in thanks


def test_a_report_no_one_could_be_sent_says_so_and_what_to_do(client, staff_user, dsl_user, school):
    """The only possible receiver is the person it is about and the federation has no Executive Head:
    the author is not told anyone was told."""
    concern = _submit(staff_user, school, ConcernCategory.WORKING_DAY_USE, dsl_user.person)
    assert not Notification.objects.filter(event=f"incidents.concern.{concern.pk}.received").exists()
    assert Concern.objects.get(pk=concern.pk).reach == Concern.Reach.NOBODY
    client.force_login(staff_user)
    thanks = client.get(reverse("incidents:concern_thanks", args=[concern.pk])).text
    assert "no one has been told yet" in thanks
    assert "Please tell the Head of School or the Executive Head in person" in thanks
    assert "Child Protection person) has been told" not in thanks and "have been told" not in thanks
    assert "or speak to the designated safeguarding lead" not in thanks


def test_a_report_to_slt_and_the_dsl_of_a_school_without_slt_does_not_say_slt_was_told(
    client, staff_user, dsl_user, head_user, school, subject
):
    concern = _submit(staff_user, school, ConcernCategory.ADULT_CONDUCT, subject)
    told = set(
        Notification.objects.filter(event=f"incidents.concern.{concern.pk}.received").values_list(
            "recipient_user", flat=True
        )
    )
    assert told == {dsl_user.pk, head_user.pk}
    client.force_login(staff_user)
    thanks = client.get(reverse("incidents:concern_thanks", args=[concern.pk])).text
    assert "The senior leadership team and the designated safeguarding lead have been told" not in thanks
    assert "The school does not have everyone who would usually receive this report" in thanks


def test_the_thanks_page_says_where_the_report_went_then_not_where_it_would_go_now(
    client, staff_user, slt_user, school
):
    """Filed when the school had no DSL; a DSL appointed since is not said to have been told."""
    concern = _submit(staff_user, school, ConcernCategory.WORKING_DAY_USE)
    make_user(Role.DSL, Role.STAFF, school=school)
    client.force_login(staff_user)
    thanks = client.get(reverse("incidents:concern_thanks", args=[concern.pk])).text
    assert "The designated safeguarding lead (the named Child Protection person) has been told" not in thanks
    assert "The school does not have everyone who would usually receive this report" in thanks


def test_a_report_filed_before_its_reach_was_kept_is_read_as_routed_today(
    client, staff_user, dsl_user, slt_user, school
):
    """One reading serves the text and the advice: a report about the DSL does not advise speaking to them."""
    concern = _submit(staff_user, school, ConcernCategory.ADULT_CONDUCT, dsl_user.person)
    Concern.objects.filter(pk=concern.pk).update(reach="")
    client.force_login(staff_user)
    thanks = client.get(reverse("incidents:concern_thanks", args=[concern.pk])).text
    assert "Your report is about someone who would usually receive it" in thanks
    assert "or speak to the designated safeguarding lead" not in thanks


def test_the_notice_and_the_thanks_page_read_one_route(client, staff_user, dsl_user, exec_head_user, school):
    """Where a report went is one object: the notice goes to its recipients, the report keeps its reach,
    and the thanks page says its explanation."""
    concern = _submit(staff_user, school, ConcernCategory.WORKING_DAY_USE, dsl_user.person)
    route = notices.concern_routing(concern)
    told = set(
        Notification.objects.filter(event=f"incidents.concern.{concern.pk}.received").values_list(
            "recipient_user", flat=True
        )
    )
    assert told == {r.user.pk for r in route.recipients if r.person_id != dsl_user.person.pk}
    assert route.about_a_receiver and Concern.objects.get(pk=concern.pk).reach == route.reach
    assert notices.concern_went(concern).explanation == route.explanation
    client.force_login(staff_user)
    thanks = client.get(reverse("incidents:concern_thanks", args=[concern.pk])).text
    assert escape(route.explanation) in thanks
