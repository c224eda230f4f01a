"""PDF generation time of the LADO referrals log for 100 and 1,000 rows, and their ratio (target <= 10x).

How to run (from the repository root):

    .venv/bin/python bench/pdf_generation.py [--sizes 100 1000] [--repeat 3] [--check]

It builds a scratch SQLite database in a temporary folder (migrated from scratch; set
BENCH_DATABASE_URL to use another, scratch, database), adds one school with N allegations
at every stage of the LADO workflow, and for each N times, as the Executive Head would
ask for it:

1. building the report (`LadoLogReport.build`: the queries and the rows), and
2. making the A4 PDF (`to_pdf`: the template and WeasyPrint's layout),

taking the best of --repeat runs after one warm-up render (WeasyPrint's first render in
a process sets up its fonts, which takes seconds and is not what is measured). It prints
the times, the pages and the ratio of the largest to the smallest size, and writes
bench/results-pdf.json; with --check it exits 1 when the ratio is above the target.
Ten times the rows should cost at most ten times as long: layout is linear in the rows.
"""

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results-pdf.json"
TARGET_RATIO = 10.0

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


def _make_cases(count: int):
    """A federation with one school, its Executive Head, and `count` allegations in every state."""
    from django.utils import timezone

    from incidents.models import Allegation, CaseManager, Outcome, Source
    from people.models import Federation, Person, PersonKind, Role, RoleAssignment, School, User

    suffix = f"{count}-{time.time_ns()}"
    federation = Federation.objects.create(name=f"Bench federation {suffix}")
    school = School.objects.create(
        federation=federation, name=f"Bench School {suffix}", code=f"bench-{suffix}"
    )
    user = User.objects.create(username=f"bench-exec-{suffix}")
    head = Person.objects.create(kind=PersonKind.STAFF, first_name="Bench", last_name="Head", user=user)
    RoleAssignment.objects.create(person=head, role=Role.EXECUTIVE_HEAD, federation=federation)
    subject = Person.objects.create(kind=PersonKind.STAFF, first_name="Bench", last_name="Subject")
    now = timezone.now()
    cases = []
    for n in range(count):
        received = now - timedelta(days=n % 300, hours=n % 7)
        stage = n % 4
        referred = received + timedelta(hours=3 + (n % 30)) if stage else None
        cases.append(
            Allegation(
                school=school,
                status=[
                    Allegation.Status.RECORDED,
                    Allegation.Status.REFERRED_TO_LADO,
                    Allegation.Status.INVESTIGATING,
                    Allegation.Status.CLOSED,
                ][stage],
                received_at=received,
                received_by=head,
                recorded_by=user,
                source=Source.OTHER,
                reporter_name="A parent",
                subject=subject,
                case_manager=CaseManager.EXECUTIVE_HEAD,
                what_happened="Benchmark case.",
                referral_due_at=received + timedelta(days=1),
                referral_half_at=received + timedelta(hours=12),
                referred_at=referred,
                advice_at=referred + timedelta(hours=4) if stage >= 2 else None,
                suspension_advised=False if stage >= 2 else None,
                outcome=Outcome.UNSUBSTANTIATED if stage == 3 else "",
                outcome_at=referred + timedelta(days=3) if stage == 3 else None,
                retain_until=(now + timedelta(days=3650)).date() if stage == 3 else None,
                closed_at=referred + timedelta(days=4) if stage == 3 else None,
            )
        )
    Allegation.objects.bulk_create(cases, batch_size=500)
    return user


def _time(count: int, repeat: int) -> dict:
    from policydocs.reports import registry
    from policydocs.reports.base import Filters
    from policydocs.reports.output import to_pdf

    user = _make_cases(count)
    report = registry.get("lado_log")
    build_times, pdf_times, pages = [], [], 0
    for _ in range(repeat):
        user.__dict__.pop("_portal_access", None)
        started = time.perf_counter()
        result = report.build(user, Filters())
        built = time.perf_counter()
        stages = []
        data = to_pdf(result, progress=lambda _percent, stage, seen=stages: seen.append(stage))
        done = time.perf_counter()
        build_times.append(built - started)
        pdf_times.append(done - built)
        # to_pdf reports "Laying out N pages" once the layout is done.
        pages = next((int(s.split()[2]) for s in stages if s.startswith("Laying out")), 0)
    rows = result.rows
    assert rows == count, f"expected {count} rows, the report has {rows}"
    return {
        "rows": rows,
        "build_seconds": round(min(build_times), 4),
        "pdf_seconds": round(min(pdf_times), 4),
        "total_seconds": round(min(b + p for b, p in zip(build_times, pdf_times, strict=True)), 4),
        "pdf_bytes": len(data),
        "pages": pages,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--check", action="store_true", help="exit 1 if the ratio is above the target")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as folder:
        _setup_django(Path(folder))
        # Warm-up: WeasyPrint's first render sets up fonts (seconds); not what is measured.
        from policydocs.reports.base import ReportResult
        from policydocs.reports.output import to_pdf

        to_pdf(ReportResult("warm", "Warm-up", False, False, False, "", "", datetime.now(UTC)))
        runs = [_time(size, args.repeat) for size in sorted(args.sizes)]

    smallest, largest = runs[0], runs[-1]
    ratio = largest["total_seconds"] / smallest["total_seconds"]
    scale = largest["rows"] / smallest["rows"]
    for run in runs:
        print(
            f"{run['rows']:>6} rows: build {run['build_seconds']:.3f} s + PDF {run['pdf_seconds']:.3f} s "
            f"= {run['total_seconds']:.3f} s ({run['pages']} pages, {run['pdf_bytes'] // 1024} KB)"
        )
    print(
        f"ratio {largest['rows']}/{smallest['rows']} rows: {ratio:.2f}x for {scale:.0f}x the rows "
        f"(target <= {TARGET_RATIO:.0f}x)"
    )
    RESULTS.write_text(
        json.dumps(
            {
                "benchmark": "LADO referrals log PDF",
                "when": datetime.now(UTC).isoformat(timespec="seconds"),
                "machine": {
                    "python": platform.python_version(),
                    "cpus": os.cpu_count(),
                    "platform": platform.platform(),
                },
                "runs": runs,
                "ratio": round(ratio, 2),
                "target_ratio": TARGET_RATIO,
                "within_target": ratio <= TARGET_RATIO,
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"written {RESULTS.relative_to(REPO_ROOT)}")
    return 1 if args.check and ratio > TARGET_RATIO else 0


if __name__ == "__main__":
    sys.exit(main())
