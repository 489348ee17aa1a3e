"""The outbox: append-only records the kiosk sends to the centre.

Why: residents' contest entries, questions and opinions, and the kiosk's daily usage
totals and heartbeat, must reach the centre even though the kiosk is mostly offline and
may lose power at any instant. So a record is written in the SAME SQLite transaction as
the action that makes it:

    with db.atomic():                        # sqlite-utils: BEGIN ... COMMIT (or a savepoint)
        db.execute("DELETE FROM contest_attempts WHERE id = ?", [attempt_id])   # the action
        outbox.append(db, "contest_entry", {...}, personal={"name": ..., "phone": ...})

Both commit or neither does. `append` never commits; if no transaction is open it opens
one (BEGIN) and leaves it to the caller, so `with db.conn:` also works when `append` is
the block's first write. Beware: in sqlite-utils 4 `db.execute` autocommits a write made
outside a transaction, so an action written *before* `append` inside a bare
`with db.conn:` is already committed; use `db.atomic()` to be safe in any order.

Personal data is sealed to the publisher's key before the INSERT, so it never reaches the
disk in clear. Upload is in `sync.upload`.
"""

from __future__ import annotations

import importlib.metadata
import json
import logging
import re
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from offline_index.errors import LawShelfError
from offline_index.home import home_dir, home_of_state_db, library_root
from sync.enroll import canonical_json
from sync.sealing import kiosk_public_key, seal

log = logging.getLogger(__name__)

KINDS = ("contest_entry", "question", "opinion", "usage_daily", "heartbeat")
PERSONAL_KINDS = ("contest_entry", "question", "opinion")
MAX_PAYLOAD_BYTES = 64 * 1024
# Keys that mean someone put personal data in the clear payload instead of `personal=`.
PERSONAL_KEYS = frozenset(
    {
        "name",
        "full_name",
        "fullname",
        "ho_ten",
        "phone",
        "phone_number",
        "so_dien_thoai",
        "sdt",
        "email",
        "address",
        "dia_chi",
        "id_number",
        "cccd",
        "cmnd",
        "birth_date",
    }
)
_DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class OutboxError(LawShelfError):
    """A record the outbox refuses to store (unknown kind, personal data in clear, too big)."""

    message_vi = "Không lưu được dữ liệu gửi về trung tâm."


def _check_no_personal_keys(value: Any, path: str = "payload") -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            if str(key).lower() in PERSONAL_KEYS:
                raise OutboxError(f"{path}.{key} looks like personal data; pass it as personal=")
            _check_no_personal_keys(inner, f"{path}.{key}")
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            _check_no_personal_keys(inner, f"{path}[{i}]")


def _check_payload(kind: str, payload: dict[str, Any]) -> bytes:
    if kind not in KINDS:
        raise OutboxError(f"unknown outbox kind {kind!r}; expected one of {', '.join(KINDS)}")
    if not isinstance(payload, dict):
        raise OutboxError("payload must be a JSON object")
    _check_no_personal_keys(payload)
    if kind in ("usage_daily", "heartbeat") and not _DAY_RE.match(str(payload.get("day", ""))):
        raise OutboxError(f"{kind} payload needs day as YYYY-MM-DD")
    if kind == "usage_daily":
        counts = payload.get("counts")
        if not isinstance(counts, dict) or not all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in counts.values()
        ):
            raise OutboxError("usage_daily payload needs counts: {name: absolute count >= 0}")
    try:
        body = canonical_json(payload)
    except (TypeError, ValueError) as exc:
        raise OutboxError(f"payload is not plain JSON: {exc}") from None
    if len(body) > MAX_PAYLOAD_BYTES:
        raise OutboxError(f"payload is {len(body)} bytes; the limit is {MAX_PAYLOAD_BYTES}")
    return body


def append(
    db: sqlite_utils.Database,
    kind: str,
    payload: dict[str, Any],
    *,
    personal: dict[str, Any] | None = None,
    home: Path | None = None,
) -> str:
    """Add one record inside the caller's transaction (never commits); returns its UUID.

    Opens a transaction (BEGIN) if none is open; the caller commits. `personal` is sealed
    to HOME/keys/publisher_seal.pub; without that key the call fails rather than store it.
    """
    body = _check_payload(kind, payload)
    record_id = str(uuid.uuid4())
    sealed = None
    if personal:
        if kind not in PERSONAL_KINDS:
            raise OutboxError(f"{kind} records carry no personal data")
        _check_payload_json(personal)
        sealed = seal(
            kiosk_public_key(home or home_of_state_db(db.conn) or home_dir()), record_id, personal
        )
    if not db.conn.in_transaction:
        db.conn.execute("BEGIN")  # db.execute would autocommit; the caller owns the commit
    db.conn.execute(
        "INSERT INTO outbox (uuid, kind, created_at, payload, sealed, has_personal)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [record_id, kind, _now(), body.decode("utf-8"), sealed, int(sealed is not None)],
    )
    log.debug("outbox: appended %s %s", kind, record_id)
    return record_id


def _check_payload_json(personal: dict[str, Any]) -> None:
    try:
        canonical_json(personal)
    except (TypeError, ValueError) as exc:
        raise OutboxError(f"personal data is not plain JSON: {exc}") from None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def append_usage_daily(db: sqlite_utils.Database, day: date | str, counts: dict[str, int]) -> str:
    """Absolute usage totals for one day; the centre keeps the latest per (kiosk, day)."""
    with db.atomic():  # commits when standalone, nests as a savepoint otherwise
        return append(db, "usage_daily", {"day": str(day), "counts": dict(counts)})


