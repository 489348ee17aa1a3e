"""Settings resolve through defaults, config file, environment and the kiosk state, in that order."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner

from cli.main import cli
from kiosk import settings
from kiosk.state import open_state

if TYPE_CHECKING:
    import sqlite_utils


def test_defaults_then_file_then_env_then_state(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = open_state(home)
    assert settings.load(home, db).idle_timeout_s == 90

    (home / "config.toml").write_text('idle_timeout_s = 120\nward_name = "Phường Láng Hạ"\n')
    values = settings.load(home, db)
    assert values.idle_timeout_s == 120
    assert values.ward_name == "Phường Láng Hạ"

    monkeypatch.setenv("LAWSHELF_IDLE_TIMEOUT_S", "150")
    assert settings.load(home, db).idle_timeout_s == 150

    settings.set_value(db, "idle_timeout_s", "45")
    assert settings.load(home, db).idle_timeout_s == 45
    assert settings.load(home, db).ward_name == "Phường Láng Hạ"


def test_bad_values_are_refused_with_the_setting_named(home: Path) -> None:
    db = open_state(home)
    with pytest.raises(settings.SettingError, match="idle_timeout_s"):
        settings.set_value(db, "idle_timeout_s", "soon")
    with pytest.raises(settings.SettingError, match="unknown setting") as err:
        settings.set_value(db, "no_such_thing", "1")
    assert "idle_timeout_s" in str(err.value) and "kiosk_id" not in str(err.value)  # what is
    (home / "config.toml").write_text("idle_timeout_s = [broken\n")
    with pytest.raises(settings.SettingError, match="config.toml"):
        settings.load(home, db)


def test_bool_settings_accept_words(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LAWSHELF_HIGH_CONTRAST", "yes")
    assert settings.load(home).high_contrast is True
    monkeypatch.setenv("LAWSHELF_HIGH_CONTRAST", "off")
    assert settings.load(home).high_contrast is False


def test_migrations_are_recorded_once(home: Path) -> None:
    db = open_state(home)
    first = {(r["namespace"], r["name"]) for r in db["_migrations"].rows}
    assert ("kiosk", "0001_settings") in first
    db2 = open_state(home)
    assert {(r["namespace"], r["name"]) for r in db2["_migrations"].rows} == first


def test_no_ward_configured_reads_empty_not_a_placeholder(home: Path) -> None:
    """The footer and the usage report show nothing rather than the placeholder `Phường/Xã`
    (which earlier installers wrote into config.toml when no ward was given)."""
    db = open_state(home)
    assert settings.load(home, db).ward_name == ""
    (home / "config.toml").write_text('ward_name = "Phường/Xã"\n')
    assert settings.load(home, db).ward_name == ""
    settings.set_value(db, "ward_name", "Phường Láng Hạ")
    assert settings.load(home, db).ward_name == "Phường Láng Hạ"


def test_every_declared_setting_is_a_typed_attribute(home: Path) -> None:
    """One declaration: each setting reads as an attribute of its declared type and default."""
    values = settings.load(home, open_state(home))
    assert [s.name for s in settings.SETTINGS] == list(values.as_dict())
    assert {s.type for s in settings.SETTINGS} == {str, int, bool}
    for s in settings.SETTINGS:
        value = getattr(values, s.name)
        assert type(value) is s.type, s.name
        assert value == s.default, s.name
        assert s.help, s.name


def test_a_misspelt_or_mistyped_setting_raises(home: Path) -> None:
    values = settings.load(home)
    with pytest.raises(AttributeError):
        values.idle_timout_s  # noqa: B018 - the typo is the test
    with pytest.raises(AttributeError):
        values.idle_timout_s = 5  # type: ignore[misc]
    with pytest.raises(TypeError):
        settings.Settings(idle_timout_s=5)  # type: ignore[call-arg]
    with pytest.raises(settings.SettingError, match="idle_timeout_s"):
        values.replace(idle_timeout_s="90")
    with pytest.raises(settings.SettingError, match="fullscreen"):
        settings.Settings(fullscreen=1)  # type: ignore[arg-type]
    assert values.replace(idle_timeout_s=30).idle_timeout_s == 30
    assert values.idle_timeout_s == 90  # frozen: replace made a copy


def test_settings_before_the_first_paint_read_the_state_file_as_it_is(home: Path) -> None:
    from offline_index.home import state_db_path

    assert settings.load_before_paint(home).idle_timeout_s == settings.Settings().idle_timeout_s
    db = open_state(home)
    settings.set_value(db, "idle_timeout_s", "45")
    db.conn.close()
    assert settings.load_before_paint(home).idle_timeout_s == 45  # the librarian's layer
    path = state_db_path(home)
    for side in path.parent.glob(path.name + "-*"):  # -wal, -shm
        side.unlink()
    path.write_bytes(b"not a database" * 100)  # damaged: the other layers still hold
    assert settings.load_before_paint(home).idle_timeout_s == settings.Settings().idle_timeout_s


# ------------------------------------------------------------ what each setting allows

# (setting, a value of the right type that is nonsense, words the refusal must say)
NONSENSE = [
    ("stats_min_count", "1", "5 or more"),  # would drop the privacy floor of the reports
    ("stats_min_count", "0", "5 or more"),
    ("idle_timeout_s", "5", "from 30 to 1800"),
    ("admin_idle_s", "10", "from 30 to 3600"),
    ("volume", "150", "from 0 to 100"),
    ("volume", "-1", "from 0 to 100"),
    ("print_limit", "101", "from 0 to 100"),
    ("sync_deadline_s", "59", "from 60 to 86400"),
    ("text_size", "big", "one of normal, large, xlarge"),
    ("language", "fr", "one of vi, en"),
    ("signage_rotation", "45", "one of 0, 90, 180, 270"),
    ("screen_off_hours", "25:00-06:00", "HH:MM-HH:MM"),
    ("screen_off_hours", "22:60-06:00", "HH:MM-HH:MM"),
    ("screen_off_hours", "22:00", "HH:MM-HH:MM"),
    ("screen_off_hours", "tonight", "HH:MM-HH:MM"),
]

# (setting, lowest allowed, highest allowed or None): both edges pass, one step beyond fails
BOUNDS = [
    ("idle_timeout_s", 30, 1800),
    ("admin_idle_s", 30, 3600),
    ("volume", 0, 100),
    ("print_limit", 0, 100),
    ("sync_deadline_s", 60, 86400),
    ("stats_min_count", 5, None),
]


def _stored(db: sqlite_utils.Database) -> dict[str, str]:
    return {r["name"]: r["value"] for r in db["settings"].rows}


@pytest.mark.parametrize(("name", "raw", "allowed"), NONSENSE)
def test_nonsense_is_refused_by_set_value_naming_what_is_allowed(
    home: Path, name: str, raw: str, allowed: str
) -> None:
    db = open_state(home)
    with pytest.raises(settings.SettingError) as caught:
        settings.set_value(db, name, raw)
    assert caught.value.message.startswith(f"{name}: {raw!r} is not allowed")
    assert allowed in caught.value.message
    assert caught.value.message_vi == settings.SettingError.message_vi  # the kiosk's wording
    assert name not in _stored(db)


@pytest.mark.parametrize(("name", "raw", "allowed"), NONSENSE)
def test_nonsense_is_refused_by_the_cli_with_exit_2(
    home: Path, name: str, raw: str, allowed: str
) -> None:
    result = CliRunner().invoke(cli, ["settings", "set", "--", name, raw])
    assert result.exit_code == 2, result.output
    assert name in result.stderr and allowed in result.stderr
    assert name not in _stored(open_state(home))


@pytest.mark.parametrize(("name", "low", "high"), BOUNDS)
def test_bounds_hold_at_their_edges(home: Path, name: str, low: int, high: int | None) -> None:
    db = open_state(home)
    for edge in (low, high) if high is not None else (low, 10 * low):
        assert settings.set_value(db, name, str(edge)) == edge
        assert getattr(settings.load(home, db), name) == edge
    beyond = [low - 1] + ([high + 1] if high is not None else [])
    for value in beyond:
        with pytest.raises(settings.SettingError, match=name):
            settings.set_value(db, name, str(value))


def test_every_choice_and_window_is_accepted(home: Path) -> None:
    db = open_state(home)
    for name, values in [
        ("text_size", ["normal", "large", "xlarge"]),
        ("language", ["vi", "en"]),
        ("signage_rotation", [0, 90, 180, 270]),
        ("screen_off_hours", ["", "00:00-23:59", "22:00-06:00", "7:30-08:00"]),
    ]:
        for value in values:
            assert settings.set_value(db, name, str(value)) == value
            assert getattr(settings.load(home, db), name) == value
    with pytest.raises(settings.SettingError, match="signage_rotation"):
        settings.set_value(db, "signage_rotation", "360")


def test_settings_show_states_what_is_allowed(home: Path) -> None:
    shown = CliRunner().invoke(cli, ["settings", "show"]).output
    for words in ("from 30 to 1800", "5 or more", "one of vi, en", "HH:MM-HH:MM"):
        assert words in shown
    kiosk_id = next(line for line in shown.splitlines() if line.startswith("kiosk_id"))
    assert "Set only by `lawshelf enroll`" in kiosk_id


def test_a_bad_stored_value_is_skipped_alone(
    home: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Values an older version let through stay in config.toml, the environment or the state
    table; each is skipped for its own setting (the layer below applies), the rest still load."""
    (home / "config.toml").write_text(
        'idle_timeout_s = 120\nlanguage = "fr"\nprint_limit = 20\nvolume = 150\n'
    )
    monkeypatch.setenv("LAWSHELF_TEXT_SIZE", "large")
    monkeypatch.setenv("LAWSHELF_ADMIN_IDLE_S", "1")  # a test's override: type-checked only
    monkeypatch.setenv("LAWSHELF_PRINT_LIMIT", "many")  # the wrong type is skipped too
    db = open_state(home)
    stored = {"idle_timeout_s": "5", "stats_min_count": "1", "ward_name": "Phường Láng"}
    db["settings"].upsert_all([{"name": n, "value": v} for n, v in stored.items()], pk="name")
    db.conn.close()
    expected = {
        "idle_timeout_s": 120,  # the state's 5 skipped: config.toml's value applies
        "stats_min_count": 5,  # the state's 1 skipped: the default floor applies
        "language": "vi",
        "volume": 70,
        "print_limit": 20,
        "text_size": "large",
        "ward_name": "Phường Láng",
        "admin_idle_s": 1,
    }
    for values in (settings.load_before_paint(home), settings.load(home, open_state(home))):
        assert {n: getattr(values, n) for n in expected} == expected
    warned = " ".join(r.getMessage() for r in caplog.records if r.levelname == "WARNING")
    for name in ("idle_timeout_s", "stats_min_count", "language", "volume", "print_limit"):
        assert name in warned


def test_kiosk_id_is_set_by_enroll_only(home: Path) -> None:
    run = CliRunner().invoke
    refused = run(cli, ["settings", "set", "kiosk_id", "hacked"])
    assert refused.exit_code == 2 and "lawshelf enroll" in refused.stderr
    with pytest.raises(settings.SettingError, match="lawshelf enroll"):
        settings.set_value(open_state(home), "kiosk_id", "hacked")
    assert settings.load(home, open_state(home)).kiosk_id == ""
    enrolled = run(cli, ["enroll", "--id", "phuong-hang-bac"])
    assert enrolled.exit_code == 0, enrolled.output
    assert settings.load(home, open_state(home)).kiosk_id == "phuong-hang-bac"
    assert run(cli, ["settings", "set", "kiosk_id", "hacked"]).exit_code == 2
    assert settings.load(home, open_state(home)).kiosk_id == "phuong-hang-bac"
