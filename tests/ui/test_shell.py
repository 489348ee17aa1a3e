"""Shell behaviour: idle wipe and media loop, lockdown, text size reflow, bad states, language."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest

from tests.ui.conftest import shown, type_text
from ui.qt import QApplication, QEvent, QKeyEvent, QLabel, QPushButton, QScrollArea, Qt


def left():  # noqa: ANN201
    return Qt.MouseButton.LeftButton


def test_idle_wipes_everything_and_a_touch_returns_home(make_shell, qtbot) -> None:  # noqa: ANN001
    shell = make_shell()
    wiped = []
    shell.session.register_wipe_hook(lambda: wiped.append(True))  # e.g. a contest entry
    search = shell.navigate("search")
    type_text(search.query, "ly hon")
    qtbot.waitUntil(lambda: search.answer is not None, timeout=10000)
    hit = next(h for h in search.answer.result.hits if h.hit_type == "article")
    search.open_hit(hit)
    qtbot.waitUntil(
        lambda: shell.current_name == "reader" and bool(shell.current.outline.sections),
        timeout=10000,
    )
    shell.session.form_fields["name"] = "Nguyễn Thị A"
    assert shell.session.query and shell.session.history and shell.session.open_docs
    shell.set_idle_timeout(0.2)
    qtbot.waitUntil(lambda: shell.in_loop, timeout=5000)
    assert shell.session.is_clean()
    assert wiped == [True]
    assert shell.current_name == "media_loop"
    assert not shell.topbar.isVisible()
    assert shell.stack.count() == 2  # Home below the loop; search and reader are gone
    shell.set_idle_timeout(60)
    qtbot.mouseClick(shell.current, left())
    qtbot.waitUntil(lambda: not shell.in_loop, timeout=5000)
    assert shell.current_name == "home" and shell.topbar.isVisible()
    fresh = shell.navigate("search")
    assert fresh.query.text() == ""


def test_before_the_idle_wipe_a_count_down_and_a_touch_keeps_everything(  # noqa: ANN001
    make_shell, qtbot
) -> None:
    """A resident thinking over a contest question lost the answers with no warning: the
    idle time now ends in a notice that counts down; a touch keeps the session."""
    shell = make_shell()
    search = shell.navigate("search")
    type_text(search.query, "ly hon")
    shell.set_idle_timeout(1.5)  # the notice: a third of it here, 20 s on a kiosk
    warning = shell.idle_warning
    qtbot.waitUntil(lambda: warning.isVisible(), timeout=5000)
    assert warning.title.text() == "Bạn còn dùng máy không?"
    assert "Sau 1 giây" in warning.text.text() and shell.current_name == "search"
    assert warning.geometry() == shell.rect()  # over everything
    qtbot.mouseClick(warning.findChild(QPushButton, "idle_stay"), left())
    assert not warning.isVisible() and shell.session.query == "ly hon"
    qtbot.wait(300)  # the idle time starts again from the touch
    assert shell.current_name == "search" and search.query.text() == "ly hon"
    qtbot.waitUntil(lambda: warning.isVisible(), timeout=5000)
    qtbot.waitUntil(lambda: shell.in_loop, timeout=5000)  # nobody: wiped after the notice
    assert not warning.isVisible() and shell.session.is_clean()


@pytest.mark.parametrize(
    ("key", "mods"),
    [
        (Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
        (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_Tab, Qt.KeyboardModifier.AltModifier),
        (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_Meta, Qt.KeyboardModifier.MetaModifier),
    ],
)
def test_lockdown_keys_are_ignored(make_shell, qtbot, key, mods) -> None:  # noqa: ANN001
    shell = make_shell()
    search = shell.navigate("search")
    seen = []
    search.query.installEventFilter(_Spy(seen))
    for kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
        QApplication.sendEvent(search.query, QKeyEvent(kind, key, mods))
    assert not [e for e in seen if e == QEvent.Type.KeyPress]
    shell.close()  # a close request (window manager, Alt+F4) is refused
    qtbot.wait(20)
    assert shell.isVisible()
    from ui.qt import QtGui

    pos = search.query.rect().center()
    ev = QtGui.QContextMenuEvent(
        QtGui.QContextMenuEvent.Reason.Mouse, pos, search.query.mapToGlobal(pos)
    )
    QApplication.sendEvent(search.query, ev)
    assert not [
        w
        for w in QApplication.topLevelWidgets()
        if w.isVisible() and w is not shell and w.inherits("QMenu")
    ]


def _spy_filter():  # noqa: ANN202
    from ui.qt import QObject

    class Spy(QObject):
        def __init__(self, seen: list) -> None:
            super().__init__()
            self.seen = seen

        def eventFilter(self, obj, ev) -> bool:  # noqa: ANN001, N802
            self.seen.append(ev.type())
            return False

    return Spy


_Spy = _spy_filter()


def _clipped(shell) -> list[str]:  # noqa: ANN001
    """Widgets whose text does not fit or that leave the window (outside scroll areas)."""
    problems = []
    win = shell.rect()
    for w in shell.findChildren(QLabel) + shell.findChildren(QPushButton):
        if not w.isVisible() or not w.text():
            continue
        inside_scroll = any(isinstance(p, QScrollArea) for p in _ancestors(w))
        top_left = w.mapTo(shell, w.rect().topLeft())
        if not inside_scroll and not win.contains(
            top_left + w.rect().bottomRight() - w.rect().topLeft()
        ):
            problems.append(f"outside window: {w.objectName() or w.text()[:30]}")
        if isinstance(w, QLabel) and w.wordWrap() and w.textFormat() != Qt.TextFormat.RichText:
            need = w.heightForWidth(w.width())
            if need > w.height() + 1:
                problems.append(f"label clipped {w.text()[:30]!r}: {w.height()} < {need}")
        if isinstance(w, QPushButton):
            hint = w.sizeHint()
            if w.width() + 1 < hint.width() or w.height() + 1 < hint.height():
                problems.append(f"button clipped {w.text()[:30]!r}: {w.size()} < {hint}")
            target = shell.ctx.theme.target
            if w.height() < target or w.width() < target:
                problems.append(f"target too small {w.text()[:30]!r}: {w.size()}")
    return problems


def _ancestors(w):  # noqa: ANN001, ANN202
    p = w.parentWidget()
    while p is not None:
        yield p
        p = p.parentWidget()


OTHER_SCREENS = ("qa", "contest", "notices", "legal_aid")
MIN_TEXT_PX = {"normal": 20, "large": 26, "xlarge": 33}  # about 5 / 6.5 / 8 mm at 102 dpi


def _text_sizes(shell) -> list[tuple[int, str]]:  # noqa: ANN001
    return [
        (w.fontInfo().pixelSize(), w.text()[:30])
        for w in shell.findChildren(QLabel) + shell.findChildren(QPushButton)
        if w.isVisible() and w.text().strip()
    ]


@pytest.mark.parametrize("size", ["normal", "large", "xlarge"])
def test_text_is_readable_from_two_metres(make_shell, qtbot, monkeypatch, size) -> None:  # noqa: ANN001
    """On the reference 21.5" 1920x1080 (102 dpi) no text is under ~5 mm at "normal"."""
    monkeypatch.setenv("LAWSHELF_UI_DPI", "102")
    shell = make_shell()
    shell.resize(1920, 1080)
    shell.ctx.theme = shell.ctx.theme.with_(dpi=102, text_size=size)
    shell.apply_theme()
    for name in ("home", "search", "bookshelf", "accessibility", *OTHER_SCREENS):
        shell.go_home()
        if name != "home":
            screen = shell.navigate(name, **({"query": "ly hon"} if name == "search" else {}))
            if name == "search":  # the results it opens on (after its debounce), not the help
                qtbot.waitUntil(lambda s=screen: s.answer is not None, timeout=10000)
        qtbot.wait(150)
        qtbot.waitUntil(lambda: shown(shell), timeout=3000)  # only what is visible is read
        small = [(px, t) for px, t in _text_sizes(shell) if px < MIN_TEXT_PX[size]]
        assert not small, (name, size, small)


