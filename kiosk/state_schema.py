"""Kiosk-owned tables of the state database."""

from __future__ import annotations

import sqlite_utils

from offline_index.migrations import Migration


def _settings(db: sqlite_utils.Database) -> None:
    db.execute("CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT)")


MIGRATIONS = [Migration("kiosk", "0001_settings", _settings)]
