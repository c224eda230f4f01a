"""URL wiring: each app owns its own patterns."""

from django.contrib import admin
from django.contrib.auth.views import LogoutView
from django.urls import include, path
from two_factor.urls import urlpatterns as two_factor_patterns

from people import views as people_views

urlpatterns = [
    path("", people_views.dashboard, name="dashboard"),
    path("healthz/", people_views.healthz, name="healthz"),
    path("account/logout/", LogoutView.as_view(), name="logout"),
    path("", include(two_factor_patterns)),
    path("people/", include("people.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "people.views.permission_denied"
handler404 = "people.views.page_not_found"
handler500 = "people.views.server_error"
