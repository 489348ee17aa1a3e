"""One home folder holds every data path (`LAWSHELF_HOME`).

The layout is fixed here so no other module invents paths:

    HOME/config.toml          settings file (optional)
    HOME/state.sqlite         kiosk state database (kiosk/)
    HOME/library/current      symlink to the live generation
    HOME/library/previous     symlink to the fallback generation
    HOME/library/gen-*/       library generations
    HOME/cache/               build cache (parsed documents by content hash)
    HOME/sync/                downloads in progress, verified metadata
    HOME/keys/                this kiosk's own keys (enrolment)
    HOME/overlay/             librarian's local documents (content format v1)
    HOME/signage/             a public screen's last verified playlist and its media
"""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_HOME = "~/.local/share/lawshelf"


def home_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Return the home folder: explicit argument, else LAWSHELF_HOME, else the default."""
    raw = explicit or os.environ.get("LAWSHELF_HOME") or DEFAULT_HOME
    path = Path(raw).expanduser()
    path.mkdir(parents=True, exist_ok=True)
    return path


def library_root(home: Path) -> Path:
    return home / "library"


def cache_dir(home: Path) -> Path:
    return home / "cache"


def overlay_dir(home: Path) -> Path:
    return home / "overlay"


def state_db_path(home: Path) -> Path:
    return home / "state.sqlite"


def sync_dir(home: Path) -> Path:
    return home / "sync"


def keys_dir(home: Path) -> Path:
    return home / "keys"


def signage_dir(home: Path) -> Path:
    """A public screen's last verified playlist and its media (kiosk/signage.py)."""
    return home / "signage"
