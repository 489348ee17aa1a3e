"""Central side: the registry of kiosk keys and collection of uploaded outbox batches.

Why: the inbox is plain storage any enrolled kiosk can write to, so nothing in it is
trusted until its Ed25519 signature verifies against the registry. A batch is refused
when its key is unknown or revoked, when the signing key belongs to another kiosk than
the one named in the batch or its folder, or when it is malformed. Records are loaded
once per client UUID, so retried or re-uploaded batches are harmless. Refusals are kept
in `refused` with the reason; a refused file is re-checked on the next collection (a key
may have been registered since). Personal data stays sealed; `sync.sealing.open_sealed`
opens it where the publisher's private key is.

A collected batch file leaves the inbox (served by the web server) for a private archive
(mode 0600), where it is kept `keep_days` and then deleted; `purge_files` rewrites archived
copies without the sealed data of purged records. Every query goes through
`sync.central_store.CentralStore`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature

from offline_index.errors import LawShelfError
from offline_index.fsutil import atomic_write_bytes
from sync.central_store import CentralStore
from sync.enroll import canonical_json, check_kiosk_id, key_id_of, parse_public_key
from sync.outbox import KINDS
from sync.upload import BATCH_TYPE

log = logging.getLogger(__name__)

MAX_BATCH_FILE = 8 * 1024 * 1024
DEFAULT_KEEP_DAYS = 30  # archived batch files are deleted after this (sealed data included)
REVOKE_REASONS = ("compromised", "retired")


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
    archived: int = 0  # batch files moved out of the inbox into the archive
    expired: int = 0  # archived batch files deleted after the retention period
    refused: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)


def open_central(path: Path) -> CentralStore:
    """Open (creating if needed) the central database."""
    return CentralStore.open(Path(path))


def add_kiosk(store: CentralStore, kiosk_id: str, public_key: str, *, note: str = "") -> dict:
    """Register (or re-key) a kiosk. A key may belong to one kiosk only, ever."""
    check_kiosk_id(kiosk_id)
    parse_public_key(public_key)
    key_id = key_id_of(public_key)
    owner = store.key_owner(key_id)
    retired = store.retired_key_owner(key_id)
    if (owner and owner["kiosk_id"] != kiosk_id) or retired:
        raise InboxError(f"this key is (or was) registered to kiosk {retired or owner['kiosk_id']}")
    if owner:
        raise InboxError(f"kiosk {kiosk_id} is already registered with this key")
    store.register_kiosk(kiosk_id, public_key.strip(), key_id, note)
    return store.kiosk(kiosk_id) or {}


def revoke_kiosk(store: CentralStore, kiosk_id: str, reason: str = "compromised") -> None:
    """Refuse every batch this kiosk's key signs from now on. `compromised` (stolen, tampered)
    also keeps its contest entries out of rankings; `retired` (decommissioned) does not."""
    if reason not in REVOKE_REASONS:
        raise InboxError(f"revocation reason must be one of {', '.join(REVOKE_REASONS)}")
    if not store.revoke_kiosk(kiosk_id, reason) and store.kiosk(kiosk_id) is None:
        raise InboxError(f"no kiosk {kiosk_id} in the registry")


def _key_for(store: CentralStore, key_id: str) -> dict[str, Any]:
    row = store.key_owner(key_id)
    if row is None:
        retired = store.retired_key_owner(key_id)
        if retired:
            raise BatchRefused(f"signed with a retired key of kiosk {retired}")
        raise BatchRefused(f"signed with an unknown key {key_id[:16]}")
    if row["revoked_at"]:
        raise BatchRefused(f"kiosk {row['kiosk_id']} was revoked at {row['revoked_at']}")
    return row


def verify_batch(
    store: CentralStore, raw: bytes, folder: str, stem: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return the verified `signed` part of a batch file and the registry row of the kiosk
    that signed it, or raise BatchRefused."""
    try:
        doc = json.loads(raw)
        signed, sigs = doc["signed"], doc["signatures"]
        key_id, sig = sigs[0]["keyid"], base64.b64decode(sigs[0]["sig"], validate=True)
    except (ValueError, KeyError, IndexError, TypeError):
        raise BatchRefused("not a signed outbox batch (malformed JSON)") from None
    owner = _key_for(store, str(key_id))
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
    return signed, owner


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


