"""Smoke walk: tap every button and card on every resident screen (offscreen, demo library).

A tap must never end on the crash screen, raise, or log a Qt warning (the autouse guard in
conftest fails the test on any unexpected warning). Each screen must also have a title, Back
and Home, and only touch targets of at least 15 mm. The reader's table of contents once
crashed with an ImportError on first use; it is exercised here by a real tap.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.ui.conftest import shown
from ui.qt import QPushButton, Qt
from ui.widgets import Card

LEFT = Qt.MouseButton.LeftButton
MAX_TAPS = 16  # per screen: enough for every tool and the first results, keeps the walk fast
# What a screen asks the library for as it opens, answered (results, outline, pages, lists).
LOADED: dict[str, Callable[[Any], bool]] = {
    "search": lambda s: s.answer is not None,  # after its debounce: the help until then
    "reader": lambda s: bool(s.outline.sections),
    "pdf": lambda s: s.count > 0,
    "bookshelf": lambda s: bool(s.chips),
    "qa": lambda s: bool(s.cards),
    "contest": lambda s: s.inner.layout_.count() > 0,
    "notices": lambda s: s.inner.layout_.count() > 0,
    "legal_aid": lambda s: s.inner.layout_.count() > 0,
}


@pytest.fixture
def shell(make_shell, monkeypatch):  # noqa: ANN001, ANN201
    monkeypatch.setenv("LAWSHELF_UI_NO_AUDIO", "1")
    monkeypatch.setenv("LAWSHELF_UI_NO_PRINTER", "1")
    return make_shell()


def _first_hit(shell: Any, query: str, hit_type: str = "article") -> Any:
    res = shell.ctx.call_library(lambda lib: lib.search(query, limit=20))
    return next(h for h in res.hits if h.hit_type == hit_type)


def _screens(shell: Any) -> list[tuple[str, dict]]:
    hit = _first_hit(shell, "ly hon")
    docs = shell.ctx.call_library(lambda lib: lib.documents())
    pdf = next(d for d in docs if d.pdf)
    return [
        ("search", {"query": "ly hon"}),
        ("reader", {"doc_id": hit.doc_id, "article": hit.article, "terms": "ly hon"}),
        ("pdf", {"file": pdf.pdf, "title": pdf.title, "terms": "án lệ"}),
        ("bookshelf", {}),
        ("accessibility", {}),
        ("qa", {}),
        ("contest", {}),
        ("notices", {}),
        ("legal_aid", {}),
        ("message", {"title": "Máy in chưa sẵn sàng", "text": "Máy in đang tắt."}),
        ("crash", {}),
    ]


def _tappables(screen: Any) -> list[Any]:
    found = [
        w
        for w in screen.findChildren(QPushButton) + screen.findChildren(Card)
        if w.isVisible() and w.isEnabled() and w.objectName() != "admin"
    ]
    return found[:MAX_TAPS]


def _open(shell: Any, qtbot: Any, name: str, kw: dict) -> Any:
    shell.go_home()
    screen = shell.navigate(name, **kw)
    # Library answers arrive on the GUI thread and what they add is shown a turn later. The
    # 150 ms waited here before never saw the search's results (its debounce alone is 150 ms),
    # and a slow machine found fewer targets than `tapped > 40` needs.
    loaded = LOADED.get(name, lambda s: True)
    opened = shell.current_name == name  # else the crash screen: the callers say so
    qtbot.waitUntil(lambda: (not opened or loaded(screen)) and shown(screen), timeout=10000)
    return screen


def _describe(widget: Any) -> str:
    text = widget.text() if isinstance(widget, QPushButton) else ""
    return f"{type(widget).__name__}({widget.objectName()!r}, {text!r})"


def test_every_screen_has_title_back_home_and_big_targets(shell, qtbot) -> None:  # noqa: ANN001
    target = shell.ctx.theme.target
    for name, kw in _screens(shell):
        screen = _open(shell, qtbot, name, kw)
        assert shell.current_name == name
        assert shell.title_label.text().strip() or name == "crash", f"{name} has no title"
        assert shell.back_button.isVisible() and shell.home_button.isVisible(), name
        for w in _tappables(screen) + [shell.back_button, shell.home_button]:
            if isinstance(w, QPushButton):
                assert w.height() >= target and w.width() >= target, f"{name}: {_describe(w)}"


@pytest.mark.slow  # about 30 s: every tap reopens its screen
def test_tapping_every_button_never_crashes(shell, qtbot) -> None:  # noqa: ANN001
    tapped = 0
    for name, kw in _screens(shell):
        count = len(_tappables(_open(shell, qtbot, name, kw)))
        for i in range(count):
            targets = _tappables(_open(shell, qtbot, name, kw))
            if i >= len(targets):
                break
            what = _describe(targets[i])
            qtbot.mouseClick(targets[i], LEFT)
            qtbot.wait(120)
            assert shell.current_name != "crash", f"{name}: tapping {what} crashed"
            if shell.back_button.isVisible():
                qtbot.mouseClick(shell.back_button, LEFT)  # and the way back works too
                qtbot.wait(30)
                assert shell.current_name != "crash", f"{name}: back after {what} crashed"
            tapped += 1
    assert tapped > 40


def test_home_tiles_open_their_screens_and_come_back(shell, qtbot) -> None:  # noqa: ANN001
    shell.go_home()
    home = shell.current
    for name, tile in list(home.tiles.items()):
        assert tile.text().strip(), f"tile {name} lost its caption"
        qtbot.mouseClick(shell.current.tiles[name], LEFT)
        qtbot.wait(100)
        assert shell.current_name == name
        qtbot.mouseClick(shell.home_button, LEFT)
        assert shell.current_name == "home"
        assert all(t.text().strip() for t in shell.current.tiles.values())


def test_table_of_contents_jumps_to_the_tapped_article(shell, qtbot) -> None:  # noqa: ANN001
    hit = _first_hit(shell, "ly hon")
    reader = shell.navigate("reader", doc_id=hit.doc_id, article=hit.article, terms="ly hon")
    qtbot.waitUntil(lambda: bool(reader.outline.sections), timeout=10000)
    start = reader.index
    qtbot.mouseClick(reader.toc_button, LEFT)
    assert reader.pages.currentWidget() is reader.toc
    qtbot.waitUntil(lambda: reader.toc.currentItem() is not None, timeout=2000)
    # The current article is highlighted; tap the next article row below it.
    row = reader.toc.currentRow() + 1
    while reader.toc.item(row).data(Qt.ItemDataRole.UserRole) is None:
        row += 1  # skip a chapter heading
    item = reader.toc.item(row)
    reader.toc.scrollToItem(item)
    qtbot.wait(20)
    rect = reader.toc.visualItemRect(item)
    assert rect.height() >= shell.ctx.theme.target
    qtbot.mouseClick(reader.toc.viewport(), LEFT, pos=rect.center())
    qtbot.waitUntil(lambda: reader.pages.currentWidget() is reader.text, timeout=2000)
    index = item.data(Qt.ItemDataRole.UserRole)
    assert reader.index == index != start
    sec = reader.outline.sections[index]
    assert reader.current_key() == sec.key
    assert sec.label.split(".")[0] in reader.text.toPlainText()
