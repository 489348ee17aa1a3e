"""`lawshelf sync` as one job: verify, fetch, apply, record, then upload the outbox.

Order matters: nothing is downloaded before the metadata verifies; nothing is built before
every blob verifies; the live library changes only by one atomic pointer switch; the outbox
upload runs last and can never undo an applied release.

`SyncJob` owns one run's parameters, its progress reports and its cancel switch (the models:
Kolibri's import job, Anki's background ops). The librarian screen keeps the job and calls
`cancel()` from the GUI thread; the run stops at the next check (between reads of a download,
between steps of the apply, right before the switch) with the live library untouched and
everything fetched kept for the next run. Later parts of a run (app releases, issue 15) add
a step method and a line in `_apply`.
"""

from __future__ import annotations

import errno
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

import requests
import sqlite_utils

from offline_index import generations as gens
from offline_index.errors import is_disk_full
from offline_index.home import blob_store, library_root, partial_dir
from sync import apply as ap
from sync import changes as chg
from sync import status, timefloor
from sync import upload as up
from sync.changes import Changes, diff_targets
from sync.enroll import NotEnrolled, load_identity
from sync.errors import (
    EXIT_APP,
    EXIT_OK,
    EXIT_UPLOAD,
    ApplyError,
    BusyError,
    Cancelled,
    ExpiredError,
    NetworkError,
    NoReleaseOnStick,
    NoSyncSource,
    OlderOnStick,
    SyncError,
    VerificationError,
)
from sync.lock import SyncLock
from sync.space import bytes_needed, check_space, disk_full
from sync.transfer import BlobFetcher, TransferPolicy
from sync.usb import release_tree, unexpected_entries
from sync.verify import VerifiedRelease, is_url, refresh, without_credentials

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]  # (what, done, total)
TITLE_FETCH_BUDGET = 64 * 1024 * 1024  # a dry run fetches at most this much to name items
DISK_ERRNOS = (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO)
APP_FAILED = ("refused", "failed_install", "failed_check", "fetch_failed")  # exit 10
__all__ = ["Changes", "SyncJob", "SyncReport", "diff_targets", "normalise_source", "run_sync"]


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
        raise NoSyncSource("no sync source: pass --from URL|PATH or set sync_source")
    text = str(source)
    if is_url(text):
        return text.rstrip("/")
    # A stick's root or its lawshelf/ folder; made absolute without resolving links, so the
    # outbox written there can refuse a planted one (sync.usb.writable).
    return str(release_tree(Path(os.path.abspath(Path(text).expanduser()))))


