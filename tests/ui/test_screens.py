"""Bookshelf, PDF reader, reader tools' bad states, and picking up a new library generation."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.ui.conftest import shown
from ui.qt import QLabel, QPushButton, QScrollArea, Qt


def left():  # noqa: ANN201
    return Qt.MouseButton.LeftButton


def test_bookshelf_lists_fields_with_counts_and_opens_a_document(make_shell, qtbot) -> None:  # noqa: ANN001
    shell = make_shell()
    shelf = shell.navigate("bookshelf")
    qtbot.waitUntil(lambda: bool(shelf.chips), timeout=10000)
    (field, _cat), chip = shelf.chips[0]
    assert chip.text().endswith(")") and "(" in chip.text()  # "Field (n)"
    qtbot.mouseClick(chip, left())
    qtbot.waitUntil(
        lambda: shelf.items.findChild(object, "shelf_item_0") is not None, timeout=10000
    )
    n = int(chip.text().rsplit("(", 1)[1].rstrip(")"))
    qtbot.waitUntil(lambda: bool(shelf.entries), timeout=10000)
    assert len(shelf.entries) == n  # the chip counts what the shelf lists: laws and publications
    items = [shelf.items.findChild(object, f"shelf_item_{i}") for i in range(len(shelf.entries))]
    assert all(items) and chip.isChecked()
    dates = [e["date"] for e in shelf.entries]
    assert dates == sorted(dates, reverse=True)  # newest first
    first_doc = next(i for i, e in enumerate(shelf.entries) if e["type"] == "document")
    card = items[first_doc]
    qtbot.waitUntil(lambda: card.isVisible() and card.height() > 10, timeout=5000)
    shelf.area.ensureWidgetVisible(card)
    qtbot.mouseClick(card, left())
    qtbot.waitUntil(lambda: shell.current_name == "reader", timeout=5000)
    qtbot.waitUntil(lambda: bool(shell.current.outline.sections), timeout=10000)


def test_bookshelf_opens_on_its_newest_items_until_a_shelf_is_chosen(make_shell, qtbot) -> None:  # noqa: ANN001
    from ui.screens.bookshelf import NEWEST

    shell = make_shell()
    shelf = shell.navigate("bookshelf")
    qtbot.waitUntil(lambda: bool(shelf.entries), timeout=10000)
    heading = shelf.items.findChild(QLabel, "shelf_heading")
    assert heading is not None and heading.text() == "Mới nhất:"
    dates = [e["date"] for e in shelf.entries]
    assert len(dates) == NEWEST and dates == sorted(dates, reverse=True)
    everything = shell.ctx.call_library(
        lambda lib: (
            [d.issued or "" for d in lib.documents()]
            + [p.published or "" for p in lib.publications()]
        )
    )
    assert dates == sorted(everything, reverse=True)[:NEWEST]  # the newest of laws and publications
    assert {e["type"] for e in shelf.entries} <= {"document", "publication"}
    (field, _cat), _chip = shelf.chips[0]
    shelf.open_shelf(field, None)  # empties the list at once: the heading goes before the shelf
    qtbot.waitUntil(lambda: bool(shelf.entries), timeout=10000)
    assert shelf.items.findChild(QLabel, "shelf_heading") is None


def test_bookshelf_marks_a_repealed_law_in_red(make_shell, qtbot) -> None:  # noqa: ANN001
    shell = make_shell()
    docs = shell.ctx.call_library(lambda lib: lib.documents())
    gone = next(d for d in docs if d.validity == "not_in_force" and d.fields)
    shelf = shell.navigate("bookshelf")
    qtbot.waitUntil(lambda: bool(shelf.chips), timeout=10000)
    shelf.open_shelf(gone.fields[0], None)
    qtbot.waitUntil(lambda: any(e["id"] == gone.id for e in shelf.entries), timeout=10000)
    i = next(i for i, e in enumerate(shelf.entries) if e["id"] == gone.id)
    qtbot.waitUntil(lambda: shelf.items.findChild(object, f"shelf_item_{i}") is not None)
    roles = {
        lab.text(): lab.property("role")
        for lab in shelf.items.findChild(object, f"shelf_item_{i}").findChildren(QLabel)
    }
    assert roles["Hết hiệu lực"] == "banner"  # not the small grey line of a law in force


def test_a_page_that_fits_does_not_scroll_into_blank_space(make_shell, qtbot) -> None:  # noqa: ANN001
    """Wrapped labels claim more height than their text takes at the kiosk's width; the scroll
    area's content is sized for the real width, so a short page has nothing to scroll and a
    long one scrolls to its last line, not beyond."""
    shell = make_shell()
    shell.resize(1920, 1080)
    page = shell.navigate("legal_aid")
    qtbot.waitUntil(lambda: page.inner.layout_.count() > 3, timeout=10000)
    qtbot.waitUntil(lambda: shown(page.inner), timeout=3000)  # unshown, nothing would scroll
    area = page.findChild(QScrollArea)
    qtbot.waitUntil(lambda: area.verticalScrollBar().maximum() == 0, timeout=5000)
    more = area.findChild(QPushButton, "more_below")
    assert not more.isVisible()
    shell.resize(700, 1080)  # narrow: the same text needs more height than the screen has
    qtbot.waitUntil(lambda: area.verticalScrollBar().maximum() > 0, timeout=5000)
    qtbot.waitUntil(more.isVisible, timeout=3000)  # the centres below the fold are announced
    assert more.geometry().right() <= area.viewport().geometry().right()  # not under the bar
    lines = page.inner.findChildren(QLabel) + page.inner.findChildren(QPushButton)
    lines = [w for w in lines if w.isVisible()]
    bottom = max(w.geometry().bottom() for w in lines)  # a notice may end with a button
    assert page.inner.height() - bottom < 3 * shell.ctx.theme.gap  # no blank page below


def test_pdf_reader_renders_pages_highlights_and_turns(make_shell, qtbot) -> None:  # noqa: ANN001
    shell = make_shell()
    docs = shell.ctx.call_library(lambda lib: lib.documents())
    doc = next(d for d in docs if d.pdf and len(d.title) > 90)  # a precedent's long title
    pdf = shell.navigate("pdf", file=doc.pdf, title=doc.title, terms="án lệ")
    qtbot.waitUntil(lambda: pdf.count > 0, timeout=15000)
    assert shell.title_label.text().endswith("…")  # cut in the title bar, whole on the page
    assert pdf.findChild(QLabel, "pdf_title").text() == doc.title
    assert not pdf.image.pixmap().isNull()
    assert not pdf.prev_button.isEnabled()
    assert "1 /" in pdf.status.text()
    if pdf.count > 1:
        qtbot.mouseClick(pdf.next_button, left())
        qtbot.waitUntil(lambda: "2 /" in pdf.status.text(), timeout=10000)
    width = pdf.image.pixmap().width()
    hbar = pdf.area.horizontalScrollBar()
    qtbot.waitUntil(lambda: pdf.area.verticalScrollBar().maximum() > 0, timeout=5000)
    assert width <= pdf.area.viewport().width() and hbar.maximum() == 0  # fits, no sideways
    pdf.area.verticalScrollBar().setValue(pdf.area.verticalScrollBar().maximum() // 2)
    for _ in range(3):  # zoomed in, the page pans sideways: nothing of it is cut off
        shown = pdf.image.pixmap().width()
        qtbot.mouseClick(pdf.findChild(QPushButton, "zoom_in"), left())
        qtbot.waitUntil(lambda: pdf.image.pixmap().width() > shown, timeout=10000)  # noqa: B023
    assert pdf.image.width() == pdf.image.pixmap().width() > pdf.area.viewport().width()
    assert hbar.maximum() == pdf.image.width() - pdf.area.viewport().width()
    middle = hbar.value() + hbar.pageStep() / 2  # the zoom kept the middle in view
    assert abs(middle - hbar.maximum() / 2 - hbar.pageStep() / 2) <= 2
    bar = pdf.area.verticalScrollBar()
    assert 0.3 < (bar.value() + bar.pageStep() / 2) / (bar.maximum() + bar.pageStep()) < 0.7


def test_pdf_word_hits_ignore_diacritics_and_substrings() -> None:
    import pymupdf

    from ui.screens.pdf import _word_hits

    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), "Tang than nhan", fontsize=12)
    assert len(_word_hits(page, ["than"])) == 1
    assert _word_hits(page, ["an"]) == []


def test_pdf_word_hits_keep_a_reading_typed_with_diacritics() -> None:
    """The PDF viewer marks as the snippets and the reader do: `tô` typed marks `tô`, not
    `to`; typed without diacritics, `to` marks both."""
    import pymupdf

    from ui.render import marks_of
    from ui.screens.pdf import _word_hits

    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), "xe ô tô, to lớn, tô màu", fontsize=12)
    # single letters are not marked on a page (render.terms_of): `ô` of `ô tô` neither
    assert len(_word_hits(page, marks_of("ô tô"))) == 2  # tô, tô: not `to`
    assert len(_word_hits(page, marks_of("o to"))) == 3  # tô, to, tô


def test_pdf_word_hits_mark_the_law_s_added_words_only_side_by_side() -> None:
    """As in the reader: the act `không chấp hành hiệu lệnh` a search added for `vuot den
    do` is marked, a lone `không` on the page is not."""
    import pymupdf

    from ui.render import marks_of
    from ui.screens.pdf import _word_hits

    doc = pymupdf.open()
    page = doc.new_page()
    noto = "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"  # installer/dev.sh's fonts
    page.insert_font(fontname="noto", fontfile=noto)
    text = "không nhường đường; vượt; không chấp hành hiệu lệnh"
    page.insert_text((72, 72), text, fontsize=12, fontname="noto")
    law = "vượt đèn đỏ không chấp hành hiệu lệnh"
    assert len(_word_hits(page, marks_of("vuot den do", law))) == 6  # vượt, the act
    # typed inside the search, `không` is the resident's word: marked anywhere, the lone one too
    assert len(_word_hits(page, marks_of("khong chap hanh den do", law))) == 6
    # a closing `không` asks the question: the lone `không` stays unmarked, the act's is
    assert len(_word_hits(page, marks_of("vuot den do khong", law))) == 6


def _open_reader(shell, qtbot):  # noqa: ANN001, ANN202
    reader = shell.navigate("reader", doc_id="52-2014-qh13", article="55", terms="ly hôn")
    qtbot.waitUntil(lambda: bool(reader.outline.sections), timeout=10000)
    return reader


def test_no_printer_and_no_audio_are_explained(make_shell, qtbot, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("LAWSHELF_UI_NO_PRINTER", "1")
    monkeypatch.setenv("LAWSHELF_UI_NO_AUDIO", "1")
    shell = make_shell()
    reader = _open_reader(shell, qtbot)
    assert reader.current_key() == "55"
    qtbot.mouseClick(reader.print_button, left())
    assert shell.current_name == "message"
    message = shell.current
    assert shell.title_label.text() == "Máy in chưa sẵn sàng"  # a plain title, not "Chưa làm được"
    assert "máy in" in message.text_label.text()  # what happened
    steps = [
        w.text() for w in message.findChildren(QLabel) if w.objectName().startswith("message_step")
    ]
    assert any("QR" in t for t in steps) and any("Chép lại" in t for t in steps)  # what instead
    note = message.findChild(QLabel, "message_note").text()
    assert "Điều 55" in note and "52/2014/QH13" in note  # the reference to copy down
    qtbot.mouseClick(message.findChild(QPushButton, "message_qr"), left())
    assert shell.current is reader and reader.pages.currentWidget() is reader.qr_page
    qtbot.mouseClick(reader.speak_button, left())
    assert shell.current_name == "message"
    assert shell.title_label.text() == "Chưa đọc to được"
    assert "loa" in shell.current.text_label.text()


def test_print_limit_is_honoured(make_shell, qtbot) -> None:  # noqa: ANN001
    shell = make_shell(print_limit=2)
    reader = _open_reader(shell, qtbot)
    shell.session.printed_pages = 2
    qtbot.mouseClick(reader.print_button, left())
    assert "hết số trang" in shell.current.text_label.text()


def test_qr_code_and_toc(make_shell, qtbot) -> None:  # noqa: ANN001
    shell = make_shell()
    reader = _open_reader(shell, qtbot)
    qtbot.mouseClick(reader.toc_button, left())
    assert reader.pages.currentWidget() is reader.toc
    row = next(
        r for r in range(reader.toc.count()) if reader.toc.item(r).text().startswith("Điều 51")
    )
    reader.toc.itemClicked.emit(reader.toc.item(row))
    assert reader.current_key() == "51"
    qtbot.mouseClick(reader.qr_button, left())
    from ui.tools import official_link

    if official_link(reader.doc):
        assert reader.pages.currentWidget() is reader.qr_page
        assert not reader.qr.pixmap().isNull()
    else:
        assert shell.current_name == "message"


def test_new_generation_is_picked_up_between_sessions_only(
    make_shell, qtbot, home: Path, demo_library: Path
) -> None:  # noqa: ANN001
    from offline_index.generations import switch_generation

    root = home / "library"
    root.mkdir(exist_ok=True)
    gen_a, gen_b = root / "gen-a", root / "gen-b"
    shutil.copytree(demo_library, gen_a)
    shutil.copytree(demo_library, gen_b)
    switch_generation(root, gen_a)
    shell = make_shell(library=None)
    assert shell.ctx.library_path == gen_a.resolve()
    search = shell.navigate("search")
    switch_generation(root, gen_b)  # a nightly sync finished while someone is reading
    search.query.setText("đất đai")
    qtbot.waitUntil(lambda: search.answer is not None, timeout=10000)
    assert shell.ctx.library_path == gen_a.resolve()  # not under the resident's finger
    shell.go_idle()
    qtbot.waitUntil(lambda: shell.ctx.library_path == gen_b.resolve(), timeout=10000)
    shell.end_loop()


def test_library_path_names_the_generation_served(
    make_shell, home: Path, tmp_path: Path, demo_library: Path
) -> None:  # noqa: ANN001
    """A configured home whose current generation is broken is served from previous: the
    kiosk says so (it named the broken current generation)."""
    from offline_index.generations import switch_generation

    root = tmp_path / "other" / "library"
    root.mkdir(parents=True)
    gen_a, gen_b = root / "gen-a", root / "gen-b"
    shutil.copytree(demo_library, gen_a)
    shutil.copytree(demo_library, gen_b)
    switch_generation(root, gen_a)
    switch_generation(root, gen_b)
    (gen_b / "content.sqlite").unlink()  # current is unusable: previous serves
    shell = make_shell(library=root.parent)
    assert shell.ctx.library is not None and shell.ctx.library_path == gen_a.resolve()


def test_bookshelf_video_plays_with_subtitles(make_shell, qtbot) -> None:  # noqa: ANN001
    shell = make_shell()
    shelf = shell.navigate("bookshelf")
    qtbot.waitUntil(lambda: any(k == (None, "video_skit") for k, _c in shelf.chips), timeout=10000)
    chip = next(c for k, c in shelf.chips if k == (None, "video_skit"))
    qtbot.mouseClick(chip, left())
    qtbot.waitUntil(
        lambda: shelf.items.findChild(object, "shelf_item_0") is not None, timeout=10000
    )
    item = shelf.items.findChild(object, "shelf_item_0")
    qtbot.waitUntil(lambda: item.isVisible() and item.height() > 10, timeout=5000)
    qtbot.mouseClick(item, left())
    qtbot.waitUntil(lambda: shell.current_name == "video", timeout=5000)
    video = shell.current
    qtbot.waitUntil(lambda: bool(video.cues), timeout=10000)  # the sidecar .vtt was read
    assert video.player.source().isLocalFile()
    for name in ("play", "rewind", "forward"):
        btn = video.findChild(QPushButton, name)
        assert btn.height() >= shell.ctx.theme.target
    video._position(video.cues[0][0] + 1)
    assert video.subtitle.text() == video.cues[0][2]
    shell.go_home()  # stops the player


def test_media_loop_plays_campaign_media_with_subtitles(make_shell, qtbot) -> None:  # noqa: ANN001
    shell = make_shell()
    shell.go_idle()
    loop = shell.current
    qtbot.waitUntil(lambda: bool(loop.items), timeout=10000)
    assert {item.type for item, _path, _cues in loop.items} == {"video", "infographic"}
    assert loop.hint.isVisible() and loop.hint.text() == "Chạm vào màn hình để bắt đầu tra cứu."
    item, _path, cues = loop.items[loop.index]
    if item.type == "video" and cues:
        qtbot.waitUntil(lambda: loop.caption.text() in {c[2] for c in cues}, timeout=8000)
    qtbot.mouseClick(loop, left())
    qtbot.waitUntil(lambda: shell.current_name == "home", timeout=5000)


def _distinct_colours(widget) -> int:  # noqa: ANN001
    """How many colours a grab of the widget shows on a coarse grid (1 = a blank screen)."""
    img = widget.grab().toImage()
    w, h = img.width(), img.height()
    return len({img.pixel(x * w // 24, y * h // 14) for x in range(1, 24) for y in range(1, 14)})


def test_media_loop_never_blank_poster_then_video_frames(make_shell, qtbot) -> None:  # noqa: ANN001
    shell = make_shell()
    shell.resize(1920, 1080)
    shell.go_idle()
    loop = shell.current
    qtbot.waitUntil(lambda: bool(loop.items), timeout=10000)
    qtbot.wait(50)
    assert _distinct_colours(loop) > 8  # an infographic or a poster fills the screen
    # An infographic fills the screen (scaled when painted, not at a tiny start-up size).
    info = next(i for i, (it, _p, _c) in enumerate(loop.items) if it.type == "infographic")
    loop.timer.stop()
    loop.index = info - 1
    loop.next_item()
    qtbot.wait(20)
    assert loop.pages.currentWidget() is loop.image
    img = loop.image.image
    drawn = img.size().scaled(loop.image.size(), Qt.AspectRatioMode.KeepAspectRatio)
    assert (
        drawn.width() >= loop.image.width() * 0.95 or drawn.height() >= loop.image.height() * 0.95
    )
    # A video: the poster shows at once, then real frames replace it.
    vid = next(i for i, (it, _p, _c) in enumerate(loop.items) if it.type == "video")
    loop.timer.stop()
    loop.index = vid - 1
    loop.frames = 0
    loop.next_item()
    assert loop.pages.currentWidget() is loop.image and loop.image.image is not None
    qtbot.waitUntil(lambda: loop.frames > 0, timeout=10000)
    assert loop.pages.currentWidget() is loop.video
    assert _distinct_colours(loop) > 8
    qtbot.mouseClick(loop, left())
    qtbot.waitUntil(lambda: shell.current_name == "home", timeout=5000)


def test_the_loop_takes_a_touch_without_deleting_its_player_from_python(make_shell, qtbot) -> None:  # noqa: ANN001, E501
    """A touch's start stops at the loop, through an event filter: no screen that owns a media
    player overrides `event()` in Python, where its deletion would wait for the decoder thread
    while holding the GIL (the decoder's log message needs it: a deadlock seen in CI)."""
    from ui.qt import QEvent
    from ui.screens.media_loop import MediaLoopScreen, TouchStop
    from ui.screens.video import VideoScreen

    shell = make_shell()
    shell.go_idle()
    loop = shell.current
    touch = QEvent(QEvent.Type.TouchBegin)
    touch.ignore()
    stop = loop.findChild(TouchStop)
    assert stop.eventFilter(loop, touch) and touch.isAccepted()
    assert not stop.eventFilter(loop, QEvent(QEvent.Type.DeferredDelete))
    for screen in (MediaLoopScreen, VideoScreen):
        assert not any("event" in vars(c) for c in screen.__mro__ if c.__module__.startswith("ui."))
    shell.go_home()


def test_a_notices_facts_are_plain_lines_not_boxes(make_shell, qtbot) -> None:  # noqa: ANN001
    """Date, place, phone, address and hours read as one block of lines: drawn each in a
    bordered box, they looked like fields a resident might tap."""
    from ui.qt import QLabel

    shell = make_shell()
    for name in ("notices", "legal_aid"):
        shell.go_home()
        screen = shell.navigate(name)
        qtbot.waitUntil(
            lambda s=screen: any(
                w.objectName().startswith("facts_") for w in s.findChildren(QLabel)
            ),
            timeout=10000,
        )
        facts = [w for w in screen.findChildren(QLabel) if w.objectName().startswith("facts_")]
        assert all(w.property("role") in (None, "") for w in facts)
        assert any("\n" in w.text() for w in facts)  # several facts, one per line
        assert not any(w.property("role") == "notice" for w in screen.findChildren(QLabel))


def test_a_legal_aid_desk_opens_the_law_that_says_who_qualifies(make_shell, qtbot) -> None:  # noqa: ANN001
    """The demo's legal-aid centre rests on Điều 7 Luật Trợ giúp pháp lý (who may have free
    legal aid): a button under it opens the reader at that article."""
    from ui.qt import QtWidgets

    shell = make_shell()
    aid = shell.navigate("legal_aid")  # a standing desk: shown on any day
    name = "cite_tgpl-ha-noi_0"
    qtbot.waitUntil(lambda: aid.findChild(QtWidgets.QPushButton, name) is not None, timeout=5000)
    cite = aid.findChild(QtWidgets.QPushButton, name)
    assert cite.text() == "Đọc căn cứ: Điều 7 Luật Trợ giúp pháp lý 11/2017/QH14"
    assert aid.findChild(QtWidgets.QPushButton, "cite_tgpl-chi-nhanh-phuong_0") is None
    cite.click()
    assert shell.current_name == "reader" and shell.current.doc_id == "11-2017-qh14"
    reader = shell.current
    assert reader.start_key == "7"
    qtbot.waitUntil(lambda: bool(reader.outline.sections), timeout=10000)
    lines = reader.text.toPlainText().splitlines()
    assert lines[1] == "Điều 7. Người được trợ giúp pháp lý"  # its chapter, the article first
