"""Page benchmark: queries per page at 1k to 1M cases, and p50/p95 latency under load.

How to run (PostgreSQL on 127.0.0.1:5432; from the repository root; `make bench` does this):

    .venv/bin/python bench/run.py [--sizes 1000 10000 100000 1000000] [--requests 90] [--concurrency 8]
                                  [--with-pdf] [--with-notifications] [--check]

It recreates the scratch database BENCH_DATABASE_URL (default portal_bench, see bench/seed_scale.py:
only that database is touched), seeds 50 schools, 5,000 staff and 20,000 pupils, then for each size
adds cases up to that total and measures, as the bench users (the Executive Head, and for the
dashboard also a DSL and a Head of School), with the production settings (DJANGO_DEBUG=0, two-factor
sign-in on, verified sessions made directly in the session table):

1. queries per page, in-process with Django's test client and CaptureQueriesContext (one warm-up
   request first), and the queries run while a template renders (the view should hand templates
   evaluated lists; a lazy queryset or a lazy count reaching a template is counted here);
2. latency: gunicorn (2 workers, the same settings; X-Forwarded-Proto: https as the proxy in front
   of it would send) on a free local port, a load generator of --concurrency threads making
   --requests requests per page after a warm-up, in --rounds rounds (3) over the pages (so that
   noise from other processes on the machine falls on every page alike; more rounds spread it more
   evenly on a busy machine); p50 and p95 per page, as a multiple of
   the bare page's and (p95) of the floor page's. The floor page (bench/floor/, mounted by the
   benchmark's settings bench.portal_settings) goes through the portal's middleware and sign-in, runs
   one 25-row query and renders a minimal template. The bare page (/bare/ of bench.bare.settings, on a
   second gunicorn of 2 workers alongside) does the same with nothing of the portal's: Django's session
   and authentication middleware, `login_required`, the same query, a minimal template.

Load generation and the two gunicorns are bench/load.py; the targets, the check and the tables are
bench/report.py. The targets: queries per page identical at every size; no query while a template
renders; the floor's p50 at most 1.25 times the bare page's, and every page's p50 at most 4 times and
p95 at most 5 times the bare page's; at 1,000,000 cases every page's p50 at most 1.25 times its p50 at
100,000 (both as multiples of the bare page's in their own run, so that other work on the machine
during one size's run is cancelled out). It also reports the PDF and notification figures from
bench/results-pdf.json and bench/results-notifications.json (run first with --with-pdf and
--with-notifications; the notification benchmark needs Redis). It prints a table, writes
bench/results.json and with --check exits 1 when a target is missed.
"""

import argparse
import json
import os
import secrets
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
RESULTS = BENCH_DIR / "results.json"

sys.path.insert(0, str(REPO_ROOT))

from bench import load, report, seed_scale  # noqa: E402

