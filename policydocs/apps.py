from django.apps import AppConfig


class PolicydocsConfig(AppConfig):
    name = "policydocs"
    verbose_name = "Policy documents and reports"

    def ready(self):
        # Registers the notices, navigation, dashboard card, daily jobs, reports and demo data.
        from . import cards, demo, notices, reminders  # noqa: F401
        from .reports import catalogue  # noqa: F401
