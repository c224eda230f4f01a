"""The page benchmark's load: the portal's and the bare page's gunicorns, and the load generator that
times each page under them as p50 and p95 (bench/run.py calls `serve_and_measure`)."""

import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
LOG_DIR = REPO_ROOT / "var"
WORKERS = 2
# The bare page: its own settings and server, the portal's database and sessions.
BARE = {"page": "bare", "user": "bench.exec", "path": "/bare/", "server": "bare"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(port: int, log_path: Path, app: str = "socialpolicy.wsgi:application", **env_extra):
    env = dict(os.environ, **env_extra)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = log_path.open("wb")
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            app,
            "--workers",
            str(WORKERS),
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
            status, _ = get(port, "/healthz/", "")
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


def get(port: int, path: str, session: str) -> tuple[int, float]:
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


def percentile(values: list[float], share: float) -> float:
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
                    status, seconds = get(port_of(page), page["path"], sessions[page["user"]])
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
            get(port_of(page), page["path"], sessions[page["user"]])
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
            "p95_ms": round(percentile(values, 0.95) * 1000, 1),
            "requests": len(values),
        }
        for name, values in timings.items()
    }


def serve_and_measure(
    page_list, sessions, requests: int, concurrency: int, block_seconds: float, rounds: int = 3
) -> dict:
    """The portal's gunicorn and the bare page's side by side, each page (and the bare page) timed."""
    ports = {"portal": free_port(), "bare": free_port()}
    server = start_gunicorn(ports["portal"], LOG_DIR / "bench-gunicorn.log")
    try:
        bare_server = start_gunicorn(
            ports["bare"],
            LOG_DIR / "bench-gunicorn-bare.log",
            app="bench.bare.wsgi:application",
            DJANGO_SETTINGS_MODULE="bench.bare.settings",
        )
        try:
            return measure_latency(
                ports, [*page_list, BARE], sessions, requests, concurrency, block_seconds, rounds
            )
        finally:
            stop(bare_server)
    finally:
        stop(server)