@pytest.mark.parametrize("size", ["normal", "large", "xlarge"])
def test_text_sizes_reflow_without_clipping(make_shell, qtbot, monkeypatch, size) -> None:  # noqa: ANN001
    monkeypatch.setenv("LAWSHELF_UI_DPI", "102")
    shell = make_shell()
    shell.resize(1920, 1080)
    shell.ctx.theme = shell.ctx.theme.with_(dpi=102, text_size=size)
    shell.apply_theme()
    for name in ("home", "search", "reader", "bookshelf", "accessibility", *OTHER_SCREENS):
        if name == "home":
            shell.go_home()
        elif name == "reader":
            search = shell.navigate("search")
            type_text(search.query, "ly hôn")
            qtbot.waitUntil(lambda s=search: s.answer is not None, timeout=10000)
            _settled(qtbot, shell)  # the cards are shown and laid out after the answer
            assert not _clipped(shell), ("search", size, _clipped(shell))
            search.open_hit(next(h for h in search.answer.result.hits if h.hit_type == "article"))
            qtbot.waitUntil(lambda: bool(shell.current.outline.sections), timeout=10000)
        else:
            shell.navigate(name)
        _settled(qtbot, shell)
        assert not _clipped(shell), (name, size, _clipped(shell))


def _settled(qtbot, shell) -> None:  # noqa: ANN001
    """Let a screen's async content arrive and its layout run (slow on a loaded machine)."""
    from pytestqt.exceptions import TimeoutError as WaitTimedOut

    qtbot.wait(150)
    # What arrived is shown on a later turn of the event loop; until then _clipped() skips it.
    qtbot.waitUntil(lambda: shown(shell), timeout=3000)
    with contextlib.suppress(WaitTimedOut):  # still clipped: the caller's assertion says where
        qtbot.waitUntil(lambda: not _clipped(shell), timeout=3000)


