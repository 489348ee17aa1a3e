"""The kiosk state database: everything the kiosk itself writes.

Settings, contest attempts, the outbox, usage counters, sync status and the local
overlay index live here, never in the library. Each package contributes migrations;
`open_state` applies them all so every caller sees the same schema.
"""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from kiosk import admin_schema, contests_schema, signage, state_schema
from offline_index.home import state_db_path
from offline_index.migrations import Migration, connect_wal, migrate
from offline_index.sqlite_salvage import ensure_sound
from sync import outbox_schema, status_schema

# Modules that expose MIGRATIONS: list[Migration], in dependency order.
MIGRATION_MODULES = (
    state_schema,
    status_schema,
    outbox_schema,
    contests_schema,
    admin_schema,
    signage,  # plays per item on a public screen
)


def all_migrations() -> list[Migration]:
    return [m for module in MIGRATION_MODULES for m in module.MIGRATIONS]


def connect(path: Path) -> sqlite_utils.Database:
    """The state database: WAL, full durability, and secure delete: personal data removed after
    upload, and the raw search texts an old version kept, must not linger on disk."""
    ensure_sound(path)  # a damaged file is set aside and replaced by what can be read of it
    db = connect_wal(path, secure_delete=True)
    db.execute("PRAGMA foreign_keys=ON")
    return db


def open_state(home: Path) -> sqlite_utils.Database:
    db = connect(state_db_path(home))
    if migrate(db, all_migrations()):
        # A schema change may have deleted data: fold the WAL (which held the old pages)
        # into the file now rather than at some later checkpoint.
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db
