"""Social media platforms and their minimum ages: the one table the age guard reads (§2, §8)."""

from django.conf import settings
from django.db import models


class Platform(models.TextChoices):
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    X = "x", "X (Twitter)"
    YOUTUBE = "youtube", "YouTube"
    TIKTOK = "tiktok", "TikTok"
    WHATSAPP = "whatsapp", "WhatsApp"
    BLOG = "blog", "Blog"
    FORUM = "forum", "Discussion forum"
    WIKI = "wiki", "Wiki"
    OTHER = "other", "Other"


# The age each platform's own terms set in the UK. The portal never goes below
# PORTAL_MIN_PLATFORM_AGE (the policy keeps pupils under 13 off social networking,
# §8, and the law may move that age), so a platform listed lower still gets the
# setting. Blogs, forums and wikis are social networking applications too (§3).
# "Other" has no entry: the proposer gives the platform's age.
PLATFORM_MINIMUM_AGES: dict[str, int] = {
    Platform.FACEBOOK: 13,
    Platform.INSTAGRAM: 13,
    Platform.X: 13,
    Platform.YOUTUBE: 13,
    Platform.TIKTOK: 13,
    Platform.WHATSAPP: 13,
    Platform.BLOG: 13,
    Platform.FORUM: 13,
    Platform.WIKI: 13,
}


def portal_minimum_age() -> int:
    """The youngest age the portal allows on any platform (settings.PORTAL_MIN_PLATFORM_AGE)."""
    return int(settings.PORTAL_MIN_PLATFORM_AGE)


def default_minimum_age(platform: str) -> int | None:
    """The minimum age of a listed platform, never below the portal's; None for "other"."""
    listed = PLATFORM_MINIMUM_AGES.get(platform)
    if listed is None:
        return None
    return max(listed, portal_minimum_age())


def minimum_ages_for_display() -> list[tuple[str, int]]:
    """(platform label, minimum age) for every listed platform, for the proposal form's help."""
    return [(Platform(p).label, default_minimum_age(p)) for p in PLATFORM_MINIMUM_AGES]
