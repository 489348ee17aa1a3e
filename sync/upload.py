"""Upload pending outbox records as signed batches (HTTP PUT, or a folder such as a USB stick).

Why this shape: the kiosk's network is poor and power may go at any instant, so uploads
must be idempotent. A batch gets its uuid, kiosk id and created_at in the state DB
*before* the first PUT; every retry rebuilds byte-identical JSON (Ed25519 signatures are
deterministic) and PUTs it to the same `<base>/inbox/<kiosk-id>/<batch-uuid>.json`.
Records are marked sent only after a 2xx; then the kiosk drops its sealed personal copy.
If the server stored a batch but the answer was lost, the retry overwrites the same file
and the centre drops duplicate record UUIDs anyway.

Batch file: {"signed": {"format": 1, "type": "lawshelf-outbox-batch", "kiosk_id",
"batch_id", "created_at", "records": [...]}, "signatures": [{"keyid", "sig"}]} where sig
is Ed25519 over canonical JSON of "signed" (see `sync.enroll.canonical_json`).
"""

from __future__ import annotations

import base64
import hashlib
import logging
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests
import sqlite_utils

from offline_index.fsutil import atomic_write_bytes
from sync.enroll import Identity, NotEnrolled, canonical_json, load_identity
from sync.errors import UnsafeFolder
from sync.outbox import ensure_daily_heartbeat, pending_count, record_json
from sync.usb import writable

log = logging.getLogger(__name__)

BATCH_TYPE = "lawshelf-outbox-batch"
MAX_BATCH_BYTES = 256 * 1024
MAX_BATCH_RECORDS = 500
_RECORD_OVERHEAD = 200  # JSON keys, uuid, timestamps per record


@dataclass
class UploadReport:
    batches_sent: int = 0
    records_sent: int = 0
    bytes_sent: int = 0
    pending: int = 0
    error: str | None = None  # plain words; None when everything pending went out

    @property
    def ok(self) -> bool:
        return self.error is None


class _Stop(Exception):
    """Give up this run (auth refused, deadline): the batch stays for the next run."""


class _TooLarge(Exception):
    """The server refused the batch size (413): split it."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _open_batch(
    db: sqlite_utils.Database, kiosk_id: str, max_bytes: int, max_records: int
) -> str | None:
    """The oldest unsent batch, or a new one from unbatched records; None if nothing is pending."""
    row = db.execute(
        "SELECT batch_id, kiosk_id FROM outbox_batches WHERE sent_at IS NULL"
        " ORDER BY created_at, batch_id LIMIT 1"
    ).fetchone()
    if row:
        if row[1] != kiosk_id:  # re-enrolled since: the batch was never accepted under the old id
            db.execute(
                "UPDATE outbox_batches SET kiosk_id = ? WHERE batch_id = ?", [kiosk_id, row[0]]
            )
        return row[0]
    rows = db.execute(
        "SELECT seq, length(payload) + coalesce(length(sealed), 0) FROM outbox"
        " WHERE sent_at IS NULL AND batch_id IS NULL ORDER BY seq LIMIT ?",
        [max_records],
    ).fetchall()
    chosen, size = [], 0
    for seq, length in rows:
        if chosen and size + length + _RECORD_OVERHEAD > max_bytes:
            break
        chosen.append(seq)
        size += length + _RECORD_OVERHEAD
    if not chosen:
        return None
    return _claim(db, kiosk_id, chosen) or _open_batch(db, kiosk_id, max_bytes, max_records)


def _claim(db: sqlite_utils.Database, kiosk_id: str, seqs: list[int]) -> str | None:
    """Pin a new batch (uuid, kiosk, created_at) on these records before any PUT."""
    batch_id = str(uuid.uuid4())
    with db.atomic():
        db.execute(
            "INSERT INTO outbox_batches (batch_id, kiosk_id, created_at, records) VALUES (?, ?, ?, ?)",
            [batch_id, kiosk_id, _now(), len(seqs)],
        )
        # `batch_id IS NULL` again: another uploader (CLI during a nightly sync) may have won.
        taken = db.execute(
            f"UPDATE outbox SET batch_id = ? WHERE batch_id IS NULL"
            f" AND seq IN ({','.join('?' * len(seqs))})",
            [batch_id, *seqs],
        ).rowcount
        db.execute("UPDATE outbox_batches SET records = ? WHERE batch_id = ?", [taken, batch_id])
        if not taken:
            db.execute("DELETE FROM outbox_batches WHERE batch_id = ?", [batch_id])
    return batch_id if taken else None


def build_batch(db: sqlite_utils.Database, batch_id: str, ident: Identity) -> bytes:
    """The exact bytes of a batch file; the same on every retry."""
    meta = db.execute(
        "SELECT kiosk_id, created_at FROM outbox_batches WHERE batch_id = ?", [batch_id]
    ).fetchone()
    cursor = db.execute(
        "SELECT seq, uuid, kind, created_at, payload, sealed FROM outbox WHERE batch_id = ?"
        " ORDER BY seq",
        [batch_id],
    )
    names = [d[0] for d in cursor.description]
    records = [record_json(dict(zip(names, r, strict=True))) for r in cursor.fetchall()]
    return sign_batch(ident, meta[0], batch_id, meta[1], records)


def sign_batch(
    ident: Identity, kiosk_id: str, batch_id: str, created_at: str, records: list[dict[str, Any]]
) -> bytes:
    """The batch file: the signed part and the kiosk's Ed25519 signature over its canonical JSON."""
    signed = {
        "format": 1,
        "type": BATCH_TYPE,
        "kiosk_id": kiosk_id,
        "batch_id": batch_id,
        "created_at": created_at,
        "records": records,
    }
    sig = ident.signing_key.sign(canonical_json(signed))
    doc = {
        "signed": signed,
        "signatures": [{"keyid": ident.key_id, "sig": base64.b64encode(sig).decode()}],
    }
    return canonical_json(doc)


