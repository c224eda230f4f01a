"""The portal's URLs with the benchmark's floor page (bench/floor/) added: only bench.portal_settings uses it."""

from django.urls import path

from socialpolicy.urls import handler403, handler404, handler500
from socialpolicy.urls import urlpatterns as portal_urlpatterns

from .floor import floor

urlpatterns = [path("bench/floor/", floor, name="bench_floor"), *portal_urlpatterns]

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
