"""The demo holds one cyberbullying report per §10 scenario at Larchwood, some decided, some waiting."""

import pytest
from django.core.management import call_command

from incidents import services
from incidents.models import ActionKind, CyberbullyingReport, EvidenceFile, IncidentAction, TriageRule

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(monkeypatch):
    from incidents.demo import seed_cyberbullying

    monkeypatch.setattr("people.management.commands.seed_demo.demo_seeders", lambda: [seed_cyberbullying])
    with open("/dev/null", "w") as out:
        call_command("seed_demo", stdout=out)


def test_every_scenario_is_in_the_demo(seeded):
    reports = list(CyberbullyingReport.objects.filter(school__code="larchwood"))
    assert len(reports) == 7
    decided = {rule for r in reports for rule in r.rules}
    assert {TriageRule.FORMER_PUPIL, TriageRule.WARN_ALL_PARENTS, TriageRule.DECLINE_SOCIAL} <= decided
    waiting = [r for r in reports if r.status == CyberbullyingReport.Status.REPORTED]
    suggested = {rule for r in waiting for rule in services.triage(r).rules}
    assert {TriageRule.DUTY_OF_CARE, TriageRule.POLICE, TriageRule.FORMER_PUPIL} <= suggested
    assert CyberbullyingReport.objects.filter(status=CyberbullyingReport.Status.CLOSED).count() == 1
    # The warnings of the earlier report went; those of the under-age report are still to send.
    warnings = IncidentAction.objects.filter(kind=ActionKind.WARN_PARENTS)
    assert set(warnings.values_list("status", flat=True)) == {
        IncidentAction.Status.DONE,
        IncidentAction.Status.OPEN,
    }


def test_a_waiting_report_keeps_the_messages_the_pupil_brought(seeded):
    [kept] = EvidenceFile.objects.filter(report__isnull=False)
    assert kept.original_name == "group-messages.txt"
    assert kept.report.status == CyberbullyingReport.Status.REPORTED
    assert kept.report.school.code == "larchwood"


def test_seeding_twice_changes_nothing(seeded):
    def counts():
        return (
            CyberbullyingReport.objects.count(),
            IncidentAction.objects.count(),
            EvidenceFile.objects.count(),
        )

    before = counts()
    with open("/dev/null", "w") as out:
        call_command("seed_demo", stdout=out)
    assert counts() == before
