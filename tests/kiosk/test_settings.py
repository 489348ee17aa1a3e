"""Settings resolve through defaults, config file, environment and the kiosk state, in that order."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk import settings
from kiosk.state import open_state


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
    with pytest.raises(settings.SettingError, match="unknown setting"):
        settings.set_value(db, "no_such_thing", "1")
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
