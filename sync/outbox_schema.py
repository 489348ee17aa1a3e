"""Outbox tables of the kiosk state database.

`outbox` holds append-only records (one row per contest entry, question, opinion, daily
usage total or heartbeat). A row is never changed except to note its batch, the time a
server confirmed it (`sent_at`) and, after that, to drop the sealed personal copy.
`outbox_batches` pins each batch's identity (uuid, kiosk id, created_at) so a retry
re-sends byte-identical JSON to the same path, which makes uploads idempotent.

Every statement is `IF NOT EXISTS`, so a migration cut short by a crash simply re-runs.
"""

from __future__ import annotations

import sqlite_utils

from offline_index.migrations import Migration

_OUTBOX = """
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,  -- local order; the centre keeps the latest daily total by it
    uuid TEXT NOT NULL UNIQUE,              -- client UUID, the centre drops duplicates by it
    kind TEXT NOT NULL,
    created_at TEXT NOT NULL,               -- kiosk clock, UTC ISO 8601 (may be wrong; informative)
    payload TEXT NOT NULL,                  -- canonical JSON, never personal data
    sealed TEXT,                            -- base64 sealed personal data; NULL once the centre has it
    has_personal INTEGER NOT NULL DEFAULT 0,
    batch_id TEXT,                          -- set when the record joins a batch
    sent_at TEXT                            -- set only after the server answered 2xx
)
"""

_BATCHES = """
CREATE TABLE IF NOT EXISTS outbox_batches (
    batch_id TEXT PRIMARY KEY,
    kiosk_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    records INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    sent_at TEXT
)
"""

_INDEXES = (
    "CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (sent_at, batch_id, seq)",
    "CREATE INDEX IF NOT EXISTS outbox_batch ON outbox (batch_id)",
    "CREATE INDEX IF NOT EXISTS outbox_kind_day ON outbox (kind, created_at)",
)


def _create(db: sqlite_utils.Database) -> None:
    for sql in (_OUTBOX, _BATCHES, *_INDEXES):
        db.execute(sql)


MIGRATIONS = [Migration("sync", "outbox_0001_tables", _create)]
