"""The kiosk state database: everything the kiosk itself writes.

Settings, contest attempts, the outbox, usage counters, sync status and the local
overlay index live here, never in the library. Each package contributes migrations;
`open_state` applies them all so every caller sees the same schema.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import sqlite_utils

from offline_index.home import state_db_path
from offline_index.migrations import Migration, migrate

# Modules that expose MIGRATIONS: list[Migration], in dependency order.
MIGRATION_MODULES = (
    "kiosk.state_schema",
    "sync.status_schema",
    "sync.outbox_schema",
    "kiosk.contests_schema",
    "kiosk.admin_schema",
    "kiosk.signage",  # scans-signage: plays per item on a public screen
)


def all_migrations() -> list[Migration]:
    out: list[Migration] = []
    for name in MIGRATION_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue  # that area has no tables yet
            raise
        out.extend(module.MIGRATIONS)
    return out


def connect(path: Path) -> sqlite_utils.Database:
    """Open SQLite in WAL mode with full durability: a power cut loses nothing committed."""
    db = sqlite_utils.Database(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("PRAGMA foreign_keys=ON")
    db.execute("PRAGMA busy_timeout=10000")
    # Deleted rows are zeroed in the file, not just unlinked: personal data removed after
    # upload, and the raw search texts an old version kept, must not linger on disk.
    db.execute("PRAGMA secure_delete=ON")
    return db


def open_state(home: Path) -> sqlite_utils.Database:
    db = connect(state_db_path(home))
    if migrate(db, all_migrations()):
        # A schema change may have deleted data: fold the WAL (which held the old pages)
        # into the file now rather than at some later checkpoint.
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db
