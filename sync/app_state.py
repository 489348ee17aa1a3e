"""Where app environments live and what state an update is in (read by status, UI, heartbeat).

    APP_ROOT/                 /opt/lawshelf on an installed kiosk (root-owned)
      venv -> venvs/<name>    THE pointer: what systemd starts (APP_ROOT/venv/bin/lawshelf kiosk)
      venv.previous -> ...    the environment before it (the guard runs from it; rollback target)
      venvs/<name>/           environments; one is complete when .lawshelf-complete is in it
      app-state.json          the update state below (written atomically, under update.lock)
      trusted_root.json       trust anchor of the installer step (a copy of the kiosk's root)
      trust/                  that step's own TUF cache (versions only go up here too)
      staging/<version>/      verified wheels + requirements while an environment is built
    HOME/app/                 written by the sync (the kiosk user)
      releases/<n>/           a recorded app release: metadata bytes as published + release.json
      request.json            "install this recorded release" (the path unit starts the installer)
      outcome.json            the last outcome the sync itself saw (refused, not selected, ...)
      check/                  scratch home of the health check; state/  database copies

The state machine (docs/updates.md): fetched -> ready (pending) -> activated (probation) ->
stable; or failed_install / failed_check / failed_activation / rolled_back / refused.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from offline_index.fsutil import atomic_write_text
from offline_index.home import (
    app_outcome_file,
    app_request_file,
)

log = logging.getLogger(__name__)

ROOT_ENV = "LAWSHELF_APP_ROOT"
BASE_SITE_ENV = "LAWSHELF_APP_BASE_SITE"  # tests and development only (sync/app_env.py)
COMPLETE = ".lawshelf-complete"
PROBATION = timedelta(hours=1)
FORMAT = 1
EMPTY: dict = {
    "format": FORMAT,
    "current": None,
    "previous": None,
    "pending": None,
    "probation": None,
    "last_update": None,
    "failed": {},
    "highest": None,
    "journal": None,
}


@dataclass(frozen=True)
class AppRoot:
    path: Path

    @property
    def venv(self) -> Path:
        return self.path / "venv"

    @property
    def previous_link(self) -> Path:
        return self.path / "venv.previous"

    @property
    def venvs(self) -> Path:
        return self.path / "venvs"

    @property
    def state_file(self) -> Path:
        return self.path / "app-state.json"

    @property
    def trusted_root(self) -> Path:
        return self.path / "trusted_root.json"

    @property
    def trust(self) -> Path:
        return self.path / "trust"

    @property
    def staging(self) -> Path:
        return self.path / "staging"

    def env(self, name: str) -> Path:
        return self.venvs / name

    def writable(self) -> bool:
        """Can this process install environments here (dev, tests) or must it ask (kiosk)?"""
        return os.access(self.path, os.W_OK) and os.access(self.venvs, os.W_OK)


def app_root_for(explicit: str | os.PathLike[str] | None = None) -> AppRoot | None:
    """The app root: explicit, else LAWSHELF_APP_ROOT, else the root holding the running
    environment (sys.prefix is APP_ROOT/venvs/<name>); None when this is no such install."""
    raw = explicit or os.environ.get(ROOT_ENV)
    if raw:
        return AppRoot(Path(raw))
    prefix = Path(sys.prefix)
    if prefix.parent.name == "venvs" and (prefix.parent.parent / "venv").is_symlink():
        return AppRoot(prefix.parent.parent)
    return None


def base_site() -> list[Path]:
    """Folders lent to every new environment (LAWSHELF_APP_BASE_SITE, os.pathsep-separated)."""
    raw = os.environ.get(BASE_SITE_ENV, "")
    return [Path(p) for p in raw.split(os.pathsep) if p]


# ----------------------------------------------------------------------------- HOME side


def read_json(path: Path) -> dict | None:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def write_json(path: Path, value: dict, *, mode: int = 0o644) -> None:
    atomic_write_text(path, json.dumps(value, indent=1, sort_keys=True), mode=mode)


def now_iso(now: datetime | None = None) -> str:
    return (now or datetime.now(UTC)).replace(microsecond=0).isoformat()


def record_outcome(home: Path, version: str | None, outcome: str, error: str | None) -> None:
    """What the sync saw (the installer step writes app-state.json; the sync cannot)."""
    write_json(
        app_outcome_file(home),
        {"version": version, "outcome": outcome, "error": error, "at": now_iso()},
    )


# ----------------------------------------------------------------------------- APP_ROOT side


def load(root: AppRoot) -> dict:
    state = read_json(root.state_file) or {}
    return {**EMPTY, **state, "failed": dict(state.get("failed") or {})}


def save(root: AppRoot, state: dict) -> None:
    write_json(root.state_file, state)


@contextmanager
def locked(root: AppRoot) -> Iterator[None]:
    """One writer of app-state.json at a time (installer step, guard, rollback)."""
    root.path.mkdir(parents=True, exist_ok=True)
    fd = os.open(root.path / "update.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def env_version(env: Path) -> str | None:
    """The lawshelf-kiosk version installed in an environment (from its dist-info)."""
    for meta in sorted(env.glob("lib/python3*/site-packages/lawshelf_kiosk-*.dist-info/METADATA")):
        for line in meta.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("Version:"):
                return line.split(":", 1)[1].strip()
    return None


def is_complete(env: Path) -> bool:
    return (env / COMPLETE).is_file()


def pointed(link: Path) -> Path | None:
    """The environment a pointer names, or None."""
    try:
        target = os.readlink(link)
    except OSError:
        return None
    return (link.parent / target).resolve()


def current(root: AppRoot, state: dict | None = None) -> dict | None:
    """The environment the pointer names now (the state's record of it if they agree)."""
    env = pointed(root.venv)
    if env is None:
        return None
    record = (state or load(root)).get("current") or {}
    if record.get("name") == env.name:
        return record
    return {"name": env.name, "version": env_version(env), "since": None, "blobs": []}


def in_probation(state: dict, now: datetime | None = None) -> bool:
    prob = state.get("probation")
    if not prob:
        return False
    since = datetime.fromisoformat(prob["since"])
    return (now or datetime.now(UTC)) < since + PROBATION


def restart_wanted(root: AppRoot, running: str | None) -> bool:
    """Should the kiosk exit at the next idle wipe, so systemd starts a pending new version?"""
    pending = load(root).get("pending")
    return bool(
        pending and pending.get("version") != running and is_complete(root.env(pending["name"]))
    )


def status(root: AppRoot | None, home: Path) -> dict:
    """The `app` part of `lawshelf status --json`: version, pending, last update's outcome."""
    seen = read_json(app_outcome_file(home))
    if root is None:
        return {
            "version": None,
            "pending": None,
            "previous": None,
            "last_update": seen,
            "managed": False,
        }
    state = load(root)
    cur = current(root, state) or {}
    last = state.get("last_update")
    if seen and (not last or str(seen.get("at", "")) > str(last.get("at", ""))):
        last = seen
    prob = state.get("probation")
    return {
        "version": cur.get("version"),
        "pending": (state.get("pending") or {}).get("version"),
        "previous": (state.get("previous") or {}).get("version"),
        "probation_until": _until(prob) if in_probation(state) else None,
        "last_update": last,
        "failed": state.get("failed") or {},
        "managed": True,
    }


def _until(prob: dict) -> str:
    return now_iso(datetime.fromisoformat(prob["since"]) + PROBATION)


def blobs_to_keep(home: Path, root: AppRoot | None) -> set[str]:
    """Blobs of the app releases a kiosk may still need (current, previous, pending, requested),
    so an unchanged dependency wheel is never downloaded again."""
    keep: set[str] = set()
    request = read_json(app_request_file(home)) or {}
    keep |= set(request.get("blobs") or ())
    if root is not None:
        state = load(root)
        for key in ("current", "previous", "pending"):
            keep |= set((state.get(key) or {}).get("blobs") or ())
    return keep