def test_text_size_change_grows_text(make_shell, qtbot) -> None:  # noqa: ANN001
    shell = make_shell()
    acc = shell.navigate("accessibility")
    sample = acc.findChild(QLabel, "sample")
    before = sample.fontInfo().pixelSize()
    qtbot.mouseClick(acc.findChild(QPushButton, "size_xlarge"), left())
    qtbot.wait(20)
    assert shell.ctx.theme.text_size == "xlarge"
    assert sample.fontInfo().pixelSize() > before * 1.4
    qtbot.mouseClick(acc.contrast, left())
    assert shell.ctx.theme.high_contrast
    shell.wipe_session()  # the next visitor gets the kiosk defaults back
    assert shell.ctx.theme.text_size == "normal" and not shell.ctx.theme.high_contrast


def test_the_text_size_button_is_not_offered_on_its_own_screen(make_shell) -> None:  # noqa: ANN001
    shell = make_shell()
    shell.navigate("search")
    assert shell.access_button.isVisibleTo(shell)
    shell.navigate("accessibility")
    assert not shell.access_button.isVisibleTo(shell)
    shell.back()
    assert shell.access_button.isVisibleTo(shell)


def test_missing_library_gives_a_clear_message(make_shell, tmp_path: Path, qtbot) -> None:  # noqa: ANN001
    shell = make_shell(library=tmp_path / "nowhere")
    home = shell.current
    assert home.status.isVisible()
    assert "thư viện" in home.status.text().lower()
    search = shell.navigate("search")
    type_text(search.query, "đất đai")
    qtbot.waitUntil(lambda: "thư viện" in search.status.text().lower(), timeout=5000)
    assert shell.current_name == "search"


