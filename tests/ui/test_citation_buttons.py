"""A citation's button says which law it opens (`Điều 7 Luật Trợ giúp pháp lý 11/2017/QH14`),
named as the library names it; a law the library lacks keeps its number, and its button still
leads somewhere (the reader offers to search for it). Long names wrap, never clip."""

from __future__ import annotations

from pathlib import Path

from tests.ui.conftest import shown


def _button(qtbot, screen, name: str):  # noqa: ANN001, ANN202
    from ui.qt import QPushButton

    qtbot.waitUntil(lambda: screen.findChild(QPushButton, name) is not None, timeout=10000)
    return screen.findChild(QPushButton, name)


def test_a_qa_answer_and_a_notice_name_the_law_they_cite(make_shell, qtbot) -> None:  # noqa: ANN001
    """The demo library holds both texts: the decree by its kind (its title runs to 153
    characters), the law by its title."""
    shell = make_shell()
    entry = shell.navigate("qa_entry", qa_id="traffic-1062")
    cite = _button(qtbot, entry, "qa_cite_0")
    assert cite.text() == "Đọc căn cứ: điểm c khoản 7 Điều 7 Nghị định 168/2024/NĐ-CP"
    aid = shell.navigate("legal_aid")
    cite = _button(qtbot, aid, "cite_tgpl-ha-noi_0")
    assert cite.text() == "Đọc căn cứ: Điều 7 Luật Trợ giúp pháp lý 11/2017/QH14"


def test_a_law_not_in_the_library_keeps_its_number_and_can_be_searched(
    make_shell, qtbot, contest_library: Path
) -> None:  # noqa: ANN001
    """The contest library holds three texts, not Luật Trợ giúp pháp lý: the legal-aid button
    says its number only, and the reader it opens offers to search for that number."""
    shell = make_shell(library=contest_library)
    aid = shell.navigate("legal_aid")
    cite = _button(qtbot, aid, "cite_tgpl-ha-noi_0")
    assert cite.text() == "Đọc căn cứ: Điều 7 11/2017/QH14"
    cite.click()
    reader = shell.current
    assert shell.current_name == "reader" and reader.doc_id == "11-2017-qh14"
    qtbot.waitUntil(lambda: not reader.replacement.isHidden(), timeout=10000)
    assert reader.replacement.text() == "Tìm văn bản: 11/2017/QH14"  # not a dead end
    reader.replacement.click()
    assert shell.current_name == "search" and shell.current.query.text() == "11/2017/QH14"


def test_a_long_law_name_wraps_at_the_largest_text(make_shell, qtbot) -> None:  # noqa: ANN001
    """A 60-character title (the longest a name keeps) at the largest text size is wider than
    the window: the button grows a line and shows every word, as wide as the page."""
    from offline_index.model import Citation, QAEntry

    shell = make_shell(text_size="xlarge")
    number = "44/2019/QH14"
    title = "Luật Phòng, chống tác hại của rượu, bia và thuốc lá điện tử"
    entry = QAEntry(
        id="long",
        question="Câu hỏi?",
        answer="Trả lời.",
        citations=[Citation(doc_number=number, article="123", clause="12", point="đ")],
    )
    screen = shell.navigate("qa_entry", entry=entry, names={number: f"{title} {number}"})
    cite = _button(qtbot, screen, "qa_cite_0")
    qtbot.waitUntil(lambda: shown(screen), timeout=5000)
    text = f"Đọc căn cứ: điểm đ khoản 12 Điều 123 {title} {number}"
    assert cite.text() == text
    one_line = cite.fontMetrics().horizontalAdvance(text)
    assert one_line > cite.width()  # too wide for one line: this is the case that clipped
    assert cite.width() <= screen.inner.width()  # never wider than the page
    words = cite.words
    assert words.wordWrap() and words.height() >= words.heightForWidth(words.width())
    assert cite.height() >= words.height() > 1.5 * cite.fontMetrics().height()  # two lines
    assert cite.rect().contains(words.geometry())


def test_an_answer_relying_on_a_repealed_article_says_so(make_shell, qtbot) -> None:  # noqa: ANN001
    """A ticket's answer citing the 2008 road law (replaced in 2024) is not the law as it
    stands: a banner says so, and the citation's button names the status."""
    from offline_index.model import Citation, QAEntry
    from ui.qt import QLabel

    shell = make_shell()
    old = Citation(doc_number="23/2008/QH12", article="14")
    new = Citation(doc_number="168/2024/NĐ-CP", article="7", clause="1")
    entry = QAEntry(id="cu", question="Vượt xe thế nào?", answer="…", citations=[old, new])
    screen = shell.navigate("qa_entry", entry=entry, names={})
    qtbot.waitUntil(lambda: screen.findChild(QLabel, "qa_lapsed") is not None, timeout=10000)
    banner = screen.findChild(QLabel, "qa_lapsed").text()
    assert banner.startswith("⚠ Câu trả lời này dựa trên quy định nay đã hết hiệu lực")
    assert "Điều 14 23/2008/QH12" in banner and "168/2024" not in banner
    assert _button(qtbot, screen, "qa_cite_0").text().endswith(" · Hết hiệu lực")
    assert "Hết hiệu lực" not in _button(qtbot, screen, "qa_cite_1").text()
