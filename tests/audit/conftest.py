"""Fixtures for the audit trail's tests. Only users and schools: the audit app depends on nothing else."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model


@pytest.fixture
def actor(db):
    """A signed-in user with a full name."""
    return get_user_model().objects.create_user(
        username="alice", password="a-long-test-password-42", first_name="Alice", last_name="Archer"
    )


@pytest.fixture
def other_actor(db):
    return get_user_model().objects.create_user(
        username="bob", password="a-long-test-password-42", first_name="Bob", last_name="Baker"
    )


@pytest.fixture
def audit_school(db):
    """A school, made without the people app's factories."""
    federation = apps.get_model("people", "Federation").objects.create(name="Audit Test Federation")
    return apps.get_model("people", "School").objects.create(
        federation=federation, name="Birch School", code="birch"
    )
