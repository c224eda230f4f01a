"""Fixtures of the policydocs tests."""

import pytest

from .helpers import import_version, ratified_version


@pytest.fixture
def federation(school):
    return school.federation


@pytest.fixture
def draft(federation):
    return import_version(federation)


@pytest.fixture
def current(federation):
    """A ratified version: the current policy."""
    return ratified_version(federation)
