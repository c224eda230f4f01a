"""Notice content: no case detail reaches a message, whatever the caller puts in the context."""

from pathlib import Path

import pytest
from django.conf import settings

from notifications.catalogue import SAFEGUARDING_PRINTS, all_templates, get_template, register_template
from notifications.models import Channel, Notification
from notifications.rendering import preview, render_notification

CANARY = "CANARY-7f3a9e-case-detail"
# Keys a careless caller might fill with case detail.
TEMPTING_KEYS = [
    "description",
    "detail",
    "details",
    "summary",
    "narrative",
    "allegation",
    "subject_name",
    "pupil_name",
    "child_name",
    "reporter",
    "reporter_name",
    "notes",
    "outcome",
    "name",
    "email",
    "first_name",
    "last_name",
    "recipient_name",
    "case",
    "title",
    "body",
    "message",
    "reason",
    "category_detail",
]
TEMPLATES_DIR = Path(settings.BASE_DIR) / "templates" / "notifications" / "email"


def _context(spec, **values):
    context = {key: CANARY for key in TEMPTING_KEYS}
    context.update({key: f"value-of-{key}" for key in spec.prints})
    context["url"] = "/records/17/"
    context.update(values)
    return context


def test_every_template_file_belongs_to_a_registered_notice():
    """Each <key>_subject.txt has its notice registered (so the canary test below covers it)."""
    keys = {path.name.removesuffix("_subject.txt") for path in TEMPLATES_DIR.glob("*_subject.txt")}
    assert keys <= {spec.key for spec in all_templates()}


@pytest.mark.parametrize("spec", all_templates(), ids=lambda spec: spec.key)
def test_no_template_prints_a_key_it_does_not_declare(spec):
    """A canary under every undeclared key never appears in the subject, the text or the HTML."""
    subject, text, html = preview(spec.key, _context(spec))

    for part in (subject, text, html):
        assert CANARY not in part
    assert subject and "\n" not in subject
    assert text.strip() and html.strip()


@pytest.mark.parametrize("spec", [s for s in all_templates() if s.safeguarding], ids=lambda s: s.key)
def test_safeguarding_notices_print_nothing_but_the_category_the_school_and_a_link(spec):
    """§9 and KCSIE: a safeguarding email carries a category and a sign-in link, nothing else.

    Every other key holds a canary (ids included); the sign-in link is always there, and the
    category never reaches the subject line, which shows on lock screens.
    """
    assert spec.prints <= SAFEGUARDING_PRINTS
    context = {key: CANARY for key in TEMPTING_KEYS + ["id", "concern_id", "allegation_id", "pupil_id"]}
    context.update(category="Category-4815", school_name="School-1623", url="/records/17/")

    subject, text, html = preview(spec.key, context)

    for part in (subject, text, html):
        assert CANARY not in part
    assert f"{settings.PORTAL_BASE_URL}/records/17/" in text
    assert f'href="{settings.PORTAL_BASE_URL}/records/17/"' in html
    assert "Category-4815" not in subject


def test_the_safeguarding_alert_says_the_category_and_the_school():
    subject, text, html = preview(
        "safeguarding_alert", {"category": "Allegation about an adult", "school_name": "Larch School"}
    )
    for part in (text, html):
        assert "Allegation about an adult" in part and "Larch School" in part
    assert subject == "Safeguarding: a new record needs your attention"


def test_the_safeguarding_alert_is_registered_as_safeguarding():
    assert get_template("safeguarding_alert").safeguarding


def test_a_safeguarding_notice_cannot_declare_more_keys():
    with pytest.raises(ValueError):
        register_template("leaky_alert", label="Leaky", prints={"category", "pupil_name"}, safeguarding=True)


def test_the_sign_in_link_never_points_elsewhere():
    """Only a local path becomes a link: another host or a script falls back to the portal's home."""
    for bad in ["https://evil.example/", "//evil.example/", "javascript:alert(1)", "/\\evil.example"]:
        _, text, html = preview("safeguarding_alert", {"category": "Concern", "url": bad})
        assert f"{settings.PORTAL_BASE_URL}/\n" in text
        assert "evil" not in text + html and "javascript" not in text + html


def test_text_is_not_html_escaped_and_html_is():
    subject, text, html = preview("parent_contact_request", {"school_name": "St Mary's & St John's"})
    assert "St Mary's & St John's" in text
    assert "St Mary's & St John's" in subject
    assert "St Mary&#x27;s &amp; St John&#x27;s" in html


def test_parent_notices_are_short_and_plain():
    _, text, _ = preview("parent_contact_request", {"school_name": "Larch School"})
    assert text.startswith("Dear parent or carer,")
    assert len(text.split()) < 80


def test_render_notification_uses_the_stored_context():
    notification = Notification(
        event="e",
        channel=Channel.EMAIL,
        template="safeguarding_alert",
        context={"category": "Concern", "school_name": "Larch School", "url": "/x/1/"},
    )
    subject, text, html = render_notification(notification)
    assert subject == "Safeguarding: a new record needs your attention"
    assert "Category: Concern" in text and f"{settings.PORTAL_BASE_URL}/x/1/" in html


@pytest.mark.parametrize(
    "spec", [spec for spec in all_templates() if spec.audience == "parent"], ids=lambda spec: spec.key
)
def test_every_notice_to_a_parent_links_the_public_policy(spec):
    """§10: parents should know the policy; each notice they get says where to read it, in both parts."""
    from django.urls import reverse

    link = settings.PORTAL_BASE_URL + reverse("policydocs:public")
    _, text, html = preview(spec.key, _context(spec))
    assert f"read the school's Social Media Policy at {link}" in text
    assert f'<a href="{link}">{link}</a>' in html


def test_a_notice_to_staff_does_not_carry_the_parents_line():
    spec = get_template("test_notice")
    _, text, _ = preview(spec.key, _context(spec))
    assert "Social Media Policy at" not in text
