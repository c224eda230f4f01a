from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = "Incidents and allegations"

    def ready(self):
        # Dashboard cards, navigation, person panels, notices, reminders and demo data register themselves.
        from . import cards, notices, seed, tasks  # noqa: F401