def test_corrupt_library_gives_a_clear_message(make_shell, tmp_path: Path) -> None:  # noqa: ANN001
    gen = tmp_path / "gen-broken"
    gen.mkdir()
    (gen / "MANIFEST.json").write_text("{not json")
    (gen / "content.sqlite").write_bytes(b"garbage" * 100)
    shell = make_shell(library=gen)
    assert shell.current.status.isVisible()
    assert shell.ctx.library is None
    assert "Chưa có dữ liệu" in shell.fresh_label.text()


def test_empty_library_says_so(make_shell, tmp_path: Path, home: Path) -> None:  # noqa: ANN001
    """A library with no legal documents: Home says so in plain words, never a blank window.

    Today a content source with nothing in it does not build (the search index of an empty
    generation fails to open: reported to the library/search helpers); the kiosk then shows
    the "library unusable" message instead. Either way the resident reads a clear sentence.
    """
    from offline_index.build import build_into_home
    from offline_index.errors import LawShelfError

    src = tmp_path / "empty-src"
    src.mkdir()
    (src / "lawshelf-content.json").write_text(
        json.dumps({"format": 1, "name": "empty", "updated": "2026-01-01"})
    )
    try:
        gen = build_into_home(home, [src])
    except LawShelfError:
        gen = home / "library" / "current"
    shell = make_shell(library=gen)
    status = shell.current.status
    assert status.isVisible()
    if shell.ctx.library is not None:
        assert "chưa có văn bản" in status.text()
    else:
        assert "thư viện" in status.text().lower()


def test_unexpected_error_shows_crash_screen_with_way_home(make_shell, qtbot) -> None:  # noqa: ANN001
    import sys

    shell = make_shell()
    shell.navigate("search")
    try:
        raise RuntimeError("boom")
    except RuntimeError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    assert shell.current_name == "crash"
    qtbot.mouseClick(shell.current.findChild(QPushButton, "crash_home"), left())
    assert shell.current_name == "home"


def test_english_toggle_translates_home(make_shell, qtbot) -> None:  # noqa: ANN001
    shell = make_shell()
    qtbot.mouseClick(shell.current.lang_button, left())
    home = shell.current
    assert home.tiles["search"].text() == "Search the law"
    assert shell.home_button.text() == "⌂ Home"
    assert "Data updated on" in shell.fresh_label.text()
    shell.wipe_session()
    assert shell.current.tiles["search"].text() == "Tra cứu pháp luật"


def test_home_tiles_keep_their_captions_after_screens_load(make_shell) -> None:  # noqa: ANN001
    shell = make_shell()
    home = shell.current
    home.on_screens_loaded()  # runs once every screen module has registered
    captions = {name: tile.text() for name, tile in home.tiles.items()}
    assert captions["search"] == "Tra cứu pháp luật"
    assert captions["notices"] == "Tin tức && đối thoại chính sách"
    assert all(captions.values()) and all(t.isEnabled() for t in home.tiles.values())


def test_replaced_law_at_largest_text_fits_the_screen(make_shell, qtbot, monkeypatch) -> None:  # noqa: ANN001
    """Banner + replacement link + tools at xlarge once pushed the window to 1149 px tall,
    so the freshness line fell off a 1080-line screen."""
    monkeypatch.setenv("LAWSHELF_UI_DPI", "102")
    shell = make_shell()
    shell.ctx.theme = shell.ctx.theme.with_(dpi=102, text_size="xlarge")
    shell.apply_theme()
    res = shell.ctx.call_library(lambda lib: lib.search("vượt xe", limit=20))
    hit = next(h for h in res.hits if h.validity == "not_in_force")
    reader = shell.navigate("reader", doc_id=hit.doc_id, article=hit.article, terms="vượt xe")
    qtbot.waitUntil(lambda: bool(reader.outline.sections), timeout=10000)
    shell.resize(1920, 1080)
    qtbot.wait(100)
    assert shell.height() == 1080
    assert reader.banner.isVisible() and reader.replacement.isVisible()
    assert shell.bottombar.mapTo(shell, shell.bottombar.rect().bottomLeft()).y() < 1080
    assert reader.text.height() >= shell.ctx.theme.target * 3  # room left to read
    assert not _clipped(shell), _clipped(shell)


