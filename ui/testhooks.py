"""Test-only window into the running app (enabled by LAWSHELF_UI_TEST_STATE=<file>).

Every 150 ms the app writes a small JSON snapshot: current screen, search text, reader
article, loop and session state, and where the on-screen keyboard's keys (and a long-press
popup's alternatives) are on the screen. An end-to-end test under Xvfb reads it to know
where to tap with xdotool and what happened, without reaching into the process.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ui.qt import QGuiApplication, QTimer, quick

if TYPE_CHECKING:
    from ui.shell import Shell


def _vk_keys() -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """Centres of the keyboard's keys and of visible alternative-key popup items."""
    QtQuick = quick()  # the keyboard is a Qt Quick window; only tests look inside
    keys: dict[str, list[int]] = {}
    alts: dict[str, list[int]] = {}
    for win in QGuiApplication.topLevelWindows():
        if not isinstance(win, QtQuick.QQuickWindow) or not win.isVisible():
            continue
        stack = [win.contentItem()]
        while stack:
            item = stack.pop()
            stack.extend(item.childItems())
            if not item.isVisible() or item.metaObject().indexOfProperty("text") < 0:
                continue
            cls = item.metaObject().className()
            text = item.property("text") or ("hide" if cls.startswith("HideKeyboard") else "")
            if not isinstance(text, str) or not text:
                continue
            centre = win.mapToGlobal(item.mapToScene(item.boundingRect().center()).toPoint())
            where = [centre.x(), centre.y()]
            if cls.startswith("HideKeyboardKey"):
                keys["hide"] = where
            elif cls.startswith(("Key_", "SpaceKey", "BackspaceKey", "EnterKey", "ShiftKey")):
                keys.setdefault("\b" if cls.startswith("Backspace") else text, where)
            elif cls == "QQuickText" and _in_alternatives(item):
                alts[text] = where
    return keys, alts


def _in_alternatives(item: Any) -> bool:
    parent = item.parentItem()
    while parent is not None:
        if parent.metaObject().className().startswith("AlternativeKeys"):
            return True
        parent = parent.parentItem()
    return False


def snapshot(shell: Shell) -> dict[str, Any]:
    cur = shell.current
    state: dict[str, Any] = {
        "screen": shell.current_name,
        "in_loop": shell.in_loop,
        "library": shell.library_state,
        "session_clean": shell.session.is_clean(),
        "query": cur.query.text() if hasattr(cur, "query") else None,
        "results": (cur.answer.result.total if getattr(cur, "answer", None) else None),
        "article": cur.current_key() if hasattr(cur, "current_key") else None,
        "doc_id": getattr(cur, "doc_id", None),
        "vk_visible": QGuiApplication.inputMethod().isVisible(),
        "vk_locale": QGuiApplication.inputMethod().locale().name(),
    }
    g = shell.geometry()
    state["window"] = [g.x(), g.y(), g.width(), g.height()]
    state["buttons"] = _buttons(shell)
    if shell.current_name == "reader":
        state["reader_text_h"] = cur.text.height()
    if state["vk_visible"]:
        state["keys"], state["alternatives"] = _vk_keys()
        from ui.keyboard import keyboard_rect

        rect = keyboard_rect()
        state["vk_top"] = rect.top() if rect is not None else None
    if shell.current_name == "search" and getattr(cur, "answer", None):
        state["hit_cards"] = _cards(cur)
    return state


def _buttons(shell: Shell) -> dict[str, list[int]]:
    """Centres of the visible parts of named buttons, cards and text fields (title bar and
    current screen); a widget scrolled out of view is left out."""
    from ui.qt import QLineEdit, QPushButton, QtWidgets
    from ui.widgets import Card

    out = {}
    for kind in (QPushButton, Card, QLineEdit, QtWidgets.QPlainTextEdit):
        for widget in shell.findChildren(kind):
            if not (widget.objectName() and widget.isVisible() and widget.isEnabled()):
                continue
            visible = widget.visibleRegion().boundingRect()
            if visible.isEmpty():
                continue
            c = widget.mapToGlobal(visible.center())
            out.setdefault(widget.objectName(), [c.x(), c.y()])
    return out


def _cards(screen: Any) -> list[dict[str, Any]]:
    """The first five result cards on screen. Read from the results' layout: a card of the
    last answer, hidden and waiting for deletion, still answers to its name."""
    lay = screen.results_lay
    shown = (lay.itemAt(k).widget() for k in range(lay.count()))
    cards = {w.objectName(): w for w in shown if w is not None}
    out = []
    for i, hit in enumerate(screen.answer.result.hits[:5]):
        card = cards.get(f"hit_{i}")
        if card is None or not card.isVisible() or card.visibleRegion().isEmpty():
            continue
        visible = card.visibleRegion().boundingRect()
        centre = card.mapToGlobal(visible.center())
        out.append(
            {
                "key": hit.key,
                "type": hit.hit_type,
                "doc_id": hit.doc_id,
                "article": hit.article,
                "xy": [centre.x(), centre.y()],
            }
        )
    return out


def install(shell: Shell, path: str) -> QTimer:
    target = Path(path)

    def write() -> None:
        request = target.with_suffix(".grab")  # a test asks for a picture of the screen
        if request.exists():
            out = request.read_text(encoding="utf-8").strip()
            QGuiApplication.primaryScreen().grabWindow(0).save(out)
            request.unlink()
        tmp = target.with_suffix(".tmp")
        tmp.write_text(json.dumps(snapshot(shell), ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, target)

    timer = QTimer(shell)
    timer.timeout.connect(write)
    timer.start(150)
    return timer
