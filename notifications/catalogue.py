"""The notices the portal can send, and what each one is allowed to print.

Every template key used with `notify()` is registered here (domain apps register
theirs in their extensions module). `prints` lists the context keys the templates show;
the content tests render each template with a canary under every other key and
check the canary never reaches a message. Safeguarding notices print only a
category, the school's name and a sign-in link: no case detail leaves the portal.
"""

from collections.abc import Callable
from dataclasses import dataclass

from core.extensions import NOTICE_TEMPLATES


class Audience:
    STAFF = "staff"
    PARENT = "parent"


@dataclass(frozen=True)
class NoticeTemplate:
    key: str
    label: str
    prints: frozenset[str]
    audience: str = Audience.STAFF
    safeguarding: bool = False
    # The line the in-app centre shows instead of the subject (see `in_app_lines`); emails never use it.
    in_app: Callable | None = None

    @property
    def subject_template(self) -> str:
        return f"notifications/email/{self.key}_subject.txt"

    @property
    def text_template(self) -> str:
        return f"notifications/email/{self.key}.txt"

    @property
    def html_template(self) -> str:
        return f"notifications/email/{self.key}.html"


# The only keys a safeguarding notice may print.
SAFEGUARDING_PRINTS = frozenset({"category", "school_name", "url"})


def register_template(
    key: str,
    *,
    label: str,
    prints=(),
    audience: str = Audience.STAFF,
    safeguarding: bool = False,
    in_app: Callable | None = None,
) -> NoticeTemplate:
    """Declare a notice: templates/notifications/email/<key>_subject.txt, <key>.txt and <key>.html.

    `in_app(user, notifications)` may name, for the signed-in recipient only, what each of their in-app
    notices is about ("ALG-00003: referral due Thu 10 Dec 14:00"): it returns {notification id: line} for
    the notices whose record the user may still see (reading them through the app's `*_visible_to(user)`,
    a fixed number of queries for the whole list) and leaves the rest to their subject. Emails stay
    content-free: they never call it."""
    prints = frozenset(prints)
    if safeguarding and not prints <= SAFEGUARDING_PRINTS:
        raise ValueError(f"A safeguarding notice may print only {sorted(SAFEGUARDING_PRINTS)}.")
    spec = NoticeTemplate(
        key=key, label=label, prints=prints, audience=audience, safeguarding=safeguarding, in_app=in_app
    )
    return NOTICE_TEMPLATES.add(spec, key=key)


def get_template(key: str) -> NoticeTemplate:
    spec = NOTICE_TEMPLATES.get(key)
    if spec is None:
        raise LookupError(f"No notice is registered as {key!r} (see notifications.catalogue).")
    return spec


def all_templates() -> list[NoticeTemplate]:
    return sorted(NOTICE_TEMPLATES, key=lambda spec: spec.key)


def label_for(key: str) -> str:
    spec = NOTICE_TEMPLATES.get(key)
    return spec.label if spec else key


register_template("test_notice", label="Test notice")
register_template(
    "safeguarding_alert",
    label="Safeguarding alert",
    prints=SAFEGUARDING_PRINTS,
    safeguarding=True,
)
register_template(
    "parent_contact_request",
    label="Please contact the school",
    prints={"school_name"},
    audience=Audience.PARENT,
)
