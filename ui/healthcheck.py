"""The UI part of an app update's health check: build the real shell offscreen and paint Home.

Run by `lawshelf app health-check` inside a NEW app environment before it may be switched to
(sync/app_health.py): the same `ui.app.create` the kiosk uses, the library opened on its worker
thread as at start-up, then Home grabbed as an image. A screen of one flat colour, a library
that never opens or any exception fails the check.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from ui.qt import QImage, process_events

WIDTH, HEIGHT = 1920, 1080
MIN_COLOURS = 4  # text on a background, a button, an accent: a blank window has one or two


def _wait(cond: Callable[[], bool], timeout_s: float) -> bool:
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        process_events()
        if cond():
            return True
        time.sleep(0.01)
    return False


def _colours(image: QImage) -> int:
    """Distinct colours on a coarse grid of the grabbed window."""
    seen = set()
    for y in range(0, image.height(), 12):
        for x in range(0, image.width(), 12):
            seen.add(image.pixel(x, y))
    return len(seen)


def render_home(home: Path, timeout_s: float = 60.0) -> dict[str, object]:
    """Paint Home with the live library; returns what was seen, raises RuntimeError if broken."""
    from ui import app as uiapp

    uiapp.prepare_environment(virtual_keyboard=False)
    _app, shell = uiapp.create(home, windowed=True)
    try:
        shell.resize(WIDTH, HEIGHT)
        if not _wait(lambda: not shell.ctx.loading, timeout_s):
            raise RuntimeError(f"the library did not open within {timeout_s:.0f} s")
        if shell.ctx.library is None:
            raise RuntimeError(f"the library did not open: {shell.ctx.library_error!r}")
        _wait(lambda: False, 0.3)
        image = shell.grab().toImage()
        colours = _colours(image)
        if colours < MIN_COLOURS or shell.current_name != "home":
            raise RuntimeError(f"Home did not paint ({colours} colours on {shell.current_name})")
        return {
            "screen": shell.current_name,
            "size": [image.width(), image.height()],
            "colours": colours,
            "generation": shell.ctx.info.get("generation"),
        }
    finally:
        shell.ctx.ops.wait()
        shell.allow_close()
        shell.close()
        shell.deleteLater()
        process_events()
