from django.apps import AppConfig
from django.core import checks


class DisclosuresConfig(AppConfig):
    name = "disclosures"
    verbose_name = "Subject access requests"

    def ready(self):
        checks.register(check_handler_role, checks.Tags.compatibility)


def check_handler_role(app_configs=None, **kwargs):
    """A deployment whose DISCLOSURES_HANDLER_ROLE names no role would leave requests with no one to
    answer them: refuse to start."""
    from django.conf import settings

    from people.models import Role

    role = getattr(settings, "DISCLOSURES_HANDLER_ROLE", "")
    if role in Role.values:
        return []
    return [
        checks.Error(
            f"DISCLOSURES_HANDLER_ROLE names no role: {role!r}.",
            hint="Use one of: " + ", ".join(Role.values) + ".",
            id="disclosures.E001",
        )
    ]