class SyncJob:
    """One sync run. Build it anywhere, `run()` it on a worker, `cancel()` it from anywhere.

    progress(what, done, total): `metadata`, `download` (bytes fetched in this run / bytes
    this run must fetch), `build`. `cancel` may be shared (a screen's stop button)."""

    def __init__(
        self,
        home: Path,
        source: str | Path | None,
        *,
        dry_run: bool = False,
        upload: bool = True,
        deadline_s: float = 3600,
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
        db: sqlite_utils.Database | None = None,
        session: requests.Session | None = None,
        policy: TransferPolicy | None = None,
        now: datetime | None = None,
    ) -> None:
        self.home, self.source = home, source
        self.dry_run, self.upload, self.deadline_s = dry_run, upload, deadline_s
        self.progress = progress
        self.cancel_event = cancel or threading.Event()
        self.db, self.session, self.policy, self.now = db, session, policy, now
        self.src = ""
        self.deadline = 0.0

    # -- control ------------------------------------------------------------------------

    def cancel(self) -> None:
        """Ask the run to stop at its next check (thread-safe; the switch is never undone)."""
        self.cancel_event.set()

    @property
    def cancelled(self) -> bool:
        return self.cancel_event.is_set()

    def check(self) -> None:
        if self.cancelled:
            raise Cancelled(
                "the sync was cancelled; the library on the kiosk is unchanged and the next "
                "sync continues from what was fetched"
            )

    def report(self, what: str, done: int, total: int) -> None:
        if self.progress:
            self.progress(what, done, total)

    # -- the run ------------------------------------------------------------------------

    def run(self) -> SyncReport:
        """One run under the lock; the status row says what happened, whatever happens.

        It reads "running" while the run lasts, so a run killed by a power cut shows up as
        interrupted (sync.status.read_status) instead of repeating the previous outcome."""
        with SyncLock(self.home):
            self.db = self.db if self.db is not None else status.open_db(self.home)
            status.update(self.db, last_attempt=status.now_iso(), outcome="running", exit_code=None)
            self.deadline = time.monotonic() + self.deadline_s
            self.session = self.session or requests.Session()
            try:
                self.src = normalise_source(self.source)
                status.update(self.db, source=without_credentials(self.src))
                report = self._run()
            except BaseException as exc:
                err = _as_sync_error(exc, self.home)
                _record_failure(self.db, err or exc)
                if err is not None:
                    self._report_failure_upstream(err)
                if err is not None and err is not exc:
                    raise err from exc
                raise
            return self._finish(report)

    def _finish(self, report: SyncReport) -> SyncReport:
        if self.dry_run:
            status.update(self.db, outcome="dry_run", exit_code=EXIT_OK, error=None, error_vi=None)
            return report
        status.update(
            self.db,
            last_success=status.now_iso(),
            outcome=report.outcome,
            exit_code=EXIT_OK,
            version=report.version,
            content_date=report.content_date,
            bytes=report.bytes,
            error=None,
            error_vi=None,
        )
        if self.upload:
            report.upload = self._upload()
            if report.upload and report.upload.get("error"):
                report.exit_code = EXIT_UPLOAD
        if report.app and report.app["outcome"] in APP_FAILED:
            report.exit_code = EXIT_APP
        return report

    def _run(self) -> SyncReport:
        warnings = [] if is_url(self.src) else unexpected_entries(Path(self.src))
        self.report("metadata", 0, 1)
        release = self._verify()
        live_v = ap.live_release_version(self.home)
        if live_v is not None and release.version < live_v:
            raise VerificationError(
                f"the release offered ({release.version}) is older than the live one ({live_v})"
            )
        report = SyncReport(
            outcome="dry_run" if self.dry_run else "applied",
            version=release.version,
            previous_version=live_v,
            content_date=str(release.info.get("content_date", "")),
            bytes=release.metadata_bytes_fetched,
            blobs_fetched=0,
            blob_bytes=0,
            changes=diff_targets(ap.installed_targets(self.home, live_v), release.targets),
            warnings=warnings + release.warnings,
        )
        if self.dry_run:
            self._fetch_for_titles(release, report)
            self._describe(release, live_v, report.changes)
        elif live_v == release.version and gens.live_generation(library_root(self.home)):
            ap.collect_garbage(self.home)  # a run killed after its switch left leftovers
            report.outcome, report.changes = "up_to_date", Changes()
        else:
            self._apply(release, report, live_v)
        self._app(release, report)
        return report

    def _verify(self) -> VerifiedRelease:
        """Verify the metadata with expiry judged at the time floor (sync.timefloor).

        If this run's root update rotated a timestamp key away (recovery from stolen online
        keys), the floor it vouched for no longer counts: verify once more with the new one."""
        self.check()
        floor = timefloor.current_floor(self.db, self.home)
        try:
            release = self._refresh(floor)
        except ExpiredError:
            lower = timefloor.current_floor(self.db, self.home)
            if lower >= floor:
                raise
            log.warning("the time floor dropped after a key rotation; verifying again")
            release = self._refresh(lower)
        timefloor.record(self.db, self.home, release.timestamp_keyids, release.issued)
        ap.checkpoint("verified")
        self.check()
        return release

    def _refresh(self, floor: datetime) -> VerifiedRelease:
        return refresh(
            self.home,
            self.src,
            floor=floor,
            now=self.now,
            session=self.session,
            deadline=self.deadline,
            cancel=self.cancel_event,
        )

    def _apply(self, release: VerifiedRelease, report: SyncReport, live_v: int | None) -> None:
        # Leftovers of a failed run (a disk-full build) must not count against this release.
        ap.collect_garbage(self.home, staged=[d for d, _ in release.targets.values()])
        check_space(self.home, release.targets)
        self._fetch_all(release, report)
        ap.checkpoint("fetched")
        self.check()
        self._describe(release, live_v, report.changes)
        ap.record_release(self.home, release)
        ap.checkpoint("recorded")
        stage = ap.stage_source(self.home, release)
        ap.checkpoint("staged")
        self.check()
        self.report("build", 0, 1)
        report.generation = ap.build_and_switch(self.home, release, stage, self.check).name
        ap.collect_garbage(self.home)
        ap.checkpoint("collected")

    # -- software (docs/updates.md) ---------------------------------------------------------

    def _app(self, release: VerifiedRelease, report: SyncReport) -> None:
        """The software release the same verified metadata offers (sync/app_sync.py)."""
        from sync import app_state, app_sync

        self.check()
        root = app_state.app_root_for()
        app = app_sync.sync_app(
            self.home,
            release,
            self._fetcher(),
            root,
            dry_run=self.dry_run,
            base_site=app_state.base_site(),
        )
        if app.outcome != "none":
            report.app = app.to_dict()
            report.bytes += app.bytes

    # -- blobs --------------------------------------------------------------------------

    def _fetcher(self, progress: Callable[[int], None] | None = None) -> BlobFetcher:
        """One blob fetcher into this home's store, for the dry run's titles and the apply."""
        return BlobFetcher(
            self.src,
            blob_store(self.home),
            partial_dir(self.home),
            deadline=self.deadline,
            policy=self.policy,
            session=self.session,
            progress=progress,
            cancel=self.cancel_event,
        )

    def _fetch_for_titles(self, release: VerifiedRelease, report: SyncReport) -> None:
        """A dry run fetches (and verifies) only the small item files that carry titles.

        They are kept in the blob store, so a later apply does not fetch them again. A network
        failure only costs the titles (the paths are still reported); a bad blob is refused."""
        fetcher = self._fetcher()
        budget = TITLE_FETCH_BUDGET
        for path in report.changes.added + report.changes.changed:
            digest, length = release.targets[path]
            if not chg.needs_blob(path) or length > budget:
                continue
            try:
                fetcher.fetch(digest, length, path)
            except NetworkError as exc:
                report.warnings.append(
                    f"titles not fetched, file names shown instead: {exc.message}"
                )
                break
            budget -= length
        report.bytes += fetcher.stats.bytes_received

    def _fetch_all(self, release: VerifiedRelease, report: SyncReport) -> None:
        """Fetch every missing blob; progress counts the bytes really fetched in this run."""
        total = bytes_needed(self.home, release.targets)
        done = 0

        def tick(n: int) -> None:
            nonlocal done
            done += n
            self.report("download", min(done, total), total)

        fetcher = self._fetcher(progress=tick)
        if total:
            self.report("download", 0, total)
        for path, (digest, length) in sorted(release.targets.items()):
            if fetcher.have(digest, length):
                continue
            fetcher.fetch(digest, length, path)
            report.blobs_fetched += 1
        report.blob_bytes = fetcher.stats.bytes_received
        report.bytes += fetcher.stats.bytes_received

    def _describe(self, release: VerifiedRelease, live_v: int | None, changes: Changes) -> None:
        """Names and titles for the changes: new from verified blobs, old from the live library."""
        store = blob_store(self.home)
        new = chg.store_reader(release.targets, store)
        old = chg.store_reader(ap.installed_targets(self.home, live_v), store)
        live = chg.LiveTitles(self.home)
        try:
            chg.describe(changes, new, old, live)
        except Exception:  # noqa: BLE001 - names are for people; they must never stop a sync
            log.exception("could not name the changes; the paths are reported")
        finally:
            live.close()

    # -- outbox -------------------------------------------------------------------------

    def _upload(self) -> dict | None:
        """Queue today's heartbeat and send the outbox, if this kiosk is enrolled.

        The heartbeat carries the result of this run (from the status row), so the centre's
        fleet view shows a kiosk that is failing and why. Any failure is reported, never
        raised: the content apply before it must stand."""
        try:
            load_identity(self.home)
        except NotEnrolled:
            return None
        try:
            rep = up.upload_pending(
                self.home,
                self.db,
                base_url=self.src,
                deadline=max(self.deadline, time.monotonic() + 60),
                session=self.session,
            )
        except Exception as exc:  # noqa: BLE001 - an upload problem must not undo the sync
            log.warning("outbox upload failed: %s", exc)
            return {"error": str(getattr(exc, "message", exc))}
        return asdict(rep)

    def _report_failure_upstream(self, exc: SyncError) -> None:
        """A run refused for a reason the centre must see (bad signature, expired metadata,
        full disk) still tells it when the network works: the fleet view shows the error."""
        # Nothing for the centre; and a folder that holds no release is no stick of ours.
        quiet = NetworkError | BusyError | Cancelled | OlderOnStick | NoReleaseOnStick
        if self.upload and self.src and not self.dry_run and not isinstance(exc, quiet):
            self._upload()


