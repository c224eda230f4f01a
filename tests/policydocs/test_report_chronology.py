"""6. The case chronology pack for one allegation: a sealed reporter stays redacted unless the reader may
see them (the case manager and the school's DSL, by the incidents app's own rule)."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from incidents import services as incident_services
from incidents.models import Allegation, Source
from people.models import Role

from ..factories import PersonFactory, make_user
from ..incidents.casework import case_in
from .reportdata import csv_rows, pdf_text

pytestmark = pytest.mark.django_db
S = Allegation.Status


@pytest.fixture
def case(dsl_user, school):
    reporter = make_user(Role.STAFF, school=school, first_name="Rowan", last_name="Reporter")
    subject = PersonFactory(school=school, first_name="Sam", last_name="Subject")
    case = case_in(
        dsl_user,
        school,
        subject,
        S.LADO_ADVICE_RECORDED,
        source=Source.STAFF,
        reporter=reporter.person,
        what_happened="Messaged a pupil at night.",
    )
    incident_services.allegation_add_note(actor=dsl_user, allegation=case, text="Spoke to the LADO again.")
    return case


def _url(case, fmt=None):
    if fmt:
        return reverse("policydocs:report_record_export", args=["chronology_pack", case.pk, fmt])
    return reverse("policydocs:report_record", args=["chronology_pack", case.pk])


def test_the_pack_has_the_summary_the_text_and_the_chronology(client, dsl_user, case):
    client.force_login(dsl_user)

    response = client.get(_url(case))

    result = response.context["result"]
    facts = dict(result.facts)
    assert facts["Case"] == case.reference and facts["About"] == "Sam Subject"
    assert facts["Within deadline"] == "Yes"
    assert result.blocks[0].paragraphs == ["Messaged a pupil at night."]
    whats = [row[2] for row in result.tables[0].rows]
    assert "Recorded the allegation" in whats and "Referred the case to the LADO" in whats
    note = next(row for row in result.tables[0].rows if row[2] == "Added a note")
    assert note[3].endswith("Spoke to the LADO again.")
    assert "Viewed the case" not in whats
    assert "OFFICIAL-SENSITIVE" in response.content.decode()


def test_the_schools_dsl_sees_the_sealed_reporter_and_that_is_audited(client, dsl_user, case):
    client.force_login(dsl_user)

    result = client.get(_url(case)).context["result"]

    assert dict(result.facts)["Reporter"] == "Rowan Reporter (member of staff)"
    event = AuditEvent.objects.filter(action="policydocs.report.generate").latest("id")
    assert event.target_type == "incidents.allegation" and event.target_id == str(case.pk)
    assert event.data["reporter_revealed"] is True and event.data["report"] == "chronology_pack"


def test_slt_read_a_member_of_staff_in_the_page_the_csv_and_the_pdf(client, slt_user, case):
    client.force_login(slt_user)

    page = client.get(_url(case))
    csv = client.get(_url(case, "csv")).content
    pdf = pdf_text(client.get(_url(case, "pdf")).content)

    assert dict(page.context["result"].facts)["Reporter"] == "A member of staff"
    for text in (page.content.decode(), csv.decode("utf-8"), pdf):
        assert "Rowan Reporter" not in text
    assert ["Reporter", "A member of staff"] in csv_rows(csv)
    assert "A member of staff" in pdf and case.reference in pdf
    assert pdf.count("OFFICIAL-SENSITIVE") >= 2
    event = AuditEvent.objects.filter(action="policydocs.report.generate").latest("id")
    assert event.data["reporter_revealed"] is False and event.data["format"] == "pdf"


def test_the_case_manager_sees_the_reporter(client, exec_head_user, case):
    client.force_login(exec_head_user)

    assert (
        dict(client.get(_url(case)).context["result"].facts)["Reporter"] == "Rowan Reporter (member of staff)"
    )


@pytest.mark.parametrize("role_user", ["office_user", "governor_user", "staff_user", "teacher_user"])
def test_the_pack_is_refused_to_roles_without_case_detail(client, request, role_user, case):
    client.force_login(request.getfixturevalue(role_user))

    assert client.get(_url(case)).status_code == 403
    assert client.get(_url(case, "pdf")).status_code == 403


def test_a_case_the_reader_may_not_see_answers_404(client, case, other_school):
    oak_dsl = make_user(Role.DSL, Role.STAFF, school=other_school)
    client.force_login(oak_dsl)

    assert client.get(_url(case)).status_code == 404
    assert client.get(_url(case, "csv")).status_code == 404


def test_the_subject_never_gets_the_pack(client, dsl_user, school):
    subject_slt = make_user(Role.SLT, Role.STAFF, school=school)
    about_them = case_in(dsl_user, school, subject_slt.person, S.RECORDED)
    client.force_login(subject_slt)

    assert client.get(_url(about_them)).status_code == 404
    assert client.get(_url(about_them, "pdf")).status_code == 404


def test_a_reporter_who_received_it_is_sealed_as_the_receiver(client, slt_user, dsl_user, case):
    """As when they recorded the incident it came from: their name as receiver would say who reported it."""
    Allegation.objects.filter(pk=case.pk).update(received_by=case.reporter)
    client.force_login(slt_user)
    facts = dict(client.get(_url(case)).context["result"].facts)
    assert facts["Received by"] == facts["Reporter"] == "A member of staff"
    assert "Rowan Reporter" not in client.get(_url(case, "csv")).content.decode("utf-8")
    client.force_login(dsl_user)  # the school's DSL may see who reported it, so who received it too
    assert dict(client.get(_url(case)).context["result"].facts)["Received by"] == "Rowan Reporter"
