"""Kiosk state tables for contest attempts (kiosk state, never library content).

An attempt stores the questions it drew (a JSON snapshot), so a sync that replaces or
withdraws the contest cannot break it. Nothing personal is stored in clear: the
participant is known only by a keyed hash; the form data stays in memory until it is
sealed into the outbox at submission.
"""

from __future__ import annotations

import sqlite_utils

from offline_index.migrations import Migration


def _attempts(db: sqlite_utils.Database) -> None:
    db.execute(
        """CREATE TABLE IF NOT EXISTS contest_attempts (
            id TEXT PRIMARY KEY,
            contest_id TEXT NOT NULL,
            person_hash TEXT NOT NULL,
            seed INTEGER NOT NULL,
            snapshot TEXT NOT NULL,          -- contest settings + drawn questions (JSON)
            started_wall REAL NOT NULL,      -- wall clock at start (epoch seconds)
            started_boot REAL NOT NULL,      -- CLOCK_BOOTTIME at start
            boot_id TEXT NOT NULL,           -- kernel boot id at start
            last_wall REAL NOT NULL,         -- wall clock at the last checkpoint
            used_s REAL NOT NULL,            -- time used at the last checkpoint
            prediction INTEGER,
            media_dir TEXT NOT NULL DEFAULT ''
        )"""
    )
    db.execute(
        "CREATE INDEX IF NOT EXISTS contest_attempts_person"
        " ON contest_attempts (contest_id, person_hash)"
    )
    db.execute(
        """CREATE TABLE IF NOT EXISTS contest_answers (
            attempt_id TEXT NOT NULL REFERENCES contest_attempts(id) ON DELETE CASCADE,
            q_index INTEGER NOT NULL,
            question_id TEXT NOT NULL,
            choice_id TEXT NOT NULL,
            used_s REAL NOT NULL,
            PRIMARY KEY (attempt_id, q_index)
        )"""
    )
    db.execute(
        """CREATE TABLE IF NOT EXISTS contest_participation (
            contest_id TEXT NOT NULL,
            person_hash TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            PRIMARY KEY (contest_id, person_hash)
        )"""
    )


MIGRATIONS = [Migration("contests", "0001_attempts", _attempts)]
