"""Who may run which report: office admins and governors get the registers and the anonymised reports,
never case detail; SLT, the DSL and the heads get the rest; the chair of governors the anonymised ones.
A report a role may not run answers 403, in every format."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

REPORTS = [
    "lado_log",
    "incident_summary",
    "approved_services",
    "declarations",
    "ack_compliance",
    "governors_termly",
]
ALLOWED = {
    "dsl_user": set(REPORTS),
    "slt_user": set(REPORTS),
    "head_user": set(REPORTS),
    "exec_head_user": set(REPORTS),
    "office_user": {
        "incident_summary",
        "approved_services",
        "declarations",
        "ack_compliance",
        "governors_termly",
    },
    "governor_user": {"incident_summary", "approved_services", "governors_termly"},
    "chair_user": {"incident_summary", "approved_services", "governors_termly"},
    "staff_user": set(),
    "teacher_user": set(),
}


@pytest.mark.parametrize("role_user", sorted(ALLOWED))
@pytest.mark.parametrize("report", REPORTS)
def test_each_role_gets_exactly_its_reports(client, request, role_user, report):
    client.force_login(request.getfixturevalue(role_user))
    allowed = report in ALLOWED[role_user]

    page = client.get(reverse("policydocs:report", args=[report]))
    csv = client.get(reverse("policydocs:report_export", args=[report, "csv"]))

    assert page.status_code == (200 if allowed else 403)
    assert csv.status_code == (200 if allowed else 403)


@pytest.mark.parametrize("role_user", sorted(ALLOWED))
def test_the_reports_page_lists_what_the_role_may_run(client, request, role_user):
    client.force_login(request.getfixturevalue(role_user))

    response = client.get(reverse("policydocs:report_index"))

    if not ALLOWED[role_user]:
        assert response.status_code == 403
        return
    listed = {report.key for report in response.context["reports"] if not report.per_record}
    assert listed == ALLOWED[role_user]


def test_an_unknown_report_or_format_is_missing(client, dsl_user):
    client.force_login(dsl_user)

    assert client.get(reverse("policydocs:report", args=["no_such_report"])).status_code == 404
    assert client.get(reverse("policydocs:report_export", args=["lado_log", "xlsx"])).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("policydocs:report", args=["approved_services"]))

    assert response.status_code == 302 and "/account/login/" in response["Location"]
