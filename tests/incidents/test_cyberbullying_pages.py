"""Cyberbullying pages (§10): recording, the DSL's list, the case page with its decision, actions, notes
and closing; who may see and do what (404 for what one may not see, 403 for what one may not do)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from incidents import notices, services
from incidents.models import ActionKind, CaseNote, CyberbullyingReport, IncidentAction, TriageRule
from notifications.models import Notification
from people.models import Role

from ..factories import make_user
from .cyberwork import YEAR_7, pupil, report
from .pupilwork import a_changed_choice_sends_nothing

pytestmark = pytest.mark.django_db


def _form(school, victim, **extra):
    data = {
        "school": school.pk,
        "source": "parent",
        "victims": [victim.pk],
        "when": ["weekends"],
        "channels": ["social_media"],
        "platform": "instagram",
        "what_happened": "CANARY-posts about a classmate.",
        "perp-TOTAL_FORMS": "2",
        "perp-INITIAL_FORMS": "0",
        "perp-MIN_NUM_FORMS": "0",
        "perp-MAX_NUM_FORMS": "10",
        "perp-0-kind": "unknown",
    }
    data.update(extra)
    return data


# --- Recording ----------------------------------------------------------------------------------------------


def test_a_teacher_records_a_report_the_dsl_is_told_and_the_teacher_gets_the_thanks_page(
    client, teacher_user, dsl_user, school
):
    victim, bully = pupil(school), pupil(school)
    client.force_login(teacher_user)
    url = reverse("incidents:cyberbullying_record")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        _form(
            school,
            victim,
            **{
                "perp-0-kind": "pupil",
                "perp-0-person": bully.pk,
                "perp-1-kind": "former_pupil",
                "perp-1-name": "Former pupil",
                "perp-1-left_on": "2025-07-20",
                "perp-1-new_school": "Ash Academy",
            },
        ),
    )
    rep = CyberbullyingReport.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "incidents:cyberbullying_thanks", args=[rep.pk]
    )
    assert [(p.kind, p.person, p.new_school) for p in rep.perpetrators.all()] == [
        ("pupil", bully, ""),
        ("former_pupil", None, "Ash Academy"),
    ]
    sent = Notification.objects.filter(template=notices.CYBERBULLYING_REPORTED)
    assert {n.recipient_user for n in sent} == {dsl_user}
    assert not any("CANARY" in str(n.context) for n in sent)
    thanks = client.get(response.url).content.decode()
    assert "the designated safeguarding lead of Larch School has been told" in thanks
    assert "CANARY" not in thanks
    # The recorder is not on the case team: the case page sends them to the thanks page.
    assert client.get(rep.get_absolute_url()).url == response.url


def test_the_dsl_recording_lands_on_the_case_page(client, dsl_user, school):
    client.force_login(dsl_user)
    response = client.post(reverse("incidents:cyberbullying_record"), _form(school, pupil(school)))
    rep = CyberbullyingReport.objects.get()
    assert response.url == rep.get_absolute_url()


def test_every_service_error_shows_against_its_field(client, teacher_user, school):
    client.force_login(teacher_user)
    response = client.post(
        reverse("incidents:cyberbullying_record"),
        _form(school, pupil(school), platform="", **{"perp-0-kind": "pupil"}),
    )
    form = response.context["form"]
    assert form.errors["platform"] == [
        "Name the social media platform: its minimum age matters to the decision."
    ]
    assert response.context["perpetrator_errors"] == [
        "Choose each pupil of the school from the school's roll."
    ]
    assert "Choose each pupil of the school from the school&#x27;s roll." in response.content.decode()
    assert not CyberbullyingReport.objects.exists()
    response = client.post(
        reverse("incidents:cyberbullying_record"), _form(school, pupil(school), **{"perp-0-kind": ""})
    )
    assert response.context["perpetrator_errors"] == [
        "Add who is said to be responsible, or say it is not known."
    ]


def test_victims_must_be_on_this_schools_roll(client, teacher_user, school, other_school):
    client.force_login(teacher_user)
    response = client.post(reverse("incidents:cyberbullying_record"), _form(school, pupil(other_school)))
    assert "victims" in response.context["form"].errors
    assert not CyberbullyingReport.objects.exists()


# --- Who sees what ------------------------------------------------------------------------------------------


def test_staff_other_schools_and_strangers_get_404_or_403(
    client, teacher_user, staff_user, dsl_user, school, other_school
):
    rep = report(teacher_user, school)
    thanks = reverse("incidents:cyberbullying_thanks", args=[rep.pk])
    client.force_login(staff_user)
    assert client.get(reverse("incidents:cyberbullying_list")).status_code == 403
    assert client.get(rep.get_absolute_url()).status_code == 404
    assert client.get(thanks).status_code == 404  # only the recorder sees the thanks page
    other_dsl = make_user(Role.DSL, Role.STAFF, school=other_school)
    client.force_login(other_dsl)
    assert client.get(rep.get_absolute_url()).status_code == 404
    assert rep.reference not in client.get(reverse("incidents:cyberbullying_list")).content.decode()
    for name in ("cyberbullying_decide", "cyberbullying_note", "cyberbullying_close"):
        assert client.get(reverse(f"incidents:{name}", args=[rep.pk])).status_code == 404
    client.force_login(dsl_user)
    assert client.get(rep.get_absolute_url()).status_code == 200
    assert rep.reference in client.get(reverse("incidents:cyberbullying_list")).content.decode()


def test_a_cross_school_post_changes_nothing(client, teacher_user, dsl_user, school, other_school):
    rep = report(teacher_user, school)
    services.cyberbullying_decide(actor=dsl_user, report=rep)
    action = rep.actions.exclude(kind=ActionKind.WARN_PARENTS).first()
    client.force_login(make_user(Role.DSL, Role.SLT, Role.STAFF, school=other_school))
    urls = [
        (reverse("incidents:cyberbullying_action", args=[rep.pk, action.pk]), {"outcome": "done"}),
        (reverse("incidents:cyberbullying_note", args=[rep.pk]), {"text": "Other school"}),
        (reverse("incidents:cyberbullying_close", args=[rep.pk]), {"confirm": "yes"}),
        (
            reverse("incidents:cyberbullying_decide", args=[rep.pk]),
            {"rules": ["police"], "override_reason": "x"},
        ),
    ]
    for url, data in urls:
        assert client.post(url, data).status_code == 404
    action.refresh_from_db()
    rep.refresh_from_db()
    assert action.status == IncidentAction.Status.OPEN and rep.status == CyberbullyingReport.Status.DECIDED
    assert not CaseNote.objects.exists()


def test_the_head_of_school_decides_and_completes_an_action(client, teacher_user, head_user, school):
    """As on a pupil incident, the Head of School is on the case team: they decide and work the report."""
    rep = report(teacher_user, school)
    client.force_login(head_user)
    page = client.get(rep.get_absolute_url())
    assert page.status_code == 200 and page.context["can_work"] and page.context["decide_form"] is not None
    decide = reverse("incidents:cyberbullying_decide", args=[rep.pk])
    assert client.post(decide, {"rules": page.context["decide_form"].initial["rules"]}).status_code == 302
    rep.refresh_from_db()
    assert rep.status == CyberbullyingReport.Status.DECIDED and rep.decided_by == head_user
    action = rep.actions.exclude(kind=ActionKind.WARN_PARENTS).order_by("pk").first()
    url = reverse("incidents:cyberbullying_action", args=[rep.pk, action.pk])
    assert client.post(url, {"outcome": "done", "note": "Spoke to both families."}).status_code == 302
    action.refresh_from_db()
    assert action.status == IncidentAction.Status.DONE and action.finished_by == head_user
    assert AuditEvent.objects.filter(
        action="incidents.cyberbullying.action_done", actor=head_user, target_id=str(rep.pk)
    ).exists()


def test_the_head_of_another_school_gets_404_on_every_action(
    client, teacher_user, dsl_user, school, other_school
):
    rep = report(teacher_user, school)
    services.cyberbullying_decide(actor=dsl_user, report=rep)
    action = rep.actions.exclude(kind=ActionKind.WARN_PARENTS).order_by("pk").first()
    client.force_login(make_user(Role.HEAD_OF_SCHOOL, Role.STAFF, school=other_school))
    assert client.get(rep.get_absolute_url()).status_code == 404
    posts = [
        (
            reverse("incidents:cyberbullying_action", args=[rep.pk, action.pk]),
            {"outcome": "done", "note": "x"},
        ),
        (reverse("incidents:cyberbullying_note", args=[rep.pk]), {"text": "Other school"}),
        (reverse("incidents:cyberbullying_close", args=[rep.pk]), {"confirm": "yes"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404
    action.refresh_from_db()
    assert action.status == IncidentAction.Status.OPEN and not CaseNote.objects.exists()


def test_a_reporting_pupil_is_named_to_the_dsl_only(client, teacher_user, dsl_user, slt_user, school):
    teller = pupil(school)
    rep = report(teacher_user, school, source="pupil", reporter=teller)
    client.force_login(slt_user)
    page = client.get(rep.get_absolute_url()).content.decode()
    assert "A pupil (kept confidential)" in page and teller.full_name not in page
    client.force_login(dsl_user)
    assert teller.full_name in client.get(rep.get_absolute_url()).content.decode()


def test_each_view_of_the_case_is_audited(client, teacher_user, dsl_user, school):
    rep = report(teacher_user, school)
    client.force_login(dsl_user)
    client.get(rep.get_absolute_url())
    client.get(rep.get_absolute_url())
    assert (
        AuditEvent.objects.filter(action="incidents.cyberbullyingreport.view", target_id=str(rep.pk)).count()
        == 2
    )


# --- The list -----------------------------------------------------------------------------------------------


def test_list_filters(client, teacher_user, dsl_user, school):
    bully = pupil(school)
    bully.last_name = "Quillfeather"
    bully.save()
    decided = report(teacher_user, school, perpetrators=[{"kind": "pupil", "person": bully}])
    services.cyberbullying_decide(actor=dsl_user, report=decided)
    waiting = report(teacher_user, school, perpetrators=[{"kind": "unknown"}])
    client.force_login(dsl_user)
    url = reverse("incidents:cyberbullying_list")

    def listed(**query):
        return list(client.get(url, query).context["page"].object_list)

    assert listed() == [waiting, decided]
    assert listed(status="reported") == [waiting]
    assert listed(pupil="quillfeather") == [decided]
    assert listed(open_actions="true") == [decided]
    assert listed(school=school.pk) == [waiting, decided]
    assert listed(outcome="duty_of_care") == [decided]
    assert listed(outcome="police") == []
    page = client.get(url).content.decode()
    assert "Waiting for the decision" in page and "Pupils of the school, out of school time" in page


# --- The case: decision, actions, notes, closing ------------------------------------------------------------


def test_before_the_decision_the_triage_is_shown_in_plain_words(client, teacher_user, dsl_user, school):
    rep = report(
        teacher_user,
        school,
        victims=[pupil(school, YEAR_7)],
        perpetrators=[{"kind": "pupil", "person": pupil(school, YEAR_7)}],
    )
    client.force_login(dsl_user)
    page = client.get(rep.get_absolute_url()).content.decode()
    assert "The policy's triage suggests:" in page
    assert "§10</strong>: Pupils of the school, out of school time" in page
    assert "warn all the parents, the victim&#x27;s included" in page
    assert "Warn the pupil&#x27;s parents or carers about the platform&#x27;s minimum age" in page


def test_an_override_without_a_reason_shows_the_services_message(client, teacher_user, dsl_user, school):
    rep = report(teacher_user, school)
    client.force_login(dsl_user)
    url = reverse("incidents:cyberbullying_decide", args=[rep.pk])
    response = client.post(url, {"rules": [TriageRule.POLICE]})
    assert (
        "You decided differently from the policy&#x27;s triage: write down why." in response.content.decode()
    )
    response = client.post(url, {"rules": []})
    assert "Choose the outcomes from the list." in response.content.decode()
    rep.refresh_from_db()
    assert rep.status == CyberbullyingReport.Status.REPORTED
    response = client.post(
        url, {"rules": [TriageRule.POLICE], "override_reason": "Threats of violence."}, follow=True
    )
    assert f"Decision on {rep.reference} recorded: 1 action set." in response.content.decode()
    rep.refresh_from_db()
    assert rep.rules == [TriageRule.POLICE] and rep.override_reason == "Threats of violence."
    # Decided otherwise, the report still carries the actions the chosen outcome calls for.
    assert list(rep.actions.values_list("kind", flat=True)) == [ActionKind.REFER_POLICE]
    page = client.get(rep.get_absolute_url()).content.decode()
    assert "Why it was decided differently:</strong> Threats of violence." in page


def test_confirming_the_triage_sets_its_actions(client, teacher_user, dsl_user, school):
    rep = report(teacher_user, school)
    client.force_login(dsl_user)
    response = client.post(
        reverse("incidents:cyberbullying_decide", args=[rep.pk]),
        {"rules": [TriageRule.DUTY_OF_CARE]},
        follow=True,
    )
    assert response.redirect_chain[0][1] == 302
    assert f"Decision on {rep.reference} recorded: 3 actions set." in response.content.decode()
    assert sorted(rep.actions.values_list("kind", flat=True)) == [
        ActionKind.INVESTIGATE,
        ActionKind.MEET_FAMILY,
        ActionKind.MEET_FAMILY,
    ]


def test_police_referral_needs_the_police_reference(client, teacher_user, dsl_user, school):
    rep = report(teacher_user, school, parents_refuse_to_engage=True, bullying_continues=True)
    services.cyberbullying_decide(actor=dsl_user, report=rep)
    police = rep.actions.get(kind=ActionKind.REFER_POLICE)
    client.force_login(dsl_user)
    url = reverse("incidents:cyberbullying_action", args=[rep.pk, police.pk])
    response = client.post(url, {"outcome": "done", "note": "Rang 101."})
    assert (
        "Enter the reference the police gave for the referral (the crime number)."
        in response.content.decode()
    )
    client.post(url, {"outcome": "done", "note": "Rang 101.", "reference": "CRN-4471"})
    police.refresh_from_db()
    assert police.status == IncidentAction.Status.DONE and police.reference == "CRN-4471"
    page = client.get(rep.get_absolute_url()).content.decode()
    assert "Police reference: CRN-4471" in page
    assert "(reference CRN-4471)" in page  # the chronology


def test_waiving_needs_a_reason(client, teacher_user, dsl_user, school):
    rep = report(teacher_user, school)
    services.cyberbullying_decide(actor=dsl_user, report=rep)
    action = rep.actions.get(kind=ActionKind.INVESTIGATE)
    client.force_login(dsl_user)
    url = reverse("incidents:cyberbullying_action", args=[rep.pk, action.pk])
    response = client.post(url, {"outcome": "waive"})
    assert "Say why this action is not being taken." in response.content.decode()
    client.post(url, {"outcome": "waive", "note": "Dealt with at the family meeting."})
    action.refresh_from_db()
    assert action.status == IncidentAction.Status.WAIVED


def test_the_warning_is_previewed_then_sent_to_contactable_parents(client, teacher_user, dsl_user, school):
    victim = pupil(school, YEAR_7)
    rep = report(
        teacher_user,
        school,
        victims=[victim],
        perpetrators=[{"kind": "pupil", "person": pupil(school, YEAR_7)}],
    )
    services.cyberbullying_decide(actor=dsl_user, report=rep)
    warn = rep.actions.get(kind=ActionKind.WARN_PARENTS, pupil=victim)
    client.force_login(dsl_user)
    url = reverse("incidents:cyberbullying_parent_notice", args=[rep.pk, warn.pk])
    shown = client.post(url, {"template": notices.PARENT_UNDER_AGE})
    assert "Instagram" in shown.context["preview_text"]
    assert not Notification.objects.filter(template=notices.PARENT_UNDER_AGE).exists()
    a_changed_choice_sends_nothing(client, url)
    client.post(
        url, {"template": notices.PARENT_UNDER_AGE, "previewed": notices.PARENT_UNDER_AGE, "confirm": "yes"}
    )
    assert Notification.objects.filter(template=notices.PARENT_UNDER_AGE).count() == 1
    warn.refresh_from_db()
    assert warn.status == IncidentAction.Status.DONE
    # A warning is done by sending it, never by a tick.
    other = rep.actions.exclude(pupil=victim).get(kind=ActionKind.WARN_PARENTS)
    response = client.post(
        reverse("incidents:cyberbullying_action", args=[rep.pk, other.pk]), {"outcome": "done"}
    )
    assert (
        "Send the notice to the parents and carers, or waive it with a reason." in response.content.decode()
    )


def test_notes_are_added_and_shown_in_the_chronology(client, teacher_user, dsl_user, school):
    rep = report(teacher_user, school)
    client.force_login(dsl_user)
    url = reverse("incidents:cyberbullying_note", args=[rep.pk])
    with pytest.raises(ValidationError) as empty:
        services.cyberbullying_add_note(actor=dsl_user, report=rep, text="  ")
    assert empty.value.message_dict == {"text": ["Write the note."]}
    client.post(url, {"text": "Spoke to the form tutor."})
    note = CaseNote.objects.get(report=rep)
    page = client.get(rep.get_absolute_url())
    assert note in page.context["notes"]
    whats = [e.what for e in page.context["chronology"]]
    assert whats[:2] == ["Recorded the report", "Notice queued"]
    assert "Added a note" in whats and "Viewed the report" in whats


def test_closing_waits_for_every_action(client, teacher_user, dsl_user, school):
    rep = report(teacher_user, school, perpetrators=[{"kind": "unknown"}])
    client.force_login(dsl_user)
    close = reverse("incidents:cyberbullying_close", args=[rep.pk])
    response = client.post(close, {"confirm": "yes"})
    assert (
        "Record the decision first: a report closes once its decision&#x27;s actions are done or waived."
        in response.content.decode()
    )
    services.cyberbullying_decide(actor=dsl_user, report=rep)
    response = client.post(close, {"confirm": "yes"})
    assert "1 action is still to do: complete or waive it first." in response.content.decode()
    review = rep.actions.get()
    client.post(reverse("incidents:cyberbullying_action", args=[rep.pk, review.pk]), {"outcome": "done"})
    assert client.get(close).status_code == 200  # the confirmation page
    assert client.post(close, {"confirm": "yes"}).status_code == 302
    rep.refresh_from_db()
    assert rep.status == CyberbullyingReport.Status.CLOSED
    assert AuditEvent.objects.filter(action="incidents.cyberbullying.close").count() == 1
    response = client.post(close, {"confirm": "yes"})
    assert "This report is already closed." in response.content.decode()


def test_nav_entry_for_the_safeguarding_team_only(client, teacher_user, dsl_user):
    url = reverse("incidents:cyberbullying_list")
    client.force_login(dsl_user)
    assert f'href="{url}"' in client.get("/").content.decode()
    client.force_login(teacher_user)
    assert f'href="{url}"' not in client.get("/").content.decode()


@pytest.mark.parametrize("role", ["staff_user", "teacher_user", "office_user", "governor_user", "chair_user"])
def test_every_role_outside_the_case_team_is_refused(client, request, staff_user, school, role):
    """Outside the case team: the list is 403, the report and its pages 404, and a POST changes nothing."""
    rep = report(staff_user if role != "staff_user" else make_user(Role.STAFF, school=school), school)
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("incidents:cyberbullying_list")).status_code == 403
    assert client.get(rep.get_absolute_url()).status_code == 404
    assert client.get(reverse("incidents:cyberbullying_thanks", args=[rep.pk])).status_code == 404
    response = client.post(reverse("incidents:cyberbullying_decide", args=[rep.pk]), {"rules": ["police"]})
    assert response.status_code == 404
    rep.refresh_from_db()
    assert rep.status == CyberbullyingReport.Status.REPORTED


@pytest.mark.parametrize("role", ["dsl_user", "slt_user", "head_user", "exec_head_user"])
def test_the_case_team_and_executive_head_decide(client, request, teacher_user, school, role):
    rep = report(teacher_user, school)
    client.force_login(request.getfixturevalue(role))
    assert client.get(rep.get_absolute_url()).context["decide_form"] is not None
    assert (
        client.post(
            reverse("incidents:cyberbullying_decide", args=[rep.pk]), {"rules": ["duty_of_care"]}
        ).status_code
        == 302
    )
    rep.refresh_from_db()
    assert rep.status == CyberbullyingReport.Status.DECIDED


def test_the_pupil_filter_lists_a_report_once_with_its_true_open_action_count(
    client, teacher_user, dsl_user, school
):
    twins = [pupil(school), pupil(school)]
    for twin in twins:
        twin.last_name = "Quillfeather"
        twin.save()
    rep = report(teacher_user, school, victims=twins, perpetrators=[{"kind": "unknown"}])
    services.cyberbullying_decide(actor=dsl_user, report=rep)
    client.force_login(dsl_user)
    rows = client.get(reverse("incidents:cyberbullying_list"), {"pupil": "Quillfeather"}).context["rows"]
    assert [(r, r.open_actions) for r, _rules in rows] == [(rep, 1)]


def test_deciding_twice_and_working_a_closed_report_are_refused_with_a_reason(
    client, teacher_user, dsl_user, school
):
    rep = report(teacher_user, school, perpetrators=[{"kind": "unknown"}])
    services.cyberbullying_decide(actor=dsl_user, report=rep)
    client.force_login(dsl_user)
    response = client.get(reverse("incidents:cyberbullying_decide", args=[rep.pk]), follow=True)
    assert "The decision on this report is already recorded." in response.content.decode()
    review = rep.actions.get()
    services.incident_action_waive(actor=dsl_user, action=review, reason="Reviewed at the weekly meeting.")
    services.cyberbullying_close(actor=dsl_user, report=rep)
    response = client.post(
        reverse("incidents:cyberbullying_action", args=[rep.pk, review.pk]), {"outcome": "waive", "note": "x"}
    )
    assert "This report is closed: its actions can no longer change." in response.content.decode()
    other = report(teacher_user, school)
    note = services.cyberbullying_add_note(actor=dsl_user, report=other, text="Elsewhere.")
    with pytest.raises(ValidationError) as wrong:
        services.cyberbullying_add_note(actor=dsl_user, report=rep, text="Correction.", corrects=note)
    assert wrong.value.message_dict == {"corrects": ["Choose a note of this case."]}
