"""Sync tables of the kiosk state database (applied by kiosk.state.open_state)."""

from __future__ import annotations

import sqlite_utils

from offline_index.migrations import Migration


def _sync_status(db: sqlite_utils.Database) -> None:
    # One row (id = 1): what the librarian screen and `lawshelf status` show.
    db.execute(
        """CREATE TABLE IF NOT EXISTS sync_status (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            last_attempt TEXT,      -- ISO UTC time the last run started
            last_success TEXT,      -- ISO UTC time the last run finished well
            outcome TEXT,           -- ok | up_to_date | failed | dry_run
            exit_code INTEGER,
            version INTEGER,        -- release (targets) version now live
            content_date TEXT,      -- publisher's content date of that release
            bytes INTEGER,          -- bytes transferred by the last run
            error TEXT,             -- the last failure in plain words (NULL when fine)
            time_floor TEXT,        -- newest verified metadata issue time (never goes back)
            source TEXT,
            next_sync TEXT
        )"""
    )


def _time_floor(db: sqlite_utils.Database) -> None:
    # The newest verified timestamp issue time per signing key (sync/timefloor.py): a key the
    # root drops (rotated after a theft) stops holding the floor up. Older floors keep key "".
    db.execute(
        "CREATE TABLE IF NOT EXISTS sync_time_floor (keyid TEXT PRIMARY KEY, issued TEXT NOT NULL)"
    )
    db.execute(
        "INSERT OR IGNORE INTO sync_time_floor (keyid, issued) SELECT '', time_floor"
        " FROM sync_status WHERE id = 1 AND time_floor IS NOT NULL"
    )


def _error_vi(db: sqlite_utils.Database) -> None:
    # The failure's own Vietnamese sentence: the exit code alone told an empty stick as "not
    # configured" and a half-copied stick as a failed signature check.
    if "error_vi" not in {c.name for c in db["sync_status"].columns}:
        db.execute("ALTER TABLE sync_status ADD COLUMN error_vi TEXT")


MIGRATIONS = [
    Migration("sync", "0001_sync_status", _sync_status),
    Migration("sync", "0002_time_floor_keys", _time_floor),
    Migration("sync", "0003_error_vi", _error_vi),
]
