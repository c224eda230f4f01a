from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "People and schools"

    def ready(self):
        from . import lookups

        lookups.register()
        from . import cards  # noqa: F401  (registers the registry's dashboard cards)
