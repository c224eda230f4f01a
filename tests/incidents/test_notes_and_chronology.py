"""Notes are append-only (a correction is a new note pointing at the old one); the chronology is one
timeline of everything: moves, notes, checklist steps, files, notices and views."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from incidents import selectors, services
from incidents.models import CaseNote, Source

from ..factories import ParentFactory
from .casework import advise, assess, record_case, refer

pytestmark = pytest.mark.django_db


def test_notes_are_appended_and_corrections_point_at_the_old_note(client, slt_user, school, subject):
    case = record_case(slt_user, school, subject)
    client.force_login(slt_user)
    url = reverse("incidents:allegation_note", args=[case.pk])
    assert client.post(url, {"text": "Spoke to the LADO on Monday."}).status_code == 302
    first = CaseNote.objects.get()
    corrected = {"text": "It was Tuesday, not Monday.", "corrects": first.pk, "third_party": "on"}
    assert client.post(url, corrected).status_code == 302

    second = CaseNote.objects.exclude(pk=first.pk).get()
    assert second.corrects == first and second.third_party and not first.third_party
    first.refresh_from_db()
    assert first.text == "Spoke to the LADO on Monday."  # untouched
    page = client.get(case.get_absolute_url()).text
    assert f'corrects <a href="#note-{first.pk}">note 1</a> — third-party information' in page
    events = AuditEvent.objects.filter(action="incidents.allegation.note")
    assert [e.data for e in events] == [
        {"note_id": first.pk, "corrects": None, "third_party": False},
        {"note_id": second.pk, "corrects": first.pk, "third_party": True},
    ]


def test_there_is_no_way_to_edit_or_remove_a_note(client, slt_user, school, subject):
    case = record_case(slt_user, school, subject)
    note = services.allegation_add_note(actor=slt_user, allegation=case, text="Kept.")
    client.force_login(slt_user)
    for path in [
        f"/incidents/notes/{note.pk}/edit/",
        f"/incidents/allegations/{case.pk}/notes/{note.pk}/delete/",
    ]:
        assert client.post(path).status_code == 404


def test_a_note_cannot_correct_another_cases_note(slt_user, school, subject):
    case, other = record_case(slt_user, school, subject), record_case(slt_user, school, subject)
    note = services.allegation_add_note(actor=slt_user, allegation=other, text="Other case.")
    with pytest.raises(ValidationError) as info:
        services.allegation_add_note(actor=slt_user, allegation=case, text="x", corrects=note)
    assert info.value.message_dict == {"corrects": ["Choose a note of this case."]}


def test_an_empty_note_is_refused_on_the_form(client, slt_user, school, subject):
    case = record_case(slt_user, school, subject)
    client.force_login(slt_user)
    response = client.post(reverse("incidents:allegation_note", args=[case.pk]), {"text": ""})
    assert response.status_code == 200 and "Write the note before adding it." in response.text


def test_the_chronology_holds_everything(client, slt_user, dsl_user, exec_head_user, school, subject):
    parent = ParentFactory(school=school)
    case = record_case(slt_user, school, subject, source=Source.PARENT, reporter=parent)
    services.allegation_mark_parent_process_explained(actor=slt_user, allegation=case)
    case = advise(slt_user, refer(slt_user, assess(slt_user, case)))
    services.allegation_add_note(actor=slt_user, allegation=case, text="Called the parent back.")
    from .test_evidence_files import PDF

    file = services.evidence_upload(actor=slt_user, allegation=case, name="letter.pdf", data=PDF)
    client.force_login(dsl_user)
    client.get(case.get_absolute_url())
    client.get(reverse("incidents:evidence_download", args=[file.pk]))

    entries = selectors.chronology(case)
    whats = [entry.what for entry in entries]
    for expected in [
        "Recorded the allegation",
        "Notice queued",
        "Explained the process to the parent or carer",
        "Assessed the harm threshold",
        "Referred the case to the LADO",
        "Recorded the LADO's advice",
        "Added a note",
        "Added a file",
        "Viewed the case",
        "Downloaded a file",
    ]:
        assert expected in whats, expected
    assert entries == sorted(entries, key=lambda e: e.at)
    assert any(e.note and e.note.text == "Called the parent back." for e in entries)
    assert any(e.detail == "letter.pdf" for e in entries)
    assert any("An allegation about an adult was recorded: 6 notice(s)" in e.detail for e in entries)
    assert (
        next(e for e in entries if e.what == "Viewed the case").who == dsl_user.get_full_name()
        or dsl_user.username
    )


def test_the_print_page_shows_the_chronology_and_records_the_view(client, slt_user, school, subject):
    case = record_case(slt_user, school, subject)
    services.allegation_add_note(actor=slt_user, allegation=case, text="Printed note text.")
    client.force_login(slt_user)
    page = client.get(reverse("incidents:allegation_print", args=[case.pk]))
    assert page.status_code == 200
    assert "Printed note text." in page.text and "Chronology" in page.text
    assert "Next steps" not in page.text
    assert AuditEvent.objects.filter(action="incidents.allegation.view", actor=slt_user).count() == 1


def test_every_view_of_a_case_is_recorded(client, slt_user, school, subject):
    case = record_case(slt_user, school, subject)
    client.force_login(slt_user)
    client.get(case.get_absolute_url())
    client.get(case.get_absolute_url())
    assert AuditEvent.objects.filter(action="incidents.allegation.view", target_id=str(case.pk)).count() == 2


def test_the_parent_checklist_step_is_recorded_once(client, slt_user, school, subject):
    case = record_case(slt_user, school, subject, source=Source.PARENT, reporter=ParentFactory(school=school))
    client.force_login(slt_user)
    url = reverse("incidents:allegation_parent_checklist", args=[case.pk])
    assert "Calm the parent or carer and explain the process" in client.get(case.get_absolute_url()).text
    client.post(url)
    page = client.get(case.get_absolute_url()).text
    assert "The process was explained to the parent or carer on" in page
    response = client.post(url, follow=True)
    assert "This was recorded on" in response.text
    assert AuditEvent.objects.filter(action="incidents.allegation.checklist").count() == 1


def test_the_checklist_step_belongs_to_a_parents_disclosure(slt_user, school, subject):
    case = record_case(slt_user, school, subject)
    with pytest.raises(ValidationError) as info:
        services.allegation_mark_parent_process_explained(actor=slt_user, allegation=case)
    assert info.value.messages == ["This step applies to a disclosure from a parent or carer."]


def test_a_pupils_disclosure_shows_the_child_protection_banner(client, dsl_user, school, subject):
    from ..factories import PupilFactory

    case = record_case(dsl_user, school, subject, source=Source.PUPIL, reporter=PupilFactory(school=school))
    client.force_login(dsl_user)
    assert (
        "the school's child protection procedure applies, and the case stays with the DSL"
        in client.get(case.get_absolute_url()).text
    )
