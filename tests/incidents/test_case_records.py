"""Notes, files and actions name exactly one case, held by the database, and read it back as `case`."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from incidents.models import ActionKind, ActionOwner, CaseNote, IncidentAction

from .casework import record_case
from .pupilwork import record


def test_the_database_refuses_a_note_on_two_cases_or_none(slt_user, staff_user, school, subject):
    case = record_case(slt_user, school, subject)
    incident = record(staff_user, school)
    for keys in ({"allegation": case, "incident": incident}, {}):
        with pytest.raises(IntegrityError), transaction.atomic():
            CaseNote.objects.create(author=slt_user, text="A note.", **keys)


def test_the_database_refuses_an_action_without_a_case(school):
    with pytest.raises(IntegrityError), transaction.atomic():
        IncidentAction.objects.create(
            school=school, kind=ActionKind.MEET_FAMILY, owner=ActionOwner.DSL, due_on=timezone.localdate()
        )


def test_a_record_reads_back_the_case_it_names(slt_user, staff_user, school, subject):
    case = record_case(slt_user, school, subject)
    incident = record(staff_user, school)
    assert CaseNote.objects.create(author=slt_user, text="A note.", allegation=case).case == case
    assert CaseNote.objects.create(author=slt_user, text="A note.", incident=incident).case == incident
    action = IncidentAction.objects.create(
        incident=incident,
        school=school,
        kind=ActionKind.MEET_FAMILY,
        owner=ActionOwner.DSL,
        due_on=timezone.localdate(),
    )
    assert action.case == incident
