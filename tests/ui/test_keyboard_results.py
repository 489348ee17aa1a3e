"""With the on-screen keyboard up (about 55 % of a 1080-line screen) results stay usable:
one-line rows so several fit above it, and scrolling the results puts the keyboard away."""

from __future__ import annotations

from tests.ui.conftest import above_keyboard, shown, type_text

KEYBOARD_PX = 600  # the vi_VN keyboard's height on a 1920x1080 screen (measured under Xvfb)


def _visible_hits(screen) -> list:  # noqa: ANN001
    view = screen.area.viewport()
    out = []
    for card in screen.results.findChildren(object):
        if not card.objectName().startswith("hit_") or not card.isVisible():
            continue
        top = card.mapTo(view, card.rect().topLeft()).y()
        if top >= 0 and top + card.height() <= view.height():
            out.append(card)
    return out


def _rows_laid_out(screen) -> bool:  # noqa: ANN001
    """The rebuilt rows shown and the results as tall as they need: until the scroll area has
    resized the results (a later turn of the event loop), the box layout squeezes the rows
    below their touch-target height."""
    needed = screen.results_lay.minimumSize().height()
    return shown(screen.results) and screen.results.height() >= needed


def test_compact_rows_show_several_results_above_the_keyboard(make_shell, qtbot) -> None:  # noqa: ANN001
    from ui.qt import QApplication, QPoint, Qt, QtCore, QtGui

    shell = make_shell()
    shell.resize(1920, 1080)
    screen = shell.navigate("search")
    type_text(screen.query, "phat vuot den do")
    qtbot.waitUntil(
        lambda: screen.answer is not None and screen.answer.result.total > 5, timeout=10000
    )
    # What the shell does when the keyboard rises: the window content ends above it.
    shell.keyboard_covers(KEYBOARD_PX)
    assert not shell.bottombar.isVisible()
    screen.set_compact(True)  # the full cards are hidden at once, deleted later
    qtbot.waitUntil(lambda: _rows_laid_out(screen), timeout=3000)
    qtbot.waitUntil(lambda: len(_visible_hits(screen)) >= 4, timeout=3000)
    target = shell.ctx.theme.target
    hits = screen.answer.result.hits
    cut = 0
    for card in _visible_hits(screen):
        assert len(card.labels) == 1
        assert card.height() >= target  # still a 15 mm touch target
        lab, hit = card.labels[0], hits[int(card.objectName().split("_")[1])]
        # One line that fits, cut with `…` where it must, the document's number never cut.
        assert lab.fontMetrics().horizontalAdvance(lab.text()) <= lab.contentsRect().width()
        assert hit.doc_number in lab.text() if hit.hit_type == "article" else True
        cut += lab.text().endswith("…") and lab.full_text != lab.text()
    assert cut >= 1  # Điều 6 of 168/2024 (cars) has a title longer than the screen
    # Scrolling the results is a sign the resident is reading: the keyboard goes, full cards return.
    view = screen.area.viewport()
    pos = QtCore.QPointF(view.width() / 2, view.height() / 2)
    wheel = QtGui.QWheelEvent(
        pos,
        view.mapToGlobal(pos),
        QPoint(0, 0),
        QPoint(0, -120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view, wheel)
    assert not screen.compact
    qtbot.wait(50)
    qtbot.waitUntil(
        lambda: len(screen.results.findChild(object, "hit_0").labels) >= 3, timeout=3000
    )
    shell.keyboard_covers(0)
    assert shell.bottombar.isVisible()  # the freshness line is back


def test_field_being_typed_into_scrolls_above_the_keyboard(
    make_shell, qtbot, publisher_key
) -> None:  # noqa: ANN001
    shell = make_shell()
    shell.resize(1920, 1080)
    ask = shell.navigate("ask")
    qtbot.wait(100)
    shell.keyboard_covers(KEYBOARD_PX)
    qtbot.waitUntil(lambda: above_keyboard(shell, KEYBOARD_PX), timeout=3000)
    contact = ask.findChild(object, "ask_contact")
    area = next(p for p in _parents(contact) if type(p).__name__ == "QScrollArea")
    view = area.viewport()

    def in_view() -> bool:
        top = contact.mapTo(view, contact.rect().topLeft()).y()
        return top >= 0 and top + contact.height() <= view.height()

    assert not in_view()  # under the keyboard until it takes the focus
    contact.setFocus()
    # Scrolled on a later turn of the event loop (again if the page settles late).
    qtbot.waitUntil(in_view, timeout=3000)
    shell.keyboard_covers(0)


def _parents(w):  # noqa: ANN001, ANN202
    p = w.parentWidget()
    while p is not None:
        yield p
        p = p.parentWidget()


def _rows_typed_above_the_keyboard(shell, screen, qtbot, text: str) -> list:  # noqa: ANN001
    """The keyboard up (compact rows), `text` typed: the result rows once its answer is in."""
    shell.keyboard_covers(KEYBOARD_PX)
    screen.set_compact(True)
    type_text(screen.query, text)
    qtbot.waitUntil(
        lambda: screen.answer is not None and screen.answer.query == text, timeout=10000
    )
    lay = screen.results_lay
    found = (lay.itemAt(i).widget() for i in range(lay.count()))
    rows = [w for w in found if w is not None and w.objectName().startswith("hit_")]
    # A layout shows the widgets added to it on the event loop's next turn; until then a box
    # layout counts them as empty, so the sizes are read once every row is on screen.
    qtbot.waitUntil(lambda: all(r.isVisible() for r in rows), timeout=3000)
    return rows


def test_rows_found_while_typing_with_the_keyboard_up_keep_their_height(make_shell, qtbot) -> None:  # noqa: ANN001
    """The help page (wrapped text) is fitted to its height; the one-line rows found while the
    keyboard is up (each keystroke searches) are not squeezed into that height."""
    shell = make_shell()
    shell.resize(1920, 1080)
    screen = shell.navigate("search")
    qtbot.waitUntil(lambda: screen.results.minimumHeight() > 0, timeout=3000)  # the help
    rows = _rows_typed_above_the_keyboard(shell, screen, qtbot, "tam ngung kinh doanh")
    assert len(rows) >= 10
    needed = screen.results_lay.minimumSize().height()
    assert needed >= len(rows) * shell.ctx.theme.target
    qtbot.waitUntil(lambda: screen.results.height() >= needed, timeout=3000)


def test_q_and_a_shows_the_questions_alone_while_the_keyboard_is_up(make_shell, qtbot) -> None:  # noqa: ANN001
    """Above the keyboard the Q&A page showed one answer card under its buttons; with the
    keyboard up it lists the questions alone, and everything returns when it goes."""
    shell = make_shell()
    shell.resize(1920, 1080)
    screen = shell.navigate("qa")
    type_text(screen.query, "vuot den do")
    qtbot.waitUntil(
        lambda: len(screen.cards) >= 4 and len(screen.cards[0].labels) == 2, timeout=10000
    )
    shell.keyboard_covers(KEYBOARD_PX)
    screen.set_compact(True)
    assert not screen.actions.isVisible() and not screen.to_search.isVisible()
    assert screen.cards and all(len(c.labels) == 1 for c in screen.cards)
    view = screen.results.parentWidget()  # the scroll area's viewport

    def whole() -> int:  # cards laid out and wholly above the keyboard
        tops = [c.mapTo(view, c.rect().topLeft()).y() for c in screen.cards]
        return sum(
            t >= 0 and t + c.height() <= view.height()
            for t, c in zip(tops, screen.cards, strict=True)
        ) * (len(set(tops)) == len(tops))

    qtbot.waitUntil(lambda: whole() >= 3, timeout=3000)
    # Nothing found: the ways on (ask, search the laws) are shown, keyboard or not.
    screen.query.clear()
    type_text(screen.query, "zzqx")
    qtbot.waitUntil(lambda: not screen.cards, timeout=10000)
    assert screen.actions.isVisible() and screen.to_search.isVisible()
    assert screen.status.isVisible() and screen.status.text()
    screen.set_compact(False)
    assert screen.actions.isVisible() and screen.to_search.isVisible()
    shell.keyboard_covers(0)


def test_one_line_rows_at_the_largest_text_keep_their_letters_whole(make_shell, qtbot) -> None:  # noqa: ANN001
    """A row's touch-target minimum must not replace its text's height: at `Chữ rất lớn` the
    one-line rows were cut to the target and lost the descenders of `g`, `y`, `ụ`."""
    shell = make_shell()
    shell.resize(1920, 1080)
    shell.navigate("accessibility").set_size("xlarge")
    screen = shell.navigate("search")
    rows = _rows_typed_above_the_keyboard(shell, screen, qtbot, "chia tai san khi ly hon")
    assert rows
    qtbot.waitUntil(
        lambda: all(r.labels[0].height() >= r.labels[0].sizeHint().height() for r in rows),
        timeout=3000,
    )
    assert all(r.height() >= shell.ctx.theme.target for r in rows)
    shell.navigate("accessibility").set_size("normal")
    shell.keyboard_covers(0)


def test_enter_searches_at_once_and_puts_the_keyboard_away(make_shell, qtbot) -> None:  # noqa: ANN001
    """The keyboard's Enter says the resident has finished typing: no wait for the pause that
    searches as they type, and full cards, not the one-line rows kept above the keyboard."""
    from ui.qt import Qt

    shell = make_shell()
    screen = shell.navigate("search")
    screen.query.setText("ly hon")
    screen.set_compact(True)  # as while the keyboard is up
    screen.query.setFocus()
    qtbot.waitUntil(screen.query.hasFocus)
    assert screen.debounce.isActive()
    qtbot.keyClick(screen.query, Qt.Key.Key_Return)
    assert not screen.debounce.isActive() and not screen.compact
    assert not screen.query.hasFocus()  # a focused field raised the keyboard again
    qtbot.waitUntil(lambda: screen.answer is not None and screen.answer.result.total > 0)
    sent = screen.latest
    screen.query.setFocus()
    qtbot.keyClick(screen.query, Qt.Key.Key_Return)  # again: searched already, counted once
    assert screen.latest == sent and not screen.compact
