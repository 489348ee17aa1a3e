"""Central side: the registry of kiosk keys and collection of uploaded outbox batches.

Why: the inbox is plain storage any enrolled kiosk can write to, so nothing in it is
trusted until its Ed25519 signature verifies against the registry. A batch is refused
when its key is unknown or revoked, when the signing key belongs to another kiosk than
the one named in the batch or its folder, or when it is malformed. Records are loaded
once per client UUID, so retried or re-uploaded batches are harmless. Refusals are kept
in `refused` with the reason; a refused file is re-checked on the next collection (a key
may have been registered since). Personal data stays sealed; `sync.sealing.open_sealed`
opens it where the publisher's private key is.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils
from cryptography.exceptions import InvalidSignature

from offline_index.errors import LawShelfError
from sync.enroll import canonical_json, check_kiosk_id, key_id_of, parse_public_key
from sync.outbox import KINDS
from sync.upload import BATCH_TYPE

log = logging.getLogger(__name__)

MAX_BATCH_FILE = 8 * 1024 * 1024

_SCHEMA = (
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
)


class InboxError(LawShelfError):
    """Registry misuse (unknown kiosk, duplicate key) or an unreadable inbox."""

    message_vi = "Lỗi khi nhận dữ liệu từ các máy kiosk."


class BatchRefused(InboxError):
    """One batch file failed verification; collection goes on with the others."""


@dataclass
class CollectReport:
    files: int = 0
    batches_loaded: int = 0
    records_loaded: int = 0
    duplicates: int = 0
    unchanged: int = 0  # files already collected with the same bytes
    refused: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def open_central(path: Path) -> sqlite_utils.Database:
    """Open (creating if needed) the central database; WAL + full sync like the kiosk's."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("PRAGMA busy_timeout=10000")
    for sql in _SCHEMA:
        db.execute(sql)
    return db


def add_kiosk(db: sqlite_utils.Database, kiosk_id: str, public_key: str, *, note: str = "") -> dict:
    """Register (or re-key) a kiosk. A key may belong to one kiosk only, ever."""
    check_kiosk_id(kiosk_id)
    parse_public_key(public_key)
    key_id = key_id_of(public_key)
    owner = db.execute("SELECT kiosk_id FROM kiosks WHERE key_id = ?", [key_id]).fetchone()
    retired = db.execute(
        "SELECT kiosk_id FROM kiosk_keys_retired WHERE key_id = ?", [key_id]
    ).fetchone()
    if (owner and owner[0] != kiosk_id) or retired:
        raise InboxError(f"this key is (or was) registered to kiosk {(owner or retired)[0]}")
    if owner:
        raise InboxError(f"kiosk {kiosk_id} is already registered with this key")
    with db.atomic():
        old = db.execute(
            "SELECT public_key, key_id FROM kiosks WHERE kiosk_id = ?", [kiosk_id]
        ).fetchone()
        if old:  # re-enrolled kiosk: the old key can no longer sign for it
            db.execute(
                "INSERT OR REPLACE INTO kiosk_keys_retired VALUES (?, ?, ?, ?)",
                [old[1], kiosk_id, old[0], _now()],
            )
        db.execute(
            "INSERT OR REPLACE INTO kiosks VALUES (?, ?, ?, ?, NULL, ?)",
            [kiosk_id, public_key.strip(), key_id, _now(), note],
        )
    return db["kiosks"].get(kiosk_id)


def revoke_kiosk(db: sqlite_utils.Database, kiosk_id: str) -> None:
    """Refuse every batch this kiosk's key signs from now on (stolen or retired kiosk)."""
    with db.atomic():
        n = db.execute(
            "UPDATE kiosks SET revoked_at = ? WHERE kiosk_id = ? AND revoked_at IS NULL",
            [_now(), kiosk_id],
        ).rowcount
    if not n and not db.execute("SELECT 1 FROM kiosks WHERE kiosk_id = ?", [kiosk_id]).fetchone():
        raise InboxError(f"no kiosk {kiosk_id} in the registry")


