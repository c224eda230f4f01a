"""The public page (no sign-in, §10) and safe Markdown rendering."""

import pytest
from django.urls import reverse

from policydocs.rendering import render_markdown, with_clause_numbers

from .helpers import import_version, policy_text, ratified_version, ratify

pytestmark = pytest.mark.django_db


def test_anyone_reads_the_current_version_without_signing_in(client, current):
    response = client.get(reverse("policydocs:public"))

    assert response.status_code == 200
    assert b"Be kind online" in response.content
    assert b"Resources Committee" in response.content
    assert b"2.1" in response.content  # clauses carry their numbers
    # Written for parents: what it is and whom to ask, before the policy itself.
    assert b"For parents and carers" in response.content
    assert b"contact your child's school office" in response.content


def test_drafts_and_superseded_versions_are_not_public(client, current, federation):
    import_version(federation, text=policy_text(" DRAFT-ONLY"))
    newer = ratified_version(federation, text=policy_text(" RATIFIED-NOW"))

    response = client.get(reverse("policydocs:public"))

    assert b"RATIFIED-NOW" in response.content
    assert b"DRAFT-ONLY" not in response.content
    assert response.content.count(b"Be kind online") == 1
    assert newer.status == "ratified"


def test_before_any_ratification_the_page_says_so(client, draft):
    response = client.get(reverse("policydocs:public"))

    assert b"will be published here once the governors have ratified it" in response.content
    assert b"Be kind online" not in response.content


def test_scripts_and_raw_html_never_survive_rendering():
    html = render_markdown(
        "# Big\n\nHello <script>alert(1)</script> <img src=x onerror=alert(2)> "
        '[link](javascript:alert(3)) [ok](https://example.org) <b style="color:red">bold</b>'
    )

    assert "<script" not in html and "onerror" not in html and "javascript:" not in html
    assert "<img" not in html and "style=" not in html and "<h1" not in html
    assert 'href="https://example.org"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_hostile_policy_text_is_escaped_on_the_pages(client, head_user, federation):
    text = "1. Intro\n\n<script>alert('x')</script>\n\n2. Rules\n\n- <img src=x onerror=alert(1)> rule\n"
    ratify(import_version(federation, text=text))
    client.force_login(head_user)

    for url in (reverse("policydocs:public"), reverse("policydocs:read")):
        content = client.get(url).content
        assert b"<script>alert" not in content and b"onerror" not in content


def test_clause_numbers_label_the_top_level_bullets():
    body = "Intro line\n- first\n  continued\n- second\n\nAfter.\n\n- third"

    labelled = with_clause_numbers(6, body)

    assert "- **6.1** first" in labelled and "- **6.2** second" in labelled and "- **6.3** third" in labelled
    assert "Intro line\n\n- **6.1**" in labelled  # a list always starts a block
    assert "<strong>6.3</strong>" in render_markdown(labelled)
