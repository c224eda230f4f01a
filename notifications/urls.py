from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read/", views.mark_all_read, name="mark_all_read"),
    path("<int:pk>/read/", views.mark_read, name="mark_read"),
    path("log/", views.delivery_log, name="log"),
    path("log/test/", views.send_test, name="send_test"),
    path("log/<int:pk>/retry/", views.retry, name="retry"),
    path("log/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("log/<int:pk>/delivered/", views.mark_delivered, name="delivered"),
]
