"""Comparing two versions: the clauses that changed, and the text line by line, escaped."""

import pytest
from django.urls import reverse

from policydocs.compare import compare

from .helpers import import_version, policy_text, ratified_version

pytestmark = pytest.mark.django_db


def test_the_comparison_names_changed_added_and_removed_clauses(federation):
    old = import_version(federation)
    new = import_version(
        federation,
        text=policy_text()
        .replace("Be kind online", "Be kind and fair online")
        .replace("- Keep accounts private\n", "- Keep accounts private\n- Report worries to the DSL\n"),
    )

    result = compare(old.body, new.body, list(old.clauses.all()), list(new.clauses.all()))

    changes = {(c.number, c.kind) for c in result.clause_changes}
    assert changes == {("2.1", "changed"), ("2.4", "added")}
    assert (result.changed, result.added, result.removed) == (1, 1, 0)
    changed = next(line for line in result.lines if line.kind == "changed")
    assert [s.text for s in changed.new if s.op == "ins"] == ["and fair "]


def test_identical_texts_compare_as_identical():
    assert compare("a\nb", "a\nb").identical


def test_long_unchanged_runs_are_folded():
    old = "\n".join(f"line {n}" for n in range(30))
    new = old.replace("line 15", "line fifteen")

    result = compare(old, new)

    assert [line.kind for line in result.lines].count("fold") == 2
    assert len(result.lines) < 12


def test_the_page_compares_and_escapes_the_text(client, head_user, federation):
    old = import_version(federation)
    new = import_version(federation, text=policy_text(" <script>alert(1)</script>"))
    client.force_login(head_user)

    response = client.get(reverse("policydocs:version_compare"), {"old": new.pk, "new": old.pk})

    assert response.status_code == 200
    assert response.context["old"] == old  # the earlier version is always on the left
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in response.content
    assert b"<script>alert(1)" not in response.content
    assert b"<ins>" in response.content


def test_the_same_version_twice_is_refused_on_the_form(client, head_user, federation):
    old = import_version(federation)
    import_version(federation, text=policy_text(" v2"))
    client.force_login(head_user)

    response = client.get(reverse("policydocs:version_compare"), {"old": old.pk, "new": old.pk})

    assert response.context["form"].errors["new"] == ["Choose two different versions to compare."]


def test_staff_compare_only_versions_they_may_see(client, staff_user, federation):
    """Drafts are the heads' own: choosing one is refused as an invalid choice."""
    old = ratified_version(federation)
    draft = import_version(federation, text=policy_text(" v2"))
    client.force_login(staff_user)

    response = client.get(reverse("policydocs:version_compare"), {"old": old.pk, "new": draft.pk})

    assert response.context["comparison"] is None
    assert "new" in response.context["form"].errors
    assert "old" not in response.context["form"].errors
