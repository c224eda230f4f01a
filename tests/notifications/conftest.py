"""Fixtures of the notification tests: tasks in-process unless a test asks for a real worker."""

import pytest

from people.models import Role

from ..factories import make_user
from .stack import RedisServer, Worker, skip_unless_worker_stack


@pytest.fixture
def dsl_with_email(school):
    return make_user(Role.DSL, Role.STAFF, school=school, email="dsl@larch.example.org")


@pytest.fixture
def redis_server():
    """A throwaway Redis for one worker test (skips unless REDIS_URL and PostgreSQL are in use)."""
    skip_unless_worker_stack()
    server = RedisServer().start()
    yield server
    server.stop()


@pytest.fixture
def start_worker(transactional_db, redis_server, tmp_path):
    """Starts Celery workers against the test database and `redis_server`; stops them all afterwards.

    Depends on transactional_db so the workers are gone before the tables are flushed.
    """
    workers = []
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()

    def start(*, wait=True, **options):
        worker = Worker(broker_url=redis_server.url, mail_dir=mail_dir, log_dir=tmp_path, **options)
        workers.append(worker)
        return worker.start(wait=wait)

    start.mail_dir = mail_dir
    yield start
    for worker in workers:
        worker.stop()
