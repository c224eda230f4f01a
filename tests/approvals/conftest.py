"""Fixtures of the approvals tests: a proposer, deciders at two schools, and tasks in-process."""

import pytest

from approvals.models import ProposalStatus
from people.models import Role

from ..factories import PupilFactory, make_user
from .factories import in_state


@pytest.fixture(autouse=True)
def _tasks_in_process():
    """Notices are sent in-process even when REDIS_URL is set, so no test leaves messages in a shared Redis."""
    from socialpolicy.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def proposer(school):
    """The class teacher who proposes (Tom Fletcher), with the sign-in named as the registry names it."""
    user = make_user(Role.CLASS_TEACHER, Role.STAFF, school=school, first_name="Tom", last_name="Fletcher")
    user.first_name, user.last_name = "Tom", "Fletcher"
    user.save(update_fields=["first_name", "last_name"])
    return user


@pytest.fixture
def other_head(other_school):
    """The Head of School of another school of the federation."""
    return make_user(Role.HEAD_OF_SCHOOL, Role.STAFF, school=other_school)


@pytest.fixture
def make_proposal(school, proposer):
    """make_proposal(status, **fields): a proposal of `school` by `proposer` in `status`, one moderator."""

    def make(status=ProposalStatus.DRAFT, **fields):
        fields.setdefault("school", school)
        fields.setdefault("proposer", proposer)
        fields.setdefault("moderators", [proposer.person])
        return in_state(status, **fields)

    return make


@pytest.fixture
def draft(make_proposal):
    return make_proposal()


@pytest.fixture
def submitted(make_proposal):
    return make_proposal(ProposalStatus.SUBMITTED)


@pytest.fixture
def pupil(school):
    return PupilFactory(school=school, first_name="Maya", last_name="Brook")
