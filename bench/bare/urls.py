"""The bare page (/bare/) and a health check for the benchmark to wait on."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET


@require_GET
@login_required
def bare(request):
    """The floor page's query (the newest 25 allegations' ids and statuses), here without the ORM's
    model, which lives in an app this page does not load."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, status FROM incidents_allegation ORDER BY id DESC LIMIT 25")
        rows = cursor.fetchall()
    return render(request, "bare.html", {"rows": [(f"ALG-{pk:05d}", status) for pk, status in rows]})


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bare/", bare, name="bare"), path("healthz/", healthz)]
