"""The released pack holds no redacted text: not in the PDF's text, not in its metadata, not in the CSV,
not in the audit trail. Checked on the files themselves, with pdftotext and pypdf."""

import io
import json
import subprocess

import pytest
from pypdf import PdfReader

from audit.models import AuditEvent
from disclosures import services
from disclosures.models import Decision, RedactionKind, RequestKind
from incidents import services as incident_services
from incidents.models import Source

from ..factories import PupilFactory, make_user
from ..incidents import cyberwork
from ..incidents.casework import record_case
from ..incidents.pupilwork import record
from .helpers import in_review, own_request

pytestmark = pytest.mark.django_db

SECRET_PHRASE = "the blue holdall"


def pdf_text(data: bytes) -> str:
    """The PDF's text as pdftotext reads it, its whitespace run together (a name may break a line)."""
    out = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout
    return " ".join(out.decode("utf-8").split())


def pdf_metadata(data: bytes) -> str:
    meta = PdfReader(io.BytesIO(data)).metadata or {}
    return " ".join(str(value) for value in meta.values())


def released(request):
    request.refresh_from_db()
    pdf, csv = bytes(request.released_pdf), bytes(request.released_csv).decode("utf-8-sig")
    return pdf_text(pdf), pdf_metadata(pdf), " ".join(csv.split())


def decide_all(actor, request, keep=()):
    for item in request.redactions.all():
        decision = Decision.REJECTED if item.phrase in keep else Decision.ACCEPTED
        services.redaction_decide(actor=actor, request=request, redaction_id=item.pk, decision=decision)


@pytest.fixture
def pupil_world(school, dsl_user):
    """A pupil named with another pupil on an incident (with a third-party note), and the victim of a
    cyberbullying report made by a pupil in confidence (§8)."""
    subject = PupilFactory(school=school, first_name="Ada", last_name="Penrose")
    other = PupilFactory(school=school, first_name="Zara", last_name="Quillfeather")
    incident = record(
        dsl_user, school, pupils=[subject, other], what_happened="Zara Quillfeather shared a photo."
    )
    incident_services.pupil_incident_add_note(
        actor=dsl_user, incident=incident, text="Aunt said the family moved to Leeds.", third_party=True
    )
    incident_services.pupil_incident_add_note(actor=dsl_user, incident=incident, text="Spoke to Ada.")
    reporter = PupilFactory(
        school=school, first_name="Orla", last_name="Vantongeren", date_of_birth=cyberwork.YEAR_9
    )
    cyberwork.report(
        dsl_user,
        school,
        source="pupil",
        reporter=reporter,
        victims=[subject],
        perpetrators=[{"kind": "adult", "name": "Mr Thaddeus Grimsby"}],
        what_happened=f"Posts about Ada; she left {SECRET_PHRASE} at the gate.",
    )
    return subject


def test_the_portal_proposes_each_kind_of_redaction(exec_head_user, school, pupil_world, dsl_user):
    request = in_review(exec_head_user, own_request(exec_head_user, school, pupil_world))
    proposed = {(item.kind, item.phrase) for item in request.redactions.all()}
    assert (RedactionKind.OTHER_PUPIL, "Zara Quillfeather") in proposed
    assert (RedactionKind.SEALED_REPORTER, "Orla Vantongeren") in proposed
    assert (RedactionKind.OTHER_ADULT, dsl_user.person.full_name) in proposed
    assert (RedactionKind.THIRD_PARTY_NOTE, "") in proposed
    assert not any("Penrose" in phrase for _, phrase in proposed)
    assert {item.decision for item in request.redactions.all()} == {Decision.PROPOSED}


def test_accepted_redactions_leave_no_trace_in_the_pdf_its_metadata_or_the_csv(
    exec_head_user, school, pupil_world, dsl_user
):
    request = in_review(exec_head_user, own_request(exec_head_user, school, pupil_world))
    decide_all(exec_head_user, request)
    services.redaction_add_phrase(actor=exec_head_user, request=request, phrase="  The Blue   Holdall ")
    services.request_release(actor=exec_head_user, request=request)

    text, metadata, csv = released(request)
    gone = ["Zara Quillfeather", "Quillfeather", "Orla Vantongeren", "Vantongeren", "Leeds", "blue holdall"]
    gone.append(dsl_user.person.last_name)
    for output in (text, metadata, csv):
        for phrase in gone:
            assert phrase.lower() not in output.lower(), phrase
    assert "Thaddeus" not in text  # a free-text name of an outsider is proposed too
    for output in (text, csv):
        assert "[redacted: other pupil]" in output
        assert "[redacted: confidential reporter]" in output
        assert "[redacted: third-party information]" in output
        assert "[redacted: added by the reviewer]" in output
        assert "Ada Penrose" in output and "Spoke to Ada." in output
    assert f"Subject access pack, {request.reference}" in metadata and school.name in metadata


