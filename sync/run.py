"""`lawshelf sync` as one function: verify, fetch, apply, record, then upload the outbox.

Order matters: nothing is downloaded before the metadata verifies; nothing is built before
every blob verifies; the live library changes only by one atomic pointer switch; the outbox
upload runs last and can never undo an applied release.
"""

from __future__ import annotations

import errno
import logging
import shutil
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
from sync import changes as chg
from sync import status
from sync.changes import Changes, diff_targets
from sync.errors import (
    EXIT_APP,
    EXIT_OK,
    EXIT_UPLOAD,
    ApplyError,
    NetworkError,
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
TITLE_FETCH_BUDGET = 64 * 1024 * 1024  # a dry run fetches at most this much to name items
__all__ = ["Changes", "SyncReport", "diff_targets", "normalise_source", "run_sync"]


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
    app: dict | None = None  # the software update step (sync/app_sync.py), None if none offered
    exit_code: int = EXIT_OK

    def to_dict(self) -> dict:
        return asdict(self)


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
    """One sync run under the lock; the status row says what happened, whatever happens.

    It reads "running" while the run lasts, so a run killed by a power cut shows up as
    interrupted (sync.status.read_status) instead of repeating the previous outcome."""
    with SyncLock(home):
        db = db if db is not None else status.open_db(home)
        status.update(db, last_attempt=status.now_iso(), outcome="running", exit_code=None)
        deadline = time.monotonic() + deadline_s
        session = session or requests.Session()
        try:
            src = normalise_source(source)
            status.update(db, source=src)
            report = _run(home, src, db, dry_run, progress, deadline, session, policy, now)
        except BaseException as exc:
            _record_failure(db, exc)
            if isinstance(exc, OSError):
                raise _disk_error(exc) from exc
            raise
        if dry_run:
            status.update(db, outcome="dry_run", exit_code=EXIT_OK, error=None)
            return report
        if report.app and report.app["outcome"] in APP_FAILED:
            report.exit_code = EXIT_APP
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


def _record_failure(db: sqlite_utils.Database, exc: BaseException) -> None:
    """Every failure leaves a plain-words error in the status row (never a traceback)."""
    if isinstance(exc, SyncError):
        code, msg = exc.exit_code, exc.message
    elif isinstance(exc, OSError):
        err = _disk_error(exc)
        code, msg = err.exit_code, err.message
    elif isinstance(exc, KeyboardInterrupt | SystemExit):
        code, msg = (
            1,
            "the sync was stopped before it finished; the library on the kiosk is complete",
        )
    else:
        code = 1
        msg = (
            f"the sync stopped on an unexpected problem ({type(exc).__name__}: {exc}); "
            "the library on the kiosk is still complete. Please report this."
        )
    try:
        status.update(db, outcome="failed", exit_code=code, error=msg)
    except Exception:  # noqa: BLE001 - never hide the real error behind a status write
        log.exception("could not record the sync failure")


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
    release = refresh(
        home, src, floor=status.time_floor(db), now=now, session=session, deadline=deadline
    )
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
        _fetch_for_titles(home, src, release, report, deadline, session, policy)
        _describe(home, release, live_v, report.changes)
        _app_step(home, src, release, report, deadline, session, policy, dry_run=True)
        return report
    if live_v == release.version and live is not None:
        report.outcome, report.changes = "up_to_date", Changes()
        _app_step(home, src, release, report, deadline, session, policy)
        return report
    _fetch_all(home, src, release, report, deadline, session, policy, progress)
    ap.checkpoint("fetched")
    _describe(home, release, live_v, report.changes)
    ap.record_release(home, release)
    ap.checkpoint("recorded")
    stage = ap.stage_source(home, release)
    ap.checkpoint("staged")
    if progress:
        progress("build", 0, 1)
    report.generation = ap.build_and_switch(home, release, stage).name
    ap.collect_garbage(home)
    ap.checkpoint("collected")
    _app_step(home, src, release, report, deadline, session, policy)
    return report


APP_FAILED = ("refused", "failed_install", "failed_check", "fetch_failed")


def _app_step(
    home: Path,
    src: str,
    release: VerifiedRelease,
    report: SyncReport,
    deadline: float,
    session: requests.Session,
    policy: TransferPolicy | None,
    *,
    dry_run: bool = False,
) -> None:
    """The software update offered by the same verified release (docs/updates.md)."""
    from sync import app_state, app_sync

    fetcher = _fetcher(home, src, deadline, session, policy)
    root, base = app_state.app_root_for(), app_state.base_site()
    app = app_sync.sync_app(home, release, fetcher, root, dry_run=dry_run, base_site=base)
    if app.outcome != "none":
        report.app = app.to_dict()
        report.bytes += app.bytes


def _describe(home: Path, release: VerifiedRelease, live_v: int | None, changes: Changes) -> None:
    """Names and titles for the changes: new from verified blobs, old from the live library."""
    store = ap.blob_store(home)
    new = chg.store_reader(release.targets, store)
    old = chg.store_reader(ap.installed_targets(home, live_v), store)
    live = chg.LiveTitles(home)
    try:
        chg.describe(changes, new, old, live)
    except Exception:  # noqa: BLE001 - names are for people; they must never stop a sync
        log.exception("could not name the changes; the paths are reported")
    finally:
        live.close()


def _fetcher(
    home: Path,
    src: str,
    deadline: float,
    session: requests.Session,
    policy: TransferPolicy | None,
    progress: Callable[[int], None] | None = None,
) -> BlobFetcher:
    """One blob fetcher into this home's store, for the dry run's titles and for the apply."""
    return BlobFetcher(
        src,
        ap.blob_store(home),
        ap.partial_dir(home),
        deadline=deadline,
        policy=policy,
        session=session,
        progress=progress,
    )


def _fetch_for_titles(
    home: Path,
    src: str,
    release: VerifiedRelease,
    report: SyncReport,
    deadline: float,
    session: requests.Session,
    policy: TransferPolicy | None,
) -> None:
    """A dry run fetches (and verifies) only the small item files that carry titles.

    They are kept in the blob store, so a later apply does not fetch them again. A network
    failure only costs the titles (the paths are still reported); a bad blob is refused."""
    fetcher = _fetcher(home, src, deadline, session, policy)
    budget = TITLE_FETCH_BUDGET
    for path in report.changes.added + report.changes.changed:
        digest, length = release.targets[path]
        if not chg.needs_blob(path) or length > budget:
            continue
        try:
            fetcher.fetch(digest, length, path)
        except NetworkError as exc:
            report.warnings.append(f"titles not fetched, file names shown instead: {exc.message}")
            break
        budget -= length
    report.bytes += fetcher.stats.bytes_received


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
    _check_space(home, release)
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress("download", done, total)

    fetcher = _fetcher(home, src, deadline, session, policy, progress=tick)
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


def _check_space(home: Path, release: VerifiedRelease) -> None:
    """Refuse before downloading if the blobs cannot fit: a disk filled to the brim would also
    stop residents' contest entries and questions from being saved."""
    store, partial = ap.blob_store(home), ap.partial_dir(home)
    need = 0
    for digest, length in release.targets.values():
        if not (store / digest).is_file():
            part = partial / f"{digest}.part"
            need += max(0, length - (part.stat().st_size if part.is_file() else 0))
    store.mkdir(parents=True, exist_ok=True)
    disk = shutil.disk_usage(store)
    reserve = min(64 * 1024 * 1024, disk.total // 20)  # room left for the kiosk's own writes
    if need > disk.free - reserve:
        raise ApplyError(
            f"the disk is full for this release: it needs {need / 1e6:.1f} MB, "
            f"{max(0, disk.free - reserve) / 1e6:.1f} MB can be used; the live library is "
            "unchanged. Free some space."
        )


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


def verify_usb(home: Path, path: Path) -> dict:
    """Verify a stick exactly like a sync would, and say what it would change; applies nothing.

    added/changed/removed are plain words ("Văn bản: 45/2019/QH14 — Bộ luật Lao động")."""
    report = run_sync(home, path, dry_run=True, upload=False)
    return {
        "version": report.version,
        "content_date": report.content_date,
        **report.changes.for_librarian(),  # added/changed/removed in words; "paths" as signed
        "warnings": report.warnings,
    }
