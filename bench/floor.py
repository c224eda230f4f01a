"""The benchmark's floor page: what any page of the portal costs before its own work.

Mounted at bench/floor/ by bench.urls, the URL module of the benchmark's settings
(bench.portal_settings); never in a deployment. It goes through the same middleware and sign-in as
every page, runs one query of 25 rows and renders a minimal template, so bench/run.py can state each
page's latency as a ratio to it. It shows case references and statuses only, no personal detail.
"""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from incidents.models import Allegation


@require_GET
def floor(request):
    rows = list(Allegation.objects.order_by("-id").values_list("id", "status")[:25])
    return render(request, "bench/floor.html", {"rows": [(f"ALG-{pk:05d}", status) for pk, status in rows]})
