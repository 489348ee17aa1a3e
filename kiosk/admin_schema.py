"""Admin-owned tables of the kiosk state database.

PIN hash and lockout live in SQLite (not memory) so a restart or a crash of the
kiosk cannot be used to reset the wrong-PIN counter. Usage counters are per day; labelled
counts (kiosk.stats) per day, kind of event and label.
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


def _usage_items(db: sqlite_utils.Database) -> None:
    """Labelled counts get their kind; the old `usage_topics` goes, with its raw text.

    `usage_topics` mixed contest ids, question fields, document numbers and what residents
    typed into search, word for word (a name and a phone number were found there). Its
    rows cannot be told apart, so they are dropped (the daily totals stay), with
    secure_delete so the text is zeroed in the file, not just unlinked; kiosk.state
    folds the WAL into the file after a migration. The pending usage records in the
    outbox lose their `topics` too (records already in a batch are re-sent as they are);
    every finished day is queued once more in the new form (its digest changed).
    """
    db.execute("PRAGMA secure_delete = ON")
    db.execute(
        "CREATE TABLE IF NOT EXISTS usage_items (day TEXT NOT NULL, event TEXT NOT NULL,"
        " label TEXT NOT NULL, count INTEGER NOT NULL DEFAULT 0,"
        " PRIMARY KEY (day, event, label))"
    )
    db.execute("DROP TABLE IF EXISTS usage_topics")
    if "outbox" in db.table_names():
        db.execute(
            "UPDATE outbox SET payload = json_remove(payload, '$.topics')"
            " WHERE kind = 'usage_daily' AND batch_id IS NULL AND json_valid(payload)"
            " AND json_type(payload, '$.topics') IS NOT NULL"
        )


MIGRATIONS = [
    Migration("admin", "0001_pin_lockout_events", _admin),
    Migration("admin", "0002_usage", _usage),
    Migration("admin", "0003_usage_items", _usage_items),
]
