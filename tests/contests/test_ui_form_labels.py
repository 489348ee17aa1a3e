"""Every form field has a visible, persistent label above it (placeholders are only examples):
an elderly resident must still see which box is which after she has typed into it."""

from __future__ import annotations

from datetime import date

import pytest

KEYBOARD_PX = 600  # the vi_VN keyboard's height on a 1920x1080 screen (as in tests/ui)


def _type(widget, text: str) -> None:  # noqa: ANN001
    """Type like the on-screen keyboard does: one input-method commit per character."""
    from ui.qt import QApplication, QInputMethodEvent

    widget.setFocus()
    for ch in text:
        ev = QInputMethodEvent("", [])
        ev.setCommitString(ch)
        QApplication.sendEvent(widget, ev)


def _text(edit) -> str:  # noqa: ANN001
    return edit.text() if hasattr(edit, "text") else edit.toPlainText()


def _fields(screen) -> list:  # noqa: ANN001
    from ui.qt import QLineEdit, QtWidgets

    kinds = (QLineEdit, QtWidgets.QTextEdit, QtWidgets.QPlainTextEdit)
    out = [w for k in kinds for w in screen.findChildren(k) if w.isVisibleTo(screen)]
    return [w for w in out if not w.isReadOnly()]  # a QTextBrowser is a QTextEdit, not a field


def _label_of(screen, edit):  # noqa: ANN001, ANN202
    from ui.qt import QLabel

    found = [lab for lab in screen.findChildren(QLabel) if lab.buddy() is edit]
    assert len(found) == 1, f"{edit.objectName()} has {len(found)} labels"
    return found[0]


def _open(shell, qtbot, form: str):  # noqa: ANN001, ANN202
    from ui.screens import registry

    qtbot.waitUntil(lambda: registry.loaded, timeout=5000)  # screens load after Home paints
    if form == "contest":
        take = shell.navigate("contest_take", contest_id="atgt-gplx-2026")
        qtbot.waitUntil(lambda: hasattr(take, "form"), timeout=5000)
        return take.form
    if form in ("ask", "ticket"):
        return shell.navigate("ask", mode=form)
    screen = shell.navigate("notices", today=date(2026, 12, 6))  # before the demo's sessions
    qtbot.waitUntil(lambda: bool(screen.opinion_boxes), timeout=5000)
    for notice_id in screen.opinion_boxes:
        screen._open_opinion(notice_id)
    return screen


def _assert_labelled(shell, screen, edit, qtbot) -> None:  # noqa: ANN001
    lab = _label_of(screen, edit)
    before = lab.text()
    assert lab.isVisible() and before.strip()
    assert "(bắt buộc)" in before or "(không bắt buộc)" in before, before
    assert edit.placeholderText() != before  # the placeholder is an example, not the name
    theme = shell.ctx.theme
    assert lab.fontInfo().pixelSize() >= theme.title_px - 1  # large text from the theme
    assert edit.height() >= theme.target  # still a 15 mm target
    bottom = lab.mapTo(screen, lab.rect().bottomLeft()).y()
    assert bottom <= edit.mapTo(screen, edit.rect().topLeft()).y()  # above the field
    _type(edit, "1970" if "year" in edit.objectName() else "Nguyễn Thị Ánh 0912")
    qtbot.wait(10)
    assert _text(edit), f"{edit.objectName()} took no input"
    assert lab.text() == before and lab.isVisible()  # the name stays once typed into


@pytest.mark.parametrize("form", ["contest", "ask", "ticket", "opinion"])
def test_every_field_has_a_persistent_label(qtbot, shell, form: str) -> None:  # noqa: ANN001
    shell.resize(1920, 1080)
    shell.show()
    screen = _open(shell, qtbot, form)
    qtbot.wait(50)
    fields = _fields(screen)
    assert fields, f"no fields found on the {form} form"
    for edit in fields:
        _assert_labelled(shell, screen, edit, qtbot)


def test_contest_form_marks_required_and_optional(qtbot, shell) -> None:  # noqa: ANN001
    form = _open(shell, qtbot, "contest")
    texts = {e.objectName(): _label_of(form, e).text() for e in _fields(form)}
    assert texts["f_name"].endswith("(bắt buộc)") and "không" not in texts["f_name"]
    assert texts["f_phone"].endswith("(không bắt buộc)")  # the demo contest needs no phone


def test_field_and_its_label_scroll_above_the_keyboard(qtbot, shell) -> None:  # noqa: ANN001
    from ui.qt import QApplication, QPushButton, QScrollArea

    shell.resize(1920, 1080)
    shell.show()
    form = _open(shell, qtbot, "contest")
    qtbot.wait(50)
    shell.keyboard_covers(KEYBOARD_PX)
    qtbot.wait(50)
    for edit in (form.phone, form.name, form.phone):
        edit.setFocus()
        qtbot.wait(50)
        view = form.findChild(QScrollArea).viewport()
        for w in (_label_of(form, edit), edit):
            top = w.mapTo(view, w.rect().topLeft()).y()
            assert top >= 0 and top + w.height() <= view.height(), w.text() if w is not edit else ""
        if QApplication.focusWidget() is edit:  # the "more below" bar lay over the field typed in
            assert not form.findChild(QPushButton, "more_below").isVisible()
    shell.keyboard_covers(0)
