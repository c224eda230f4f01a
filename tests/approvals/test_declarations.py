"""Family-link declarations (§7): declared in writing, acknowledged by the Executive Head or Head of
School with a note, withdrawn by the declarant, declared again every year."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from approvals import services
from approvals.models import Declaration, DeclarationKind, DeclarationStatus, Relationship
from approvals.services.workflows import DECLARATION
from audit.models import AuditEvent
from core.vocabulary import Platform
from core.workflow import InvalidTransition

from ..factories import ParentFactory, PupilFactory
from .factories import DeclarationFactory
from .helpers import audit_events, notices, recipients_of

pytestmark = pytest.mark.django_db

D = DeclarationStatus


@pytest.fixture
def declarant(proposer):
    return proposer


@pytest.fixture
def declaration(school, declarant, pupil):
    return DeclarationFactory(school=school, declarant=declarant, pupils=[pupil])


def test_a_member_of_staff_declares_a_family_link_and_the_heads_are_told(
    school, declarant, pupil, head_user, exec_head_user, dsl_user
):
    declaration = services.declaration_create(
        actor=declarant,
        school=school,
        kind=DeclarationKind.FAMILY_LINK,
        pupils=[pupil],
        relationship=Relationship.RELATIVE,
        statement="My niece.",
    )
    assert declaration.status == D.SUBMITTED and declaration.declared_on == timezone.localdate()
    [event] = audit_events(declaration, "approvals.declaration.submit")
    assert event.data["pupil_ids"] == [pupil.pk] and event.data["relationship"] == "relative"
    assert recipients_of("approvals_action_needed", declaration) == {head_user.pk, exec_head_user.pk}
    assert notices("approvals_action_needed", declaration)[0].context["category"] == "family-link declaration"


def test_a_connection_with_a_parent_is_declared_with_its_platform(school, declarant):
    parent = ParentFactory(school=school)
    declaration = services.declaration_create(
        actor=declarant,
        school=school,
        kind=DeclarationKind.PARENT_CONNECTION,
        parents=[parent],
        platform=Platform.FACEBOOK,
        statement="School friends.",
        relationship=Relationship.PARENT,  # ignored: a connection has no relationship
    )
    assert declaration.relationship == "" and list(declaration.parents.all()) == [parent]


@pytest.mark.parametrize(
    ("kwargs", "errors"),
    [
        (
            {"kind": DeclarationKind.FAMILY_LINK, "relationship": ""},
            {
                "pupils": ["Choose the pupil or pupils you have a family or friendship link with."],
                "relationship": ["Choose how you are linked: parent, relative, family friend or other."],
            },
        ),
        (
            {"kind": DeclarationKind.PARENT_CONNECTION},
            {
                "parents": ["Choose the parent or carer you are connected with."],
                "platform": ["Choose the platform you are connected on."],
            },
        ),
    ],
)
def test_a_declaration_names_who_and_how(school, declarant, kwargs, errors):
    with pytest.raises(ValidationError) as caught:
        services.declaration_create(actor=declarant, school=school, statement="x", **kwargs)
    assert caught.value.message_dict == errors


def test_a_pupil_of_another_school_is_refused(school, other_school, declarant):
    elsewhere = PupilFactory(school=other_school, first_name="Ann", last_name="Other")
    with pytest.raises(ValidationError) as caught:
        services.declaration_create(
            actor=declarant, school=school, kind=DeclarationKind.FAMILY_LINK, pupils=[elsewhere],
            relationship=Relationship.RELATIVE, statement="x",
        )  # fmt: skip
    assert caught.value.message_dict == {"pupils": ["Not a pupil at Larch School: Ann Other."]}


def test_a_declaration_is_not_dated_in_the_future(school, declarant, pupil):
    with pytest.raises(ValidationError, match="cannot be in the future"):
        services.declaration_create(
            actor=declarant, school=school, kind=DeclarationKind.FAMILY_LINK, pupils=[pupil],
            relationship=Relationship.RELATIVE, statement="x", declared_on=timezone.localdate() + timedelta(days=1),
        )  # fmt: skip


@pytest.mark.parametrize("decider", ["head_user", "exec_head_user"])
def test_a_head_acknowledges_with_a_note_and_the_declarant_is_told(request, declaration, declarant, decider):
    user = request.getfixturevalue(decider)
    services.declaration_acknowledge(actor=user, declaration=declaration, note="Noted.")
    declaration.refresh_from_db()
    assert declaration.status == D.ACKNOWLEDGED
    assert declaration.acknowledged_by == user and declaration.acknowledgement_note == "Noted."
    [event] = audit_events(declaration, "approvals.declaration.acknowledge")
    assert event.data == {"status": ["submitted", "acknowledged"], "note": "Noted."}
    assert recipients_of("approvals_outcome", declaration) == {declarant.pk}


def test_acknowledging_needs_a_note(declaration, head_user):
    with pytest.raises(ValidationError) as caught:
        services.declaration_acknowledge(actor=head_user, declaration=declaration, note=" ")
    assert caught.value.message_dict == {"note": ["Add a note: what you have noted, or any advice given."]}


@pytest.mark.parametrize("status", [D.ACKNOWLEDGED, D.WITHDRAWN])
def test_only_a_submitted_declaration_is_acknowledged(declaration, head_user, exec_head_user, status):
    if status == D.ACKNOWLEDGED:
        services.declaration_acknowledge(actor=exec_head_user, declaration=declaration, note="Seen.")
        expected = "This declaration was already acknowledged by Helen Marsh at"
    else:
        Declaration.objects.filter(pk=declaration.pk).update(status=status)
        expected = "This declaration is withdrawn: it can be acknowledged only while it is submitted."
    declaration.refresh_from_db()
    with pytest.raises(InvalidTransition) as caught:
        services.declaration_acknowledge(actor=head_user, declaration=declaration, note="Again.")
    assert caught.value.messages[0].startswith(expected)


@pytest.mark.parametrize(
    "role", ["declarant", "dsl_user", "slt_user", "office_user", "staff_user", "other_head"]
)
def test_only_the_heads_acknowledge_and_never_their_own(request, declaration, role):
    with pytest.raises(PermissionDenied):
        services.declaration_acknowledge(
            actor=request.getfixturevalue(role), declaration=declaration, note="x"
        )


@pytest.mark.parametrize("status", sorted(DECLARATION["withdraw"].sources))
def test_the_declarant_withdraws_when_it_no_longer_applies(declaration, declarant, head_user, status):
    if status == D.ACKNOWLEDGED:
        services.declaration_acknowledge(actor=head_user, declaration=declaration, note="Seen.")
    services.declaration_withdraw(actor=declarant, declaration=declaration, reason="My niece has left.")
    declaration.refresh_from_db()
    assert declaration.status == D.WITHDRAWN
    [event] = audit_events(declaration, "approvals.declaration.withdraw")
    assert event.data == {"status": [status, "withdrawn"], "reason": "My niece has left."}


def test_a_withdrawn_declaration_stays_withdrawn(declaration, declarant):
    services.declaration_withdraw(actor=declarant, declaration=declaration)
    for action, service in [
        ("withdrawn", services.declaration_withdraw),
        ("declared again", services.declaration_redeclare),
    ]:
        with pytest.raises(InvalidTransition) as caught:
            service(actor=declarant, declaration=declaration)
        assert caught.value.messages == [
            f"This declaration is withdrawn: it can be {action} only while it is acknowledged or submitted."
        ]


@pytest.mark.parametrize("role", ["head_user", "exec_head_user", "dsl_user"])
def test_only_the_declarant_withdraws_or_declares_again(request, declaration, role):
    user = request.getfixturevalue(role)
    with pytest.raises(PermissionDenied):
        services.declaration_withdraw(actor=user, declaration=declaration)
    with pytest.raises(PermissionDenied):
        services.declaration_redeclare(actor=user, declaration=declaration)


def test_re_declaring_dates_it_today_and_asks_for_acknowledgement_again(school, declarant, pupil, head_user):
    old = DeclarationFactory(
        school=school,
        declarant=declarant,
        pupils=[pupil],
        declared_on=timezone.localdate() - timedelta(days=400),
    )
    services.declaration_acknowledge(actor=head_user, declaration=old, note="Seen.")
    services.declaration_redeclare(actor=declarant, declaration=old, statement="Still my niece.")
    old.refresh_from_db()
    assert old.status == D.SUBMITTED and old.declared_on == timezone.localdate()
    assert old.acknowledged_by is None and old.statement == "Still my niece."
    [event] = audit_events(old, "approvals.declaration.redeclare")
    assert event.data["status"][0] == "acknowledged"
    assert head_user.pk in recipients_of("approvals_action_needed", old)


def test_the_yearly_reminder_goes_once_to_the_declarant(school, declarant, pupil):
    today = timezone.localdate()
    old = DeclarationFactory(
        school=school, declarant=declarant, pupils=[pupil], declared_on=today - timedelta(days=366)
    )
    DeclarationFactory(
        school=school, declarant=declarant, pupils=[pupil], declared_on=today - timedelta(days=300)
    )
    assert services.declaration_reminders_send(today=today) == 1
    assert services.declaration_reminders_send(today=today) == 0
    assert recipients_of("approvals_declaration_due", old) == {declarant.pk}


def test_the_due_card_shows_for_a_declaration_over_a_year_old(client, school, declarant, pupil):
    client.force_login(declarant)
    assert "Declarations due" not in client.get(reverse("dashboard")).content.decode()
    DeclarationFactory(
        school=school,
        declarant=declarant,
        pupils=[pupil],
        declared_on=timezone.localdate() - timedelta(days=370),
    )
    text = client.get(reverse("dashboard")).content.decode()
    assert "Declarations due" in text


# --- Who sees what ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "status"), [("declarant", 200), ("head_user", 200), ("exec_head_user", 200),
                                              ("dsl_user", 200), ("slt_user", 404), ("office_user", 404),
                                              ("staff_user", 404), ("other_head", 404), ("governor_user", 404)])  # fmt: skip
def test_a_declaration_is_seen_by_its_declarant_the_heads_and_the_dsl(
    request, client, declaration, role, status
):
    client.force_login(request.getfixturevalue(role))
    assert client.get(declaration.get_absolute_url()).status_code == status


def test_viewing_a_declaration_is_audited_and_shown_to_the_heads(client, declaration, head_user, declarant):
    client.force_login(declarant)
    text = client.get(declaration.get_absolute_url()).content.decode()
    assert "Who viewed this" not in text
    client.force_login(head_user)
    text = client.get(declaration.get_absolute_url()).content.decode()
    assert "Who viewed this" in text
    assert (
        AuditEvent.objects.filter(action="approvals.declaration.view", target_id=str(declaration.pk)).count()
        == 2
    )


@pytest.mark.parametrize(("role", "status"), [("head_user", 200), ("exec_head_user", 200), ("dsl_user", 200),
                                              ("declarant", 403), ("office_user", 403), ("slt_user", 403)])  # fmt: skip
def test_the_register_is_for_the_heads_and_the_dsl(request, client, role, status):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("approvals:declaration_register")).status_code == status


def test_the_register_filters_by_pupil_and_staff_member(
    client, school, declaration, pupil, head_user, staff_user
):
    other_pupil = PupilFactory(school=school, first_name="Zed", last_name="Young")
    DeclarationFactory(school=school, declarant=staff_user, pupils=[other_pupil])
    client.force_login(head_user)
    url = reverse("approvals:declaration_register")
    assert client.get(url).content.decode().count('<th scope="row">') == 2
    assert client.get(url, {"f-pupil": pupil.pk}).content.decode().count('<th scope="row">') == 1
    assert client.get(url, {"f-declarant": staff_user.pk}).content.decode().count('<th scope="row">') == 1


def test_a_pupil_s_page_shows_declared_links_to_the_heads_and_the_dsl(
    client, declaration, pupil, dsl_user, office_user
):
    client.force_login(dsl_user)
    text = client.get(pupil.get_absolute_url()).content.decode()
    assert "Declared family links (§7)" in text and "Relative" in text
    client.force_login(office_user)
    assert "Declared family links" not in client.get(pupil.get_absolute_url()).content.decode()


def test_acknowledging_through_the_page(client, declaration, head_user):
    client.force_login(head_user)
    url = reverse("approvals:declaration_acknowledge", args=[declaration.pk])
    response = client.post(url, {"note": ""})
    assert "Add a note." in response.content.decode()
    client.post(url, {"note": "Noted; not in your classes."})
    declaration.refresh_from_db()
    assert declaration.status == D.ACKNOWLEDGED


def test_the_declarant_may_not_acknowledge_their_own(client, declaration, declarant):
    client.force_login(declarant)
    assert client.get(reverse("approvals:declaration_acknowledge", args=[declaration.pk])).status_code == 403


def test_declaring_through_the_page_keeps_input_on_error(client, school, declarant, pupil):
    client.force_login(declarant)
    url = reverse("approvals:declaration_create")
    response = client.post(url, {"school": school.pk, "kind": "family_link", "statement": "My niece."})
    text = response.content.decode()
    assert "Choose the pupil or pupils you have a family or friendship link with." in text
    assert "My niece." in text
    response = client.post(
        url,
        {
            "school": school.pk,
            "kind": "family_link",
            "pupils": [pupil.pk],
            "relationship": "relative",
            "statement": "My niece.",
        },
        follow=True,
    )
    assert "Your declaration was recorded." in response.content.decode()
    assert Declaration.objects.get().declarant == declarant


@pytest.mark.parametrize("action", ["withdraw", "redeclare"])
def test_the_declarant_s_own_actions_are_refused_to_the_heads_and_hidden_from_staff(
    client, declaration, head_user, staff_user, action
):
    url = reverse(f"approvals:declaration_{action}", args=[declaration.pk])
    client.force_login(head_user)
    assert client.get(url).status_code == 403
    client.force_login(staff_user)
    assert client.get(url).status_code == 404


def test_withdrawing_and_re_declaring_through_the_pages(client, declaration, declarant):
    client.force_login(declarant)
    redeclare = reverse("approvals:declaration_redeclare", args=[declaration.pk])
    assert "My niece is at the school." in client.get(redeclare).content.decode()  # the statement, to update
    response = client.post(redeclare, {"statement": ""})
    assert "Describe the link in a sentence or two." in response.content.decode()
    client.post(redeclare, {"statement": "Still my niece."})
    declaration.refresh_from_db()
    assert declaration.statement == "Still my niece."
    withdraw = reverse("approvals:declaration_withdraw", args=[declaration.pk])
    assert (
        "Withdraw a declaration only when the link no longer applies."
        in client.get(withdraw).content.decode()
    )
    client.post(withdraw, {})
    declaration.refresh_from_db()
    assert declaration.status == D.WITHDRAWN
    response = client.get(withdraw, follow=True)
    assert (
        "This declaration is withdrawn: it can be withdrawn only while it is acknowledged or submitted."
        in (response.content.decode())
    )