def list_kiosks(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    return list(db.query("SELECT * FROM kiosks ORDER BY kiosk_id"))


def _key_for(db: sqlite_utils.Database, key_id: str) -> dict[str, Any]:
    row = db.execute(
        "SELECT kiosk_id, public_key, revoked_at FROM kiosks WHERE key_id = ?", [key_id]
    ).fetchone()
    if row is None:
        retired = db.execute(
            "SELECT kiosk_id FROM kiosk_keys_retired WHERE key_id = ?", [key_id]
        ).fetchone()
        if retired:
            raise BatchRefused(f"signed with a retired key of kiosk {retired[0]}")
        raise BatchRefused(f"signed with an unknown key {key_id[:16]}")
    if row[2]:
        raise BatchRefused(f"kiosk {row[0]} was revoked at {row[2]}")
    return {"kiosk_id": row[0], "public_key": row[1]}


def verify_batch(db: sqlite_utils.Database, raw: bytes, folder: str, stem: str) -> dict[str, Any]:
    """Return the verified `signed` part of a batch file, or raise BatchRefused."""
    try:
        doc = json.loads(raw)
        signed, sigs = doc["signed"], doc["signatures"]
        key_id, sig = sigs[0]["keyid"], base64.b64decode(sigs[0]["sig"], validate=True)
    except (ValueError, KeyError, IndexError, TypeError):
        raise BatchRefused("not a signed outbox batch (malformed JSON)") from None
    owner = _key_for(db, str(key_id))
    try:
        parse_public_key(owner["public_key"]).verify(sig, canonical_json(signed))
    except (InvalidSignature, ValueError, TypeError):
        raise BatchRefused("signature does not verify (batch altered or forged)") from None
    if not isinstance(signed, dict) or signed.get("type") != BATCH_TYPE:
        raise BatchRefused("not an outbox batch")
    if signed.get("kiosk_id") != owner["kiosk_id"]:
        raise BatchRefused(
            f"batch claims kiosk {signed.get('kiosk_id')} but is signed by kiosk {owner['kiosk_id']}"
        )
    if folder != owner["kiosk_id"] or stem != signed.get("batch_id"):
        raise BatchRefused(
            f"stored at {folder}/{stem}.json, not under its own kiosk id and batch id"
        )
    return signed


def _check_record(rec: Any) -> None:
    """Kiosk input is untrusted even when signed: every stored field must have its type."""
    if not (
        isinstance(rec, dict)
        and isinstance(rec.get("uuid"), str)
        and 0 < len(rec["uuid"]) <= 64
        and rec.get("kind") in KINDS
        and isinstance(rec.get("payload"), dict)
        and isinstance(rec.get("created_at"), str)
        and isinstance(rec.get("seq"), int)
        and isinstance(rec.get("sealed", ""), str)
    ):
        raise BatchRefused("batch holds a malformed record")


def _scalar(value: Any) -> str | None:
    """A payload field stored in its own column: text, or NULL for anything else."""
    return str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else None


def _load_record(db: sqlite_utils.Database, kiosk_id: str, rec: dict[str, Any]) -> None:
    """Insert one new record into its kind's table (the UUID is already known to be new)."""
    kind, payload = rec["kind"], rec["payload"]
    text = json.dumps(payload, ensure_ascii=False)
    common = [rec["uuid"], kiosk_id, rec.get("created_at")]
    if kind == "contest_entry":
        db.execute(
            "INSERT INTO contest_entries VALUES (?, ?, ?, ?, ?, ?)",
            [*common, _scalar(payload.get("contest_id")), text, rec.get("sealed")],
        )
    elif kind in ("question", "opinion"):
        table = "questions" if kind == "question" else "opinions"
        db.execute(
            f"INSERT INTO {table} VALUES (?, ?, ?, ?, ?)", [*common, text, rec.get("sealed")]
        )
    elif kind == "heartbeat":
        db.execute(
            "INSERT INTO heartbeats VALUES (?, ?, ?, ?, ?, ?)",
            [
                rec["uuid"],
                kiosk_id,
                _scalar(payload.get("day")),
                _scalar(payload.get("content_version")),
                rec.get("created_at"),
                text,
            ],
        )
    else:  # usage_daily: absolute counts; keep the latest (highest kiosk seq) per (kiosk, day)
        db.execute(
            "INSERT INTO usage_daily VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kiosk_id, day)"
            " DO UPDATE SET counts = excluded.counts, seq = excluded.seq, uuid = excluded.uuid,"
            " created_at = excluded.created_at, payload = excluded.payload"
            " WHERE excluded.seq > usage_daily.seq",
            [
                kiosk_id,
                _scalar(payload.get("day")),
                json.dumps(payload.get("counts", {})),
                rec.get("seq", 0),
                rec["uuid"],
                rec.get("created_at"),
                text,
            ],
        )


def _check_same_owner(db: sqlite_utils.Database, kiosk_id: str, record_id: str) -> None:
    """A duplicate must come from the same kiosk; another kiosk reusing a UUID is refused."""
    owner = db.execute("SELECT kiosk_id FROM records WHERE uuid = ?", [record_id]).fetchone()
    if owner and owner[0] != kiosk_id:
        raise BatchRefused(f"record {record_id} was already sent by kiosk {owner[0]}")


def _load_batch(
    db: sqlite_utils.Database, signed: dict[str, Any], rel: str, digest: str, report: CollectReport
) -> None:
    records = signed.get("records")
    if not isinstance(records, list):
        raise BatchRefused("batch has no record list")
    for rec in records:
        _check_record(rec)
    kiosk_id, new = signed["kiosk_id"], 0
    with db.atomic():
        for rec in records:
            inserted = db.execute(
                "INSERT OR IGNORE INTO records VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    rec["uuid"],
                    kiosk_id,
                    signed["batch_id"],
                    rec["kind"],
                    rec.get("seq"),
                    rec.get("created_at"),
                    _now(),
                ],
            ).rowcount
            if inserted:
                _load_record(db, kiosk_id, rec)
                new += 1
            else:
                _check_same_owner(db, kiosk_id, rec["uuid"])
        db.execute(
            "INSERT OR REPLACE INTO batches VALUES (?, ?, ?, ?, ?, ?, ?)",
            [signed["batch_id"], kiosk_id, rel, digest, len(records), new, _now()],
        )
        db.execute("DELETE FROM refused WHERE file = ?", [rel])
    report.batches_loaded += 1
    report.records_loaded += new
    report.duplicates += len(records) - new


