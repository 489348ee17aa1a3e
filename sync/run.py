"""`lawshelf sync` as one function: verify, fetch, apply, record, then upload the outbox.

Order matters: nothing is downloaded before the metadata verifies; nothing is built before
every blob verifies; the live library changes only by one atomic pointer switch; the outbox
upload runs last and can never undo an applied release.
"""

from __future__ import annotations

import errno
import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

import requests
import sqlite_utils

from offline_index import generations as gens
from offline_index.home import library_root
from sync import apply as ap
from sync import status
from sync.errors import (
    EXIT_OK,
    EXIT_UPLOAD,
    ApplyError,
    NotConfigured,
    SyncError,
    VerificationError,
)
from sync.lock import SyncLock
from sync.transfer import BlobFetcher, TransferPolicy
from sync.usb import unexpected_entries
from sync.verify import VerifiedRelease, is_url, refresh

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]  # (what, done, total)


@dataclass
class Changes:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


@dataclass
class SyncReport:
    outcome: str  # applied | up_to_date | dry_run
    version: int
    previous_version: int | None
    content_date: str
    bytes: int  # everything transferred: metadata + blobs
    blobs_fetched: int
    blob_bytes: int
    changes: Changes
    generation: str | None = None
    warnings: list[str] = field(default_factory=list)
    upload: dict | None = None
    exit_code: int = EXIT_OK

    def to_dict(self) -> dict:
        return asdict(self)


def diff_targets(old: dict[str, tuple[str, int]], new: dict[str, tuple[str, int]]) -> Changes:
    return Changes(
        added=sorted(set(new) - set(old)),
        changed=sorted(p for p in set(new) & set(old) if new[p][0] != old[p][0]),
        removed=sorted(set(old) - set(new)),
    )


def normalise_source(source: str | Path | None) -> str:
    if not source:
        raise NotConfigured("no sync source: pass --from URL|PATH or set sync_source")
    text = str(source)
    return text.rstrip("/") if is_url(text) else str(Path(text).expanduser().resolve())


def run_sync(
    home: Path,
    source: str | Path | None,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    db: sqlite_utils.Database | None = None,
    deadline_s: float = 3600,
    session: requests.Session | None = None,
    policy: TransferPolicy | None = None,
    upload: bool = True,
    now: datetime | None = None,
) -> SyncReport:
    """One sync run under the lock; status row updated whatever happens."""
    src = normalise_source(source)
    with SyncLock(home):
        db = db if db is not None else status.open_db(home)
        status.update(db, last_attempt=status.now_iso(), source=src, next_sync=None)
        deadline = time.monotonic() + deadline_s
        session = session or requests.Session()
        try:
            report = _run(home, src, db, dry_run, progress, deadline, session, policy, now)
        except SyncError as exc:
            status.update(db, outcome="failed", exit_code=exc.exit_code, error=exc.message)
            raise
        except OSError as exc:
            err = _disk_error(exc)
            status.update(db, outcome="failed", exit_code=err.exit_code, error=err.message)
            raise err from exc
        except Exception as exc:
            status.update(db, outcome="failed", exit_code=1, error=f"internal error: {exc!r}")
            raise
        if dry_run:
            status.update(db, outcome="dry_run", exit_code=EXIT_OK, error=None)
            return report
        status.update(
            db,
            last_success=status.now_iso(),
            outcome=report.outcome,
            exit_code=EXIT_OK,
            version=report.version,
            content_date=report.content_date,
            bytes=report.bytes,
            error=None,
        )
        if upload:
            report.upload = _upload(home, db, src, deadline, session, report.version)
            if report.upload and report.upload.get("error"):
                report.exit_code = EXIT_UPLOAD
        return report


def _disk_error(exc: OSError) -> ApplyError:
    if exc.errno == errno.ENOSPC:
        return ApplyError("the disk is full; the live library is unchanged. Free some space.")
    return ApplyError(f"could not write sync files: {exc}")


def _run(
    home: Path,
    src: str,
    db: sqlite_utils.Database,
    dry_run: bool,
    progress: Progress | None,
    deadline: float,
    session: requests.Session,
    policy: TransferPolicy | None,
    now: datetime | None,
) -> SyncReport:
    warnings = [] if is_url(src) else unexpected_entries(Path(src))
    if progress:
        progress("metadata", 0, 1)
    release = refresh(home, src, floor=status.time_floor(db), now=now, session=session)
    status.raise_floor(db, release.issued)
    ap.checkpoint("verified")
    live_v = ap.live_release_version(home)
    if live_v is not None and release.version < live_v:
        raise VerificationError(
            f"the release offered ({release.version}) is older than the live one ({live_v})"
        )
    report = SyncReport(
        outcome="dry_run" if dry_run else "applied",
        version=release.version,
        previous_version=live_v,
        content_date=str(release.info.get("content_date", "")),
        bytes=release.metadata_bytes_fetched,
        blobs_fetched=0,
        blob_bytes=0,
        changes=diff_targets(ap.installed_targets(home, live_v), release.targets),
        warnings=warnings + release.warnings,
    )
    live = gens.live_generation(library_root(home))
    if dry_run:
        return report
    if live_v == release.version and live is not None:
        report.outcome, report.changes = "up_to_date", Changes()
        return report
    _fetch_all(home, src, release, report, deadline, session, policy, progress)
    ap.checkpoint("fetched")
    ap.record_release(home, release)
    ap.checkpoint("recorded")
    stage = ap.stage_source(home, release)
    ap.checkpoint("staged")
    if progress:
        progress("build", 0, 1)
    report.generation = ap.build_and_switch(home, release, stage).name
    ap.collect_garbage(home)
    ap.checkpoint("collected")
    return report


def _fetch_all(
    home: Path,
    src: str,
    release: VerifiedRelease,
    report: SyncReport,
    deadline: float,
    session: requests.Session,
    policy: TransferPolicy | None,
    progress: Progress | None,
) -> None:
    total = sum(length for _, length in release.targets.values())
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress("download", done, total)

    fetcher = BlobFetcher(
        src,
        ap.blob_store(home),
        ap.partial_dir(home),
        deadline=deadline,
        policy=policy,
        session=session,
        progress=tick,
    )
    for path, (digest, length) in sorted(release.targets.items()):
        if fetcher.have(digest, length):
            tick(length)
            continue
        before = fetcher.stats.bytes_received
        fetcher.fetch(digest, length, path)
        report.blobs_fetched += 1
        if not is_url(src) or fetcher.stats.bytes_received == before:
            tick(length)
    report.blob_bytes = fetcher.stats.bytes_received
    report.bytes += fetcher.stats.bytes_received


def _upload(
    home: Path,
    db: sqlite_utils.Database,
    src: str,
    deadline: float,
    session: requests.Session,
    version: int,
) -> dict | None:
    """Record today's heartbeat and send the outbox, if the outbox exists and we are enrolled.

    Any failure is reported, never raised: the content apply before it must stand."""
    try:
        from sync import outbox
        from sync import upload as up
        from sync.enroll import NotEnrolled, load_identity
    except ModuleNotFoundError:
        return None
    try:
        load_identity(home)
    except NotEnrolled:
        return None
    try:
        outbox.append_heartbeat(db, content_version=version)
        rep = up.upload_pending(
            home, db, base_url=src, deadline=max(deadline, time.monotonic() + 60), session=session
        )
    except Exception as exc:  # noqa: BLE001 - an upload problem must not undo the sync
        log.warning("outbox upload failed: %s", exc)
        return {"error": str(getattr(exc, "message", exc))}
    return asdict(rep)
