"""`lawshelf signage` on screen: both orientations, a broken video skipped, no input, plays
counted, and the last verified playlist when the library is gone (offscreen Qt)."""

from __future__ import annotations

import os
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from offline_index.home import heartbeat_path
from tests.signage.helpers import home_with_library

SHOTS = Path(os.environ.get("LAWSHELF_SCREENSHOTS", "/tmp/lawshelf-screenshots"))


@pytest.fixture
def make_screen(qtbot, qtlog):  # noqa: ANN001, ANN201
    from kiosk import settings as st
    from ui import signage

    made = []

    def make(home: Path, moment: str, size: tuple[int, int] = (1280, 720), **overrides):  # noqa: ANN202
        values = st.Settings(ward_name="Phường Láng", fullscreen=False, **overrides)
        clock = lambda: datetime.fromisoformat(moment)  # noqa: E731
        _app, window = signage.create(home, windowed=True, settings=values, clock=clock)
        window.resize(*size)
        qtbot.addWidget(window)
        made.append(window)
        return window

    yield make
    for window in made:
        window.ctx.ops.wait()
        window.allow_close()
        window.close()


def _colours(image) -> int:  # noqa: ANN001
    return len(
        {image.pixel(x, y) for x in range(0, image.width(), 9) for y in range(0, image.height(), 9)}
    )


@pytest.mark.parametrize(
    ("name", "size", "rotation"),
    [
        ("signage-landscape", (1920, 1080), 0),
        ("signage-portrait", (1080, 1920), 0),
        ("signage-turned-tv", (1920, 1080), 90),  # a landscape TV mounted on its side
    ],
)
def test_signage_screen_in_both_orientations(
    make_screen, qtbot, tmp_path, name, size, rotation
) -> None:  # noqa: ANN001
    home = home_with_library(tmp_path)
    window = make_screen(home, "2026-11-10T01:00", size, signage_rotation=rotation)
    qtbot.waitUntil(lambda: window.stage.image is not None, timeout=30000)
    assert window.current.id == "info-ruou-bia" and window.plan.playlists == ["dem"]
    assert window.stage.footer == "Dữ liệu cập nhật ngày 01/11/2026 · Phường Láng"
    assert heartbeat_path(home).exists()  # the watchdog's proof of life
    shot = window.grab().toImage()
    assert (shot.width(), shot.height()) == size and _colours(shot) > 20  # a picture, not black
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot.save(str(SHOTS / f"{name}.png"))


def test_a_corrupt_video_is_skipped_never_a_black_screen(
    make_screen, qtbot, qtlog, tmp_path
) -> None:  # noqa: ANN001
    home = home_with_library(tmp_path, broken_video=True)
    # FFmpeg says what it thinks of the file (and, without VA-API, of the machine): expected.
    with qtlog.disabled():
        window = make_screen(home, "2026-11-09T21:00")  # the day playlist: video, infographic
        qtbot.waitUntil(lambda: bool(window.plan.items), timeout=30000)
        assert window.stage.image is not None or window.stage.card  # the card while it opens
        qtbot.waitUntil(lambda: "video" in window.broken, timeout=20000)
    qtbot.waitUntil(
        lambda: window.current is not None and window.current.id == "info-den-do", timeout=5000
    )
    assert window.stage.image is not None
    qtbot.waitUntil(lambda: window.played.count("info-den-do") >= 2, timeout=10000)
    assert "video" not in window.played  # a broken video is not retried nor counted


def test_plays_are_counted_and_input_is_ignored(make_screen, qtbot, tmp_path) -> None:  # noqa: ANN001
    from kiosk import stats
    from kiosk.state import open_state
    from ui.qt import QEvent, QPoint, Qt, QtGui

    home = home_with_library(tmp_path)
    window = make_screen(home, "2026-11-10T01:00")
    qtbot.waitUntil(lambda: len(window.played) >= 2, timeout=30000)
    qtbot.mouseClick(window.stage, Qt.MouseButton.LeftButton, pos=QPoint(20, 20))
    key = QtGui.QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier)
    assert window._no_input.eventFilter(window.stage, key)  # swallowed
    window.close()
    assert window.isVisible()  # no one can close it from the screen
    window.ctx.ops.wait()
    report = stats.usage_report(open_state(home))
    assert report.totals["media_play"] >= 2 and report.totals["session"] == 0


def test_a_screen_that_lost_its_library_plays_the_last_verified_playlist(
    make_screen,
    qtbot,
    tmp_path,  # noqa: ANN001
) -> None:
    from kiosk.signage import Screen, Signage
    from offline_index.library import Library

    home = home_with_library(tmp_path)
    with Library.open(home) as lib:  # what the screen played last night
        Signage(home, Screen(), clock=lambda: datetime(2026, 11, 10, 1)).plan(lib)
    shutil.rmtree(home / "library")
    window = make_screen(home, "2026-11-20T12:00")
    qtbot.waitUntil(lambda: window.stage.image is not None, timeout=30000)
    assert window.plan.source == "last_verified" and window.current.id == "info-ruou-bia"
    assert window.stage.footer.startswith("Dữ liệu cập nhật ngày 01/11/2026")
    assert not (home / "library").exists()  # no demo library built over a screen's loss
