from django.urls import path

from . import views

app_name = "policydocs"

urlpatterns = [
    path("", views.policy_read, name="read"),
    path("public/", views.policy_public, name="public"),
    path("versions/", views.version_list, name="version_list"),
    path("versions/import/", views.version_import, name="version_import"),
    path("versions/compare/", views.version_compare, name="version_compare"),
    path("versions/<int:pk>/", views.version_detail, name="version_detail"),
    path("versions/<int:pk>/ratify/", views.version_ratify, name="version_ratify"),
    path("versions/<int:pk>/discard/", views.version_discard, name="version_discard"),
    path("reports/", views.report_index, name="report_index"),
    path("reports/files/<uuid:job_id>/", views.report_job, name="report_job"),
    path("reports/files/<uuid:job_id>/status.json", views.report_job_status, name="report_job_status"),
    path("reports/files/<uuid:job_id>/download/", views.report_job_download, name="report_job_download"),
    path("reports/<slug:key>/", views.report_page, name="report"),
    path("reports/<slug:key>/<str:fmt>/", views.report_export, name="report_export"),
    path("reports/<slug:key>/record/<int:pk>/", views.report_page, name="report_record"),
    path("reports/<slug:key>/record/<int:pk>/<str:fmt>/", views.report_export, name="report_record_export"),
]
