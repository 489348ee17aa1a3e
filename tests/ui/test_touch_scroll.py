"""A finger drag scrolls long lists (QScroller, touch gesture), as residents expect."""

from __future__ import annotations

from tests.ui.conftest import shown, type_text


def test_finger_drag_scrolls_results(make_shell, qtbot) -> None:  # noqa: ANN001
    from pytestqt.qt_compat import qt_api

    from ui.qt import QPoint, QScroller

    QTest = qt_api.QtTest.QTest  # noqa: N806

    shell = make_shell()
    shell.resize(1920, 1080)
    screen = shell.navigate("search")
    type_text(screen.query, "phat vuot den do")
    qtbot.waitUntil(
        lambda: screen.answer is not None and screen.answer.result.total > 5, timeout=10000
    )
    view = screen.area.viewport()
    assert QScroller.hasScroller(view)
    bar = screen.area.verticalScrollBar()
    # The cards are shown, and the scroll range set, on later turns of the event loop.
    qtbot.waitUntil(lambda: shown(screen.results) and bar.maximum() > 0, timeout=3000)
    assert bar.value() == 0
    dev = QTest.createTouchDevice()
    win = shell.windowHandle()
    origin = view.mapTo(shell, QPoint(0, 0))
    x, y = origin.x() + view.width() // 2, origin.y() + view.height() - 40
    QTest.touchEvent(win, dev).press(0, QPoint(x, y)).commit()
    for step in range(1, 16):
        qtbot.wait(16)
        QTest.touchEvent(win, dev).move(0, QPoint(x, y - step * 30)).commit()
    QTest.touchEvent(win, dev).release(0, QPoint(x, y - 450)).commit()
    qtbot.waitUntil(lambda: bar.value() > 100, timeout=3000)
    scroller = QScroller.scroller(view)
    qtbot.waitUntil(lambda: scroller.state() == QScroller.State.Inactive, timeout=5000)


def test_the_more_below_bar_stays_clear_of_a_scroll_bar_that_appears_later(qtbot) -> None:  # noqa: ANN001
    """Content that arrives after the page is shown (a library answer) makes the scroll bar
    appear and the viewport narrower, without the area itself changing size: the bar must
    follow the viewport, not lie under the scroll bar."""
    from ui.qt import QLabel, QPushButton, QVBoxLayout, QWidget
    from ui.scrolling import scroller

    inner = QWidget()
    lay = QVBoxLayout(inner)
    lay.addWidget(QLabel("một dòng"))
    area = scroller(inner, more_below=True)
    qtbot.addWidget(area)
    area.resize(600, 400)
    area.show()
    qtbot.waitExposed(area)
    for i in range(60):
        lay.addWidget(QLabel(f"dòng {i}"))
    more = area.findChild(QPushButton, "more_below")
    qtbot.waitUntil(more.isVisible, timeout=3000)
    qtbot.wait(50)
    assert area.verticalScrollBar().isVisible()
    assert more.geometry().right() <= area.viewport().geometry().right()
