"""One home folder holds every data path (`LAWSHELF_HOME`).

The layout is fixed here so no other module invents paths:

    HOME/config.toml          settings file (optional)
    HOME/state.sqlite         kiosk state database (kiosk/)
    HOME/maintenance.json     maintenance switched on, with the boot it belongs to
    HOME/contest_media/<id>/  a contest attempt's images, wiped when it ends
    HOME/library/current      symlink to the live generation
    HOME/library/previous     symlink to the fallback generation
    HOME/library/gen-*/       library generations
    HOME/cache/               build cache (parsed documents by content hash)
    HOME/cache/local-rebuild-stage/  the live release's source while local documents rebuild
    HOME/sync/                downloads in progress, verified metadata (layout below)
    HOME/sync/trusted_root.json     the root installed at setup
    HOME/sync/metadata/             python-tuf's verified metadata cache
    HOME/sync/blobs/<sha256>        verified blobs of the live and previous releases
    HOME/sync/partial/              downloads in progress (<sha256>.part + .etag)
    HOME/sync/releases/<v>/         published metadata bytes of an applied release
    HOME/sync/stage-<v>/            content source being built (hard links into blobs/)
    HOME/sync/sync.lock             one sync at a time
    HOME/keys/                this kiosk's own keys (enrolment)
    HOME/overlay/             librarian's local documents (content format v1)
    HOME/kiosk.heartbeat      touched by the running kiosk after each health search
    HOME/app/                 software updates: recorded app releases, health-check scratch
                              home, state database copies (sync/app_state.py)
    HOME/signage/             a public screen's last verified playlist and its media
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

DEFAULT_HOME = "~/.local/share/lawshelf"


def home_dir(explicit: str | os.PathLike[str] | None = None, *, create: bool = True) -> Path:
    """Return the home folder: explicit argument, else LAWSHELF_HOME, else the default.

    It is created unless `create` is false (then it may not exist)."""
    raw = explicit or os.environ.get("LAWSHELF_HOME") or DEFAULT_HOME
    path = Path(raw).expanduser()
    if create:
        path.mkdir(parents=True, exist_ok=True)
    return path


def library_root(home: Path) -> Path:
    return home / "library"


def cache_dir(home: Path) -> Path:
    return home / "cache"


def overlay_dir(home: Path) -> Path:
    return home / "overlay"


def local_rebuild_stage(home: Path) -> Path:
    """The live release's source, staged while local documents are rebuilt in."""
    return cache_dir(home) / "local-rebuild-stage"


def state_db_path(home: Path) -> Path:
    return home / "state.sqlite"


def config_path(home: Path) -> Path:
    return home / "config.toml"


def maintenance_flag_path(home: Path) -> Path:
    return home / "maintenance.json"


def contest_media_dir(home: Path) -> Path:
    return home / "contest_media"


def sync_dir(home: Path) -> Path:
    return home / "sync"


def keys_dir(home: Path) -> Path:
    return home / "keys"


def heartbeat_path(home: Path) -> Path:
    """The file the kiosk touches and installer/files/lawshelf-watchdog checks."""
    return home / "kiosk.heartbeat"


def home_of_state_db(conn: sqlite3.Connection) -> Path | None:
    """The home folder holding an open state database (the inverse of state_db_path).

    None for an in-memory database. Code that has the home should pass it instead."""
    for _seq, name, file in conn.execute("PRAGMA database_list").fetchall():
        if name == "main" and file:
            return Path(file).parent
    return None


# ---------------------------------------------------------------- HOME/sync


def trusted_root_path(home: Path) -> Path:
    return sync_dir(home) / "trusted_root.json"


def sync_metadata_dir(home: Path) -> Path:
    return sync_dir(home) / "metadata"


def blob_store(home: Path) -> Path:
    return sync_dir(home) / "blobs"


def partial_dir(home: Path) -> Path:
    return sync_dir(home) / "partial"


def releases_dir(home: Path) -> Path:
    return sync_dir(home) / "releases"


def release_metadata_dir(home: Path, version: int | str) -> Path:
    return releases_dir(home) / str(version) / "metadata"


def stage_dir(home: Path, version: int | str) -> Path:
    return sync_dir(home) / f"stage-{version}"


def stage_dirs(home: Path) -> list[Path]:
    """Every staging folder present (a run killed before its cleanup leaves one behind)."""
    return sorted(sync_dir(home).glob("stage-*"))


def sync_lock_path(home: Path) -> Path:
    return sync_dir(home) / "sync.lock"


# ---------------------------------------------------------------- HOME/app (docs/updates.md)


def app_dir(home: Path) -> Path:
    return home / "app"


def app_releases_dir(home: Path) -> Path:
    """Recorded app releases: metadata bytes as verified by the sync, + release.json."""
    return app_dir(home) / "releases"


def app_request_file(home: Path) -> Path:
    """The sync asks the installer step to build a recorded release (lawshelf-app.path)."""
    return app_dir(home) / "request.json"


def app_outcome_file(home: Path) -> Path:
    return app_dir(home) / "outcome.json"


def app_check_home(home: Path) -> Path:
    """The health check's scratch home."""
    return app_dir(home) / "check"


def app_state_copies(home: Path) -> Path:
    """State databases kept across an update: before-<v>.sqlite, failed-<v>.sqlite."""
    return app_dir(home) / "state"


def signage_dir(home: Path) -> Path:
    """A public screen's last verified playlist and its media (kiosk/signage.py)."""
    return home / "signage"