def test_footer_shows_no_ward_placeholder(make_shell) -> None:  # noqa: ANN001
    """No ward configured: the footer's corner is empty, not `Phường/Xã`."""
    from kiosk import settings as st

    shell = make_shell(ward_name=st.BY_NAME["ward_name"].default)
    assert shell.ward_label.text() == ""
    shell = make_shell(ward_name="Phường Láng")
    assert shell.ward_label.text() == "Phường Láng"


def test_a_screen_asked_for_before_the_first_paint_opens(home) -> None:  # noqa: ANN001
    """navigate() right after create() (before Home's first paint loaded the other screens)."""
    import subprocess
    import sys

    code = (
        "import sys; from pathlib import Path; from ui import app\n"
        "_, sh = app.create(Path(sys.argv[1]), windowed=True, load_library=False)\n"
        "w = sh.navigate('bookshelf')\n"
        "print(type(w).__name__, sh.current_name)\n"
        "sh.allow_close()\n"
    )
    res = subprocess.run(
        [sys.executable, "-c", code, str(home)], capture_output=True, text=True, timeout=120
    )
    assert res.returncode == 0, res.stderr
    assert res.stdout.split()[-1] == "bookshelf", res.stdout + res.stderr


def test_a_count_that_cannot_be_written_never_shows_the_crash_screen(
    make_shell, qtbot, home: Path, caplog: pytest.LogCaptureFixture
) -> None:  # noqa: ANN001
    """Counting a visit is not worth the visit: with the state database unable to open (its
    file's place taken by a folder), the count is logged as lost and the screen stays."""
    import logging

    shell = make_shell()
    screen = shell.navigate("search")
    state = home / "state.sqlite"
    state.rename(home / "state.moved")
    state.mkdir()
    with caplog.at_level(logging.WARNING, logger="ui.ops"):
        shell.record("search", "ly hôn")
        shell.ctx.ops.wait()
        qtbot.waitUntil(lambda: "usage count not written" in caplog.text, timeout=5000)
    qtbot.wait(50)
    assert shell.current is screen and shell.current_name == "search"


def test_a_screen_that_meets_a_known_condition_says_so_not_the_crash_screen(make_shell) -> None:  # noqa: ANN001
    """A full disk while a screen opens (its state database migrated on first use) is a
    condition to tell in words, with the way back; only a bug shows the crash screen."""
    from offline_index.errors import StorageFull
    from ui.screens import registry

    def full(shell, **kw):  # noqa: ANN001, ANN003, ANN202
        raise StorageFull("database or disk is full")

    registry.register_screen("test_full_disk", full)
    shell = make_shell()
    shell.navigate("test_full_disk")
    assert shell.current_name == "message"
    assert "hết chỗ lưu" in " ".join(lab.text() for lab in shell.current.findChildren(QLabel))


def test_the_footer_says_when_the_library_is_out_of_date(make_shell) -> None:  # noqa: ANN001
    """Residents read the date of the data; after a fortnight without an update they are also
    told the texts may have changed since (sync.status.STALE_DAYS)."""
    shell = make_shell()
    assert "⚠" not in shell.ctx.freshness_text()
    shell.ctx.sync_status = {**shell.ctx.sync_status, "days_stale": 20}
    text = shell.ctx.freshness_text()
    assert text.startswith("Dữ liệu cập nhật ngày") and "⚠ đã 20 ngày chưa cập nhật" in text
