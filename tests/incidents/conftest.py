"""Fixtures of the incidents tests: the people of a case, and cases built through the services."""

from datetime import date
from unittest import mock

import pytest

from people.models import Role

from ..factories import PersonFactory, make_user


@pytest.fixture(autouse=True)
def _tasks_in_process():
    """Tasks (sending notices) run in-process even when REDIS_URL is set, so emails reach mail.outbox."""
    from socialpolicy.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def subject(school):
    """The adult a case is about: a member of staff with no sign-in."""
    return PersonFactory(school=school, first_name="Sam", last_name="Subject", date_of_birth=date(1980, 5, 1))


@pytest.fixture
def subject_user(school):
    """A member of staff who holds SLT rights, and will be the subject of a case."""
    return make_user(Role.SLT, Role.STAFF, school=school, first_name="Sasha", last_name="Senior")


@pytest.fixture
def reporter_user(school):
    return make_user(Role.STAFF, school=school, first_name="Rowan", last_name="Reporter")


@pytest.fixture
def frozen_now():
    """Call with an aware datetime: from then on django.utils.timezone.now() returns it."""
    patches = []

    def freeze(at):
        patcher = mock.patch("django.utils.timezone.now", return_value=at)
        patcher.start()
        patches.append(patcher)
        return at

    yield freeze
    for patcher in reversed(patches):
        patcher.stop()
