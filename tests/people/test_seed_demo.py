"""The demo data: idempotent, and every demo role can sign in."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from people.management.commands.seed_demo import DEMO_PASSWORD, SIGN_INS
from people.models import ClassGroup, ParentLink, Person, PersonKind, School

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("seed_demo", stdout=open("/dev/null", "w"))


def _counts():
    return (
        School.objects.count(),
        Person.objects.count(),
        ParentLink.objects.count(),
        ClassGroup.objects.count(),
    )


def test_seeding_twice_changes_nothing(seeded):
    first = _counts()
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert _counts() == first


def test_the_demo_has_pupils_either_side_of_thirteen_with_parents(seeded):
    from django.utils import timezone

    today = timezone.localdate()
    pupils = list(Person.objects.filter(kind=PersonKind.PUPIL))
    assert 50 <= len(pupils) <= 70
    ages = [p.age_on(today) for p in pupils]
    assert min(ages) <= 6 and max(ages) >= 17
    assert any(a < 13 for a in ages) and any(a >= 13 for a in ages)
    assert ParentLink.objects.filter(pupil__in=pupils).count() == len(pupils)
    assert ParentLink.objects.filter(may_contact=False).exists()


@pytest.mark.parametrize("username", [row[0] for row in SIGN_INS] + ["admin"])
def test_every_demo_sign_in_works(seeded, username):
    request = RequestFactory().post("/account/login/")
    assert authenticate(request=request, username=username, password=DEMO_PASSWORD) is not None


def test_the_sign_ins_are_printed(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out
    assert "exec.head" in out and "dsl.larchwood" in out
