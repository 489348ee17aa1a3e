"""Q&A, ask-a-question, ticket lookup, notices and legal aid on a real library (offscreen)."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from kiosk import questions as Q
from kiosk.state import open_state


@pytest.mark.parametrize("query", ["vượt đèn đỏ xe máy phạt bao nhiêu", "vuot den do xe may"])
def test_colloquial_red_light_query(qtbot, shell, query: str) -> None:  # noqa: ANN001
    """The decree says "không chấp hành hiệu lệnh của đèn tín hiệu"; residents say "vượt đèn đỏ"."""
    screen = shell.navigate("qa", query=query)
    qtbot.waitUntil(lambda: bool(screen.cards), timeout=5000)
    entry = shell.ctx.library.qa_entry(screen.cards[0].objectName().removeprefix("qa_"))
    assert "đèn" in entry.question and entry.subject == "xe máy" and entry.fine
    screen.cards[0].clicked.emit()
    detail = shell.current
    qtbot.waitUntil(lambda: bool(detail.citations), timeout=5000)
    cite = detail.citations[0]  # Điểm c Khoản 7 Điều 7 NĐ 168/2024 in the demo content
    assert cite.doc_number == "168/2024/NĐ-CP" and cite.article and cite.clause and cite.point
    from ui.qt import QPushButton

    detail.findChild(QPushButton, "qa_cite_0").click()
    assert shell.current_name == "reader" and shell.current.doc_id == "168-2024-nd-cp"
    reader = shell.current
    assert reader.start_key == cite.article
    qtbot.waitUntil(lambda: bool(reader.outline.sections), timeout=10000)
    assert reader.text.verticalScrollBar().value() > 0  # at the cited clause, not the top
    assert reader.cited == (cite.clause, cite.point)  # and its point is marked
    marked = re.findall(r"<p [^>]*background-color[^>]*>(.*?)</p>", reader.text.toHtml())
    assert [re.sub(r"<.*?>", "", m) for m in marked] == [
        "c) Không chấp hành hiệu lệnh của đèn tín hiệu giao thông;"
    ]


def test_traffic_fine_lookup(qtbot, shell) -> None:  # noqa: ANN001
    screen = shell.navigate(
        "qa", query="xe máy không chấp hành hiệu lệnh đèn tín hiệu phạt bao nhiêu"
    )
    qtbot.waitUntil(lambda: bool(screen.cards), timeout=5000)
    first = screen.cards[0]
    qa_id = first.objectName().removeprefix("qa_")
    entry = shell.ctx.library.qa_entry(qa_id)
    assert "đèn" in entry.question and entry.fine and entry.subject == "xe máy"
    first.clicked.emit()
    detail = shell.current
    qtbot.waitUntil(lambda: bool(detail.citations), timeout=5000)
    cite = detail.citations[0]
    assert cite.doc_number == "168/2024/NĐ-CP" and cite.article and cite.clause
    fine = [w for w in detail.findChildren(type(screen.status)) if w.objectName() == "qa_fine"]
    assert fine and entry.fine in fine[0].text()


def test_ask_shows_ticket_and_queues_hash(qtbot, shell, home: Path) -> None:  # noqa: ANN001
    screen = shell.navigate("ask")
    screen.text.setPlainText("Tôi muốn hỏi thủ tục đăng ký tạm trú cho người thuê nhà?")
    screen.chips[2].click()
    screen.contact.setText("0987000111")
    screen.send()
    ticket = screen.ticket
    assert len(Q.normalise_ticket(ticket)) == 12
    from ui.qt import QLabel

    code = [w for w in screen.findChildren(QLabel) if w.objectName() == "ticket_code"]
    assert code[0].text() == ticket and not screen.qr.pixmap().isNull()
    row = next(open_state(home).query("SELECT payload, sealed FROM outbox"))
    assert json.loads(row["payload"])["field"] == "Cư trú"
    raw = b"".join(p.read_bytes() for p in home.rglob("*") if p.is_file())
    for secret in (ticket, ticket.replace("-", ""), "0987000111"):
        assert secret.encode() not in raw
    screen.print_ticket()  # no printer here: a message, never a crash
    assert screen.print_status.text()
    shell.go_idle()
    assert screen.ticket == ""


def test_a_phone_number_in_the_question_is_stopped_and_the_text_kept(  # noqa: ANN001
    qtbot, shell, home: Path
) -> None:
    """The question goes out unsealed; its phone number would too. The form says so, keeps
    what was typed, and the message goes as soon as the resident edits the text."""
    screen = shell.navigate("ask")
    typed = "Tôi muốn hỏi về ly hôn, số điện thoại của tôi là 0912345678"
    screen.text.setPlainText(typed)
    screen.send()
    assert screen.ticket == "" and screen.text.toPlainText() == typed
    assert not screen.error.isHidden() and "xóa khỏi câu hỏi" in screen.error.text()
    assert open_state(home)["outbox"].count == 0
    screen.text.setPlainText("Tôi muốn hỏi về thủ tục ly hôn thuận tình")
    assert screen.error.isHidden()
    screen.send()
    assert screen.ticket


def test_ticket_lookup_not_answered_yet(qtbot, shell) -> None:  # noqa: ANN001
    from ui.qt import Qt

    screen = shell.navigate("ask", mode="ticket")
    screen.code.setText(Q.new_ticket())
    screen.code.setFocus()
    qtbot.keyClick(screen.code, Qt.Key.Key_Return)  # the keyboard's Enter looks it up
    assert not screen.code.hasFocus()
    qtbot.waitUntil(lambda: screen.answer_box.layout_.count() > 0, timeout=5000)
    assert "Chưa có câu trả lời" in screen.answer_box.layout_.itemAt(0).widget().text()
    screen.code.setText("ABC")
    screen.lookup()
    qtbot.waitUntil(
        lambda: (
            "không đúng" in screen.answer_box.layout_.itemAt(0).widget().text()
            if screen.answer_box.layout_.count()
            else False
        ),
        timeout=5000,
    )


DEMO_DAY = date(2026, 12, 6)  # before the demo's dialogue sessions (12/12/2026, 01/2027)


def test_policy_dialogue_opinion_and_legal_aid(qtbot, shell, home: Path) -> None:  # noqa: ANN001
    screen = shell.navigate("notices", today=DEMO_DAY)
    qtbot.waitUntil(lambda: bool(screen.opinion_boxes), timeout=5000)
    notice_id = sorted(screen.opinion_boxes)[0]
    screen._open_opinion(notice_id)
    box = screen.opinion_boxes[notice_id]
    from ui.qt import QtWidgets

    status = box.findChild(QtWidgets.QLabel, f"op_status_{notice_id}")
    assert not status.isVisibleTo(screen)  # no empty bordered box under the send button
    box.findChild(QtWidgets.QPlainTextEdit).setPlainText("Đề nghị mở thêm giờ tiếp dân buổi tối.")
    box.findChild(QtWidgets.QPushButton, f"op_send_{notice_id}").click()
    row = next(open_state(home).query("SELECT kind, payload FROM outbox"))
    assert row["kind"] == "opinion" and json.loads(row["payload"])["notice_id"] == notice_id
    assert status.isVisibleTo(screen) and "Cảm ơn" in status.text()
    aid = shell.navigate("legal_aid")
    qtbot.waitUntil(lambda: aid.inner.layout_.count() > 3, timeout=5000)
    texts = " ".join(w.text() for w in aid.findChildren(type(aid.findChild(QtWidgets.QLabel))))
    assert "Trợ giúp pháp lý" in texts and "Giờ làm việc" in texts


def test_a_session_held_asks_for_no_opinion_and_leaves_the_legal_aid_page(  # noqa: ANN001
    qtbot, shell
) -> None:
    """The day after the demo's December dialogue and its mobile legal-aid session: the
    dialogue says it took place and asks for no opinion; the next one comes first; the
    legal-aid page lists the standing desks only."""
    from ui.qt import QtWidgets

    after = date(2026, 12, 21)
    screen = shell.navigate("notices", today=after)
    qtbot.waitUntil(lambda: bool(screen.opinion_boxes), timeout=5000)
    assert sorted(screen.opinion_boxes) == ["doi-thoai-2027-01-dat-dai"]
    held = screen.findChild(QtWidgets.QLabel, "facts_doi-thoai-2026-12-cu-tru")
    assert "Đã diễn ra ngày 12/12/2026" in held.text()
    titles = [w.objectName() for w in screen.inner.findChildren(QtWidgets.QLabel)]
    titles = [t for t in titles if t.startswith("n_")]
    assert titles[0] == "n_doi-thoai-2027-01-dat-dai"  # the session to come first
    aid = shell.navigate("legal_aid", today=after)
    qtbot.waitUntil(lambda: aid.inner.layout_.count() > 3, timeout=5000)
    names = {w.objectName() for w in aid.inner.findChildren(QtWidgets.QLabel)}
    assert "n_tgpl-ha-noi" in names and "n_tu-van-luat-su-thang-12" not in names
    before = shell.navigate("legal_aid", today=DEMO_DAY)
    qtbot.waitUntil(lambda: before.inner.layout_.count() > 3, timeout=5000)
    names = [w.objectName() for w in before.inner.findChildren(QtWidgets.QLabel)]
    assert [n for n in names if n.startswith("n_")][0] == "n_tu-van-luat-su-thang-12"


def _in_view(area, widget) -> bool:  # noqa: ANN001
    """The whole widget is inside the scroll area's viewport."""
    top = widget.mapTo(area.viewport(), widget.rect().topLeft()).y()
    return top >= 0 and top + widget.height() <= area.viewport().height()