def _as_sync_error(exc: BaseException, home: Path) -> SyncError | None:
    """The typed error for a failure: a full disk (an OSError, or SQLite's SQLITE_FULL while
    the library is built) and the disk's other errors become ApplyError (exit 7)."""
    if isinstance(exc, SyncError):
        return exc
    if is_disk_full(exc):
        return disk_full(home)
    if isinstance(exc, OSError) and exc.errno in DISK_ERRNOS:
        return ApplyError(f"could not write sync files: {exc}")
    return None


def _record_failure(db: sqlite_utils.Database, exc: BaseException) -> None:
    """Every failure leaves a plain-words error in the status row (never a traceback)."""
    said = None
    if isinstance(exc, Cancelled):
        outcome, code, msg = "cancelled", exc.exit_code, exc.message
    elif isinstance(exc, SyncError):
        outcome, code, msg, said = "failed", exc.exit_code, exc.message, exc.message_vi
    elif isinstance(exc, KeyboardInterrupt | SystemExit):
        outcome, code = "failed", 1
        msg = "the sync was stopped before it finished; the library on the kiosk is complete"
    else:
        outcome, code = "failed", 1
        msg = (
            f"the sync stopped on an unexpected problem ({type(exc).__name__}: {exc}); "
            "the library on the kiosk is still complete. Please report this."
        )
    try:
        status.update(db, outcome=outcome, exit_code=code, error=msg, error_vi=said)
    except Exception:  # noqa: BLE001 - never hide the real error behind a status write
        log.exception("could not record the sync failure")


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
    cancel: threading.Event | None = None,
) -> SyncReport:
    """One sync run (`SyncJob(...).run()`), for callers that need no handle on the job."""
    job = SyncJob(
        home,
        source,
        dry_run=dry_run,
        upload=upload,
        deadline_s=deadline_s,
        progress=progress,
        cancel=cancel,
        db=db,
        session=session,
        policy=policy,
        now=now,
    )
    return job.run()


def verify_usb(home: Path, path: Path, cancel: threading.Event | None = None) -> dict:
    """Verify a stick exactly like a sync would, and say what it would change; applies nothing.

    added/changed/removed are plain words ("Văn bản: 45/2019/QH14 — Bộ luật Lao động")."""
    report = run_sync(home, path, dry_run=True, upload=False, cancel=cancel)
    return {
        "version": report.version,
        "content_date": report.content_date,
        **report.changes.for_librarian(),  # added/changed/removed in words; "paths" as signed
        "warnings": report.warnings,
    }
