"""The room kept for the on-screen keyboard never changes under a finger (offscreen; the
real keyboard is driven in test_xvfb_taps.py)."""

from __future__ import annotations

from tests.ui.conftest import above_keyboard

KEYBOARD_PX = 600


def _margin(shell) -> int:  # noqa: ANN001
    return shell.centralWidget().layout().contentsMargins().bottom()


def test_keyboard_leaving_mid_tap_waits_for_the_release(qtbot, make_shell) -> None:  # noqa: ANN001
    """Press on a button, the keyboard hides (focus left the field): the button stays put
    until the release, and the tap acts."""
    from ui.qt import QGuiApplication, Qt

    shell = make_shell()
    shell.resize(1920, 1080)
    shell.show()
    screen = shell.show_message("Tiêu đề", "Nội dung")
    shell.keyboard_covers(KEYBOARD_PX)
    qtbot.waitUntil(lambda: above_keyboard(shell, KEYBOARD_PX), timeout=3000)
    back = screen.findChild(type(shell.back_button), "message_back")
    where = back.mapTo(shell, back.rect().center())
    assert where.y() < shell.height() - KEYBOARD_PX  # above the keyboard, where it is tapped
    qtbot.mousePress(back, Qt.MouseButton.LeftButton, pos=back.rect().center())
    QGuiApplication.inputMethod().visibleChanged.emit()  # the keyboard went away on the press
    qtbot.wait(20)
    assert _margin(shell) == KEYBOARD_PX  # held: nothing moved under the finger
    assert back.mapTo(shell, back.rect().center()) == where
    qtbot.mouseRelease(back, Qt.MouseButton.LeftButton, pos=back.rect().center())
    qtbot.waitUntil(lambda: shell.current_name == "home", timeout=2000)  # the tap acted
    qtbot.waitUntil(lambda: _margin(shell) == 0, timeout=2000)  # then the room came back


def test_a_button_taking_focus_is_not_scrolled_away(qtbot, make_shell) -> None:  # noqa: ANN001
    """Only a text field is scrolled above the keyboard: a button half in view that takes the
    focus from a press stays where the finger is."""
    from ui.qt import QScrollArea

    shell = make_shell()
    shell.resize(1920, 1080)
    shell.show()
    screen = shell.navigate("ask")
    shell.keyboard_covers(KEYBOARD_PX)
    qtbot.waitUntil(lambda: above_keyboard(shell, KEYBOARD_PX), timeout=3000)
    send = screen.findChild(type(shell.back_button), "send")
    area = screen.findChild(QScrollArea)
    bar = area.verticalScrollBar()
    top = send.mapTo(area.widget(), send.rect().topLeft()).y()
    bar.setValue(top + send.height() // 2 - area.viewport().height())  # half of it in view
    qtbot.wait(20)
    before = bar.value()
    send.setFocus()  # what a press on it does
    qtbot.wait(50)
    assert bar.value() == before