def test_ticket_code_is_in_view_first(qtbot, shell) -> None:  # noqa: ANN001
    """After `Gửi câu hỏi` the ticket code (the one thing to write down) is on screen, even
    though the resident was at the bottom of the form, keyboard up, when she tapped."""
    from ui.qt import QLabel, QScrollArea, Qt
    from ui.screens import registry

    shell.resize(1920, 1080)
    shell.show()
    shell.ctx.theme = shell.ctx.theme.with_(text_size="xlarge")  # the ticket page scrolls
    shell.apply_theme()
    qtbot.waitUntil(lambda: registry.loaded, timeout=5000)  # screens load after Home paints
    screen = shell.navigate("ask")
    shell.keyboard_covers(600)
    screen.text.setPlainText("Tôi muốn hỏi thủ tục đăng ký tạm trú cho người thuê nhà?")
    area = screen.findChild(QScrollArea)
    send = screen.findChild(type(shell.back_button), "send")
    qtbot.wait(20)
    area.verticalScrollBar().setValue(area.verticalScrollBar().maximum())
    qtbot.wait(20)
    assert _in_view(area, send)
    qtbot.mouseClick(send, Qt.MouseButton.LeftButton)
    qtbot.wait(50)  # the ticket is laid out while the keyboard's room is still kept
    shell.keyboard_covers(0)  # then the keyboard's room comes back
    qtbot.wait(100)
    code = screen.findChild(QLabel, "ticket_code")
    assert code is not None and code.text() == screen.ticket
    assert _in_view(area, code)


