from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("new/", views.person_create, name="person_create"),
    path("import/", views.person_import, name="person_import"),
    path("import/ctf/", views.ctf_import, name="ctf_import"),
    path("import/jobs/<int:pk>/", views.import_job, name="import_job"),
    path("import/jobs/<int:pk>/status/", views.import_job_status, name="import_job_status"),
    path("<int:pk>/", views.person_detail, name="person_detail"),
    path("<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("<int:pk>/access/", views.person_access, name="person_access"),
    path("<int:pk>/left/", views.person_mark_left, name="person_mark_left"),
    path("<int:pk>/parents/new/", views.parent_link_create, name="parent_link_create"),
    path("classes/", views.class_list, name="class_list"),
    path("classes/new/", views.class_edit, name="class_create"),
    path("classes/<int:pk>/", views.class_detail, name="class_detail"),
    path("classes/<int:pk>/edit/", views.class_edit, name="class_edit"),
]
