"""Small real inputs for the admin tests: a PDF with Vietnamese text; the release publisher;
the PIN pad and the corner gesture as a librarian uses them."""

from __future__ import annotations

import os
from pathlib import Path

from helpers_release import Publisher

__all__ = [
    "NOTO",
    "PIN",
    "Publisher",
    "corner_hold",
    "enter_pin",
    "local_add_screen",
    "login",
    "make_pdf",
    "shot",
]

PIN = "482913"
# looked-at copies: docs/screenshots/
SHOTS = Path(os.environ.get("LAWSHELF_SCREENSHOTS", "/tmp/lawshelf-screenshots"))

NOTO = Path("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf")


def make_pdf(path: Path, pages: list[str]) -> Path:
    import pymupdf

    doc = pymupdf.open()
    for text in pages:
        page = doc.new_page()
        if NOTO.exists():
            page.insert_font(fontname="noto", fontfile=str(NOTO))
            page.insert_textbox(pymupdf.Rect(50, 50, 550, 800), text, fontname="noto")
        else:
            page.insert_textbox(pymupdf.Rect(50, 50, 550, 800), text)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    doc.close()
    return path


def shot(widget, name: str) -> None:  # noqa: ANN001
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.window().grab().save(str(SHOTS / f"{name}.png"))


def press(qtbot, screen, key: str) -> None:  # noqa: ANN001
    from ui.qt import Qt

    qtbot.mouseClick(screen.keys[key], Qt.MouseButton.LeftButton)


def enter_pin(qtbot, screen, pin: str) -> None:  # noqa: ANN001
    for digit in pin:
        press(qtbot, screen, digit)
    press(qtbot, screen, "OK")


def login(qtbot, sh) -> None:  # noqa: ANN001
    sh.navigate("admin")
    assert sh.current.objectName() == "admin_pin"
    enter_pin(qtbot, sh.current, PIN)
    assert sh.current.objectName() == "admin_menu"


def corner_hold(qtbot, sh) -> str:  # noqa: ANN001
    """Hold the bottom-right corner (ui.screens.admin.HOLD_MS) and say what opened."""
    from ui.qt import QPoint, Qt

    qtbot.waitExposed(sh)
    corner = QPoint(sh.width() - 5, sh.height() - 5)
    target = sh.childAt(corner) or sh
    local = target.mapFrom(sh, corner)
    before = sh.current
    qtbot.mousePress(target, Qt.MouseButton.LeftButton, pos=local)
    qtbot.waitUntil(lambda: sh.current is not before, timeout=3000)
    qtbot.mouseRelease(target, Qt.MouseButton.LeftButton, pos=local)
    return sh.current.objectName()


def local_add_screen(qtbot, sh, home: Path, media: Path, monkeypatch):  # noqa: ANN001, ANN201
    """The librarian, logged in, on "add a local document" with the sticks under `media`
    mounted and their one PDF listed."""
    from kiosk import admin
    from kiosk.state import open_state

    monkeypatch.setenv("LAWSHELF_USB_ROOTS", str(media))
    admin.set_pin(open_state(home), PIN)
    login(qtbot, sh)
    sh.navigate("admin_local")
    screen = sh.current
    qtbot.waitUntil(lambda: screen.files.count() == 1, timeout=5000)
    return screen