def append_heartbeat(
    db: sqlite_utils.Database,
    *,
    content_version: str | int | None,
    day: date | str | None = None,
    extra: dict[str, Any] | None = None,
) -> str | None:
    """The daily "I am alive, with this content" record; None if the same one is queued today.

    A heartbeat differing in anything (content version, the last sync's result) is queued
    again, so the centre sees the latest state. Commits when called outside a transaction.
    """
    payload = {
        "day": str(day or datetime.now(UTC).date()),
        "content_version": None if content_version is None else str(content_version),
    }
    payload.update(extra or {})
    body = canonical_json(payload).decode("utf-8")
    found = db.execute(
        "SELECT 1 FROM outbox WHERE kind = 'heartbeat' AND payload = ?", [body]
    ).fetchone()
    if found:
        return None
    with db.atomic():
        return append(db, "heartbeat", payload)


def app_heartbeat(home: Path) -> dict[str, Any]:
    """The software part of a heartbeat: version, pending version, the last update's outcome
    (a failed or rolled-back version with its error), for the centre's fleet view."""
    from sync import app_state

    status = app_state.status(app_state.app_root_for(), home)
    if not status["managed"] and not status["last_update"]:
        return {}
    update = dict(status["last_update"] or {})
    if update.get("error"):
        update["error"] = str(update["error"])[:500]
    return {"version": status["version"], "pending": status["pending"], "update": update or None}


def content_version(home: Path) -> dict[str, str | None]:
    """Release version and content date of the live library (None when there is none)."""
    try:
        from offline_index.generations import live_generation, read_manifest

        gen = live_generation(library_root(home))
        manifest = read_manifest(gen) if gen else {}
    except (LawShelfError, OSError) as exc:
        log.info("no content version for the heartbeat: %s", exc)
        manifest = {}
    version = manifest.get("release_version") or manifest.get("build_id")
    date_ = manifest.get("content_date")
    return {"content_version": None if version is None else str(version), "content_date": date_}


def app_version() -> str | None:
    """The installed software's version (the app-update channel will report its release)."""
    try:
        return importlib.metadata.version("lawshelf-kiosk")
    except importlib.metadata.PackageNotFoundError:
        return None


def sync_summary(db: sqlite_utils.Database) -> dict[str, Any]:
    """The last sync's result for the centre's fleet view (no personal data, short)."""
    row = db.execute(
        "SELECT outcome, exit_code, last_success, error FROM sync_status WHERE id = 1"
    ).fetchone()
    if row is None:
        return {"outcome": None}
    return {
        "outcome": row[0],
        "exit_code": row[1],
        "last_success": row[2],
        "error": (row[3] or "")[:300] or None,
    }


def ensure_daily_heartbeat(db: sqlite_utils.Database, home: Path) -> str | None:
    """Today's heartbeat: live content version, software version, the last sync's result."""
    info = content_version(home)
    return append_heartbeat(
        db,
        content_version=info["content_version"],
        extra={
            "content_date": info["content_date"],
            "app_version": app_version(),
            "sync": sync_summary(db),
            "app": app_heartbeat(home) or None,  # software updates (docs/updates.md)
        },
    )


def pending_count(db: sqlite_utils.Database) -> int:
    """Records not yet confirmed by the server."""
    return db.execute("SELECT count(*) FROM outbox WHERE sent_at IS NULL").fetchone()[0]


def status(db: sqlite_utils.Database) -> dict[str, Any]:
    """Counts for `lawshelf outbox status` and the librarian screen."""
    row = db.execute(
        "SELECT sum(sent_at IS NULL), sum(sent_at IS NOT NULL), sum(sealed IS NOT NULL),"
        " min(CASE WHEN sent_at IS NULL THEN created_at END), max(sent_at) FROM outbox"
    ).fetchone()
    by_kind = dict(
        db.execute(
            "SELECT kind, count(*) FROM outbox WHERE sent_at IS NULL GROUP BY kind"
        ).fetchall()
    )
    open_batches = db.execute(
        "SELECT count(*) FROM outbox_batches WHERE sent_at IS NULL"
    ).fetchone()[0]
    last_error = db.execute(
        "SELECT last_error FROM outbox_batches WHERE sent_at IS NULL AND last_error IS NOT NULL"
        " ORDER BY created_at DESC LIMIT 1"
    ).fetchone()
    return {
        "pending": row[0] or 0,
        "sent": row[1] or 0,
        "sealed_on_disk": row[2] or 0,
        "oldest_pending": row[3],
        "last_sent": row[4],
        "pending_by_kind": by_kind,
        "open_batches": open_batches,
        "last_error": last_error[0] if last_error else None,
    }


def record_json(row: dict[str, Any]) -> dict[str, Any]:
    """One outbox row as it appears inside an uploaded batch."""
    out = {
        "uuid": row["uuid"],
        "seq": row["seq"],
        "kind": row["kind"],
        "created_at": row["created_at"],
        "payload": json.loads(row["payload"]),
    }
    if row["sealed"]:
        out["sealed"] = row["sealed"]
    return out
