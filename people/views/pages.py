"""The dashboard, the health check and the error pages."""

import logging
import sys

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from core import dbwait
from core.dashboard import cards_for
from core.deadlines import FULL_LIMIT, urgent_for, week_for

from .. import policies

log = logging.getLogger(__name__)


# --- Public ---------------------------------------------------------------------------------


@login_not_required
@never_cache
@require_safe  # GET and HEAD: a probe may use either, and the middleware hands both here
def healthz(request):
    """Liveness and database reachability, for load balancers and compose health checks. The database has
    PORTAL_HEALTHZ_DB_SECONDS to answer, connecting included (`core.dbwait`): a frozen server makes the
    check answer 503 within seconds, never hang."""
    try:
        with dbwait.deadline(settings.PORTAL_HEALTHZ_DB_SECONDS), connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # any database failure means "not ready"
        log.warning("health check: database unreachable")
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


class PasswordResetView(auth_views.PasswordResetView):
    """Django's self-service reset; its email links to PORTAL_BASE_URL, as every other email does, and
    never to the Host header of the request that asked for it (which anyone can set)."""

    @property
    def extra_email_context(self) -> dict:
        return {"portal_base_url": settings.PORTAL_BASE_URL}


# --- Dashboard -----------------------------------------------------------------------------


@require_GET
def dashboard(request):
    """What needs the user: the most pressing deadlines first, in words, then this week's by day, then the
    cards. Each deadline source and the cards' figures cost a fixed number of queries, whatever the cases."""
    access = policies.access_for(request.user)
    return render(
        request,
        "people/dashboard.html",
        {
            "urgent": urgent_for(request.user),
            "week": week_for(request.user),
            "cards": cards_for(request.user),
            "has_roles": bool(access.roles),
        },
    )


@require_GET
def deadlines(request):
    """Every deadline of the user, overdue first then soonest due (the dashboard's "Urgent" list in full)."""
    return render(
        request,
        "people/deadlines.html",
        {"urgent": urgent_for(request.user, limit=FULL_LIMIT), "limit": FULL_LIMIT},
    )


# --- Error pages ---------------------------------------------------------------------------


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    """500, or 503 when the database cannot be reached (it recovers on its own: try again shortly).

    No context processors: the failure may be in them, or in the database they read.
    """
    exc = sys.exc_info()[1]
    if isinstance(exc, OperationalError | InterfaceError):
        log.error("database unavailable (%s)", type(exc).__name__)
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponse(loader.get_template("500.html").render(), status=500)
