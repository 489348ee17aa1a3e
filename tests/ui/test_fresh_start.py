"""A kiosk that has run half a day restarts itself once at night, in the media loop only,
so slow native memory growth never adds up over weeks (docs/kiosk.md)."""

from __future__ import annotations

from datetime import datetime, timedelta

from kiosk.maintenance import fresh_start_due

EVENING = datetime(2026, 12, 3, 8, 0)


def _restarting_kiosk(make_shell, monkeypatch):  # noqa: ANN001, ANN202
    """A kiosk that may restart itself, on a clock the test moves; its exits are recorded."""
    from ui import update_restart
    from ui.qt import QApplication

    monkeypatch.setenv("LAWSHELF_APP_RESTART", "1")
    exits: list[int] = []
    monkeypatch.setattr(QApplication.instance(), "exit", exits.append)
    shell = make_shell(screen_off_hours="22:00-06:00")
    now = [EVENING]
    timer = update_restart.install(shell, clock=lambda: now[0])
    return shell, timer, now, exits


def test_fresh_start_due_only_after_half_a_day_and_in_the_quiet_hours() -> None:
    night = datetime(2026, 12, 3, 23, 0)
    assert fresh_start_due(EVENING, night, "22:00-06:00")
    assert not fresh_start_due(night - timedelta(hours=11), night, "22:00-06:00")  # too soon
    assert not fresh_start_due(EVENING - timedelta(days=1), EVENING + timedelta(hours=13), "")
    assert fresh_start_due(EVENING, datetime(2026, 12, 4, 3, 30), "")  # no window: small hours
    assert not fresh_start_due(EVENING, datetime(2026, 12, 4, 12, 0), "22:00-06:00")


def test_the_kiosk_exits_for_a_fresh_start_in_the_loop_not_in_a_session(
    qtbot, make_shell, monkeypatch
) -> None:
    from ui import events

    shell, timer, now, exits = _restarting_kiosk(make_shell, monkeypatch)
    now[0] = EVENING + timedelta(hours=15)  # 23:00
    timer.timeout.emit()
    assert exits == []  # a resident may be here: Home, not the loop
    shell.go_idle()  # the session is wiped and the loop starts: the check runs at once
    qtbot.waitUntil(lambda: exits == [0], timeout=5000)
    assert shell.in_loop
    restarts = [e for e in events.recent if e["event"] == "app_restart"]
    assert [e.get("reason") for e in restarts[-1:]] == ["nightly"]


def test_a_touch_on_the_loop_is_never_answered_by_an_exit(qtbot, make_shell, monkeypatch) -> None:  # noqa: ANN001
    """A touch on the loop asks for Home on the next turn; a restart check landing in that
    same turn saw the loop still running and exited under the resident's finger."""
    shell, timer, now, exits = _restarting_kiosk(make_shell, monkeypatch)
    shell.go_idle()
    qtbot.waitUntil(lambda: shell.in_loop, timeout=5000)
    now[0] = EVENING + timedelta(hours=15)  # a fresh start is due from now on
    shell.activity()  # the resident's touch
    timer.timeout.emit()  # the check's turn comes before Home's
    assert exits == []
    qtbot.waitUntil(lambda: not shell.in_loop, timeout=5000)
    assert not shell.leaving_loop
