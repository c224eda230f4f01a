from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "People and schools"

    def ready(self):
        # Signing in stamps the session's renewal (people.middleware.SessionRenewalMiddleware).
        from . import middleware  # noqa: F401
