"""The librarian's everyday-words screen: it lists the table the library searches with, filters
it as `lawshelf thesaurus WORD` does (diacritics or not), and opens only in admin mode. Real
widgets offscreen on the demo library."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk import admin
from kiosk.state import open_state
from offline_index.library import Library
from offline_index.model import ThesaurusEntry
from tests.admin.helpers import PIN, login, shot
from tests.ui.conftest import type_text


def tap(qtbot, parent, name: str) -> None:  # noqa: ANN001
    from ui.qt import QPushButton, Qt

    qtbot.mouseClick(parent.findChild(QPushButton, name), Qt.MouseButton.LeftButton)


@pytest.fixture
def library_words(demo_library: Path) -> list[tuple[str, str]]:
    with Library.open(demo_library) as lib:
        return [(e.everyday, e.legal) for e in lib.thesaurus()]


def shown(screen) -> list[tuple[str, str]]:  # noqa: ANN001
    return [(e.everyday, e.legal) for e in screen.model.entries]


def open_screen(qtbot, home: Path, make_shell):  # noqa: ANN001, ANN201
    """The librarian logs in and taps the menu tile; returns the screen once it has read."""
    admin.set_pin(open_state(home), PIN)
    sh = make_shell()
    sh.resize(1920, 1080)
    login(qtbot, sh)
    tap(qtbot, sh.current, "menu_admin_thesaurus")
    screen = sh.current
    assert screen.objectName() == "admin_thesaurus"
    qtbot.waitUntil(lambda: screen.entries is not None, timeout=10000)
    return sh, screen


def test_it_lists_every_entry_the_library_searches_with(
    qtbot, home: Path, make_shell, library_words
) -> None:  # noqa: ANN001
    from ui.screens.admin_thesaurus import ENTRY_ROLE

    sh, screen = open_screen(qtbot, home, make_shell)
    assert sorted(shown(screen)) == sorted(library_words) and len(library_words) > 20
    assert screen.count.text() == f"{len(library_words):,} mục".replace(",", ".")  # 3.141
    assert sh.title_label.text() == "Từ ngữ đời thường"
    everyday = [e for e, _ in shown(screen)]
    assert everyday.index("bằng lái") < everyday.index("bhxh")  # Vietnamese dictionary order
    for before, after in (("aáàảãạ", "ăắằẳẵặ"), ("ăắằẳẵặ", "âấầẩẫậ"), ("d", "đ")):
        starts = [i for i, w in enumerate(everyday) if w[0] in before]
        assert max(starts, default=-1) < min(
            (i for i, w in enumerate(everyday) if w[0] in after), default=len(everyday)
        ), (before, after)
    row = everyday.index("bằng lái")
    index = screen.model.index(row, 0)
    assert index.data() == "bằng lái → giấy phép lái xe"
    entry = index.data(ENTRY_ROLE)
    assert isinstance(entry, ThesaurusEntry) and entry.fields  # its fields are shown too
    for r in range(min(8, len(everyday))):  # touch-sized rows
        assert screen.view.visualRect(screen.model.index(r, 0)).height() >= sh.ctx.theme.target
    sh.resize(1280, 900)  # the size of the admin screenshots in docs/screenshots/admin
    qtbot.wait(50)
    shot(sh, "admin-thesaurus")


@pytest.mark.parametrize("typed", ["bằng", "bang", "BANG LAI", "giấy phép lái", "giay phep lai"])
def test_the_filter_finds_everyday_or_legal_words_with_or_without_diacritics(
    qtbot, home: Path, make_shell, library_words, typed: str
) -> None:  # noqa: ANN001
    _sh, screen = open_screen(qtbot, home, make_shell)
    type_text(screen.filter, typed)
    assert ("bằng lái", "giấy phép lái xe") in shown(screen)
    assert len(shown(screen)) < len(library_words)
    assert screen.count.text() == f"{len(shown(screen))} trong {len(library_words):,} mục".replace(
        ",", "."
    )
    assert screen.empty.isHidden()


def test_no_match_says_so_and_clear_shows_all_again(
    qtbot, home: Path, make_shell, library_words
) -> None:  # noqa: ANN001
    _sh, screen = open_screen(qtbot, home, make_shell)
    type_text(screen.filter, "xqzw")
    assert shown(screen) == [] and "xqzw" in screen.empty.text() and not screen.empty.isHidden()
    tap(qtbot, screen, "thesaurus_clear")
    assert screen.filter.text() == "" and len(shown(screen)) == len(library_words)
    assert screen.empty.isHidden()


def test_only_in_admin_mode(qtbot, home: Path, make_shell) -> None:  # noqa: ANN001
    from tests.admin.helpers import enter_pin
    from ui.screens.admin import mode

    admin.set_pin(open_state(home), PIN)
    sh = make_shell()
    sh.navigate("admin_thesaurus")
    assert sh.current.objectName() == "admin_pin"  # a resident never sees it
    enter_pin(qtbot, sh.current, PIN)
    assert sh.current.objectName() == "admin_thesaurus" and mode(sh)
    tap(qtbot, sh, "back")  # back where the librarian came from, out of admin mode
    assert sh.current_name == "home" and not mode(sh)


def test_back_leads_to_the_menu(qtbot, home: Path, make_shell) -> None:  # noqa: ANN001
    sh, _screen = open_screen(qtbot, home, make_shell)
    tap(qtbot, sh, "back")
    assert sh.current.objectName() == "admin_menu"


def test_hundreds_of_entries_scroll_by_finger_in_one_view(qtbot, home: Path, make_shell) -> None:  # noqa: ANN001
    """The table will grow to hundreds of entries: one item view, rows laid out by a
    delegate (no widget per entry), scrolled by the pixel with the finger gesture."""
    from ui.qt import QLabel, QScroller, QtWidgets

    _sh, screen = open_screen(qtbot, home, make_shell)
    many = [
        ThesaurusEntry(f"từ thứ {i}", f"từ ngữ pháp luật số {i}", fields=["Dân sự"])
        for i in range(600)
    ]
    labels_before = len(screen.findChildren(QLabel))
    screen.show_entries(many)
    qtbot.wait(50)
    assert screen.model.rowCount() == 600 and screen.count.text() == "600 mục"
    assert len(screen.findChildren(QLabel)) == labels_before
    view = screen.view
    assert QScroller.hasScroller(view.viewport())
    assert view.verticalScrollMode() == QtWidgets.QAbstractItemView.ScrollMode.ScrollPerPixel
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum())
    qtbot.wait(20)
    last = view.visualRect(screen.model.index(599, 0))
    assert view.viewport().rect().contains(last)  # the last entry is reachable


def test_with_the_keyboard_up_the_list_keeps_the_room(qtbot, home: Path, make_shell) -> None:  # noqa: ANN001
    """The shell ends the screen above the keyboard (about 55 % of the screen): the note and
    the column names step aside so rows still show under the filter box."""
    sh, screen = open_screen(qtbot, home, make_shell)
    assert screen.note.isVisible() and screen.header.isVisible()
    sh.keyboard_covers(594)
    qtbot.waitUntil(lambda: not screen.note.isVisible(), timeout=2000)
    assert not screen.header.isVisible()
    assert screen.view.viewport().height() >= 2 * sh.ctx.theme.target
    sh.keyboard_covers(0)
    qtbot.waitUntil(lambda: screen.note.isVisible() and screen.header.isVisible(), timeout=2000)


@pytest.mark.parametrize("width", [1920, 900])
def test_long_wording_wraps_inside_its_row(qtbot, home: Path, make_shell, width: int) -> None:  # noqa: ANN001
    """No clipped Vietnamese: a long entry gets a taller row, at any width the window takes."""
    sh, screen = open_screen(qtbot, home, make_shell)
    long = ThesaurusEntry(
        "giấy tờ nhà đất đứng tên người đã mất",
        "giấy chứng nhận quyền sử dụng đất quyền sở hữu nhà ở và tài sản khác gắn liền với đất",
        fields=["Đất đai", "Dân sự - Thừa kế", "Bất động sản"],
        note="người chết để lại, chia thừa kế",
    )
    screen.show_entries([*screen.entries[:3], long])
    sh.resize(width, 1080)
    qtbot.wait(50)
    view = screen.view
    index = screen.model.index(3, 0)
    rect = view.visualRect(index)
    pieces = view.itemDelegate().pieces(long, rect, view.font())
    assert rect.height() > 2 * sh.ctx.theme.target or width > 1000
    for piece, *_ in pieces:
        assert rect.contains(piece), (width, rect, piece)


def test_without_a_library_it_says_so_on_the_screen(
    qtbot, home: Path, make_shell, tmp_path
) -> None:  # noqa: ANN001
    admin.set_pin(open_state(home), PIN)
    sh = make_shell(library=tmp_path / "no-library")
    assert sh.library_state == "error"
    login(qtbot, sh)
    tap(qtbot, sh.current, "menu_admin_thesaurus")
    screen = sh.current
    qtbot.waitUntil(lambda: bool(screen.empty.text()), timeout=5000)
    assert sh.current is screen and screen.model.rowCount() == 0 and screen.count.text() == ""
    assert screen.empty.text() == sh.ctx.error_text(sh.ctx.library_error)


def test_an_entry_for_accented_queries_only_says_so(qapp) -> None:  # noqa: ANN001
    from ui.screens.admin_thesaurus import detail_text

    dog = ThesaurusEntry("chó cắn", "gây thương tích", fields=["Dân sự"], accented_only=True)
    assert detail_text(dog) == "Lĩnh vực: Dân sự · chỉ khi gõ có dấu"
    assert detail_text(ThesaurusEntry("bằng lái", "giấy phép lái xe")) == ""
