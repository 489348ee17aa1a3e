"""The home tiles: a pictogram, the caption and what is inside, all of it tappable."""

from __future__ import annotations

import pytest

from ui.pictograms import DRAWINGS, pictogram
from ui.qt import QColor, QPoint, Qt
from ui.screens.home import TILES


def _inked(pixmap, color: str) -> int:  # noqa: ANN001
    """Pixels of the pixmap drawn in about this colour."""
    image, want = pixmap.toImage(), QColor(color)
    return sum(
        1
        for x in range(image.width())
        for y in range(image.height())
        if image.pixelColor(x, y).alpha() > 200
        and abs(image.pixelColor(x, y).blue() - want.blue()) < 40
        and abs(image.pixelColor(x, y).red() - want.red()) < 40
    )


def test_every_tile_has_a_drawing_and_an_unknown_name_draws_nothing(qapp) -> None:  # noqa: ANN001
    assert set(DRAWINGS) == {name for name, _caption, _hint in TILES}
    for name in DRAWINGS:
        assert _inked(pictogram(name, 96, "#0b5cad"), "#0b5cad") > 300, name
    assert _inked(pictogram("nothing", 96, "#0b5cad"), "#0b5cad") == 0


def test_tiles_show_picture_caption_and_hint(make_shell) -> None:  # noqa: ANN001
    shell = make_shell()
    home = shell.current
    accent = shell.ctx.theme.colors.accent
    for name, tile in home.tiles.items():
        assert tile.caption.text() == tile.text().replace("&&", "&")
        assert tile.hint.text() and tile.hint.isVisibleTo(tile)
        assert _inked(tile.picture.pixmap(), accent) > 100, name
    assert home.tiles["notices"].caption.text() == "Tin tức & đối thoại chính sách"
    assert home.tiles["search"].hint.text() == "Tìm luật, nghị định, điều khoản"


def test_high_contrast_redraws_the_pictograms(make_shell) -> None:  # noqa: ANN001
    shell = make_shell()
    shell.ctx.theme = shell.ctx.theme.with_(high_contrast=True)
    shell.apply_theme()
    tile = shell.current.tiles["search"]
    assert _inked(tile.picture.pixmap(), "#ffff00") > 100


def test_the_hint_is_translated(make_shell, qtbot) -> None:  # noqa: ANN001
    shell = make_shell()
    qtbot.mouseClick(shell.current.lang_button, Qt.MouseButton.LeftButton)
    tile = shell.current.tiles["legal_aid"]
    assert tile.caption.text() == "Legal aid"
    assert tile.hint.text() == "Free legal help: who qualifies, where to go"


@pytest.mark.parametrize("part", ["picture", "caption", "hint"])
def test_a_tap_on_the_picture_or_the_words_opens_the_screen(make_shell, qtbot, part) -> None:  # noqa: ANN001
    shell = make_shell()
    shell.resize(1920, 1080)
    qtbot.wait(50)
    tile = shell.current.tiles["bookshelf"]
    inner = getattr(tile, part)
    where = inner.mapTo(tile, inner.rect().center())
    qtbot.mouseClick(tile, Qt.MouseButton.LeftButton, pos=QPoint(where))
    assert shell.current_name == "bookshelf"


def test_at_the_largest_text_no_tile_line_is_cut(make_shell, qtbot, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("LAWSHELF_UI_DPI", "102")
    shell = make_shell()
    shell.resize(1920, 1080)
    shell.ctx.theme = shell.ctx.theme.with_(dpi=102, text_size="xlarge")
    shell.apply_theme()
    qtbot.wait(100)
    for name, tile in shell.current.tiles.items():
        for lab in (tile.caption, tile.hint):
            need = lab.heightForWidth(lab.width())
            assert lab.height() >= need, (name, lab.text(), lab.height(), need)
            assert tile.rect().contains(lab.geometry()), (name, lab.text())
