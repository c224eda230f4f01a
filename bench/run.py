"""Page benchmark: queries per page at 1k, 10k and 100k cases, and p50/p95 latency under load.

How to run (PostgreSQL on 127.0.0.1:5432; from the repository root; `make bench` does this):

    .venv/bin/python bench/run.py [--sizes 1000 10000 100000] [--requests 120] [--concurrency 8]
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
   --requests requests per page after a warm-up, in three rounds over the pages (so that noise from
   other processes on the machine falls on every page alike); p50 and p95 per page, as a multiple of
   the bare page's and (p95) of the floor page's. The floor page (bench/floor/, mounted by the
   benchmark's settings bench.portal_settings) goes through the portal's middleware and sign-in, runs
   one 25-row query and renders a minimal template. The bare page (/bare/ of bench.bare.settings, on a
   second gunicorn of 2 workers alongside) does the same with nothing of the portal's: Django's session
   and authentication middleware, `login_required`, the same query, a minimal template.

The targets: queries per page identical at every size; no query while a template renders; the floor's
p50 at most 1.25 times the bare page's, and every page's p50 at most 4 times and p95 at most 5 times
the bare page's. It also reports the PDF and notification figures from
bench/results-pdf.json and bench/results-notifications.json (run first with --with-pdf and
--with-notifications; the notification benchmark needs Redis). It prints a table, writes
bench/results.json and with --check exits 1 when a target is missed.
"""

import argparse
import http.client
import json
import os
import platform
import random
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
RESULTS = BENCH_DIR / "results.json"
# Targets, as multiples of the bare page's latency.
MAX_FLOOR_P50_X_BARE = 1.25
MAX_P50_X_BARE = 4.0
MAX_P95_X_BARE = 5.0

sys.path.insert(0, str(BENCH_DIR))
sys.path.insert(0, str(REPO_ROOT))

import seed_scale  # noqa: E402

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


# --- Latency ------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# The bare page: its own settings and server, the portal's database and sessions.
BARE = {"page": "bare", "user": "bench.exec", "path": "/bare/", "server": "bare"}


def start_gunicorn(port: int, log_path: Path, app: str = "socialpolicy.wsgi:application", **env_extra):
    env = dict(os.environ, **env_extra)
    log = log_path.open("wb")
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            app,
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            # The largest report pages take longer than gunicorn's default 30 s under this load.
            "--timeout",
            "300",
        ],
        cwd=REPO_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited:\n{log_path.read_text(errors='replace')}")
        try:
            status, _ = _get(port, "/healthz/", "")
            if status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn did not answer /healthz/ within 60 s")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _get(port: int, path: str, session: str) -> tuple[int, float]:
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
        if session:
            headers["Cookie"] = f"sessionid={session}"
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        connection.close()


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