def _mark_sent(db: sqlite_utils.Database, batch_id: str) -> int:
    """After a 2xx: records sent, sealed personal copies dropped (the records stay)."""
    now = _now()
    with db.atomic():
        n = db.execute(
            "UPDATE outbox SET sent_at = ?, sealed = NULL WHERE batch_id = ? AND sent_at IS NULL",
            [now, batch_id],
        ).rowcount
        db.execute(
            "UPDATE outbox_batches SET sent_at = ?, last_error = NULL WHERE batch_id = ?",
            [now, batch_id],
        )
    return n


def _dissolve(db: sqlite_utils.Database, batch_id: str) -> None:
    """Return a refused (never stored) batch's records to the pending pool."""
    with db.atomic():
        db.execute("UPDATE outbox SET batch_id = NULL WHERE batch_id = ?", [batch_id])
        db.execute("DELETE FROM outbox_batches WHERE batch_id = ?", [batch_id])


def _note_error(db: sqlite_utils.Database, batch_id: str, error: str) -> None:
    db.execute(
        "UPDATE outbox_batches SET attempts = attempts + 1, last_error = ? WHERE batch_id = ?",
        [error, batch_id],
    )


def _is_url(base: str) -> bool:
    return base.startswith(("http://", "https://"))


def _folder(base: str) -> Path:
    """The folder a target names; refused (_Stop) unless it exists: a stick not plugged in,
    a typo or `ftp://…` read as a folder would get the residents' records written onto the
    kiosk's own disk and marked sent, never to reach the centre."""
    if "://" in base and not base.startswith("file://"):
        raise _Stop(f"cannot send the outbox to {base}: only http(s) addresses and folders")
    root = Path(base[len("file://") :] if base.startswith("file://") else base)
    if not root.is_dir():
        raise _Stop(f"no folder {root} (is the USB stick plugged in?); nothing sent")
    return root


def _write_file(base: str, rel: str, body: bytes) -> None:
    """Folder target (USB stick or mounted share): temp -> fsync -> rename."""
    root = _folder(base)
    # fsyncs the folder too: the rename itself must survive pulling the stick / power loss
    atomic_write_bytes(writable(root, rel), body)


@dataclass
class _Run:
    """One upload run's settings (the batch caps shrink after a 413)."""

    session: requests.Session
    target: str
    auth: Any
    deadline: float
    timeout: tuple[float, float]
    retries: int
    backoff: float
    max_bytes: int
    max_records: int


def _looks_stored(resp: requests.Response, body: bytes) -> bool:
    """A 2xx from the storage itself, not from a captive portal answering 200 to anything.

    WebDAV answers 201/204; S3 answers 200 with ETag = MD5 of the body. Any other 200 must
    at least have no body, so a portal's HTML page never marks records as sent.
    """
    if resp.status_code in (201, 204):
        return True
    etag = resp.headers.get("ETag", "").strip('"')
    if etag and etag == hashlib.md5(body, usedforsecurity=False).hexdigest():
        return True
    return not resp.content and "html" not in resp.headers.get("Content-Type", "")


