"""High contrast: a warning does not look like an action, nor a disabled button like a live one."""

from __future__ import annotations


def _fill(widget) -> str:  # noqa: ANN001
    """The colour a widget is painted with, a few pixels in from its left edge."""
    widget.adjustSize()
    image = widget.grab().toImage()
    return image.pixelColor(6, image.height() // 2).name()


def test_a_warning_and_an_action_differ_in_high_contrast(make_shell, qtbot) -> None:  # noqa: ANN001
    from ui.qt import QPalette
    from ui.widgets import button, label

    shell = make_shell()
    shell.ctx.theme = shell.ctx.theme.with_(high_contrast=True)
    shell.apply_theme()
    colors = shell.ctx.theme.colors
    warning = label("⚠ Hết hiệu lực", "banner")
    action = label("Dự thi ▶", "cta")
    off = button("Áp dụng", lambda: None, role="primary")
    off.setEnabled(False)
    for w in (warning, action, off):
        qtbot.addWidget(w)
        w.show()
    assert _fill(warning) == colors.warn_bg and _fill(action) == colors.accent
    assert colors.warn_bg != colors.accent  # both were yellow
    text = off.palette().color(QPalette.ColorRole.ButtonText).name()
    assert text == colors.off != colors.fg  # disabled text was white, like live text
