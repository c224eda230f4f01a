from django.urls import path

from . import views

app_name = "disclosures"

urlpatterns = [
    path("", views.register, name="register"),
    path("new/", views.record, name="record"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/step/<slug:name>/", views.step, name="step"),
    path("<int:pk>/redactions/", views.review, name="review"),
    path("<int:pk>/redactions/look-again/", views.refresh, name="refresh"),
    path("<int:pk>/redactions/<int:redaction_pk>/", views.decide, name="decide"),
    path("<int:pk>/pack.<str:fmt>", views.pack, name="pack"),
]