def _put(run: _Run, url: str, body: bytes) -> None:
    """One PUT; raises _Stop, _TooLarge, or requests errors / RuntimeError to retry."""
    left = run.deadline - time.monotonic()
    if left <= 0:
        raise _Stop("the sync deadline passed before the outbox was uploaded")
    resp = run.session.put(
        url,
        data=body,
        auth=run.auth,
        headers={"Content-Type": "application/json", "Accept-Encoding": "identity"},
        timeout=(min(run.timeout[0], left), min(run.timeout[1], left)),
        allow_redirects=False,
    )
    resp.close()
    if 200 <= resp.status_code < 300:
        if not _looks_stored(resp, body):
            raise RuntimeError(
                f"HTTP {resp.status_code} {resp.headers.get('Content-Type', '')} does not come"
                " from a storage server (captive portal?)"
            )
        return
    if resp.status_code == 413:
        raise _TooLarge()
    if resp.status_code in (401, 403):
        raise _Stop(f"the inbox refused this kiosk's credentials (HTTP {resp.status_code})")
    raise RuntimeError(f"the inbox answered HTTP {resp.status_code}")


def _send(run: _Run, rel: str, body: bytes) -> None:
    """Send one batch with retries and backoff; raises _Stop when giving up for this run."""
    if not _is_url(run.target):
        try:
            _write_file(run.target, rel, body)
        except OSError as exc:  # stick removed, read-only or full
            raise _Stop(f"cannot write the outbox to {run.target}: {exc.strerror or exc}") from None
        except UnsafeFolder as exc:  # a planted link: nothing written, nothing counted as sent
            raise _Stop(f"cannot write the outbox to {run.target}: {exc}") from None
        return
    url = f"{run.target.rstrip('/')}/{rel}"
    error = "no attempt made"
    for attempt in range(run.retries + 1):
        if attempt:
            pause = run.backoff * 2 ** (attempt - 1)
            time.sleep(min(pause, max(0.0, run.deadline - time.monotonic())))
        try:
            _put(run, url, body)
            return
        except (requests.RequestException, RuntimeError) as exc:
            error = f"upload of the outbox failed: {exc}"
            log.warning("%s (attempt %d)", error, attempt + 1)
    raise _Stop(error)


def _send_all(db: sqlite_utils.Database, ident: Identity, run: _Run, report: UploadReport) -> None:
    """Open, send and confirm batches until none is left or the run must stop."""
    while batch_id := _open_batch(db, ident.kiosk_id, run.max_bytes, run.max_records):
        body = build_batch(db, batch_id, ident)
        try:
            _send(run, f"inbox/{ident.kiosk_id}/{batch_id}.json", body)
        except _TooLarge:
            if db["outbox_batches"].get(batch_id)["records"] == 1:
                report.error = (
                    f"the inbox refused a single record of {len(body)} bytes as too large"
                )
                _note_error(db, batch_id, report.error)
                return
            _dissolve(db, batch_id)  # never stored: its records may join smaller batches
            run.max_bytes, run.max_records = run.max_bytes // 2, max(1, run.max_records // 2)
            continue
        except _Stop as exc:
            report.error = str(exc)
            _note_error(db, batch_id, report.error)
            return
        report.records_sent += _mark_sent(db, batch_id)
        report.batches_sent += 1
        report.bytes_sent += len(body)
        log.info("outbox: batch %s sent (%d bytes)", batch_id, len(body))


def upload_pending(
    home: Path,
    db: sqlite_utils.Database,
    *,
    base_url: str,
    auth: tuple[str, str] | None = None,
    deadline: float | None = None,
    max_batch_bytes: int = MAX_BATCH_BYTES,
    max_batch_records: int = MAX_BATCH_RECORDS,
    session: requests.Session | None = None,
    timeout: tuple[float, float] = (5.0, 30.0),
    retries: int = 3,
    backoff: float = 0.5,
    heartbeat: bool = True,
) -> UploadReport:
    """Send every pending record before `deadline` (an absolute `time.monotonic()` value).

    `base_url` is an http(s) URL or a folder (USB stick); `auth` defaults to the enrolment's
    (kiosk id, password). Network trouble ends the run with `report.error` set; nothing is
    lost, the next run resumes with the same batch. NotEnrolled is raised only if records wait.
    An enrolled kiosk first queues today's heartbeat (live content version) if not yet queued.
    """
    try:
        ident = load_identity(home)
    except NotEnrolled:
        if pending_count(db):
            raise
        return UploadReport()
    if heartbeat:
        ensure_daily_heartbeat(db, home)
    run = _Run(
        session=session or requests.Session(),
        target=base_url,
        auth=auth if auth is not None else (ident.kiosk_id, ident.upload_password),
        deadline=deadline if deadline is not None else time.monotonic() + 300,
        timeout=timeout,
        retries=retries,
        backoff=backoff,
        max_bytes=max_batch_bytes,
        max_records=max_batch_records,
    )
    report = UploadReport()
    _send_all(db, ident, run, report)
    report.pending = pending_count(db)
    return report