# The production settings, with the floor page mounted; one key shared with both gunicorns (sessions).
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.portal_settings"
os.environ["DJANGO_DEBUG"] = "0"
os.environ["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1"
os.environ["DJANGO_LOG_LEVEL"] = "WARNING"
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
os.environ.pop("PORTAL_SMTP_HOST", None)


# --- Pages ----------------------------------------------------------------------------------


def pages() -> list[dict]:
    """(name, user, path) of every measured page of the portal; the case page is one fixed allegation."""
    from django.urls import reverse

    from incidents.models import Allegation

    case = Allegation.objects.filter(status=Allegation.Status.INVESTIGATING).order_by("id").first()
    return [
        {"page": "floor", "user": "bench.exec", "path": reverse("bench_floor")},
        {"page": "dashboard", "user": "bench.exec", "path": reverse("dashboard")},
        {"page": "dashboard (DSL)", "user": "bench.dsl", "path": reverse("dashboard")},
        {"page": "dashboard (head)", "user": "bench.head", "path": reverse("dashboard")},
        {"page": "case list", "user": "bench.exec", "path": reverse("incidents:allegation_list")},
        {
            "page": "case page",
            "user": "bench.exec",
            "path": reverse("incidents:allegation_detail", args=[case.pk]),
        },
        {"page": "proposal list", "user": "bench.exec", "path": reverse("approvals:proposal_awaiting")},
        {"page": "LADO log", "user": "bench.exec", "path": reverse("policydocs:report", args=["lado_log"])},
    ]


def verified_session(username: str) -> str:
    """A signed-in session whose second factor is passed, made directly in the session table."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.module_loading import import_string
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from people.models import User

    user = User.objects.get(username=username)
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    store.create()
    return store.session_key


# --- Queries ------------------------------------------------------------------------------------


class RenderWatch:
    """Counts the queries run while a template renders (after the context processors)."""

    def __init__(self):
        self.depth = 0
        self.queries: list[str] = []

    def install(self):
        from django.template.base import Template

        original = Template._render
        watch = self

        def _render(template, context):
            watch.depth += 1
            try:
                return original(template, context)
            finally:
                watch.depth -= 1

        Template._render = _render

    def __call__(self, execute, sql, params, many, context):
        if self.depth:
            self.queries.append(sql)
        return execute(sql, params, many, context)


def count_queries(page_list: list[dict], sessions: dict[str, str]) -> dict[str, dict]:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    watch = RENDER_WATCH
    counts = {}
    for page in page_list:
        client = Client(HTTP_HOST="127.0.0.1")
        client.cookies[settings.SESSION_COOKIE_NAME] = sessions[page["user"]]
        warm = client.get(page["path"], secure=True)
        if warm.status_code != 200:
            raise SystemExit(f"{page['page']}: {page['path']} answered {warm.status_code}")
        watch.queries = []
        with connection.execute_wrapper(watch), CaptureQueriesContext(connection) as captured:
            response = client.get(page["path"], secure=True)
        assert response.status_code == 200, (page, response.status_code)
        counts[page["page"]] = {"queries": len(captured), "render_queries": len(watch.queries)}
        if watch.queries:
            counts[page["page"]]["render_sql"] = [sql[:160] for sql in watch.queries]
    return counts


RENDER_WATCH = RenderWatch()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(seed_scale.SIZES))
    parser.add_argument("--requests", type=int, default=90, help="requests per page and size")
    parser.add_argument(
        "--block-seconds", type=float, default=40, help="time for one page's requests in a round (then fewer)"
    )
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="rounds over the pages, each page's requests shared out among them",
    )
    parser.add_argument("--no-load", action="store_true", help="queries only, no gunicorn")
    parser.add_argument("--with-pdf", action="store_true", help="run bench/pdf_generation.py first")
    parser.add_argument("--with-notifications", action="store_true", help="run notifications_throughput.py")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    parser.add_argument(
        "--markdown", action="store_true", help="print bench/results.json as Markdown, run nothing"
    )
    args = parser.parse_args()
    if args.markdown:
        print(report.markdown_table(json.loads(RESULTS.read_text(encoding="utf-8"))))
        return 0

    url = seed_scale.database_url()
    others = report.other_results(args.with_pdf, args.with_notifications, url)
    started = time.perf_counter()
    seed_scale.prepare(url)
    print(f"base population seeded in {time.perf_counter() - started:.0f} s")
    RENDER_WATCH.install()
    from django.core.management import call_command

    # The production static files storage needs its manifest (the Dockerfile runs the same step).
    call_command("collectstatic", interactive=False, verbosity=0)

    runs = []
    for total in sorted(args.sizes):
        step = time.perf_counter()
        counts = seed_scale.grow_to(total)
        print(f"{sum(counts.values()):,} cases seeded in {time.perf_counter() - step:.0f} s")
        page_list = pages()
        sessions = {user: verified_session(user) for user in seed_scale.BENCH_USERS}
        results = count_queries(page_list, sessions)
        if not args.no_load:
            latency = load.serve_and_measure(
                page_list, sessions, args.requests, args.concurrency, args.block_seconds, args.rounds
            )
            for name, row in report.with_ratios(latency).items():
                results.setdefault(name, {}).update(row)
        runs.append({"cases": sum(counts.values()), "by_type": counts, "pages": results})
        print(f"{total:,} cases measured in {time.perf_counter() - step:.0f} s")

    missed = report.check(runs)
    summary = {
        "benchmark": "portal pages at " + ", ".join(f"{run['cases']:,}" for run in runs) + " cases",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": report.machine(),
        "settings": {
            "gunicorn_workers": load.WORKERS,
            "concurrency": args.concurrency,
            "requests_per_page": args.requests,
            "block_seconds": args.block_seconds,
            "rounds": args.rounds,
            "population": {"schools": 50, "staff": 5000, "pupils": 20000},
        },
        "targets": report.TARGETS,
        "sizes": runs,
        "growth": report.growth(runs),
        "missed": missed,
        "other": others,
    }
    RESULTS.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print()
    report.print_table(runs)
    for key, data in others.items():
        print(f"{key}: ratio {data.get('ratio')} (target {data.get('target_ratio')}), {data.get('when')}")
    print("targets met" if not missed else "targets missed:\n  " + "\n  ".join(missed))
    print(f"written {RESULTS.relative_to(REPO_ROOT)}")
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
