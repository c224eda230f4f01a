#!/usr/bin/env bash
# Backup and restore of the portal's PostgreSQL database (pg_dump custom format).
#
#   scripts/backup.sh backup  [FILE]   write a dump (default var/backups/portal-<UTC time>.dump)
#   scripts/backup.sh restore FILE     replace the database's contents with the dump
#
# Uses DATABASE_URL. Uploaded evidence under PORTAL_PRIVATE_FILES is not in the database:
# back that folder up alongside.
set -euo pipefail

url="${DATABASE_URL:-}"
case "$url" in
    postgres://*|postgresql://*) ;;
    *) echo "DATABASE_URL must point at PostgreSQL (backups of the embedded SQLite file: copy var/portal.sqlite3)." >&2; exit 2;;
esac

case "${1:-}" in
    backup)
        file="${2:-var/backups/portal-$(date -u +%Y%m%dT%H%M%SZ).dump}"
        mkdir -p "$(dirname "$file")"
        pg_dump --format=custom --no-owner --file "$file" "$url"
        echo "Backup written: $file ($(du -h "$file" | cut -f1))"
        ;;
    restore)
        file="${2:?restore needs the dump file: scripts/backup.sh restore FILE}"
        [ -f "$file" ] || { echo "No such file: $file" >&2; exit 2; }
        pg_restore --clean --if-exists --no-owner --single-transaction --exit-on-error --dbname "$url" "$file"
        echo "Restored $file"
        ;;
    *)
        echo "usage: scripts/backup.sh backup [FILE] | restore FILE" >&2
        exit 2
        ;;
esac
