"""What keeps the kiosk's memory flat over a day (issue 18; figures in docs/benchmarks.md,
"A kiosk's day"): nothing a visit opened may hold memory once the screen is gone."""

from __future__ import annotations

from ui.qt import QWidget


def _video_files(shell) -> list[str]:  # noqa: ANN001
    return shell.ctx.call_library(lambda lib: [m.file for m in lib.media() if m.type == "video"])


def test_video_screen_paints_frames_in_the_window_without_a_native_child(make_shell, qtbot) -> None:  # noqa: ANN001
    """A QVideoWidget is a native child window; under X its shared-memory image outlived the
    screen, 5.3 MB per video watched (a day of 20 videos: +107 MB). Frames now go from a
    sink into a widget painted with the rest of the window, as in the media loop."""
    shell = make_shell()
    shell.resize(1920, 1080)
    screen = shell.navigate("video", file=_video_files(shell)[0])
    qtbot.waitUntil(lambda: screen.video.image is not None, timeout=15000)
    native = [w for w in screen.findChildren(QWidget) if w.internalWinId()]
    assert not native, [type(w).__name__ for w in native]
    img = screen.video.grab().toImage()  # a screenshot shows the frame, not a black hole
    w, h = img.width(), img.height()
    colours = {img.pixel(x * w // 16, y * h // 10) for x in range(1, 16) for y in range(1, 10)}
    assert len(colours) > 4
    shell.go_home()
