"""Every URL of the portal, for every role and every scope, answers what the policy table says.

The URLs come from the resolver, not from a hand list: a URL missing from `table.PAGES` fails, and
so does a row whose URL is gone. The records of each (URL, scope) are built once and every role
asks for the page in turn; every mismatch of the row is reported together.
"""

import os

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .table import LOGIN, PAGES, REDIRECT, answer
from .world import ROLE_FIXTURES, ROLES, make_world

# The Django admin has its own staff-only sign-in and permission system (tested in each app's
# test_admin.py); nothing else of the resolver is left out: the two-factor library's pages,
# its QR-code image included, are rows of the table like any other.
SKIP_NAMESPACES = ("admin",)


def resolver_url_names() -> set[str]:
    names = set()

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    if pattern.namespace in SKIP_NAMESPACES:
                        continue
                    inner = f"{namespace}{pattern.namespace}:"
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern):
                assert pattern.name, f"an unnamed URL pattern: {pattern.pattern}"
                names.add(namespace + pattern.name)

    walk(get_resolver().url_patterns)
    return names


def test_every_url_is_in_the_table():
    in_resolver = resolver_url_names()
    in_table = {row.name for row in PAGES}
    assert sorted(in_resolver - in_table) == [], "URLs with no row in tests/access/table.py"
    assert sorted(in_table - in_resolver) == [], "rows of tests/access/table.py whose URL is gone"


def test_every_row_says_something():
    for row in PAGES:
        assert row.scopes, row.id
        assert row.build is not None or set(row.scopes) == {"none"}, row.id
        for scope, expected in row.scopes.items():
            assert scope in ("none", "own", "other", "subject", "reporter"), (row.id, scope)
            assert expected is None or set(expected) - {"default"} <= set(ROLES), (row.id, scope)


def outcome(response):
    if response.status_code == 302:
        return LOGIN if response["Location"].startswith("/account/login/") else REDIRECT
    return response.status_code


@pytest.fixture
def users(request, school, other_school):
    return {role: request.getfixturevalue(fixture) for role, fixture in ROLE_FIXTURES.items()}


CASES = [pytest.param(row, scope, id=f"{row.id}-{scope}") for row in PAGES for scope in row.scopes]
OBSERVE = os.environ.get("ACCESS_MATRIX_OBSERVE")


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "scope"), CASES)
def test_access(client, school, other_school, users, row, scope):
    world = make_world(school, other_school, users)
    expected = row.scopes[scope]
    per_user = scope in ("subject", "reporter")
    shared_kwargs = row.build(world, scope, None) if row.build and not per_user else {}
    client.raise_request_exception = False
    seen, mismatches = {}, []
    for role in ROLES:
        if role == "anonymous":
            if per_user:
                continue
            client.logout()
            kwargs = shared_kwargs
        else:
            user = users[role]
            kwargs = row.build(world, scope, user) if per_user else shared_kwargs
            client.force_login(user)
        got = outcome(client.get(reverse(row.name, kwargs=kwargs)))
        seen[role] = got
        if expected is not None and got != answer(expected, role):
            mismatches.append(f"{role}: expected {answer(expected, role)}, got {got}")
    if OBSERVE:
        with open(OBSERVE, "a") as out:
            out.write(f"{row.id} {scope} {seen}\n")
        return
    assert expected is not None, f"no expectation for {row.id} in scope {scope}"
    assert mismatches == [], f"{row.id} ({scope}): " + "; ".join(mismatches)