def measure_latency(
    ports: dict[str, int],
    page_list,
    sessions,
    requests: int,
    concurrency: int,
    block_seconds: float,
    rounds: int = 3,
):
    """p50/p95 (ms) per page: `requests` per page in `rounds` rounds, `concurrency` at a time; a page
    slower than `block_seconds` a round gets fewer requests (at least `concurrency` a round). A page is
    asked of the server its "server" names in `ports` (the portal's by default)."""

    def port_of(page) -> int:
        return ports[page.get("server", "portal")]

    timings: dict[str, list[float]] = {page["page"]: [] for page in page_list}
    errors: list[str] = []

    def run_block(page, count):
        jobs = list(range(count))
        lock = threading.Lock()
        deadline = time.monotonic() + block_seconds
        started = [0]

        def worker():
            while True:
                with lock:
                    if not jobs or (started[0] >= concurrency and time.monotonic() > deadline):
                        return
                    jobs.pop()
                    started[0] += 1
                try:
                    status, seconds = _get(port_of(page), page["path"], sessions[page["user"]])
                except (OSError, http.client.HTTPException) as exc:
                    errors.append(f"{page['page']}: {type(exc).__name__}")
                    continue
                if status != 200:
                    errors.append(f"{page['page']}: HTTP {status}")
                timings[page["page"]].append(seconds)

        threads = [threading.Thread(target=worker) for _ in range(concurrency)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    # Warm-up: every page a few times (worker imports, template loading, connections).
    for page in page_list:
        for _ in range(4):
            _get(port_of(page), page["path"], sessions[page["user"]])
    per_round = max(1, requests // rounds)
    order = list(page_list)
    for round_number in range(rounds):
        random.Random(round_number).shuffle(order)
        for page in order:
            run_block(page, per_round)
    if errors:
        raise SystemExit("Requests failed: " + "; ".join(sorted(set(errors))[:5]))
    return {
        name: {
            "p50_ms": round(statistics.median(values) * 1000, 1),
            "p95_ms": round(_percentile(values, 0.95) * 1000, 1),
            "requests": len(values),
        }
        for name, values in timings.items()
    }


# --- Other benchmarks, machine, report --------------------------------------------------------------


def other_results(with_pdf: bool, with_notifications: bool, url: str) -> dict:
    if with_pdf:
        subprocess.run([sys.executable, str(BENCH_DIR / "pdf_generation.py")], cwd=REPO_ROOT, check=False)
    if with_notifications:
        parts = urlsplit(url)
        env = dict(os.environ)
        env["DATABASE_URL"] = urlunsplit(parts._replace(path=parts.path + "_notifications"))
        env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
        subprocess.run(
            [sys.executable, str(BENCH_DIR / "notifications_throughput.py")],
            cwd=REPO_ROOT,
            env=env,
            check=False,
        )
    found = {}
    for key, name in (("pdf", "results-pdf.json"), ("notifications", "results-notifications.json")):
        path = BENCH_DIR / name
        if path.exists():
            found[key] = json.loads(path.read_text(encoding="utf-8"))
    return found


def machine() -> dict:
    from django.db import connection

    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "postgresql": server,
        "platform": platform.platform(),
    }


def check(sizes: list[dict]) -> list[str]:
    missed = []
    names = list(sizes[0]["pages"])
    for name in names:
        counts = {run["cases"]: run["pages"][name].get("queries") for run in sizes}
        if len(set(counts.values())) > 1:
            missed.append(f"{name}: queries change with the cases {counts}")
        for run in sizes:
            row = run["pages"][name]
            if row.get("render_queries"):
                missed.append(f"{name} at {run['cases']}: {row['render_queries']} queries while rendering")
            if name == "bare" or row.get("p50_x_bare") is None:
                continue
            p50_limit = MAX_FLOOR_P50_X_BARE if name == "floor" else MAX_P50_X_BARE
            if row["p50_x_bare"] > p50_limit:
                missed.append(f"{name} at {run['cases']}: p50 {row['p50_x_bare']}x the bare page's")
            if row["p95_x_bare"] > MAX_P95_X_BARE:
                missed.append(f"{name} at {run['cases']}: p95 {row['p95_x_bare']}x the bare page's")
    return missed


def with_ratios(latency: dict[str, dict]) -> dict[str, dict]:
    """Each page's p50 and p95 as a multiple of the bare page's, and its p95 of the floor page's."""
    bare, floor = latency["bare"], latency["floor"]
    return {
        name: dict(
            row,
            p50_x_bare=round(row["p50_ms"] / bare["p50_ms"], 2),
            p95_x_bare=round(row["p95_ms"] / bare["p95_ms"], 2),
            p95_ratio=round(row["p95_ms"] / floor["p95_ms"], 2),
        )
        for name, row in latency.items()
    }


def _ratio(row: dict, key: str) -> str:
    return f"{row[key]:.2f}" if row.get(key) is not None else "-"


def print_table(sizes: list[dict]) -> None:
    header = f"{'page':<18}" + "".join(
        f" | {run['cases']:>7,} cases: q (render) p50 ms p95 ms p50xbare p95xbare p95xfloor" for run in sizes
    )
    print(header)
    print("-" * len(header))
    for name in sizes[0]["pages"]:
        line = f"{name:<18}"
        for run in sizes:
            row = run["pages"][name]
            line += (
                f" | {row.get('queries', '-'):>14} ({row.get('render_queries', '-')})"
                f" {row.get('p50_ms', 0):>6.0f} {row.get('p95_ms', 0):>6.0f}"
                f" {_ratio(row, 'p50_x_bare'):>8} {_ratio(row, 'p95_x_bare'):>8} {_ratio(row, 'p95_ratio'):>9}"
            )
        print(line)


def markdown_table(report: dict) -> str:
    """The results as a Markdown table (for the README): queries, then p50 / p95 and their multiples of
    the bare page's, per size."""
    runs = report["sizes"]
    head = "| page | queries (while rendering) | " + " | ".join(
        f"{run['cases']:,} cases: p50 / p95 ms (× bare)" for run in runs
    )
    lines = [head + " |", "|---" * (2 + len(runs)) + "|"]
    for name in runs[0]["pages"]:
        counts = " / ".join(
            f"{run['pages'][name].get('queries', '-')} ({run['pages'][name].get('render_queries', '-')})"
            for run in runs
        )
        cells = []
        for run in runs:
            row = run["pages"][name]
            cells.append(
                f"{row.get('p50_ms', 0):.0f} / {row.get('p95_ms', 0):.0f}"
                f" ({_ratio(row, 'p50_x_bare')} / {_ratio(row, 'p95_x_bare')})"
            )
        lines.append(f"| {name} | {counts} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(seed_scale.SIZES))
    parser.add_argument("--requests", type=int, default=90, help="requests per page and size")
    parser.add_argument(
        "--block-seconds", type=float, default=40, help="time for one page's requests in a round (then fewer)"
    )
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--no-load", action="store_true", help="queries only, no gunicorn")
    parser.add_argument("--with-pdf", action="store_true", help="run bench/pdf_generation.py first")
    parser.add_argument("--with-notifications", action="store_true", help="run notifications_throughput.py")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    parser.add_argument(
        "--markdown", action="store_true", help="print bench/results.json as Markdown, run nothing"
    )
    args = parser.parse_args()
    if args.markdown:
        print(markdown_table(json.loads(RESULTS.read_text(encoding="utf-8"))))
        return 0

    url = seed_scale.database_url()
    others = other_results(args.with_pdf, args.with_notifications, url)
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
            ports = {"portal": _free_port(), "bare": _free_port()}
            log_dir = BENCH_DIR.parent / "var"
            server = start_gunicorn(ports["portal"], log_dir / "bench-gunicorn.log")
            try:
                bare_server = start_gunicorn(
                    ports["bare"],
                    log_dir / "bench-gunicorn-bare.log",
                    app="bench.bare.wsgi:application",
                    DJANGO_SETTINGS_MODULE="bench.bare.settings",
                )
                try:
                    latency = measure_latency(
                        ports,
                        [*page_list, BARE],
                        sessions,
                        args.requests,
                        args.concurrency,
                        args.block_seconds,
                    )
                finally:
                    stop(bare_server)
            finally:
                stop(server)
            for name, row in with_ratios(latency).items():
                results.setdefault(name, {}).update(row)
        runs.append({"cases": sum(counts.values()), "by_type": counts, "pages": results})
        print(f"{total:,} cases measured in {time.perf_counter() - step:.0f} s")

    missed = check(runs)
    report = {
        "benchmark": "portal pages at 1k, 10k and 100k cases",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "settings": {
            "gunicorn_workers": 2,
            "concurrency": args.concurrency,
            "requests_per_page": args.requests,
            "block_seconds": args.block_seconds,
            "population": {"schools": 50, "staff": 5000, "pupils": 20000},
        },
        "targets": {
            "queries_identical_across_sizes": True,
            "max_floor_p50_x_bare": MAX_FLOOR_P50_X_BARE,
            "max_p50_x_bare": MAX_P50_X_BARE,
            "max_p95_x_bare": MAX_P95_X_BARE,
            "render_queries": 0,
        },
        "sizes": runs,
        "missed": missed,
        "other": others,
    }
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print()
    print_table(runs)
    for key, data in others.items():
        print(f"{key}: ratio {data.get('ratio')} (target {data.get('target_ratio')}), {data.get('when')}")
    print("targets met" if not missed else "targets missed:\n  " + "\n  ".join(missed))
    print(f"written {RESULTS.relative_to(REPO_ROOT)}")
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
