"""Settings, declared once: the fields of `Settings` (name, type, default, help).

Values come from defaults, then `HOME/config.toml`, then `LAWSHELF_*` environment
variables, then what a librarian changed (kept in the kiosk state table `settings`).
Callers read them typed, by attribute (`load(home, db).idle_timeout_s`), the way
qutebrowser's `config.val.<name>` does; a misspelt name is an AttributeError, not a default.
`SETTINGS` lists the same declarations for the CLI and the admin screen.
Each declaration also says what is allowed (choices, bounds, a format, or "only a command sets
it"): a value of the right type can still be nonsense (a 5 s idle wipe, no privacy floor), and
the one rule refuses it when typed and skips it, setting by setting, when loaded.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import sqlite3
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_type_hints

from kiosk.maintenance import parse_hours
from offline_index.errors import LawShelfError
from offline_index.home import config_path, state_db_path

if TYPE_CHECKING:
    import sqlite_utils

log = logging.getLogger(__name__)


class SettingError(LawShelfError):
    message_vi = "Giá trị cài đặt không hợp lệ."


def _declare(
    default: Any,
    help: str,  # noqa: A002
    unset: tuple[Any, ...] = (),
    *,
    choices: tuple[Any, ...] = (),
    low: int | None = None,
    high: int | None = None,
    form: tuple[Callable[[Any], object], str] | None = None,
    set_by: str = "",
) -> Any:
    """One setting's default, help and rule, kept together so nothing else restates them.
    `unset`: placeholders that mean "not configured"; `choices`, `low`/`high`: allowed values;
    `form`: (check raising ValueError, its plain words); `set_by`: the only command that sets it.
    """
    rule = {"choices": choices, "low": low, "high": high, "form": form, "set_by": set_by}
    return field(default=default, metadata={"help": help, "unset": unset, **rule})


@dataclass(frozen=True)
class Settings:
    """Every setting with its value. Frozen: a change makes a new object (`replace`).
    Built directly (tests, benches) it checks types only; the rules apply to what is typed,
    stored or configured (`coerce`)."""

    ward_name: str = _declare(
        "",
        "Commune or ward name shown on screen and in reports (empty: none shown).",
        unset=("Phường/Xã", "Xã/Phường", "Phường/xã", "Xã/phường"),  # earlier installers wrote it
    )
    language: str = _declare("vi", "UI language.", choices=("vi", "en"))
    idle_timeout_s: int = _declare(
        90, "Seconds without a touch before the session is wiped.", low=30, high=1800
    )
    text_size: str = _declare("normal", "Default text size.", choices=("normal", "large", "xlarge"))
    high_contrast: bool = _declare(False, "Start in the high-contrast theme.")
    volume: int = _declare(70, "Read-aloud and video volume.", low=0, high=100)
    screen_off_hours: str = _declare(
        "22:00-06:00",
        "Hours when the screen is blanked (may cross midnight).",
        form=(parse_hours, "empty (never), or HH:MM-HH:MM with hours 00-23 and minutes 00-59"),
    )
    print_limit: int = _declare(10, "Pages a resident may print in one session.", low=0, high=100)
    sync_source: str = _declare("", "Release URL (https://...) or folder to sync from.")
    sync_deadline_s: int = _declare(
        3600, "Deadline for one whole sync run, in seconds.", low=60, high=86400
    )
    admin_idle_s: int = _declare(
        300, "Idle seconds on the admin screens before admin mode ends.", low=30, high=3600
    )
    library: str = _declare("", "Library path; empty means HOME/library, else the demo library.")
    kiosk_id: str = _declare("", "This kiosk's id.", set_by="lawshelf enroll")
    fullscreen: bool = _declare(True, "Run full screen and frameless.")
    stats_min_count: int = _declare(
        5,
        "Usage labels counted fewer times are not reported; the floor of 5 protects residents'"
        " privacy (it may be raised, never lowered below 5).",
        low=5,
    )
    # A public screen (`lawshelf signage`) plays the playlists meant for it.
    signage_place: str = _declare("", "Place of a public screen for playlists (default: ward).")
    signage_audience: str = _declare("", "Audiences of a public screen, comma-separated.")
    signage_rotation: int = _declare(
        0, "Turn a public screen's picture, in degrees.", choices=(0, 90, 180, 270)
    )

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
    help: str  # what it does, then what is allowed: `lawshelf settings show` prints it
    unset: tuple[Any, ...] = ()  # placeholders that mean "not configured": read as the default
    choices: tuple[Any, ...] = ()
    low: int | None = None
    high: int | None = None
    form: tuple[Callable[[Any], object], str] | None = None
    set_by: str = ""  # the only command that sets it (`lawshelf settings set` refuses it)

    @property
    def allowed(self) -> str:
        """What is allowed, in plain words, for the help text and every refusal."""
        if self.set_by:
            return f"set only by `{self.set_by}`"
        if self.choices:
            return "one of " + ", ".join(str(c) for c in self.choices)
        if self.form is not None:
            return self.form[1]
        return _allowed_range(self.type, self.low, self.high)

    def allows(self, value: Any) -> bool:
        """Whether a value of the right type keeps to the rule (set_by aside: see set_value)."""
        if self.choices and value not in self.choices:
            return False
        if (self.low is not None and value < self.low) or (
            self.high is not None and value > self.high
        ):
            return False
        return self.form is None or _passes(self.form[0], value)


def _allowed_range(kind: type, low: int | None, high: int | None) -> str:
    """Bounds in words a librarian reads at the console, not Python's `int`."""
    if kind is bool:
        return "yes or no"
    if kind is not int:
        return ""  # free text: nothing to say, nothing refused
    if low is not None and high is not None:
        return f"a whole number from {low} to {high}"
    return "a whole number" + (f", {low} or more" if low is not None else "")


