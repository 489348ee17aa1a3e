"""The librarian's forms stay usable at the largest text and in high contrast: every row
keeps its touch height (the form scrolls instead), and a drop-down is readable."""

from __future__ import annotations

from collections import Counter

from kiosk import admin
from kiosk.state import open_state

from .helpers import PIN, local_add_screen, login, make_pdf


def _overlapping(widgets) -> list[str]:  # noqa: ANN001
    """Names of widgets whose on-screen rectangle overlaps the next one's."""
    rects = [
        (w.objectName(), w.mapTo(w.window(), w.rect().topLeft()).y(), w.height()) for w in widgets
    ]
    rects.sort(key=lambda r: r[1])
    return [a[0] for a, b in zip(rects, rects[1:], strict=False) if a[1] + a[2] > b[1]]


def _luminance(rgb: int) -> float:
    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _text_contrast(widget) -> float:  # noqa: ANN001
    """Contrast ratio between the widget's inside background (its most common colour,
    borders cropped) and the strongest colour drawn on it that covers at least 20 pixels."""
    image = widget.grab().toImage()
    m = 8
    counts = Counter(
        image.pixel(x, y) & 0xFFFFFF
        for x in range(m, image.width() - m)
        for y in range(m, image.height() - m)
    )
    bg = _luminance(counts.most_common(1)[0][0])
    lums = [_luminance(c) for c, n in counts.items() if n >= 20]
    return max((max(bg, lum) + 0.05) / (min(bg, lum) + 0.05) for lum in lums)


def test_local_form_rows_keep_their_height_at_xlarge(
    qtbot, home, tmp_path, make_shell, monkeypatch
):
    make_pdf(tmp_path / "media" / "USB" / "thong-bao.pdf", ["Thông báo của UBND phường."])
    sh = make_shell(text_size="xlarge")
    screen = local_add_screen(qtbot, sh, home, tmp_path / "media", monkeypatch)
    target = sh.ctx.theme.target
    rows = [
        screen.number,
        screen.doc_title,
        screen.kind,
        screen.issuer,
        screen.issued,
        screen.fields,
    ]
    assert [w.objectName() for w in rows if w.height() < target] == []
    assert _overlapping(rows) == []


def test_settings_text_size_is_a_readable_touch_choice(qtbot, home, make_shell) -> None:
    from kiosk import settings as st

    admin.set_pin(open_state(home), PIN)
    sh = make_shell(high_contrast=True)
    login(qtbot, sh)
    sh.navigate("admin_settings")
    box = sh.current.inputs["text_size"]
    assert box.currentText() == "Chữ thường"  # what the residents' buttons say, not "normal"
    assert box.height() >= sh.ctx.theme.target
    assert box.view().sizeHintForRow(0) >= sh.ctx.theme.target  # the open list's rows too
    assert _text_contrast(box) >= 4.5  # WCAG AA between the text and its background
    box.setCurrentIndex(box.findText("Chữ rất lớn"))
    sh.current.save()
    assert st.load(home, open_state(home)).text_size == "xlarge"
