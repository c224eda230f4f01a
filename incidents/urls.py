from django.urls import path

from . import views

app_name = "incidents"

urlpatterns = [
    path("report/", views.concern_report, name="report"),
    path("report/<int:pk>/thanks/", views.concern_thanks, name="concern_thanks"),
    path("my-reports/", views.my_reports, name="my_reports"),
    path("pupils/", views.pupil_incidents, name="pupil_incidents"),
    path("pupils/new/", views.pupil_incident_record, name="pupil_incident_record"),
    path("pupils/list/", views.pupil_incident_list, name="pupil_incident_list"),
    path("pupils/<int:pk>/", views.pupil_incident_detail, name="pupil_incident_detail"),
    path("pupils/<int:pk>/close/", views.pupil_incident_close, name="pupil_incident_close"),
    path(
        "pupils/<int:pk>/actions/<int:action_pk>/",
        views.incident_action_finish,
        name="incident_action_finish",
    ),
    path(
        "pupils/<int:pk>/actions/<int:action_pk>/notice/",
        views.incident_parent_notice,
        name="incident_parent_notice",
    ),
    path("concerns/", views.concern_list, name="concern_list"),
    path("concerns/<int:pk>/", views.concern_detail, name="concern_detail"),
    path("concerns/<int:pk>/close/", views.concern_close, name="concern_close"),
    path("concerns/<int:pk>/reporter/", views.concern_reveal_reporter, name="concern_reveal_reporter"),
    path("allegations/", views.allegation_list, name="allegation_list"),
    path("allegations/new/", views.allegation_create, name="allegation_create"),
    path("allegations/<int:pk>/", views.allegation_detail, name="allegation_detail"),
    path("allegations/<int:pk>/print/", views.allegation_print, name="allegation_print"),
    path("allegations/<int:pk>/notes/new/", views.allegation_note, name="allegation_note"),
    path("allegations/<int:pk>/files/new/", views.evidence_upload, name="evidence_upload"),
    path(
        "allegations/<int:pk>/checklist/parent/",
        views.allegation_parent_checklist,
        name="allegation_parent_checklist",
    ),
    path(
        "allegations/<int:pk>/reporter/", views.allegation_reveal_reporter, name="allegation_reveal_reporter"
    ),
    path("allegations/<int:pk>/<slug:step>/", views.allegation_step, name="allegation_step"),
    path("files/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("low-level/", views.low_level_list, name="low_level_list"),
    path(
        "low-level/<int:person_pk>/<int:school_pk>/review/",
        views.low_level_review,
        name="low_level_review",
    ),
    path("cyberbullying/", views.cyberbullying_list, name="cyberbullying_list"),
    path("cyberbullying/new/", views.cyberbullying_record, name="cyberbullying_record"),
    path("cyberbullying/<int:pk>/", views.cyberbullying_detail, name="cyberbullying_detail"),
    path("cyberbullying/<int:pk>/thanks/", views.cyberbullying_thanks, name="cyberbullying_thanks"),
    path("cyberbullying/<int:pk>/decide/", views.cyberbullying_decide, name="cyberbullying_decide"),
    path("cyberbullying/<int:pk>/notes/new/", views.cyberbullying_note, name="cyberbullying_note"),
    path(
        "cyberbullying/<int:pk>/files/new/",
        views.cyberbullying_evidence_upload,
        name="cyberbullying_evidence_upload",
    ),
    path("cyberbullying/<int:pk>/close/", views.cyberbullying_close, name="cyberbullying_close"),
    path(
        "cyberbullying/<int:pk>/actions/<int:action_pk>/",
        views.cyberbullying_action,
        name="cyberbullying_action",
    ),
    path(
        "cyberbullying/<int:pk>/actions/<int:action_pk>/notice/",
        views.cyberbullying_parent_notice,
        name="cyberbullying_parent_notice",
    ),
]

# Notes and files on pupil incidents (§8); the follow-ups a user owns.
urlpatterns += [
    path("pupils/<int:pk>/notes/new/", views.pupil_incident_note, name="pupil_incident_note"),
    path(
        "pupils/<int:pk>/files/new/",
        views.pupil_incident_evidence_upload,
        name="pupil_incident_evidence_upload",
    ),
    path("my-actions/", views.my_actions, name="my_actions"),
]
