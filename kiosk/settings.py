"""Settings, declared once: the fields of `Settings` (name, type, default, help).

Values come from defaults, then `HOME/config.toml`, then `LAWSHELF_*` environment
variables, then what a librarian changed (kept in the kiosk state table `settings`).
Callers read them typed, by attribute (`load(home, db).idle_timeout_s`), the way
qutebrowser's `config.val.<name>` does; a misspelt name is an AttributeError, not a default.
`SETTINGS` lists the same declarations for the CLI and the admin screen.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import sqlite3
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_type_hints

from offline_index.errors import LawShelfError
from offline_index.home import config_path, state_db_path

if TYPE_CHECKING:
    import sqlite_utils

log = logging.getLogger(__name__)


class SettingError(LawShelfError):
    message_vi = "Giá trị cài đặt không hợp lệ."


def _declare(default: Any, help: str, unset: tuple[Any, ...] = ()) -> Any:  # noqa: A002
    """One setting's default and help; `unset`: placeholders that mean "not configured"."""
    return field(default=default, metadata={"help": help, "unset": unset})


@dataclass(frozen=True)
class Settings:
    """Every setting with its value. Frozen: a change makes a new object (`replace`)."""

    ward_name: str = _declare(
        "",
        "Commune or ward name shown on screen and in reports (empty: none shown).",
        unset=("Phường/Xã", "Xã/Phường", "Phường/xã", "Xã/phường"),  # earlier installers wrote it
    )
    language: str = _declare("vi", "UI language: vi or en.")
    idle_timeout_s: int = _declare(90, "Seconds without a touch before the session is wiped.")
    text_size: str = _declare("normal", "Default text size: normal, large or xlarge.")
    high_contrast: bool = _declare(False, "Start in the high-contrast theme.")
    volume: int = _declare(70, "Read-aloud and video volume, 0-100.")
    screen_off_hours: str = _declare("22:00-06:00", "Hours when the screen is blanked.")
    print_limit: int = _declare(10, "Pages a resident may print in one session.")
    sync_source: str = _declare("", "Release URL (https://...) or folder to sync from.")
    sync_deadline_s: int = _declare(3600, "Deadline for one whole sync run, in seconds.")
    admin_idle_s: int = _declare(300, "Idle seconds on the admin screens before admin mode ends.")
    library: str = _declare("", "Library path; empty means HOME/library, else the demo library.")
    kiosk_id: str = _declare("", "This kiosk's id, set by `lawshelf enroll`.")
    fullscreen: bool = _declare(True, "Run full screen and frameless.")
    stats_min_count: int = _declare(5, "Usage labels counted fewer times are not reported.")
    # A public screen (`lawshelf signage`) plays the playlists meant for it.
    signage_place: str = _declare("", "Place of a public screen for playlists (default: ward).")
    signage_audience: str = _declare("", "Audiences of a public screen, comma-separated.")
    signage_rotation: int = _declare(0, "Turn a public screen's picture: 0, 90, 180 or 270.")

    def __post_init__(self) -> None:
        for s in SETTINGS:
            value = getattr(self, s.name)
            if not _is_typed(s, value):
                raise SettingError(f"{s.name}: expected {s.type.__name__}, got {value!r}")

    def replace(self, **changes: Any) -> Settings:
        """A copy with some values changed (checked like any other)."""
        return dataclasses.replace(self, **changes)

    def as_dict(self) -> dict[str, Any]:
        return {s.name: getattr(self, s.name) for s in SETTINGS}


@dataclass(frozen=True)
class Setting:
    """One declaration, as read from the fields of `Settings`."""

    name: str
    type: type
    default: Any
    help: str
    unset: tuple[Any, ...] = ()  # placeholders that mean "not configured": read as the default


def _declarations() -> tuple[Setting, ...]:
    types = get_type_hints(Settings)
    return tuple(
        Setting(f.name, types[f.name], f.default, f.metadata["help"], f.metadata["unset"])
        for f in dataclasses.fields(Settings)
    )


SETTINGS: tuple[Setting, ...] = _declarations()
BY_NAME = {s.name: s for s in SETTINGS}


def _is_typed(setting: Setting, value: Any) -> bool:
    """bool is an int to Python; not to a setting."""
    return isinstance(value, setting.type) and not (setting.type is int and isinstance(value, bool))


def coerce(setting: Setting, raw: Any) -> Any:
    """Convert a raw value (string from env or DB, or TOML value) to the declared type."""
    if _is_typed(setting, raw):
        return raw
    text = str(raw).strip()
    try:
        if setting.type is bool:
            if text.lower() in ("1", "true", "yes", "on"):
                return True
            if text.lower() in ("0", "false", "no", "off"):
                return False
            raise ValueError(text)
        return setting.type(text)
    except ValueError:
        raise SettingError(
            f"{setting.name}: expected {setting.type.__name__}, got {raw!r}"
        ) from None


def _config_file_values(home: Path) -> dict[str, Any]:
    path = config_path(home)
    if not path.exists():
        return {}
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise SettingError(f"{path}: {exc}") from None


def _state_values(db: sqlite_utils.Database | None) -> dict[str, Any]:
    if db is None or "settings" not in db.table_names():
        return {}
    return {r["name"]: r["value"] for r in db["settings"].rows}


def _state_file_values(home: Path) -> dict[str, Any]:
    """The librarian's values read straight from the state file, read-only and without
    sqlite-utils or migrations: the kiosk reads its settings before its first paint, and
    importing sqlite-utils (which imports numpy) cost a sixth of a second there."""
    path = state_db_path(home)
    if not path.exists():
        return {}
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=5)
        try:
            return dict(conn.execute("SELECT name, value FROM settings").fetchall())
        finally:
            conn.close()
    except sqlite3.Error as exc:  # no table yet, or a damaged file: the other layers still hold
        log.warning("settings in %s unreadable (%s); defaults and config apply", path, exc)
        return {}


def load_before_paint(home: Path) -> Settings:
    """`load` for the kiosk's start: the state file read as it is (kiosk.state migrates it
    when it is first opened, after the first paint)."""
    return _resolve(home, _state_file_values(home))


def load(home: Path, db: sqlite_utils.Database | None = None) -> Settings:
    """Resolve every setting through the four layers."""
    return _resolve(home, _state_values(db))


def _resolve(home: Path, state: dict[str, Any]) -> Settings:
    values: dict[str, Any] = {}
    layers = [
        _config_file_values(home),
        {
            s.name: os.environ[f"LAWSHELF_{s.name.upper()}"]
            for s in SETTINGS
            if f"LAWSHELF_{s.name.upper()}" in os.environ
        },
        state,
    ]
    for layer in layers:
        for name, raw in layer.items():
            if name in BY_NAME:
                setting = BY_NAME[name]
                value = coerce(setting, raw)
                values[name] = setting.default if value in setting.unset else value
    return Settings(**values)


def set_value(db: sqlite_utils.Database, name: str, raw: Any) -> Any:
    """Store a librarian's change in the kiosk state; returns the typed value."""
    if name not in BY_NAME:
        raise SettingError(f"unknown setting {name!r}")
    from offline_index.migrations import writing  # noqa: PLC0415 - sqlite-utils after first paint

    value = coerce(BY_NAME[name], raw)
    with writing(db):
        db["settings"].upsert({"name": name, "value": str(value)}, pk="name")
    return value
