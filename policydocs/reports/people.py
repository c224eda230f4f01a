"""How reports name the people who acted: by their registry name, not their sign-in."""

from core.vocabulary import display_name


def user_name(user) -> str:
    """The person's name for a sign-in (select_related "<user>__person" first to keep it query-free)."""
    return display_name(user, nobody="", registry_first=True)