def test_a_rejected_proposal_stays_in_the_pack(exec_head_user, school, pupil_world):
    request = in_review(exec_head_user, own_request(exec_head_user, school, pupil_world))
    decide_all(exec_head_user, request, keep={"Zara Quillfeather"})
    services.request_release(actor=exec_head_user, request=request)
    text, _, csv = released(request)
    assert "Zara Quillfeather" in text and "Zara Quillfeather" in csv
    assert "Vantongeren" not in text


def test_no_redacted_text_reaches_the_audit_trail(exec_head_user, school, pupil_world):
    request = in_review(exec_head_user, own_request(exec_head_user, school, pupil_world))
    decide_all(exec_head_user, request)
    services.redaction_add_phrase(actor=exec_head_user, request=request, phrase=SECRET_PHRASE)
    services.request_release(actor=exec_head_user, request=request)
    trail = json.dumps(list(AuditEvent.objects.filter(action__startswith="disclosures.").values("data")))
    for phrase in ("Quillfeather", "Vantongeren", "Leeds", "holdall"):
        assert phrase not in trail
    decided = AuditEvent.objects.filter(action="disclosures.request.redact").order_by("pk")
    assert decided.count() == request.redactions.count()
    assert set(decided.first().data) == {"status", "redaction", "kind", "decision"}


def test_records_changed_during_review_hold_the_release_until_looked_at(
    exec_head_user, school, pupil_world, dsl_user
):
    request = in_review(exec_head_user, own_request(exec_head_user, school, pupil_world))
    decide_all(exec_head_user, request)
    record(dsl_user, school, pupils=[pupil_world, PupilFactory(school=school, last_name="Latecomer")])
    with pytest.raises(Exception) as refused:
        services.request_release(actor=exec_head_user, request=request)
    assert "The records have changed since the review began" in str(refused.value)
    assert services.redactions_refresh(actor=exec_head_user, request=request) == 1
    decide_all(exec_head_user, request)
    services.request_release(actor=exec_head_user, request=request)
    text, _, _ = released(request)
    assert "Latecomer" not in text


def test_a_reviewer_phrase_is_checked(exec_head_user, school, pupil_world):
    request = in_review(exec_head_user, own_request(exec_head_user, school, pupil_world))
    with pytest.raises(Exception) as empty:
        services.redaction_add_phrase(actor=exec_head_user, request=request, phrase="   ")
    assert empty.value.message_dict == {"phrase": ["Enter the words to redact."]}
    with pytest.raises(Exception) as long:
        services.redaction_add_phrase(actor=exec_head_user, request=request, phrase="x" * 201)
    assert long.value.message_dict == {"phrase": ["Keep a phrase to 200 characters."]}
    services.redaction_add_phrase(actor=exec_head_user, request=request, phrase="Gate code")
    with pytest.raises(Exception) as twice:
        services.redaction_add_phrase(actor=exec_head_user, request=request, phrase="gate  CODE")
    assert twice.value.message_dict == {"phrase": ["That phrase is already on the list: decide it there."]}


def test_redactions_are_decided_only_in_review(exec_head_user, school, pupil_world):
    from core.workflow import InvalidTransition

    request = own_request(exec_head_user, school, pupil_world)
    with pytest.raises(InvalidTransition):
        services.redaction_add_phrase(actor=exec_head_user, request=request, phrase="Gate code")


def test_the_subject_of_an_allegation_gets_a_copy_without_the_confidential_reporter(
    exec_head_user, dsl_user, school
):
    subject = make_user(school=school, first_name="Colin", last_name="Ashdown").person
    reporter = make_user(school=school, first_name="Bea", last_name="Marchbank").person
    case = record_case(
        dsl_user,
        school,
        subject,
        source=Source.STAFF,
        reporter=reporter,
        what_happened="Bea Marchbank saw it.",
    )
    copy = services.request_record(
        actor=exec_head_user,
        school=school,
        kind=RequestKind.ALLEGATION_COPY,
        requester=subject,
        allegation=case,
        received_on=case.received_at.date(),
    )
    copy = in_review(exec_head_user, copy)
    kinds = {item.phrase: item.kind for item in copy.redactions.all()}
    assert kinds["Bea Marchbank"] == RedactionKind.SEALED_REPORTER
    decide_all(exec_head_user, copy)
    services.request_release(actor=exec_head_user, request=copy)
    text, metadata, csv = released(copy)
    for output in (text, metadata, csv):
        assert "Marchbank" not in output
    assert "Colin Ashdown" in text and "[redacted: confidential reporter] saw it." in text
    assert "The allegation record" in text and "Pupil incidents" not in text
