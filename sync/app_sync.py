"""The app step of a sync run (network or USB): verify, select, fetch, record, ask to install.

Runs after the content step, with the same verified metadata (one refresh, so content and app
come from the same snapshot). It never touches the running environment:

1. the app role verifies (sync/app_verify.py) and names a version newer than this kiosk runs,
   not one that failed here before;
2. this kiosk is selected by the rollout (pilot, or its stable share);
3. the lock is fetched and verified, and must match the wheels exactly;
4. only wheels not already in HOME/sync/blobs are fetched (resumable, hash-checked): an
   unchanged dependency is the same blob as last time and costs nothing;
5. the app metadata bytes are recorded in HOME/app/releases/<n>/ and HOME/app/request.json
   asks the installer step to build it (lawshelf-app.path starts it as root on a kiosk; where
   the app root is writable, e.g. tests and development, it runs right here).
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from packaging.version import Version

from offline_index.fsutil import atomic_write_bytes
from offline_index.home import app_releases_dir, app_request_file, sync_metadata_dir
from sync import app_state
from sync.app_apply import apply_requested, newer_than_all
from sync.app_state import AppRoot, now_iso, record_outcome, write_json
from sync.app_verify import AppRelease, check_lock, eligible, load_app
from sync.apply import checkpoint
from sync.errors import Cancelled, NetworkError, SyncError, VerificationError
from sync.transfer import BlobFetcher
from sync.verify import VerifiedRelease, is_url

log = logging.getLogger(__name__)


@dataclass
class AppSyncReport:
    outcome: str  # none | unmanaged | up_to_date | known_bad | not_selected | refused |
    #               requested | ready | failed_install | failed_check | fetch_failed | dry_run
    version: str | None = None
    running: str | None = None
    bytes: int = 0  # wheel and lock bytes fetched by this run
    blobs_fetched: int = 0
    error: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def failed(self) -> bool:
        return self.outcome in ("refused", "failed_install", "failed_check", "fetch_failed")


def kiosk_id(home: Path) -> str | None:
    from sync.enroll import EnrolmentError, load_identity

    try:
        return load_identity(home).kiosk_id
    except EnrolmentError:
        return None


def sync_app(
    home: Path,
    release: VerifiedRelease,
    fetcher: BlobFetcher,
    root: AppRoot | None,
    *,
    dry_run: bool = False,
    base_site: Sequence[Path] = (),
    install: bool | None = None,
) -> AppSyncReport:
    """The app step; its failures are reported (status, heartbeat), never raised: the content
    the same run applied stands. `install`: build it here too (default: if the app root is
    writable by this process), else only ask the installer step."""
    app: AppRelease | None = None
    try:
        app = _load(home, release, fetcher.source)
        if app is None:
            return AppSyncReport("none")
        report = _select(home, app, root)
        if report.outcome != "go":
            return _seen(home, report)
        if dry_run:
            return AppSyncReport("dry_run", app.version, report.running)
        _fetch(home, app, fetcher, report)
        checkpoint("app_fetched")
        _record(home, app)
        checkpoint("app_recorded")
    except Cancelled:
        raise
    except (SyncError, OSError) as exc:
        return _seen(home, _failure(exc, app.version if app else None))
    if not (root.writable() if install is None else install):
        report.outcome = "requested"
        return _seen(home, report)
    done = apply_requested(home, root, base_site=base_site)
    report.outcome, report.error = done["outcome"], done.get("error")
    return report


def _failure(exc: BaseException, version: str | None) -> AppSyncReport:
    message = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
    outcome = "refused" if isinstance(exc, VerificationError) else "fetch_failed"
    return AppSyncReport(outcome, version, error=message)


def _load(home: Path, release: VerifiedRelease, source: str) -> AppRelease | None:
    if release.updater is None:
        return None
    try:
        return load_app(release.updater, release.metadata_bytes, sync_metadata_dir(home))
    except NetworkError:
        if is_url(source):
            raise
        log.info("%s carries no software release (a kiosk's stick carries content only)", source)
        return None


def _select(home: Path, app: AppRelease, root: AppRoot | None) -> AppSyncReport:
    """Is this release for this kiosk, now? outcome "go" if it is."""
    if root is None:
        return AppSyncReport(
            "unmanaged", app.version, error="this kiosk runs without versioned environments"
        )
    state = app_state.load(root)
    running = (app_state.current(root, state) or {}).get("version")
    pending = (state.get("pending") or {}).get("version")
    report = AppSyncReport("go", app.version, running)
    if Version(app.version) in {Version(v) for v in (running, pending) if v}:
        report.outcome = "up_to_date"
    elif app.version in state["failed"]:
        report.outcome, report.error = "known_bad", state["failed"][app.version]
    elif not eligible(app.rollout, kiosk_id(home)):
        report.outcome = "not_selected"
    else:
        newer_than_all(state, root, app.version)
    return report


RECORDED = ("refused", "fetch_failed", "requested")  # events; the rest say "nothing new"


def _seen(home: Path, report: AppSyncReport) -> AppSyncReport:
    """Record what this run did to the last update's outcome (status, heartbeat). A run with
    nothing new (up to date, not selected, a known bad version) must not hide what happened
    last, e.g. a rollback the centre has to see."""
    if report.outcome in RECORDED:
        record_outcome(home, report.version, report.outcome, report.error)
    if report.failed:
        log.warning("app release %s: %s: %s", report.version, report.outcome, report.error)
    return report


def _fetch(home: Path, app: AppRelease, fetcher: BlobFetcher, report: AppSyncReport) -> None:
    """The lock first (small; refuse a release that does not match it), then the wheels."""
    before = fetcher.stats.bytes_received
    lock_digest, lock_length = app.targets[app.lock]
    lock_path = fetcher.fetch(lock_digest, lock_length, app.lock)
    check_lock(app, lock_path.read_bytes())
    for path, (digest, length) in sorted(app.targets.items()):
        if not fetcher.have(digest, length):
            fetcher.fetch(digest, length, path)
            report.blobs_fetched += 1
    report.bytes = fetcher.stats.bytes_received - before


def _record(home: Path, app: AppRelease) -> None:
    """The metadata exactly as verified, for the installer step to verify again, then the ask."""
    dest = app_releases_dir(home) / str(app.metadata_version)
    for name, data in app.metadata.items():
        atomic_write_bytes(dest / "metadata" / name, data)
    write_json(dest / "release.json", app.record())
    for old in app_releases_dir(home).iterdir():
        if old.name != dest.name:
            shutil.rmtree(old, ignore_errors=True)
    request = {**app.record(), "requested_at": now_iso()}
    write_json(app_request_file(home), request)
