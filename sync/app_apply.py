"""The installer step: build, check and stage a requested app release; never switch to it here.

Runs as root on a kiosk (lawshelf-app.service, started by lawshelf-app.path when the sync
writes HOME/app/request.json), or inside the sync run where the app root is writable (tests,
development). It trusts nothing the sync left behind: the recorded metadata is verified again
against APP_ROOT's own trust cache, each wheel is re-hashed while it is copied out of the blob
store, and the version must be newer than anything this kiosk ever ran. Then:

    staged -> installed (new environment beside the running one) -> checked (health check)
           -> ready: `.lawshelf-complete` written, `pending` set in app-state.json

The pointer moves later, in the guard, when the kiosk restarts at an idle wipe
(sync/app_guard.py). Test hook: LAWSHELF_TEST_SYNC_KILL_AT=app_<step> (sync.apply.checkpoint).
"""

from __future__ import annotations

import logging
import shutil
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

from offline_index.home import app_releases_dir, app_request_file, blob_store, trusted_root_path
from sync import app_env, app_state
from sync.app_health import HealthCheckFailed, run_check
from sync.app_state import AppRoot, locked, now_iso, read_json
from sync.app_verify import AppRelease, check_lock, verify_recorded
from sync.apply import checkpoint
from sync.errors import SyncError, VerificationError
from sync.release import sha256_file

log = logging.getLogger(__name__)


def newer_than_all(state: dict, root: AppRoot, version: str) -> None:
    """Refuse a version that is not newer than what runs, waits, or ever ran here."""
    seen = [state.get("highest"), (app_state.current(root, state) or {}).get("version")]
    for old in [v for v in seen if v]:
        if Version(version) < Version(str(old)):
            raise VerificationError(
                f"app release {version} is older than {old}, which this kiosk already ran; "
                "refused (a rollback attack, or a mistake at the publisher)"
            )


def check_python(release: AppRelease) -> None:
    spec = release.requires_python
    if not spec:
        return
    here = ".".join(map(str, sys.version_info[:3]))
    try:
        ok = here in SpecifierSet(spec)
    except InvalidSpecifier:
        ok = False
    if not ok:
        raise app_env.AppInstallError(
            f"{release.version} needs Python {spec}; this kiosk has {here}"
        )


def apply_requested(
    home: Path,
    root: AppRoot,
    *,
    base_site: Sequence[Path] = (),
    pip_python: str | None = None,
    now: datetime | None = None,
) -> dict:
    """Install the release the sync asked for; returns {version, outcome, error}."""
    app_env.empty_trash(root)
    request = read_json(app_request_file(home))
    if not request:
        return {"version": None, "outcome": "nothing_requested", "error": None}
    try:
        with locked(root):
            return _apply(home, root, request, base_site, pip_python, now)
    finally:
        app_request_file(home).unlink(missing_ok=True)
        shutil.rmtree(root.staging, ignore_errors=True)


def _apply(
    home: Path,
    root: AppRoot,
    request: dict,
    base_site: Sequence[Path],
    pip_python: str | None,
    now: datetime | None,
) -> dict:
    state = app_state.load(root)
    version = str(request.get("version"))
    pending = state.get("pending") or {}
    if pending.get("version") == version and app_state.is_complete(root.env(pending["name"])):
        return {"version": version, "outcome": "ready", "error": None}
    if version in state["failed"]:
        return {"version": version, "outcome": "known_bad", "error": state["failed"][version]}
    try:
        release = _verified(home, root, request)
        newer_than_all(state, root, release.version)
        check_python(release)
        env = _build(home, root, release, base_site, pip_python)
        report = run_check(env, home, release.version)
        checkpoint("app_checked")
    except (SyncError, OSError) as exc:
        return _failed(root, state, version, exc, now)
    record = {**release.record(), "name": env.name, "migrations": report.get("migrations", [])}
    app_env.mark_complete(env, record)
    state["pending"] = {**record, "ready_at": now_iso(now)}
    state["last_update"] = _outcome(version, "ready", None, now)
    app_state.save(root, state)
    checkpoint("app_ready")
    app_env.collect(root, _kept(state))
    log.info("app %s installed and checked; it starts at the next idle restart", version)
    return state["last_update"]


def _verified(home: Path, root: AppRoot, request: dict) -> AppRelease:
    record = app_releases_dir(home) / str(request.get("metadata_version"))
    anchor = root.trusted_root if root.trusted_root.is_file() else trusted_root_path(home)
    release = verify_recorded(root.trust, anchor, record)
    if release.version != str(request.get("version")):
        raise VerificationError("the recorded app release is not the one requested; refused")
    return release


def _build(
    home: Path,
    root: AppRoot,
    release: AppRelease,
    base_site: Sequence[Path],
    pip_python: str | None,
) -> Path:
    lock_digest = release.targets[release.lock][0]
    lock_path = blob_store(home) / lock_digest
    if not lock_path.is_file() or sha256_file(lock_path)[0] != lock_digest:
        raise app_env.AppInstallError("the verified lock is missing from the blob store")
    reqs = app_env.requirements(release, check_lock(release, lock_path.read_bytes()))
    app_env.check_platform(release.wheels)  # names checked by the lock: before any pip run
    env = root.env(release.version)
    if app_env.installed_as(env) != reqs:  # else pip finished before a kill: check it again
        stage = app_env.stage_wheels(root, blob_store(home), release, reqs)
        checkpoint("app_staged")
        env = app_env.create_env(
            root, release.version, stage, pip_python=pip_python, base_site=base_site
        )
    checkpoint("app_installed")
    return env


def _failed(
    root: AppRoot, state: dict, version: str, exc: BaseException, now: datetime | None
) -> dict:
    """The running version stays; a half-built environment goes; a version that failed its
    check, or whose wheels are not for this machine, is never tried again (the publisher must
    ship a newer one). Other install failures (disk full, a killed pip) are retried."""
    message = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
    if isinstance(exc, VerificationError):
        outcome = "refused"
    elif isinstance(exc, HealthCheckFailed):
        outcome = "failed_check"
        state["failed"][version] = message
    elif isinstance(exc, app_env.NotForThisMachine):
        outcome = "failed_install"
        state["failed"][version] = message  # the same every night: not tried again
    else:
        outcome = "failed_install"
    env = root.env(version)
    if env.exists() and env.name not in _kept(state):
        shutil.rmtree(env, ignore_errors=True)
    state["last_update"] = _outcome(version, outcome, message, now)
    app_state.save(root, state)
    log.warning("app %s not installed (%s): %s", version, outcome, message)
    return state["last_update"]


def _outcome(version: str | None, outcome: str, error: str | None, now: datetime | None) -> dict:
    return {"version": version, "outcome": outcome, "error": error, "at": now_iso(now)}


def _kept(state: dict) -> set[str]:
    return {str(state[k]["name"]) for k in ("current", "previous", "pending") if state.get(k)}
