"""The Jinja2 environment of the few page fragments written in Jinja2 for speed (`<app>/jinja2/`).

Pages are Django templates; a list's rows may be a Jinja2 fragment that the view renders and hands to
its page. The fragments get the same formatting filters as the Django templates, and an undefined
name is an error rather than an empty string.
"""

from django.template.defaultfilters import linebreaksbr
from jinja2 import Environment, StrictUndefined

from core import formats
from incidents.countdown import countdown


def environment(**options) -> Environment:
    options["undefined"] = StrictUndefined  # Django sets its own default; a fragment wants the error
    options.pop("autoescape", None)  # always on, whatever the settings say
    env = Environment(autoescape=True, **options)
    env.filters.update(
        day=formats.day,
        moment=formats.moment,
        deadline=formats.deadline,
        iso=formats.iso,
        countdown=countdown,
        # Django's own: escapes the text, then marks its line breaks (what it returns is marked safe).
        linebreaksbr=linebreaksbr,
    )
    return env
