"""The centre's store: every read and write of the central database goes through here.

Why one module: a province with thousands of kiosks may outgrow SQLite (docs/outbox.md,
"Scale of the centre"). Collection (sync/inbox.py), ranking and questions (kiosk/central.py),
the fleet view and the access log call `CentralStore` methods only and never write SQL, so
moving to PostgreSQL means a second class with these methods, not a rewrite. Methods take
and return plain values (str, int, dict rows); transactions are `with store.atomic():`.

The SQLite backend: WAL, synchronous=FULL, schema migrations recorded in `_migrations`
(namespace "centre"). Personal data is stored only sealed (`sealed` columns); `purge_sealed`
drops it with secure_delete on and empties the WAL, so the bytes leave the files.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from offline_index.migrations import Migration, connect_wal, migrate

PERSONAL_TABLES = ("contest_entries", "questions", "opinions")

_V1 = (
    """CREATE TABLE IF NOT EXISTS kiosks (kiosk_id TEXT PRIMARY KEY, public_key TEXT NOT NULL,
    key_id TEXT NOT NULL UNIQUE, added_at TEXT NOT NULL, revoked_at TEXT, note TEXT)""",
    """CREATE TABLE IF NOT EXISTS kiosk_keys_retired (key_id TEXT PRIMARY KEY, kiosk_id TEXT,
    public_key TEXT, retired_at TEXT)""",
    """CREATE TABLE IF NOT EXISTS batches (batch_id TEXT, kiosk_id TEXT, file TEXT,
    sha256 TEXT, records INTEGER, new_records INTEGER, collected_at TEXT,
    PRIMARY KEY (kiosk_id, batch_id))""",
    """CREATE TABLE IF NOT EXISTS records (uuid TEXT PRIMARY KEY, kiosk_id TEXT, batch_id TEXT,
    kind TEXT, seq INTEGER, created_at TEXT, collected_at TEXT)""",
    """CREATE TABLE IF NOT EXISTS refused (file TEXT PRIMARY KEY, sha256 TEXT, reason TEXT,
    at TEXT)""",
    """CREATE TABLE IF NOT EXISTS contest_entries (uuid TEXT PRIMARY KEY, kiosk_id TEXT,
    created_at TEXT, contest_id TEXT, payload TEXT, sealed TEXT)""",
    """CREATE TABLE IF NOT EXISTS questions (uuid TEXT PRIMARY KEY, kiosk_id TEXT,
    created_at TEXT, payload TEXT, sealed TEXT)""",
    """CREATE TABLE IF NOT EXISTS opinions (uuid TEXT PRIMARY KEY, kiosk_id TEXT,
    created_at TEXT, payload TEXT, sealed TEXT)""",
    """CREATE TABLE IF NOT EXISTS usage_daily (kiosk_id TEXT, day TEXT, counts TEXT,
    seq INTEGER, uuid TEXT, created_at TEXT, payload TEXT, PRIMARY KEY (kiosk_id, day))""",
    """CREATE TABLE IF NOT EXISTS heartbeats (uuid TEXT PRIMARY KEY, kiosk_id TEXT, day TEXT,
    content_version TEXT, created_at TEXT, payload TEXT)""",
    """CREATE TABLE IF NOT EXISTS question_answers (question_uuid TEXT PRIMARY KEY,
    ticket_hash TEXT NOT NULL, question TEXT NOT NULL, answer TEXT NOT NULL,
    fields TEXT NOT NULL, citations TEXT NOT NULL, public INTEGER NOT NULL DEFAULT 0,
    answered_at TEXT NOT NULL)""",
)

_V2 = (
    "ALTER TABLE kiosks ADD COLUMN revoked_reason TEXT",
    "ALTER TABLE batches ADD COLUMN archive TEXT",  # where the batch file is kept, if anywhere
    "ALTER TABLE batches ADD COLUMN archived_at TEXT",
    "ALTER TABLE question_answers ADD COLUMN replaced INTEGER NOT NULL DEFAULT 0",
    # Which batch files hold a sealed copy of a record: purge rewrites exactly those.
    """CREATE TABLE sealed_copies (uuid TEXT, kiosk_id TEXT, batch_id TEXT,
    PRIMARY KEY (uuid, kiosk_id, batch_id))""",
    """CREATE TABLE access_log (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL,
    who TEXT NOT NULL, action TEXT NOT NULL, subject TEXT NOT NULL, detail TEXT)""",
    # The fleet view's row per kiosk, kept current at collection (the latest heartbeat).
    """CREATE TABLE kiosk_state (kiosk_id TEXT PRIMARY KEY, key_id TEXT, seq INTEGER,
    heartbeat TEXT, heartbeat_at TEXT, last_heard TEXT)""",
    "CREATE INDEX IF NOT EXISTS records_kiosk ON records (kiosk_id, collected_at)",
    "CREATE INDEX IF NOT EXISTS entries_contest ON contest_entries (contest_id)",
    "CREATE INDEX IF NOT EXISTS heartbeats_kiosk ON heartbeats (kiosk_id, day)",
    "CREATE INDEX IF NOT EXISTS usage_day ON usage_daily (day)",
    "CREATE INDEX IF NOT EXISTS batches_archived ON batches (archived_at)",
)


def _run(statements: tuple[str, ...]):  # noqa: ANN202 - a migration step
    def apply(db: sqlite_utils.Database) -> None:
        for sql in statements:
            db.execute(sql)

    return apply


MIGRATIONS = [
    Migration("centre", "0001_tables", _run(_V1)),
    Migration("centre", "0002_archive_access_fleet", _run(_V2)),
]


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class CentralStore:
    """The central database (SQLite backend). One instance per thread, like a connection."""

    def __init__(self, db: sqlite_utils.Database, path: Path) -> None:
        self.db = db  # for tests and the bench; application code calls methods
        self.path = path

    @classmethod
    def open(cls, path: Path) -> CentralStore:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        db = connect_wal(path, secure_delete=True)  # purged sealed data is zeroed, not freed
        migrate(db, MIGRATIONS)
        return cls(db, path)

    @contextlib.contextmanager
    def atomic(self) -> Iterator[None]:
        with self.db.atomic():
            yield

    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        return list(self.db.query(sql, list(params)))

    def _one(self, sql: str, params: Iterable[Any] = ()) -> dict[str, Any] | None:
        rows = self._rows(sql, params)
        return rows[0] if rows else None

    # ------------------------------------------------------------ registry

    def kiosk(self, kiosk_id: str) -> dict[str, Any] | None:
        return self._one("SELECT * FROM kiosks WHERE kiosk_id = ?", [kiosk_id])

    def kiosks(self) -> list[dict[str, Any]]:
        return self._rows("SELECT * FROM kiosks ORDER BY kiosk_id")

    def key_owner(self, key_id: str) -> dict[str, Any] | None:
        """The registered kiosk of a key id (with its revocation), else None."""
        return self._one("SELECT * FROM kiosks WHERE key_id = ?", [key_id])

    def retired_key_owner(self, key_id: str) -> str | None:
        row = self._one("SELECT kiosk_id FROM kiosk_keys_retired WHERE key_id = ?", [key_id])
        return row["kiosk_id"] if row else None

    def register_kiosk(self, kiosk_id: str, public_key: str, key_id: str, note: str) -> None:
        """Add a kiosk, or give a known one a new key (its old key is retired for good)."""
        with self.atomic():
            old = self.kiosk(kiosk_id)
            if old:
                self.db.execute(
                    "INSERT OR REPLACE INTO kiosk_keys_retired VALUES (?, ?, ?, ?)",
                    [old["key_id"], kiosk_id, old["public_key"], now_iso()],
                )
            self.db.execute(
                "INSERT OR REPLACE INTO kiosks (kiosk_id, public_key, key_id, added_at, note)"
                " VALUES (?, ?, ?, ?, ?)",
                [kiosk_id, public_key, key_id, now_iso(), note],
            )

    def revoke_kiosk(self, kiosk_id: str, reason: str) -> bool:
        with self.atomic():
            n = self.db.execute(
                "UPDATE kiosks SET revoked_at = ?, revoked_reason = ? WHERE kiosk_id = ?"
                " AND revoked_at IS NULL",
                [now_iso(), reason, kiosk_id],
            ).rowcount
        return bool(n)

    # ------------------------------------------------------------ collection

    def batch_collected(self, rel: str, sha256: str) -> dict[str, Any] | None:
        return self._one("SELECT * FROM batches WHERE file = ? AND sha256 = ?", [rel, sha256])

    def note_refused(self, rel: str, reason: str) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO refused VALUES (?, ?, ?, ?)", [rel, None, reason, now_iso()]
        )

    def record_owner(self, record_id: str) -> str | None:
        row = self._one("SELECT kiosk_id FROM records WHERE uuid = ?", [record_id])
        return row["kiosk_id"] if row else None

    def add_record(self, kiosk_id: str, batch_id: str, rec: dict[str, Any]) -> bool:
        """Note a record by its client UUID; False if it was already loaded (a duplicate)."""
        return bool(
            self.db.execute(
                "INSERT OR IGNORE INTO records VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    rec["uuid"],
                    kiosk_id,
                    batch_id,
                    rec["kind"],
                    rec.get("seq"),
                    rec.get("created_at"),
                    now_iso(),
                ],
            ).rowcount
        )

    def add_sealed_copy(self, record_id: str, kiosk_id: str, batch_id: str) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO sealed_copies VALUES (?, ?, ?)", [record_id, kiosk_id, batch_id]
        )

    def add_personal(self, table: str, row: dict[str, Any]) -> None:
        """A contest entry, question or opinion (personal data only in `sealed`)."""
        if table not in PERSONAL_TABLES:
            raise ValueError(table)
        self.db[table].insert(row)

    def add_heartbeat(self, row: dict[str, Any], key_id: str, seq: int) -> None:
        """Keep the heartbeat; the fleet view takes the latest by the kiosk's record order
        (a re-enrolled kiosk, with a new key, starts a new order)."""
        self.db["heartbeats"].insert(row)
        self.db.execute(
            "INSERT INTO kiosk_state (kiosk_id, key_id, seq, heartbeat, heartbeat_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (kiosk_id) DO UPDATE SET"
            " key_id = excluded.key_id, seq = excluded.seq, heartbeat = excluded.heartbeat,"
            " heartbeat_at = excluded.heartbeat_at"
            " WHERE excluded.seq > kiosk_state.seq OR excluded.key_id != kiosk_state.key_id",
            [row["kiosk_id"], key_id, seq, row["payload"], now_iso()],
        )

    def upsert_usage(self, row: dict[str, Any]) -> None:
        """Absolute daily counts: the highest kiosk seq per (kiosk, day) wins."""
        self.db.execute(
            "INSERT INTO usage_daily VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kiosk_id, day)"
            " DO UPDATE SET counts = excluded.counts, seq = excluded.seq, uuid = excluded.uuid,"
            " created_at = excluded.created_at, payload = excluded.payload"
            " WHERE excluded.seq > usage_daily.seq",
            [row[k] for k in ("kiosk_id", "day", "counts", "seq", "uuid", "created_at", "payload")],
        )

    def finish_batch(self, batch: dict[str, Any]) -> None:
        """The batch is loaded: remember its file and hash, forget an earlier refusal."""
        self.db.execute(
            "INSERT OR REPLACE INTO batches (batch_id, kiosk_id, file, sha256, records,"
            " new_records, collected_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [batch[k] for k in ("batch_id", "kiosk_id", "file", "sha256", "records", "new")]
            + [now_iso()],
        )
        self.db.execute("DELETE FROM refused WHERE file = ?", [batch["file"]])
        self.db.execute(
            "INSERT INTO kiosk_state (kiosk_id, last_heard) VALUES (?, ?) ON CONFLICT (kiosk_id)"
            " DO UPDATE SET last_heard = excluded.last_heard",
            [batch["kiosk_id"], now_iso()],
        )

    def mark_archived(self, kiosk_id: str, batch_id: str, path: str | None) -> None:
        self.db.execute(
            "UPDATE batches SET archive = ?, archived_at = ? WHERE kiosk_id = ? AND batch_id = ?",
            [path, now_iso() if path else None, kiosk_id, batch_id],
        )

    def archived_before(self, cutoff: str) -> list[dict[str, Any]]:
        return self._rows(
            "SELECT kiosk_id, batch_id, archive FROM batches WHERE archive IS NOT NULL"
            " AND archived_at <= ?",
            [cutoff],
        )

    # ------------------------------------------------------------ personal data

    def sealed_files(self, record_ids: list[str]) -> list[str]:
        """Archived batch files holding a sealed copy of any of these records."""
        out: set[str] = set()
        for chunk in _chunks(record_ids):
            marks = ",".join("?" * len(chunk))
            for row in self._rows(
                "SELECT DISTINCT b.archive FROM sealed_copies s JOIN batches b"
                " ON b.kiosk_id = s.kiosk_id AND b.batch_id = s.batch_id"
                f" WHERE s.uuid IN ({marks}) AND b.archive IS NOT NULL",
                chunk,
            ):
                out.add(row["archive"])
        return sorted(out)

    def purge_sealed(self, table: str, record_ids: list[str]) -> int:
        """Drop the sealed personal data of these records, zeroed where it was stored."""
        if table not in PERSONAL_TABLES:
            raise ValueError(table)
        n = 0
        with self.atomic():
            for chunk in _chunks(record_ids):
                marks = ",".join("?" * len(chunk))
                n += self.db.execute(
                    f"UPDATE {table} SET sealed = NULL WHERE sealed IS NOT NULL"
                    f" AND uuid IN ({marks})",
                    chunk,
                ).rowcount
                self.db.execute(f"DELETE FROM sealed_copies WHERE uuid IN ({marks})", chunk)
        self.compact()
        return n

    def compact(self) -> None:
        """No copy of purged bytes may survive: secure_delete zeroes them in the database
        file; the WAL, which still holds the pages as they were, is checkpointed and emptied.
        (Not VACUUM: it rewrites the whole file, hours for a province's year of records.)"""
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def log_access(self, who: str, action: str, subject: str, detail: str = "") -> None:
        with self.atomic():
            self.db.execute(
                "INSERT INTO access_log (at, who, action, subject, detail) VALUES (?, ?, ?, ?, ?)",
                [now_iso(), who, action, subject, detail],
            )

    def access_log(self, since: str = "") -> list[dict[str, Any]]:
        return self._rows("SELECT * FROM access_log WHERE at >= ? ORDER BY id", [since])

    # ------------------------------------------------------------ contests and questions

    def contest_entries(self, contest_id: str) -> list[dict[str, Any]]:
        return self._rows(
            "SELECT * FROM contest_entries WHERE contest_id = ? ORDER BY created_at, uuid",
            [contest_id],
        )

    def contest_ids(self) -> list[str]:
        rows = self._rows("SELECT DISTINCT contest_id FROM contest_entries ORDER BY contest_id")
        return [r["contest_id"] for r in rows if r["contest_id"]]

    def personal_rows(self, table: str, *, older_than: str | None = None) -> list[dict]:
        """Rows of a personal table still holding sealed data (collected before a time)."""
        if table not in PERSONAL_TABLES:
            raise ValueError(table)
        sql = (
            f"SELECT t.*, r.collected_at FROM {table} t JOIN records r USING (uuid)"
            " WHERE t.sealed IS NOT NULL"
        )
        params = []
        if older_than:
            sql += " AND r.collected_at <= ?"
            params.append(older_than)
        return self._rows(sql + " ORDER BY r.collected_at, t.uuid", params)

    def questions(self) -> list[dict[str, Any]]:
        return self._rows(
            "SELECT q.*, a.answer, a.answered_at FROM questions q LEFT JOIN question_answers a"
            " ON a.question_uuid = q.uuid ORDER BY q.created_at, q.uuid"
        )

    def question(self, record_id: str) -> dict[str, Any] | None:
        return self._one("SELECT * FROM questions WHERE uuid = ?", [record_id])

    def opinions(self) -> list[dict[str, Any]]:
        return self._rows("SELECT * FROM opinions ORDER BY created_at, uuid")

    def answer(self, question_id: str) -> dict[str, Any] | None:
        return self._one("SELECT * FROM question_answers WHERE question_uuid = ?", [question_id])

    def save_answer(self, row: dict[str, Any]) -> None:
        with self.atomic():
            self.db["question_answers"].upsert(row, pk="question_uuid")

    def answers(self) -> list[dict[str, Any]]:
        return self._rows("SELECT * FROM question_answers ORDER BY answered_at, question_uuid")

    # ------------------------------------------------------------ fleet and usage

    def fleet(self) -> list[dict[str, Any]]:
        """Each registered kiosk with its latest heartbeat and refused-batch count."""
        rows = self._rows(
            "SELECT k.kiosk_id, k.note, k.added_at, k.revoked_at, k.revoked_reason,"
            " s.heartbeat, s.heartbeat_at, s.last_heard,"
            " (SELECT count(*) FROM refused f WHERE f.file LIKE k.kiosk_id || '/%') AS refused"
            " FROM kiosks k LEFT JOIN kiosk_state s USING (kiosk_id) ORDER BY k.kiosk_id"
        )
        for row in rows:
            row["heartbeat"] = json.loads(row["heartbeat"]) if row["heartbeat"] else None
        return rows

    def heartbeats(self, kiosk_id: str | None = None, limit: int = 50) -> list[dict]:
        sql = (
            "SELECT h.kiosk_id, h.day, h.content_version, h.created_at, h.payload,"
            " r.collected_at FROM heartbeats h JOIN records r USING (uuid)"
        )
        params: list[Any] = []
        if kiosk_id:
            sql += " WHERE h.kiosk_id = ?"
            params.append(kiosk_id)
        rows = self._rows(
            sql + " ORDER BY r.collected_at DESC, r.seq DESC LIMIT ?", [*params, limit]
        )
        for row in rows:
            row["payload"] = json.loads(row["payload"])
        return rows

    def usage(self, start: str, end: str, kiosk_ids: list[str] | None = None) -> list[dict]:
        """Daily totals per kiosk in [start, end] (ISO days), counts and payload parsed."""
        sql = "SELECT kiosk_id, day, counts, payload FROM usage_daily WHERE day BETWEEN ? AND ?"
        params: list[Any] = [start, end]
        if kiosk_ids:
            sql += f" AND kiosk_id IN ({','.join('?' * len(kiosk_ids))})"
            params += kiosk_ids
        rows = self._rows(sql + " ORDER BY day, kiosk_id", params)
        for row in rows:
            row["counts"] = json.loads(row["counts"])
            row["payload"] = json.loads(row["payload"])
        return rows


def _chunks(items: list[str], size: int = 500) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
