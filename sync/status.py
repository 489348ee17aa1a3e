"""Sync status and the time floor, kept in the kiosk state database.

The same row feeds `lawshelf status`, the librarian screen and the freshness line, so all
three always agree. The time floor only moves forward: it is the newest issue time of any
metadata this kiosk has verified, and expiry is never judged earlier than it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlite_utils

from offline_index.home import state_db_path
from offline_index.migrations import migrate
from sync import status_schema

FIELDS = (
    "last_attempt",
    "last_success",
    "outcome",
    "exit_code",
    "version",
    "content_date",
    "bytes",
    "error",
    "time_floor",
    "source",
    "next_sync",
)


def open_db(home: Path) -> sqlite_utils.Database:
    """Open the state DB with sync's tables (kiosk.state adds the rest when the kiosk opens it)."""
    db = sqlite_utils.Database(state_db_path(home))
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("PRAGMA busy_timeout=10000")
    migrations = list(status_schema.MIGRATIONS)
    try:  # the outbox upload at the end of a sync needs its tables too
        from sync import outbox_schema

        migrations += outbox_schema.MIGRATIONS
    except ModuleNotFoundError:
        pass
    migrate(db, migrations)
    return db


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def update(db: sqlite_utils.Database, **values: object) -> None:
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown status fields {unknown}")
    with db.atomic():
        db.execute("INSERT OR IGNORE INTO sync_status (id) VALUES (1)")
        if values:
            cols = ", ".join(f"{k} = ?" for k in values)
            db.execute(f"UPDATE sync_status SET {cols} WHERE id = 1", list(values.values()))


def read_status(db: sqlite_utils.Database) -> dict:
    """Everything `lawshelf status --json` shows; missing values are None."""
    if "sync_status" not in db.table_names():
        return dict.fromkeys(FIELDS)
    rows = list(db.query("SELECT * FROM sync_status WHERE id = 1"))
    row = rows[0] if rows else {}
    out = {k: row.get(k) for k in FIELDS}
    if out["next_sync"] is None and out["last_attempt"]:
        nxt = datetime.fromisoformat(out["last_attempt"]) + timedelta(days=1)
        out["next_sync"] = nxt.isoformat()
    return out


def time_floor(db: sqlite_utils.Database) -> datetime | None:
    raw = read_status(db)["time_floor"]
    return datetime.fromisoformat(raw) if raw else None


def raise_floor(db: sqlite_utils.Database, seen: datetime | None) -> datetime | None:
    """Move the floor up to `seen` (a verified issue time); never down."""
    floor = time_floor(db)
    if seen is not None and (floor is None or seen > floor):
        update(db, time_floor=seen.isoformat())
        return seen
    return floor