def _passes(check: Callable[[Any], object], value: Any) -> bool:
    """A format check is the parser the kiosk itself uses (ValueError: it cannot read it)."""
    try:
        check(value)
    except ValueError:
        return False
    return True


def _declarations() -> tuple[Setting, ...]:
    types = get_type_hints(Settings)
    return tuple(_declaration(f, types[f.name]) for f in dataclasses.fields(Settings))


def _declaration(f: dataclasses.Field, kind: type) -> Setting:
    """The field's help gets its rule appended, so the help can never disagree with it."""
    meta = f.metadata
    rules = {k: meta[k] for k in ("choices", "low", "high", "form", "set_by")}
    setting = Setting(f.name, kind, f.default, meta["help"], meta["unset"], **rules)
    return dataclasses.replace(setting, help=f"{meta['help']} {_rule_sentence(setting)}".strip())


def _rule_sentence(setting: Setting) -> str:
    if setting.set_by:
        return f"Set only by `{setting.set_by}`."
    return f"Allowed: {setting.allowed}." if setting.allowed else ""


SETTINGS: tuple[Setting, ...] = _declarations()
BY_NAME = {s.name: s for s in SETTINGS}


def _is_typed(setting: Setting, value: Any) -> bool:
    """bool is an int to Python; not to a setting."""
    return isinstance(value, setting.type) and not (setting.type is int and isinstance(value, bool))


def coerce(setting: Setting, raw: Any) -> Any:
    """Convert a raw value (string from env or DB, or TOML value) to the declared type, and
    refuse one the rule does not allow, naming the setting and what it takes."""
    value = _typed(setting, raw)
    if not setting.allows(value):
        raise _refused(setting, raw)
    return value


def _refused(setting: Setting, raw: Any) -> SettingError:
    """The one wording of a refusal (the kiosk UI shows SettingError's `message_vi`)."""
    return SettingError(f"{setting.name}: {raw!r} is not allowed; use {setting.allowed}.")


def _typed(setting: Setting, raw: Any) -> Any:
    if _is_typed(setting, raw):
        return raw
    text = str(raw).strip()
    try:
        if setting.type is bool:
            return _yes_no(text)
        return setting.type(text)
    except ValueError:
        raise _refused(setting, raw) from None


def _yes_no(text: str) -> bool:
    """The words people (and installers) write for a switch; `bool("no")` would be True."""
    if text.lower() in ("1", "true", "yes", "on"):
        return True
    if text.lower() in ("0", "false", "no", "off"):
        return False
    raise ValueError(text)


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
    """Later layers win, value by value; `where` names the layer in the warnings."""
    values: dict[str, Any] = {}
    layers = [
        ("config.toml", _config_file_values(home)),
        ("environment", _env_values()),
        ("kiosk state", state),
    ]
    for where, layer in layers:
        for name, raw in layer.items():
            if name in BY_NAME:
                _take(values, BY_NAME[name], raw, where)
    return Settings(**values)


# The environment is the technician's and the test harness's override (a systemd unit, an
# end-to-end test that needs a 1-second idle time): its values are checked for type only.
# The rules guard what a librarian or a config file sets.
TYPE_ONLY_LAYERS = ("environment",)


def _env_values() -> dict[str, str]:
    return {
        s.name: os.environ[f"LAWSHELF_{s.name.upper()}"]
        for s in SETTINGS
        if f"LAWSHELF_{s.name.upper()}" in os.environ
    }


def _take(values: dict[str, Any], setting: Setting, raw: Any, where: str) -> None:
    """One layer's value for one setting. A value the rule refuses (stored before the rule, or
    mistyped in config.toml) is logged and skipped: the layer below or the default applies to
    that setting alone, and the kiosk still starts with everything else as configured."""
    try:
        value = _typed(setting, raw) if where in TYPE_ONLY_LAYERS else coerce(setting, raw)
    except SettingError as exc:
        log.warning("%s: %s (ignored)", where, exc.message)
        return
    values[setting.name] = setting.default if value in setting.unset else value


def set_value(db: sqlite_utils.Database, name: str, raw: Any, *, command: str = "") -> Any:
    """Store a librarian's change in the kiosk state; returns the typed value. A setting
    declared `set_by` a command (kiosk_id: `lawshelf enroll`) is stored only when that
    command says so (`command=`): the enrolled id must match the kiosk's keys."""
    setting = _changeable(name, command)
    from offline_index.migrations import writing  # noqa: PLC0415 - sqlite-utils after first paint

    value = coerce(setting, raw)
    with writing(db):
        db["settings"].upsert({"name": name, "value": str(value)}, pk="name")
    return value


def _changeable(name: str, command: str = "") -> Setting:
    """The declaration of a setting this caller may change: a known one, and a `set_by` one
    only from its command."""
    setting = BY_NAME.get(name)
    if setting is None:
        known = ", ".join(sorted(n for n, s in BY_NAME.items() if not s.set_by))
        raise SettingError(f"unknown setting {name!r}; the settings are: {known}")
    if setting.set_by and command != setting.set_by:
        raise SettingError(f"{name} is {setting.allowed}; it cannot be changed by hand.")
    return setting


def reset_value(db: sqlite_utils.Database, name: str) -> bool:
    """Forget a librarian's change, so config.toml, the environment or the default applies
    again (a stored value wins over them all; without this it could never be undone).
    Returns whether there was one. A `set_by` setting is its command's to change."""
    _changeable(name)
    from offline_index.migrations import writing  # noqa: PLC0415 - sqlite-utils after first paint

    with writing(db):
        gone = db.execute("DELETE FROM settings WHERE name = ?", [name]).rowcount
    return gone > 0