def collect(inbox: Path, db: sqlite_utils.Database) -> CollectReport:
    """Verify and load every batch under inbox/<kiosk-id>/*.json (or inbox/inbox/...)."""
    root = inbox / "inbox" if (inbox / "inbox").is_dir() else inbox
    if not root.is_dir():
        raise InboxError(f"inbox folder {inbox} does not exist")
    report = CollectReport()
    for path in sorted(root.glob("*/*.json")):
        report.files += 1
        rel = f"{path.parent.name}/{path.name}"
        try:
            _collect_file(db, path, rel, report)
        except BatchRefused as exc:
            log.warning("inbox: refused %s: %s", rel, exc.message)
            report.refused.append((rel, exc.message))
            db.execute(
                "INSERT OR REPLACE INTO refused VALUES (?, ?, ?, ?)",
                [rel, None, exc.message, _now()],
            )
    return report


def _collect_file(db: sqlite_utils.Database, path: Path, rel: str, report: CollectReport) -> None:
    if path.stat().st_size > MAX_BATCH_FILE:
        raise BatchRefused(f"file is larger than {MAX_BATCH_FILE} bytes")
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if db.execute("SELECT 1 FROM batches WHERE file = ? AND sha256 = ?", [rel, digest]).fetchone():
        report.unchanged += 1
        return
    signed = verify_batch(db, raw, path.parent.name, path.stem)
    _load_batch(db, signed, rel, digest, report)
