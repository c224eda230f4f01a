"""Words every app uses the same way: social media platforms and their minimum ages, and a sign-in's
name as people read it.

Core imports no domain app: a name is read from a sign-in and its registry record by attribute.
"""

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
