"""The sign-in page's buttons for the school's OpenID Providers."""

from django import template
from django.core.exceptions import ImproperlyConfigured

from people import oidc

register = template.Library()


@register.simple_tag
def oidc_providers() -> list[oidc.Provider]:
    """{% oidc_providers as providers %}: the configured providers; none when the feature is off. A
    provider whose settings cannot work is left out here (manage.py check names it), so the password
    sign-in still shows."""
    try:
        return oidc.providers()
    except ImproperlyConfigured:
        return []