def _load_record(store: CentralStore, owner: dict[str, Any], batch_id: str, rec: dict) -> None:
    """Insert one new record into its kind's table (the UUID is already known to be new)."""
    kind, payload, kiosk_id = rec["kind"], rec["payload"], owner["kiosk_id"]
    text = json.dumps(payload, ensure_ascii=False)
    common = {"uuid": rec["uuid"], "kiosk_id": kiosk_id, "created_at": rec.get("created_at")}
    if kind in ("contest_entry", "question", "opinion"):
        table = {"contest_entry": "contest_entries", "question": "questions"}.get(kind, "opinions")
        row = {**common, "payload": text, "sealed": rec.get("sealed")}
        if kind == "contest_entry":
            row["contest_id"] = _scalar(payload.get("contest_id"))
        store.add_personal(table, row)
        if rec.get("sealed"):
            store.add_sealed_copy(rec["uuid"], kiosk_id, batch_id)
    elif kind == "heartbeat":
        row = {
            **common,
            "day": _scalar(payload.get("day")),
            "content_version": _scalar(payload.get("content_version")),
            "payload": text,
        }
        store.add_heartbeat(row, owner["key_id"], rec["seq"])
    else:  # usage_daily: absolute counts; keep the latest (highest kiosk seq) per (kiosk, day)
        store.upsert_usage(
            {
                **common,
                "day": _scalar(payload.get("day")),
                "counts": json.dumps(payload.get("counts", {})),
                "seq": rec.get("seq", 0),
                "payload": text,
            }
        )


def _load_batch(
    store: CentralStore,
    signed: dict[str, Any],
    owner: dict[str, Any],
    where: dict[str, str],
    report: CollectReport,
) -> None:
    records = signed.get("records")
    if not isinstance(records, list):
        raise BatchRefused("batch has no record list")
    for rec in records:
        _check_record(rec)
    kiosk_id, batch_id, new = signed["kiosk_id"], signed["batch_id"], 0
    with store.atomic():
        for rec in records:
            if store.add_record(kiosk_id, batch_id, rec):
                _load_record(store, owner, batch_id, rec)
                new += 1
            else:
                other = store.record_owner(rec["uuid"])
                if other != kiosk_id:  # a duplicate must come from the same kiosk
                    raise BatchRefused(f"record {rec['uuid']} was already sent by kiosk {other}")
                if rec.get("sealed"):
                    store.add_sealed_copy(rec["uuid"], kiosk_id, batch_id)
        batch = {"batch_id": batch_id, "kiosk_id": kiosk_id, "records": len(records), "new": new}
        store.finish_batch({**batch, **where})
    report.batches_loaded += 1
    report.records_loaded += new
    report.duplicates += len(records) - new


def default_archive(store: CentralStore) -> Path:
    """Beside the central database: private to the centre, never under the web root."""
    return store.path.parent / "inbox-archive"


def inbox_folder(path: Path) -> Path:
    """The `inbox/` folder kiosks upload into: `DIR/inbox` of a storage root, or DIR itself
    when it is that folder (named `inbox`, with no `inbox/` of its own).

    Why: a storage root also holds the published release (`metadata/`, `blobs/`); read as
    the inbox before its `inbox/` existed, its JSON files were refused as batches "signed
    with an unknown key"."""
    if path.name == "inbox" and not (path / "inbox").is_dir():
        return path
    return path / "inbox"


