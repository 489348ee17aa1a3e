"""Admin-owned tables of the kiosk state database.

PIN hash and lockout live in SQLite (not memory) so a restart or a crash of the
kiosk cannot be used to reset the wrong-PIN counter. Usage counters are per day.
"""

from __future__ import annotations

import sqlite_utils

from offline_index.migrations import Migration


def _admin(db: sqlite_utils.Database) -> None:
    db.execute(
        "CREATE TABLE IF NOT EXISTS admin_pin (id INTEGER PRIMARY KEY CHECK (id = 1),"
        " hash TEXT NOT NULL, set_at TEXT NOT NULL)"
    )
    db.execute(
        "CREATE TABLE IF NOT EXISTS admin_lockout (id INTEGER PRIMARY KEY CHECK (id = 1),"
        " failures INTEGER NOT NULL DEFAULT 0, lock_count INTEGER NOT NULL DEFAULT 0,"
        " locked_until REAL NOT NULL DEFAULT 0, last_failure REAL NOT NULL DEFAULT 0)"
    )
    db.execute(
        "CREATE TABLE IF NOT EXISTS admin_events (id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " at TEXT NOT NULL, level TEXT NOT NULL, source TEXT NOT NULL, message TEXT NOT NULL)"
    )


def _usage(db: sqlite_utils.Database) -> None:
    db.execute(
        "CREATE TABLE IF NOT EXISTS usage_daily (day TEXT NOT NULL, event TEXT NOT NULL,"
        " count INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (day, event))"
    )
    db.execute(
        "CREATE TABLE IF NOT EXISTS usage_topics (day TEXT NOT NULL, topic TEXT NOT NULL,"
        " count INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (day, topic))"
    )
    db.execute(
        "CREATE TABLE IF NOT EXISTS usage_sent (day TEXT PRIMARY KEY, digest TEXT NOT NULL,"
        " record_id TEXT NOT NULL, at TEXT NOT NULL)"
    )


MIGRATIONS = [
    Migration("admin", "0001_pin_lockout_events", _admin),
    Migration("admin", "0002_usage", _usage),
]
