"""Backup and restore drill: `make backup` of a populated database restored with `make restore`
into a scratch database gives every table the same rows (counts and checksums)."""

import subprocess
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def _url(name: str) -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def _fingerprint(url: str) -> dict[str, tuple[int, str]]:
    """Rows and an order-independent checksum of every table in the public schema."""
    import psycopg2

    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        tables = [row[0] for row in cur.fetchall()]
        result = {}
        for table in tables:
            cur.execute(
                f"SELECT count(*), coalesce(md5(string_agg(md5(t::text), '' ORDER BY md5(t::text))), '') FROM \"{table}\" t"  # noqa: S608 - table names come from pg_tables
            )
            result[table] = cur.fetchone()
    conn.close()
    return result


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="backups are of PostgreSQL (DATABASE_URL)")
def test_a_restored_backup_matches_every_table(tmp_path):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    source = _url(connection.settings_dict["NAME"])
    scratch_name = f"restore_drill_{uuid.uuid4().hex[:8]}"
    dump = tmp_path / "drill.dump"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{scratch_name}"')
    try:
        env = {"PATH": "/usr/bin:/bin:/usr/local/bin", "DATABASE_URL": source}
        subprocess.run(["make", "-s", "backup", f"FILE={dump}"], cwd=ROOT, env=env, check=True, timeout=120)
        env["DATABASE_URL"] = _url(scratch_name)
        subprocess.run(["make", "-s", "restore", f"FILE={dump}"], cwd=ROOT, env=env, check=True, timeout=120)
        before, after = _fingerprint(source), _fingerprint(_url(scratch_name))
        assert before.keys() == after.keys()
        assert before["people_person"][0] > 50 and before["audit_auditevent"][0] > 100
        assert after == before
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{scratch_name}" WITH (FORCE)')


def test_the_scripts_refuse_a_database_that_is_not_postgresql(tmp_path):
    result = subprocess.run(
        ["bash", "scripts/backup.sh", "backup", str(tmp_path / "x.dump")],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": "sqlite:///x.sqlite3"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "DATABASE_URL must point at PostgreSQL" in result.stderr
