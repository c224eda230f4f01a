"""Sign-in glue between django-two-factor-auth's wizard and django-axes."""


def axes_username(request, credentials=None) -> str:
    """The username being tried: from the credentials, or the wizard's prefixed field."""
    if credentials and credentials.get("username"):
        return credentials["username"]
    data = getattr(request, "POST", {}) or {}
    return data.get("auth-username") or data.get("username") or ""
