"""The page benchmark's targets and report: the check against the targets, the printed and Markdown
tables, the machine it ran on, and the other two benchmarks' figures (bench/run.py writes them all
to bench/results.json)."""

import json
import os
import platform
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
# Targets, as multiples of the bare page's latency.
MAX_FLOOR_P50_X_BARE = 1.25
MAX_P50_X_BARE = 4.0
MAX_P95_X_BARE = 5.0
# And as the records grow: a page's p50 at LARGE cases at most this multiple of its p50 at SMALL.
GROWTH = (100_000, 1_000_000)
MAX_P50_GROWTH = 1.25

TARGETS = {
    "queries_identical_across_sizes": True,
    "render_queries": 0,
    "max_floor_p50_x_bare": MAX_FLOOR_P50_X_BARE,
    "max_p50_x_bare": MAX_P50_X_BARE,
    "max_p95_x_bare": MAX_P95_X_BARE,
    "max_p50_growth_100k_to_1m": MAX_P50_GROWTH,
}


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


def growth(sizes: list[dict]) -> dict[str, dict]:
    """Per page, its p50 at 1M cases as a multiple of its p50 at 100k: in milliseconds, and in
    multiples of the bare page's (which the check uses: the bare page's p50 does not depend on the
    cases, so this cancels what other work on the machine did to one size's run and not the other's).
    Empty unless both sizes were measured under load."""
    by_cases = {run["cases"]: run["pages"] for run in sizes}
    small, large = (by_cases.get(size) for size in GROWTH)
    if not small or not large or small.get("bare", {}).get("p50_ms") is None:
        return {}
    found = {}
    for name, row in large.items():
        before = small.get(name, {})
        if name == "bare" or row.get("p50_ms") is None or before.get("p50_ms") is None:
            continue
        found[name] = {
            "p50_growth_ms": round(row["p50_ms"] / before["p50_ms"], 2),
            "p50_growth_x_bare": round(row["p50_x_bare"] / before["p50_x_bare"], 2),
        }
    return found


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
    for name, row in growth(sizes).items():
        if row["p50_growth_x_bare"] > MAX_P50_GROWTH:
            missed.append(
                f"{name}: p50 at {GROWTH[1]:,} is {row['p50_growth_x_bare']}x its p50 at {GROWTH[0]:,}"
                f" (in ms {row['p50_growth_ms']}x)"
            )
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
    grown = growth(sizes)
    header = f"{'page':<18}" + "".join(
        f" | {run['cases']:>9,} cases: q (render) p50 ms p95 ms p50xbare p95xbare p95xfloor" for run in sizes
    )
    if grown:
        header += " | p50 1M/100k (x bare, ms)"
    print(header)
    print("-" * len(header))
    for name in sizes[0]["pages"]:
        line = f"{name:<18}"
        for run in sizes:
            row = run["pages"][name]
            line += (
                f" | {row.get('queries', '-'):>16} ({row.get('render_queries', '-')})"
                f" {row.get('p50_ms', 0):>6.0f} {row.get('p95_ms', 0):>6.0f}"
                f" {_ratio(row, 'p50_x_bare'):>8} {_ratio(row, 'p95_x_bare'):>8} {_ratio(row, 'p95_ratio'):>9}"
            )
        if name in grown:
            line += f" | {grown[name]['p50_growth_x_bare']:.2f}, {grown[name]['p50_growth_ms']:.2f}"
        print(line)


def markdown_table(report: dict) -> str:
    """The results as a Markdown table (for the README): queries, then p50 / p95 and their multiples of
    the bare page's, per size, and the p50's growth from 100k to 1M cases."""
    runs = report["sizes"]
    grown = growth(runs)
    head = "| page | queries (while rendering) | " + " | ".join(
        f"{run['cases']:,} cases: p50 / p95 ms (× bare)" for run in runs
    )
    if grown:
        head += " | p50 at 1M ÷ at 100k (× bare; ms)"
    lines = [head + " |", "|---" * (2 + len(runs) + bool(grown)) + "|"]
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
        if grown:
            row = grown.get(name)
            cells.append(f"{row['p50_growth_x_bare']:.2f}; {row['p50_growth_ms']:.2f}" if row else "-")
        lines.append(f"| {name} | {counts} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
