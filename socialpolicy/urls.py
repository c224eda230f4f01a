"""URL wiring: each app owns its own patterns."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from two_factor.urls import urlpatterns as two_factor_patterns

from people import views as people_views
from people.views import oidc as oidc_views

urlpatterns = [
    path("", people_views.dashboard, name="dashboard"),
    path("deadlines/", people_views.deadlines, name="deadlines"),
    path("healthz/", people_views.healthz, name="healthz"),
    path("account/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/password/reset/", people_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "account/password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"
    ),
    path(
        "account/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "account/password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("account/password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "account/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("account/oidc/<slug:provider>/start/", oidc_views.oidc_start, name="oidc_start"),
    path("account/oidc/<slug:provider>/callback/", oidc_views.oidc_callback, name="oidc_callback"),
    path("account/oidc/verify/", oidc_views.oidc_verify, name="oidc_verify"),
    path("", include(two_factor_patterns)),
    path("people/", include("people.urls")),
    path("incidents/", include("incidents.urls")),
    path("notifications/", include("notifications.urls")),
    path("approvals/", include("approvals.urls")),
    path("policy/", include("policydocs.urls")),
    path("subject-access/", include("disclosures.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "people.views.permission_denied"
handler404 = "people.views.page_not_found"
handler500 = "people.views.server_error"
