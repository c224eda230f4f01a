from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "approvals"
    verbose_name = "Approvals"

    def ready(self):
        # Registers this app's notices, navigation, dashboard cards, person-page panel,
        # daily jobs and demo data with the apps that show and run them.
        from . import cards, demo, notices, reminders  # noqa: F401
