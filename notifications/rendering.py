"""Turning a notice into its subject, plain text and HTML.

Templates live in templates/notifications/email/<key>_subject.txt, <key>.txt and
<key>.html. The context they see is the row's stored context plus `portal_url`
(settings.PORTAL_BASE_URL and the record's path): nothing is looked up, so a
rendering never reads case records.
"""

import re

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from .catalogue import get_template
from .models import Notification, safe_path


def portal_url(path: str = "") -> str:
    """An absolute link into the portal; anything but a local path becomes the home page."""
    return settings.PORTAL_BASE_URL + (safe_path(path) or "/")


def preview(template: str, context: dict | None = None) -> tuple[str, str, str]:
    """(subject, text, html) of the notice `template` with `context`, as a recipient would get it.

    For previews before sending (a parent notice shown to staff first) and for sending.
    """
    spec = get_template(template)
    context = dict(context or {})
    context["portal_url"] = portal_url(context.get("url", ""))
    # The public policy page (§10: parents should know the policy), which every notice to a parent names.
    context["policy_url"] = portal_url(reverse("policydocs:public"))
    subject = render_to_string(spec.subject_template, context)
    # A header must be one line.
    subject = " ".join(subject.split())
    text = _tidy(render_to_string(spec.text_template, context))
    html = render_to_string(spec.html_template, context)
    return subject, text, html


def render_notification(notification: Notification) -> tuple[str, str, str]:
    """(subject, text, html) of a stored notification."""
    return preview(notification.template, notification.context)


def render_subject(notification: Notification) -> str:
    """The one-line title of a notification, for lists."""
    spec = get_template(notification.template)
    context = dict(notification.context)
    context["portal_url"] = portal_url(context.get("url", ""))
    return " ".join(render_to_string(spec.subject_template, context).split())


def _tidy(text: str) -> str:
    """Plain text without the blank lines template tags leave behind."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"


def in_app_lines(user, notifications: list[Notification]) -> list[tuple[Notification, str]]:
    """Each of the user's own in-app notices with the line the centre shows: what its template's `in_app`
    names (the record and its deadline, re-read for this user, who must be the notice's recipient and still
    able to see the record), or else its subject. Each `in_app` function runs once for the whole list."""
    mine = [n for n in notifications if n.recipient_user_id == getattr(user, "pk", None)]
    by_describer: dict = {}
    for notification in mine:
        describe = get_template(notification.template).in_app
        if describe is not None:
            by_describer.setdefault(describe, []).append(notification)
    lines: dict[int, str] = {}
    for describe, group in by_describer.items():
        lines.update(describe(user, group))
    return [(n, lines.get(n.pk) or render_subject(n)) for n in mine]
