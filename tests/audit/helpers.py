"""Test helpers for tampering with the trail as an attacker with database access would."""

from contextlib import contextmanager

from django.db import connection

TRIGGER = "audit_auditevent_append_only"


@contextmanager
def append_only_trigger_disabled():
    """On PostgreSQL, switch off the append-only trigger for the block (SQLite has none)."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        # Django's foreign keys are deferred; ALTER TABLE refuses to run while their checks
        # for rows inserted earlier in this transaction are still pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"ALTER TABLE audit_auditevent DISABLE TRIGGER {TRIGGER}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE audit_auditevent ENABLE TRIGGER {TRIGGER}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
