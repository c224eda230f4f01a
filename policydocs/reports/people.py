"""How reports name the people who acted: by their registry name, not their sign-in."""


def user_name(user) -> str:
    """The person's name for a sign-in (select_related "<user>__person" first to keep it query-free)."""
    if user is None:
        return ""
    person = getattr(user, "person", None)  # None when the sign-in has no person
    if person is not None and person.full_name:
        return person.full_name
    return user.get_full_name() or user.get_username()