def test_answer_synced_mid_session_is_found(qtbot, home: Path, tmp_path: Path) -> None:  # noqa: ANN001
    """A sync brings the answer while the kiosk keeps the older library for the resident
    reading it: the ticket is still looked up in the newest verified generation."""
    import shutil

    from kiosk.settings import Settings
    from offline_index.build import build_into_home
    from offline_index.demo import CONTENT as DEMO
    from ui import app as ui_app

    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(DEMO / "lawshelf-content.json", src)
    shutil.copytree(DEMO / "qa", src / "qa")
    first = build_into_home(home, [src])
    settings = Settings(fullscreen=False, idle_timeout_s=600)  # follows HOME's live library
    _, shell = ui_app.create(home, windowed=True, settings=settings)
    qtbot.addWidget(shell)
    qtbot.waitUntil(lambda: shell.library_state == "ready", timeout=30000)
    shell.first_paint_done()
    ticket = Q.new_ticket()
    answer = {
        "id": "ans-1",
        "question": "Thủ tục đăng ký tạm trú?",
        "answer": "Mang căn cước đến công an xã.",
        "ticket_hash": Q.ticket_hash(ticket),
    }
    (src / "qa" / "answers.json").write_text(json.dumps(answer, ensure_ascii=False))
    second = build_into_home(home, [src])  # the nightly sync's new generation goes live
    assert second != first and shell.ctx.library_path == first.resolve()
    screen = shell.navigate("ask", mode="ticket")
    screen.code.setText(ticket)
    screen.lookup()
    qtbot.waitUntil(lambda: shell.current_name == "qa_entry", timeout=10000)
    from ui.qt import QLabel

    texts = " ".join(w.text() for w in shell.current.findChildren(QLabel))
    assert "Mang căn cước đến công an xã." in texts
    assert shell.ctx.library_path == first.resolve()  # the reading library was not swapped
    shell.go_home()
    shell.ctx.ops.wait()
    shell.allow_close()


def test_question_form_without_sealing_key_asks_no_contact(qtbot, shell, home: Path) -> None:  # noqa: ANN001
    """Contact details could not be sealed: the form does not ask for them, and the question
    itself (no personal data) is still sent and gets its ticket."""
    from ui.qt import QLabel

    (home / "keys" / "publisher_seal.pub").unlink()
    screen = shell.navigate("ask")
    assert not screen.contact.isVisibleTo(screen)
    assert screen.findChild(QLabel, "ask_no_contact").isVisibleTo(screen)
    screen.text.setPlainText("Tôi muốn hỏi thủ tục đăng ký tạm trú cho người thuê nhà?")
    screen.send()
    assert screen.ticket
    row = next(open_state(home).query("SELECT kind, sealed FROM outbox"))
    assert row["kind"] == "question" and row["sealed"] is None


def test_a_citation_to_a_text_the_library_lacks_offers_a_search(qtbot, shell) -> None:  # noqa: ANN001
    """This library holds three laws; a Q&A answer or a contest question may cite another.
    The reader says it is not here and offers to search its number: no dead end."""
    from offline_index.model import Citation
    from ui.qt import Qt
    from ui.screens.citations import open_citation

    open_citation(shell, Citation("100/2015/QH13", "321", "1"))
    reader = shell.current
    qtbot.waitUntil(lambda: reader.replacement.isVisible(), timeout=10000)
    assert "100/2015/QH13" in reader.replacement.text() and not reader.outline.sections
    assert not reader.tools_box.isVisible() and not reader.pages.isVisible()  # no empty page
    qtbot.mouseClick(reader.replacement, Qt.MouseButton.LeftButton)
    assert shell.current_name == "search" and shell.current.query.text() == "100/2015/QH13"
