"""Settings, declared once.

Values come from defaults, then `HOME/config.toml`, then `LAWSHELF_*` environment
variables, then what a librarian changed (kept in the kiosk state table `settings`).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from offline_index.errors import LawShelfError


class SettingError(LawShelfError):
    message_vi = "Giá trị cài đặt không hợp lệ."


@dataclass(frozen=True)
class Setting:
    name: str
    type: type
    default: Any
    help: str
    unset: tuple[Any, ...] = ()  # placeholders that mean "not configured": read as the default


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "ward_name",
        str,
        "",
        "Commune or ward name shown on screen and in reports (empty: none shown).",
        unset=("Phường/Xã", "Xã/Phường", "Phường/xã", "Xã/phường"),  # earlier installers wrote it
    ),
    Setting("language", str, "vi", "UI language: vi or en."),
    Setting("idle_timeout_s", int, 90, "Seconds without a touch before the session is wiped."),
    Setting("text_size", str, "normal", "Default text size: normal, large or xlarge."),
    Setting("high_contrast", bool, False, "Start in the high-contrast theme."),
    Setting("volume", int, 70, "Read-aloud and video volume, 0-100."),
    Setting("screen_off_hours", str, "22:00-06:00", "Hours when the screen is blanked."),
    Setting("print_limit", int, 10, "Pages a resident may print in one session."),
    Setting("sync_source", str, "", "Release URL (https://...) or folder to sync from."),
    Setting("sync_deadline_s", int, 3600, "Deadline for one whole sync run, in seconds."),
    Setting("admin_idle_s", int, 300, "Idle seconds on the admin screens before admin mode ends."),
    Setting("library", str, "", "Library path; empty means HOME/library, else the demo library."),
    Setting("kiosk_id", str, "", "This kiosk's id, set by `lawshelf enroll`."),
    Setting("fullscreen", bool, True, "Run full screen and frameless."),
    Setting("stats_min_count", int, 5, "Usage labels counted fewer times are not reported."),
    # A public screen (`lawshelf signage`) plays the playlists meant for it.
    Setting("signage_place", str, "", "Place of a public screen for playlists (default: ward)."),
    Setting("signage_audience", str, "", "Audiences of a public screen, comma-separated."),
    Setting("signage_rotation", int, 0, "Turn a public screen's picture: 0, 90, 180 or 270."),
)
BY_NAME = {s.name: s for s in SETTINGS}


def coerce(setting: Setting, raw: Any) -> Any:
    """Convert a raw value (string from env or DB, or TOML value) to the declared type."""
    if isinstance(raw, setting.type) and not (setting.type is int and isinstance(raw, bool)):
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
    path = home / "config.toml"
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


def load(home: Path, db: sqlite_utils.Database | None = None) -> dict[str, Any]:
    """Resolve every setting through the four layers."""
    values = {s.name: s.default for s in SETTINGS}
    layers = [
        _config_file_values(home),
        {
            s.name: os.environ[f"LAWSHELF_{s.name.upper()}"]
            for s in SETTINGS
            if f"LAWSHELF_{s.name.upper()}" in os.environ
        },
        _state_values(db),
    ]
    for layer in layers:
        for name, raw in layer.items():
            if name in BY_NAME:
                setting = BY_NAME[name]
                value = coerce(setting, raw)
                values[name] = setting.default if value in setting.unset else value
    return values


def set_value(db: sqlite_utils.Database, name: str, raw: Any) -> Any:
    """Store a librarian's change in the kiosk state; returns the typed value."""
    if name not in BY_NAME:
        raise SettingError(f"unknown setting {name!r}")
    value = coerce(BY_NAME[name], raw)
    with db.atomic():
        db["settings"].upsert({"name": name, "value": str(value)}, pk="name")
    return value
