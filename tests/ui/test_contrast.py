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


def test_the_usage_chart_draws_in_the_contrast_colours(qapp, qtbot) -> None:  # noqa: ANN001
    """Its dark blue was about 3:1 on black, and the two series differed only by shade."""
    from ui.screens.admin_report import BarChart
    from ui.theme import Theme

    chart = BarChart(Theme(high_contrast=True))
    qtbot.addWidget(chart)
    chart.resize(600, chart.height())
    chart.set_buckets(
        [("27/11", {"session": 5, "search": 9}), ("28/11", {"session": 3, "search": 4})]
    )
    image = chart.grab().toImage()
    seen = {
        image.pixelColor(x, y).name() for x in range(0, 600, 3) for y in range(0, image.height(), 3)
    }
    assert {"#ffff00", "#00ffff"} <= seen
