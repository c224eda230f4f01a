from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core mechanisms"

    def ready(self):
        from . import extensions, lookups

        lookups.register()
        # Every app declares what it adds to the others (cards, navigation, panels, notices, daily
        # jobs, demo data) in its own `extensions` module; they are loaded here, the same way for all.
        extensions.autodiscover()
