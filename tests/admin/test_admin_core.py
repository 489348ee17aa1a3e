"""PIN hashing, lockout with backoff that survives restarts, admin inactivity, maintenance."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from kiosk import admin, maintenance
from kiosk.state import open_state


@pytest.fixture
def db(home: Path):
    return open_state(home)


def test_pin_is_stored_only_as_scrypt_hash(db, home: Path) -> None:
    admin.set_pin(db, "482913")
    stored = db.execute("SELECT hash FROM admin_pin").fetchone()[0]
    assert stored.startswith("scrypt$") and "482913" not in stored
    assert b"482913" not in (home / "state.sqlite").read_bytes()
    assert admin.check_pin(db, "482913")
    assert not admin.check_pin(db, "000000")


@pytest.mark.parametrize("bad", ["", "12", "abcd", "12345678901234", "12 34"])
def test_pin_format_refused(db, bad: str) -> None:
    with pytest.raises(admin.PinError):
        admin.set_pin(db, bad)


def test_no_pin_set_refuses_entry(db) -> None:
    with pytest.raises(admin.NoPinSet):
        admin.check_pin(db, "1234")


def test_five_wrong_pins_lock_with_growing_backoff_across_restarts(home: Path) -> None:
    db = open_state(home)
    admin.set_pin(db, "2468")
    t = 1_000_000.0
    for i in range(admin.MAX_FAILURES):
        assert not admin.check_pin(db, "1111", now=t + i)
    t += admin.MAX_FAILURES
    with pytest.raises(admin.AdminLocked) as exc:
        admin.check_pin(db, "2468", now=t)  # even the right PIN is refused while locked
    assert 55 <= exc.value.seconds_left <= 60
    assert "phút" in exc.value.message_vi
    db.conn.close()

    db = open_state(home)  # a restart does not reset the counter
    with pytest.raises(admin.AdminLocked):
        admin.check_pin(db, "2468", now=t + 30)
    t += 61
    for i in range(admin.MAX_FAILURES):  # second round of wrong PINs: twice as long
        assert not admin.check_pin(db, "9999", now=t + i)
    t += admin.MAX_FAILURES
    with pytest.raises(admin.AdminLocked) as exc:
        admin.check_pin(db, "2468", now=t + 100)
    assert exc.value.seconds_left <= 20
    assert admin.lock_state(db, t).lock_count == 2
    assert admin.check_pin(db, "2468", now=t + 121)  # lock over, right PIN resets all
    assert admin.lock_state(db, t + 121) == admin.LockState(0, 0, 0.0)
    assert any("wrong PINs" in e["message"] for e in admin.recent_events(db))


def test_lock_durations_double_and_cap() -> None:
    assert [admin.lock_duration(n) for n in (1, 2, 3)] == [60, 120, 240]
    assert admin.lock_duration(40) == admin.MAX_LOCK_S


def test_clock_set_back_cannot_stretch_lock(db) -> None:
    admin.set_pin(db, "2468")
    for _ in range(admin.MAX_FAILURES):
        admin.check_pin(db, "1", now=10_000_000.0)
    # The clock jumps back a year: the lock lasts its own length from now, not a year.
    earlier = 10_000_000.0 - 365 * 86400
    assert admin.lock_state(db, earlier).seconds_left(earlier) == 60


def test_admin_session_leaves_after_inactivity() -> None:
    now = [0.0]
    session = admin.AdminSession(300, clock=lambda: now[0])
    now[0] = 200
    session.touch()
    now[0] = 450
    assert not session.expired() and session.remaining() == pytest.approx(50)
    now[0] = 501
    assert session.expired()
    session.touch()  # touching an ended session does not revive it
    assert session.expired()


def test_maintenance_lasts_until_next_boot(home: Path, monkeypatch) -> None:
    assert not maintenance.is_on(home)
    maintenance.set_mode(home, True, stop_session=False)
    assert maintenance.is_on(home)
    data = json.loads(maintenance.flag_path(home).read_text())
    assert data["boot_id"] == maintenance.boot_id()
    monkeypatch.setattr(maintenance, "boot_id", lambda: "another-boot")
    assert not maintenance.is_on(home)
    monkeypatch.undo()
    maintenance.set_mode(home, False, stop_session=False)
    assert not maintenance.is_on(home)


def test_a_session_that_will_not_stop_is_told_with_the_command_that_works(
    home: Path, tmp_path: Path, monkeypatch
) -> None:
    """The console's `lawshelf` runs as the lawshelf user, whom systemd may refuse: the
    maintenance flag is set, and the refusal is returned in words, not swallowed."""
    bin_dir, run = tmp_path / "bin", tmp_path / "run-systemd"
    bin_dir.mkdir()
    run.mkdir()
    fake = bin_dir / "systemctl"
    fake.write_text(
        '#!/bin/sh\n[ "$1" = is-enabled ] && exit 1\necho "Access denied" >&2\nexit 4\n'
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    monkeypatch.setattr(maintenance, "SYSTEMD_RUN", run)
    problem = maintenance.set_mode(home, True)
    assert maintenance.is_on(home)
    assert "Access denied" in problem and "systemctl stop lawshelf-kiosk.service" in problem
    fake.write_text("#!/bin/sh\nexit 0\n")
    assert maintenance.set_mode(home, False) is None


@pytest.mark.parametrize(
    ("hours", "hhmm", "off"),
    [
        ("22:00-06:00", "23:30", True),
        ("22:00-06:00", "05:59", True),
        ("22:00-06:00", "06:00", False),
        ("12:00-13:00", "12:30", True),
        ("12:00-13:00", "21:00", False),
        ("", "23:00", False),
        ("bad", "23:00", False),
    ],
)
def test_screen_off_window(hours: str, hhmm: str, off: bool) -> None:
    from datetime import datetime

    h, m = map(int, hhmm.split(":"))
    assert maintenance.screen_off_now(hours, datetime(2026, 1, 1, h, m)) is off
