"""Words every app uses the same way: social media platforms and their minimum ages, the §6 Terms of
Use, and a sign-in's name as people read it.

Core imports no domain app: a name is read from a sign-in and its registry record by attribute.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import models


class Platform(models.TextChoices):
    """Where a school runs a service (§2, §3) or where something happened (§8, §9, §10)."""

    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    X = "x", "X (Twitter)"
    YOUTUBE = "youtube", "YouTube"
    TIKTOK = "tiktok", "TikTok"
    SNAPCHAT = "snapchat", "Snapchat"
    WHATSAPP = "whatsapp", "WhatsApp"
    BLOG = "blog", "Blog"
    FORUM = "forum", "Discussion forum"
    WIKI = "wiki", "Wiki"
    BLOG_OR_FORUM = "blog_or_forum", "A blog or discussion forum"
    TEXT_OR_PHONE = "text_or_phone", "Text messages or phone"
    OTHER = "other", "Other"


# The platforms a school may propose a service on (§2, §3: blogs, forums and wikis are social
# networking applications too).
SERVICE_PLATFORMS = (
    Platform.FACEBOOK,
    Platform.INSTAGRAM,
    Platform.X,
    Platform.YOUTUBE,
    Platform.TIKTOK,
    Platform.WHATSAPP,
    Platform.BLOG,
    Platform.FORUM,
    Platform.WIKI,
    Platform.OTHER,
)
# Where a concern, an allegation, a pupil's breach or bullying is said to have happened.
INCIDENT_PLATFORMS = (
    Platform.FACEBOOK,
    Platform.X,
    Platform.INSTAGRAM,
    Platform.TIKTOK,
    Platform.SNAPCHAT,
    Platform.WHATSAPP,
    Platform.YOUTUBE,
    Platform.BLOG_OR_FORUM,
    Platform.TEXT_OR_PHONE,
    Platform.OTHER,
)


def platform_choices(platforms) -> list[tuple[str, str]]:
    """(value, label) for a form's choice of these platforms, in the order given."""
    return [(p.value, p.label) for p in platforms]


SERVICE_PLATFORM_CHOICES = platform_choices(SERVICE_PLATFORMS)
INCIDENT_PLATFORM_CHOICES = platform_choices(INCIDENT_PLATFORMS)


# The age each platform's own terms set in the UK. The portal never goes below the legal floor
# (settings.PORTAL_MIN_PLATFORM_AGE: the policy keeps pupils under 13 off social networking, §8, and
# the law may move that age), so a platform listed lower still gets the setting. "Other", text
# messages and a blog or forum met in an incident have no entry: the floor applies, or a proposer
# gives the platform's age.
PLATFORM_MINIMUM_AGES: dict[str, int] = {
    Platform.FACEBOOK: 13,
    Platform.INSTAGRAM: 13,
    Platform.X: 13,
    Platform.YOUTUBE: 13,
    Platform.TIKTOK: 13,
    Platform.SNAPCHAT: 13,
    Platform.WHATSAPP: 13,
    Platform.BLOG: 13,
    Platform.FORUM: 13,
    Platform.WIKI: 13,
}


def portal_minimum_age() -> int:
    """The youngest age the portal allows on any platform (settings.PORTAL_MIN_PLATFORM_AGE)."""
    return int(settings.PORTAL_MIN_PLATFORM_AGE)


def default_minimum_age(platform: str) -> int | None:
    """The minimum age of a listed platform, never below the floor; None for one not listed."""
    listed = PLATFORM_MINIMUM_AGES.get(platform)
    if listed is None:
        return None
    return max(listed, portal_minimum_age())


def platform_minimum_age(platform: str) -> int:
    """The age below which a pupil may not hold an account on the platform: its listed age, else the floor."""
    return default_minimum_age(platform) or portal_minimum_age()


def minimum_ages_for_display(platforms=SERVICE_PLATFORMS) -> list[tuple[str, int]]:
    """(platform label, minimum age) for every listed platform among `platforms`, for a form's help."""
    return [(p.label, default_minimum_age(p)) for p in platforms if p in PLATFORM_MINIMUM_AGES]


def display_name(
    user, *, nobody: str = "the portal", registry_first: bool = False, registry: bool = True
) -> str:
    """A sign-in's name as people read it: its own name, else its registry record's, else the username.

    `nobody` names a missing sign-in (an automatic step). `registry_first` reads the registry record's
    name before the sign-in's (reports, which name people as the registry does); `registry=False`
    never reads it (a caller that has not fetched the record). Select "<user>__person" first to keep
    it query-free.
    """
    if user is None:
        return nobody
    if registry_first:
        person = getattr(user, "person", None)  # None when the sign-in has no person
        if person is not None and person.full_name:
            return person.full_name
    own = user.get_full_name()
    if own:
        return own
    if registry and not registry_first:
        person = getattr(user, "person", None)
        if person is not None and person.full_name:
            return person.full_name
    return user.get_username()


@dataclass(frozen=True)
class Term:
    """A clause of the §6 Terms of Use: its number in the policy, the code a case stores when it is
    breached (never reused: stored codes outlive wording), the rule as a proposer reads it, and the breach
    as a case records it."""

    number: str
    code: str
    rule: str
    breach: str


# The policy document itself is the authority; these are the portal"s summaries of it.
TERMS_OF_USE: tuple[Term, ...] = (
    Term(
        "6.1",
        "6.content",
        (
            "Publish nothing that could lead to a claim for defamation, discrimination, breach of "
            "copyright or data protection, or other damages. That includes anything illegal, sexual "
            "or offensive that could bring the school into disrepute."
        ),
        "published content that is defamatory, discriminatory, illegal, sexual or offensive",
    ),
    Term(
        "6.2",
        "6.interests",
        "Do not use it to promote your own financial interests, a business or a personal campaign.",
        "promoted personal financial interests, a business or a personal campaign",
    ),
    Term(
        "6.3",
        "6.abuse",
        "Do not use it to abuse anyone or to spread hate.",
        "used social media in an abusive or hateful way",
    ),
    Term(
        "6.4",
        "6.codes",
        "Do not use it in any way that would break the school's codes of conduct or its policies for staff.",
        "acted against the staff code of conduct or staff policies",
    ),
    Term(
        "6.5",
        "6.misconduct",
        "Do not break the school's policies on misconduct, equal opportunities, or bullying and harassment.",
        "breached the misconduct, equal opportunities or bullying and harassment policies",
    ),
    Term(
        "6.6",
        "6.school_matters",
        "Do not use it to discuss, or give advice on, school matters, staff, pupils or parents.",
        "discussed school matters, staff, pupils or parents",
    ),
    Term(
        "6.7",
        "6.pupil_friend",
        "Staff do not have a pupil or a former pupil as a 'friend' to share information with.",
        "has a pupil or former pupil as a friend or contact",
    ),
    Term(
        "6.8",
        "6.representative",
        "Employees do not present themselves as speaking for the school.",
        "presented themselves as speaking for the school",
    ),
    Term(
        "6.9",
        "6.references",
        (
            "Refer to a member of staff, a pupil, a parent, or a school activity or event only with "
            "permission agreed beforehand with the Executive Head (ask through Publication "
            "permissions)."
        ),
        "referred to staff, pupils, parents or school events without the Executive Head's agreement",
    ),
    Term(
        "6.10",
        "6.reputation",
        (
            "Out-of-work activity that embarrasses the school or harms its reputation may lead to "
            "disciplinary action."
        ),
        "out-of-work activity that embarrasses the school or harms its reputation",
    ),
)
