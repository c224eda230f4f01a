"""Shared fixtures: schools, one user per role, and fast password hashing; and the log canary."""

import logging
import traceback

import pytest
from django.conf import settings
from django.test import Client

from people.models import PersonKind, Role

from .factories import SchoolFactory, make_user
from .openid_provider import openid_provider_for  # noqa: F401 (a fixture)

# Real hashing costs ~1 s per password; the suite checks behaviour, not the hasher.
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The suite runs the production settings; its test client speaks plain HTTP.
settings.SECURE_SSL_REDIRECT = False


class PortalClient(Client):
    """A test client whose force_login also passes the second factor for roles that need it,
    as the real sign-in does."""

    def force_login(self, user, backend=None):
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from people import policies

        super().force_login(user, backend)
        user.__dict__.pop("_portal_access", None)
        if policies.requires_two_factor(user) or user.is_superuser:
            device, _ = TOTPDevice.objects.get_or_create(
                user=user, name="default", defaults={"confirmed": True}
            )
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        user.__dict__.pop("_portal_access", None)


@pytest.fixture
def client():
    return PortalClient()


@pytest.fixture
def unverified_client():
    """A plain client: force_login leaves the second factor unpassed."""
    return Client()


@pytest.fixture(autouse=True)
def _tasks_in_process(request):
    """Tasks run in-process (CELERY_TASK_ALWAYS_EAGER), even when REDIS_URL is set, except in tests marked `redis`
    (they start a real worker).

    So the unit tests never leave messages in a shared Redis.
    """
    from core import broker

    broker.reset()  # no test inherits another's remembered broker failure
    if request.node.get_closest_marker("redis"):
        yield
        return
    from socialpolicy.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path):
    """Mail and private files go to a per-test folder, never to var/."""
    settings.MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def school(db):
    return SchoolFactory(name="Larch School", code="larch")


@pytest.fixture
def other_school(db, school):
    return SchoolFactory(name="Oak School", code="oak", federation=school.federation)


@pytest.fixture
def staff_user(school):
    return make_user(Role.STAFF, school=school)


@pytest.fixture
def teacher_user(school):
    return make_user(Role.CLASS_TEACHER, Role.STAFF, school=school)


@pytest.fixture
def dsl_user(school):
    return make_user(Role.DSL, Role.STAFF, school=school)


@pytest.fixture
def slt_user(school):
    return make_user(Role.SLT, Role.STAFF, school=school)


@pytest.fixture
def head_user(school):
    return make_user(Role.HEAD_OF_SCHOOL, Role.STAFF, school=school)


@pytest.fixture
def office_user(school):
    return make_user(Role.OFFICE_ADMIN, Role.STAFF, school=school)


@pytest.fixture
def governor_user(school):
    return make_user(Role.GOVERNOR, school=school, kind=PersonKind.GOVERNOR)


@pytest.fixture
def exec_head_user(school):
    """The Executive Head: a federation role, no school of their own."""
    return make_user(Role.EXECUTIVE_HEAD, federation=school.federation, first_name="Helen", last_name="Marsh")


@pytest.fixture
def chair_user(school):
    return make_user(Role.CHAIR_OF_GOVERNORS, federation=school.federation, kind=PersonKind.GOVERNOR)


# --- The log canary ----------------------------------------------------------------------------
# Tests write case detail as strings starting "CANARY-". No log line the portal emits, at the
# levels it logs in production, may ever carry one: the whole run is watched, and a leak fails it.
CANARY_MARK = "CANARY-"


class CanaryLogHandler(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.leaks: list[str] = []

    def emit(self, record):
        try:
            text = record.getMessage()
        except Exception:  # a malformed record still gets checked by its raw parts
            text = f"{record.msg} {record.args}"
        if record.exc_info:
            text += "".join(traceback.format_exception(*record.exc_info))
        if CANARY_MARK in text:
            self.leaks.append(f"{record.levelname} {record.name}: {text[:300]}")


CANARY_HANDLER = CanaryLogHandler()


def pytest_configure(config):
    logging.getLogger().addHandler(CANARY_HANDLER)


@pytest.fixture(autouse=True)
def _canary_listening():
    """Keep the canary on the root logger for every test: a Celery worker started in the test process sets
    up logging afresh and drops the root logger's handlers, which would silence the canary for the rest of
    the run."""
    root = logging.getLogger()
    if CANARY_HANDLER not in root.handlers:
        root.addHandler(CANARY_HANDLER)


def pytest_sessionfinish(session, exitstatus):
    logging.getLogger().removeHandler(CANARY_HANDLER)
    if CANARY_HANDLER.leaks:
        print("\nCase detail reached the logs:", *CANARY_HANDLER.leaks, sep="\n  ")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
