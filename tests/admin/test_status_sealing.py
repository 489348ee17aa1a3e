"""The librarian's status screen says whether residents' entries can be taken, and why not,
and which software version runs."""

from __future__ import annotations

from pathlib import Path

from kiosk import admin_ops
from kiosk.state import open_state


def test_status_says_why_contests_are_closed_here(qapp, home: Path, tmp_path: Path) -> None:  # noqa: ANN001
    from sync.sealing import generate_keypair, install_public
    from ui.screens.admin_status import status_lines

    db = open_state(home)
    summary = admin_ops.status_summary(home, db)
    assert summary["sealing"]["ready"] is False
    text = dict(status_lines(summary))["Dự thi, liên hệ"]
    assert "CHƯA NHẬN" in text and "lawshelf seal-keys install" in text
    _priv, pub = generate_keypair(tmp_path / "publisher")
    install_public(home, pub)
    summary = admin_ops.status_summary(home, db)
    assert summary["sealing"]["ready"] is True
    assert dict(status_lines(summary))["Dự thi, liên hệ"].startswith("nhận được")


def test_status_names_the_running_software_version(qapp, home: Path) -> None:  # noqa: ANN001
    import importlib.metadata

    from ui.screens.admin_status import status_lines

    summary = admin_ops.status_summary(home, open_state(home))
    version = importlib.metadata.version("lawshelf-kiosk")
    assert dict(status_lines(summary))["Phần mềm"] == f"phiên bản {version}"
    summary["app"] |= {
        "pending": "9.9.9",
        "last_update": {"outcome": "failed_check", "version": "9.9.8"},
    }
    text = dict(status_lines(summary))["Phần mềm"]
    assert "phiên bản 9.9.9 sẽ chạy khi máy nghỉ" in text and "9.9.8 không thành công" in text


def test_the_status_screen_says_a_library_is_out_of_date(qapp, home: Path) -> None:  # noqa: ANN001
    """After a fortnight without a successful sync the librarian's screen says what to do."""
    from ui.screens.admin_status import status_lines

    summary = admin_ops.status_summary(home, open_state(home))
    assert "⚠" not in dict(status_lines(summary))["Thành công lần cuối"]
    summary["sync"]["days_stale"] = 20
    assert "đã 20 ngày chưa cập nhật" in dict(status_lines(summary))["Thành công lần cuối"]


def test_status_screen_times_are_local_as_on_the_console(qapp, monkeypatch) -> None:  # noqa: ANN001
    """Stored times are UTC, with or without their offset: the screen shows the wall clock
    the console shows (offline_index.dates.local_datetime), never a naive time as if local."""
    import time

    from offline_index.dates import local_time
    from ui.screens.admin_status import vn_time

    monkeypatch.setenv("TZ", "Asia/Ho_Chi_Minh")
    time.tzset()
    try:
        for stamp in ("2026-12-07T19:00:03+00:00", "2026-12-07T19:00:03"):
            assert vn_time(stamp) == "02:00 08/12/2026", stamp
            assert local_time(stamp) == "2026-12-08 02:00 (+07)", stamp
        assert vn_time("") == "—" and vn_time("soon") == "soon"
    finally:
        monkeypatch.undo()
        time.tzset()
