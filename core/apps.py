from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core mechanisms"

    def ready(self):
        from . import dbwait, extensions, lookups

        lookups.register()
        # A deadline on every wait for PostgreSQL: a frozen server answers 503, never a hung page.
        dbwait.install()
        # Every app declares what it adds to the others (cards, navigation, panels, notices, daily
        # jobs, demo data) in its own `extensions` module; they are loaded here, the same way for all.
        extensions.autodiscover()