def collect(
    inbox: Path,
    store: CentralStore,
    *,
    archive: Path | None = None,
    keep_days: int = DEFAULT_KEEP_DAYS,
) -> CollectReport:
    """Verify and load every batch under `inbox_folder(inbox)`/<kiosk-id>/*.json.

    Loaded (and already collected) files move to `archive`; refused ones stay for the next
    run. Archived files older than `keep_days` are deleted. A missing inbox is created."""
    root = inbox_folder(inbox)
    root.mkdir(parents=True, exist_ok=True)
    archive = archive or default_archive(store)
    report = CollectReport()
    for path in sorted(root.glob("*/*.json")):
        report.files += 1
        rel = f"{path.parent.name}/{path.name}"
        try:
            _collect_file(store, path, rel, archive, report)
        except BatchRefused as exc:
            log.warning("inbox: refused %s: %s", rel, exc.message)
            report.refused.append((rel, exc.message))
            store.note_refused(rel, exc.message)
    report.expired = expire_archive(store, keep_days)
    return report


def _collect_file(
    store: CentralStore, path: Path, rel: str, archive: Path, report: CollectReport
) -> None:
    if path.stat().st_size > MAX_BATCH_FILE:
        raise BatchRefused(f"file is larger than {MAX_BATCH_FILE} bytes")
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    done = store.batch_collected(rel, digest)
    if done:
        report.unchanged += 1
    else:
        signed, owner = verify_batch(store, raw, path.parent.name, path.stem)
        _load_batch(store, signed, owner, {"file": rel, "sha256": digest}, report)
        done = {"kiosk_id": signed["kiosk_id"], "batch_id": signed["batch_id"]}
    _archive(store, path, raw, archive / rel, done)
    report.archived += 1


def _archive(store: CentralStore, path: Path, raw: bytes, dest: Path, batch: dict) -> None:
    """Move a collected batch file out of the inbox: written durably (0600), then unlinked."""
    atomic_write_bytes(dest, raw, mode=0o600)
    store.mark_archived(batch["kiosk_id"], batch["batch_id"], str(dest))
    try:
        path.unlink()
    except OSError as exc:  # the web server's user owns the inbox: say how to fix it
        log.warning("collected %s but cannot remove it from the inbox: %s", path, exc)


def expire_archive(store: CentralStore, keep_days: int) -> int:
    """Delete archived batch files past the retention period; returns how many."""
    cutoff = (datetime.now(UTC) - timedelta(days=keep_days)).isoformat(timespec="seconds")
    n = 0
    for row in store.archived_before(cutoff):
        Path(row["archive"]).unlink(missing_ok=True)
        store.mark_archived(row["kiosk_id"], row["batch_id"], None)
        n += 1
    return n


def purge_files(store: CentralStore, record_ids: list[str], inbox: Path | None = None) -> int:
    """Rewrite every archived (and, given `inbox`, uploaded) batch file holding a sealed copy
    of these records without it. Returns the number of files rewritten.

    The kiosk's signature no longer verifies on a rewritten copy: it is marked `purged`."""
    wanted = set(record_ids)
    files = [Path(p) for p in store.sealed_files(record_ids)]
    if inbox is not None:
        files += sorted(inbox_folder(inbox).glob("*/*.json"))
    return sum(_scrub(path, wanted) for path in dict.fromkeys(files) if path.is_file())


def _scrub(path: Path, wanted: set[str]) -> bool:
    try:
        doc = json.loads(path.read_bytes())
        records = doc["signed"]["records"]
    except (OSError, ValueError, KeyError, TypeError):
        return False
    hit = [r for r in records if isinstance(r, dict) and r.get("uuid") in wanted and "sealed" in r]
    if not hit:
        return False
    for rec in hit:
        del rec["sealed"]
    doc["purged"] = {"at": datetime.now(UTC).isoformat(timespec="seconds"), "records": len(hit)}
    atomic_write_bytes(path, canonical_json(doc), mode=0o600)
    os.chmod(path, 0o600)
    return True
