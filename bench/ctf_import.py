"""Import time of a Common Transfer File of 1,500 pupils (each with two contacts), first as a new school
and then again with every tenth pupil changed, through the same services as the import page.

How to run (from the repository root):

    .venv/bin/python bench/ctf_import.py [--pupils 1500] [--repeat 3]

It builds a scratch SQLite database in a temporary folder (migrated from scratch; set
BENCH_DATABASE_URL to use another, scratch, database), and times, best of --repeat runs each on a new
school: reading the file (`parse`), comparing it with the registry (`plan`) and writing it (`apply`),
with the number of queries of each. It prints the times and writes bench/results-ctf.json. Not part of
the test suite and not run by `make bench`.
"""

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results-ctf.json"

sys.path.insert(0, str(REPO_ROOT))


def _setup_django(folder: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialpolicy.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ["DATABASE_URL"] = (
        os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{folder / 'bench.sqlite3'}"
    )
    os.environ["PORTAL_PRIVATE_FILES"] = str(folder / "private")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _ctf(pupils: int, estab: int, changed: bool) -> bytes:
    from people.importers.ctf import upn_check_letter

    parts = []
    for n in range(pupils):
        body = f"801{estab:04d}{n // 1000:02d}{n % 1000:03d}"
        upn = upn_check_letter("?" + body) + body
        family = n // 2
        surname = f"Family{family}" + ("-New" if changed and n % 10 == 0 else "")
        parts.append(
            f"<Pupil><UPN>{upn}</UPN><Surname>{surname}</Surname><Forename>Child{n}</Forename>"
            f"<DOB>2015-0{1 + n % 9}-1{n % 9}</DOB><Sex>{'MF'[n % 2]}</Sex>"
            f"<BasicDetails><NCyearActual>{1 + n % 6}</NCyearActual></BasicDetails><Contacts>"
            f"<Contact><Order>1</Order><Surname>Family{family}</Surname><Forename>Mum</Forename>"
            f"<Relationship>PAM</Relationship><Responsibility>true</Responsibility>"
            f"<Email>mum{family}@example.org</Email></Contact>"
            f"<Contact><Order>2</Order><Surname>Family{family}</Surname><Forename>Dad</Forename>"
            f"<Relationship>PAF</Relationship><Responsibility>true</Responsibility><Phones><Phone>"
            f"<TelephoneType>M</TelephoneType><PhoneNo>07700{family:06d}</PhoneNo></Phone></Phones></Contact>"
            "</Contacts></Pupil>"
        )
    return (
        "<CTfile><Header><CTFversion>22.0</CTFversion></Header><CTFpupilData>"
        + "".join(parts)
        + "</CTFpupilData></CTfile>"
    ).encode()


def _timed(step):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        result = step()
        seconds = time.perf_counter() - started
    return result, seconds, len(captured.captured_queries)


def _run_once(pupils: int, run: int) -> dict:
    from people.importers.ctf import parse_ctf
    from people.importers.plan import build_plan
    from people.models import Federation, School
    from people.services.imports import import_apply

    suffix = time.time_ns()
    federation = Federation.objects.create(name=f"Bench federation {suffix}")
    school = School.objects.create(federation=federation, name=f"Bench {suffix}", code=f"bench-{suffix}")
    figures = {}
    for name, changed in (("first", False), ("again", True)):
        data = _ctf(pupils, 1000 + run, changed)
        parsed, parse_s, _ = _timed(lambda data=data: parse_ctf(data))
        plan, plan_s, plan_q = _timed(lambda parsed=parsed: build_plan(school=school, parsed=parsed))
        _, apply_s, apply_q = _timed(lambda plan=plan: import_apply(actor=None, plan=plan, source="ctf"))
        figures[name] = {
            "bytes": len(data),
            "parse_s": round(parse_s, 3),
            "plan_s": round(plan_s, 3),
            "plan_queries": plan_q,
            "apply_s": round(apply_s, 3),
            "apply_queries": apply_q,
            "counts": plan.counts(),
        }
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pupils", type=int, default=1500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        _setup_django(Path(folder))
        from django.db import connection

        runs = [_run_once(args.pupils, run) for run in range(args.repeat)]
        best = {
            name: min((run[name] for run in runs), key=lambda f: f["parse_s"] + f["plan_s"] + f["apply_s"])
            for name in ("first", "again")
        }
        result = {
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": connection.vendor,
            "python": platform.python_version(),
            "pupils": args.pupils,
            "best_of": args.repeat,
            **best,
        }
    for name in ("first", "again"):
        f = best[name]
        print(
            f"{name:>5}: {args.pupils} pupils, {f['bytes'] / 1e6:.1f} MB: parse {f['parse_s']:.2f} s, "
            f"plan {f['plan_s']:.2f} s ({f['plan_queries']} queries), "
            f"apply {f['apply_s']:.2f} s ({f['apply_queries']} queries)"
        )
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
