"""Search and reader on the real demo library (offscreen)."""

from __future__ import annotations

import re

from tests.ui.conftest import type_text


def wait_results(qtbot, screen, total_min: int = 1) -> None:  # noqa: ANN001
    qtbot.waitUntil(
        lambda: (
            screen.answer is not None
            and screen.answer.result.total >= total_min
            and screen.answer.query == screen.query.text().strip()
        ),
        timeout=10000,
    )


def test_search_without_diacritics_finds_articles(make_shell, qtbot) -> None:  # noqa: ANN001
    shell = make_shell()
    screen = shell.navigate("search")
    type_text(screen.query, "phạt vượt đèn đỏ")
    assert screen.query.text() == "phạt vượt đèn đỏ"
    wait_results(qtbot, screen)
    hits = screen.answer.result.hits
    i, art = next((i, h) for i, h in enumerate(hits) if h.hit_type == "article")
    card = screen.results.findChild(object, f"hit_{i}")
    texts = " ".join(lab.text() for lab in card.labels)
    assert f"Điều {art.article}" in texts
    assert art.doc_number in texts
    assert "background-color" in texts  # <mark> rendered as a highlight


def test_opening_a_hit_lands_on_its_article(make_shell, qtbot) -> None:  # noqa: ANN001
    shell = make_shell()
    screen = shell.navigate("search")
    type_text(screen.query, "ly hon")
    wait_results(qtbot, screen)
    i, hit = next(
        (i, h) for i, h in enumerate(screen.answer.result.hits) if h.hit_type == "article"
    )
    card = screen.results.findChild(object, f"hit_{i}")
    qtbot.mouseClick(card, qtbot_left())
    qtbot.waitUntil(lambda: shell.current_name == "reader", timeout=5000)
    reader = shell.current
    qtbot.waitUntil(lambda: bool(reader.outline.sections), timeout=10000)
    assert reader.doc_id == hit.doc_id
    assert reader.current_key() == str(hit.article)
    html = reader.text.toHtml()
    assert f"Điều {hit.article}" in reader.text.toPlainText()
    assert "background-color" in html  # terms highlighted
    assert shell.session.open_docs == [hit.doc_id]
    before = reader.index
    qtbot.mouseClick(reader.next_button, qtbot_left())
    assert reader.index == before + 1


def test_no_results_gives_help_and_a_way_to_ask(make_shell, qtbot) -> None:  # noqa: ANN001
    shell = make_shell()
    screen = shell.navigate("search")
    type_text(screen.query, "xqzzwv")
    qtbot.waitUntil(lambda: screen.answer is not None, timeout=10000)
    assert screen.answer.result.total == 0
    assert screen.results.findChild(object, "spelling_help") is not None
    assert screen.results.findChild(object, "popular") is not None
    assert screen.results.findChild(object, "ask") is not None


def test_a_first_hit_that_matches_part_of_a_topic_says_which_words_it_lacks(
    make_shell, qtbot
) -> None:  # noqa: ANN001
    """`vứt rác bừa bãi` opens no article on litter in the demo; its first hit shares only
    `vứt`. The results say so above the hits; a search fully matched shows no such line."""
    from ui.qt import QLabel

    shell = make_shell()
    screen = shell.navigate("search")
    type_text(screen.query, "vứt rác bừa bãi")
    wait_results(qtbot, screen)

    def shown() -> list[QLabel]:  # an earlier keystroke's line may still await deletion
        notes = screen.results.findChildren(QLabel, "missing_words")
        return [n for n in notes if n.isVisibleTo(screen)]

    qtbot.waitUntil(lambda: len(shown()) == 1)
    note = shown()[0]
    assert "«rác bừa bãi»" in note.text() and note.wordWrap()
    screen.query.clear()
    type_text(screen.query, "ly hôn")
    wait_results(qtbot, screen)
    qtbot.waitUntil(lambda: screen.results.findChild(QLabel, "missing_words") is None)


def test_filter_chip_narrows_results(make_shell, qtbot) -> None:  # noqa: ANN001
    shell = make_shell()
    screen = shell.navigate("search")
    type_text(screen.query, "phạt")
    wait_results(qtbot, screen)
    screen.set_filter("kind", "Nghị định")
    qtbot.waitUntil(
        lambda: (
            screen.filters.kind == "Nghị định"
            and screen.answer is not None
            and all(h.kind == "Nghị định" for h in screen.answer.result.hits)
        ),
        timeout=10000,
    )


def qtbot_left():  # noqa: ANN201
    from ui.qt import Qt

    return Qt.MouseButton.LeftButton


def test_validity_chip_keeps_only_texts_in_force(make_shell, qtbot) -> None:  # noqa: ANN001
    shell = make_shell()
    screen = shell.navigate("search")
    type_text(screen.query, "vượt xe")
    wait_results(qtbot, screen)
    assert any(h.validity == "not_in_force" for h in screen.answer.result.hits)
    screen.set_filter("validity", "in_force")
    qtbot.waitUntil(
        lambda: (
            screen.filters.validity == "in_force"
            and all(
                h.validity == "in_force"
                for h in screen.answer.result.hits
                if h.hit_type == "article"
            )
        ),
        timeout=10000,
    )


def test_question_hits_lead_with_the_question(make_shell, qtbot) -> None:  # noqa: ANN001
    """A Q&A hit's big line is the question itself, not the bare word "Hỏi đáp"."""
    shell = make_shell()
    screen = shell.navigate("search")
    type_text(screen.query, "phat vuot den do")
    wait_results(qtbot, screen)
    i, hit = next((i, h) for i, h in enumerate(screen.answer.result.hits) if h.hit_type == "qa")
    card = screen.results.findChild(object, f"hit_{i}")
    assert card.labels[0].text() == (hit.article_title or hit.doc_title)
    assert card.labels[1].text() == "Hỏi đáp"


def test_replaced_text_always_offers_a_next_step(make_shell, qtbot) -> None:  # noqa: ANN001
    """A text no longer in force links to its replacement, or searches for it by number when
    the replacement is not in this library."""
    shell = make_shell()
    res = shell.ctx.call_library(lambda lib: lib.search("vượt xe", limit=20))
    hit = next(h for h in res.hits if h.validity == "not_in_force")
    reader = shell.navigate("reader", doc_id=hit.doc_id, article=hit.article)
    qtbot.waitUntil(lambda: bool(reader.outline.sections), timeout=10000)
    assert reader.banner.isVisible() and reader.replacement.isVisible()
    qtbot.mouseClick(reader.replacement, qtbot_left())
    assert shell.current_name in ("reader", "search")
    if shell.current_name == "search":
        assert shell.current.query.text() in reader.replacement.text()


def test_reader_marks_the_law_words_an_everyday_word_searched_for(make_shell, qtbot) -> None:  # noqa: ANN001
    shell = make_shell()
    screen = shell.navigate("search")
    type_text(screen.query, "cấp sổ đỏ")
    wait_results(qtbot, screen)
    hits = screen.answer.result.hits
    hit = next(h for h in hits if h.hit_type == "article" and "Giấy chứng nhận" in h.article_title)
    screen.query.setText("cấp sổ đỏ ")  # a trailing space is still the query answered
    assert "giay" in screen.law_words().split()
    screen.open_hit(hit)  # the snippet marked `Giấy chứng nhận …`: the reader marks it too
    reader = shell.current
    qtbot.waitUntil(lambda: bool(reader.outline.sections), timeout=10000)
    assert {"giay", "chung", "nhan", "quyen", "dat"} <= reader.marks.words
    assert "background-color" in reader.text.toHtml()


def test_reader_marks_a_plain_word_as_the_everyday_phrase_read_it(make_shell, qtbot) -> None:  # noqa: ANN001
    """`vuot den do` is `vượt đèn đỏ`: the reader marks `đèn`, not each fine's `đến`."""
    shell = make_shell()
    screen = shell.navigate("search")
    type_text(screen.query, "vuot den do")
    wait_results(qtbot, screen)
    hit = next(h for h in screen.answer.result.hits if h.hit_type == "article")
    screen.open_hit(hit)
    reader = shell.current
    qtbot.waitUntil(lambda: bool(reader.outline.sections), timeout=10000)
    assert reader.marks.takes("đèn") and not reader.marks.takes("đến")
    html_ = reader.text.toHtml()  # the act asked about is marked, a lone `không` is not
    assert "hiệu lệnh của đèn tín hiệu" in re.sub(r"<[^>]*>", "", html_)
    assert reader.marks.joined >= {"khong", "cua"} and "den" not in reader.marks.joined


def test_a_publication_hit_opens_its_pdf_at_the_page(make_shell, qtbot) -> None:  # noqa: ANN001
    """A leaflet's page found by a search opens in the PDF viewer at that page (it said `Chưa
    có thư viện pháp luật trên máy này`: the hit's `pub:` id was looked up as is)."""
    shell = make_shell()
    screen = shell.navigate("search")
    type_text(screen.query, "say ruou lai xe")
    wait_results(qtbot, screen)
    hit = next(h for h in screen.answer.result.hits if h.key.startswith("pub:"))
    screen.open_hit(hit)
    qtbot.waitUntil(lambda: shell.current is not screen, timeout=10000)
    pdf = shell.current
    qtbot.waitUntil(lambda: pdf.status.text().startswith("Trang"), timeout=10000)
    assert pdf.status.text().startswith(f"Trang {hit.page} /")
    assert pdf.marks.takes("nồng") or pdf.marks.takes("lái")  # the search's words, marked


def test_a_hit_in_a_long_article_opens_at_the_clause_its_snippet_shows(make_shell, qtbot) -> None:  # noqa: ANN001
    """The red-light fine for motorbikes is clause 7 of a 14-clause decree article: the reader
    opens there, not at clause 1's 200,000 đồng; coming back to the article starts at its top."""
    from ui.qt import QPoint

    shell = make_shell()
    screen = shell.navigate("search")
    type_text(screen.query, "phat vuot den do xe may")
    wait_results(qtbot, screen)
    hit = screen.answer.result.hits[0]
    assert (hit.doc_number, hit.article, hit.clause) == ("168/2024/NĐ-CP", "7", "7")
    qtbot.mouseClick(screen.results.findChild(object, "hit_0"), qtbot_left())
    qtbot.waitUntil(lambda: shell.current_name == "reader", timeout=5000)
    reader = shell.current
    qtbot.waitUntil(lambda: bool(reader.outline.sections), timeout=10000)

    def top_line() -> str:
        return reader.text.cursorForPosition(QPoint(20, 20)).block().text()

    assert reader.text.verticalScrollBar().value() > 0
    assert top_line().startswith("7. Phạt tiền từ 4.000.000 đồng")
    assert reader.to_start.isVisible() and "khoản 7" in reader.to_start.text()
    assert reader.at_clause == "7"  # read aloud starts there too (render.plain_text)
    printed = reader.printable()  # and so does printing: 3 pages, not 7
    assert "Trích Điều 7, từ khoản 7" in printed and "168/2024/NĐ-CP" in printed
    assert "Phạt tiền từ 4.000.000 đồng" in printed and "200.000 đồng" not in printed
    # No printer: what to copy down names the clause too.
    assert reader._reference().startswith("Khoản 7, Điều 7. Xử phạt")
    for size in ("large", "xlarge"):  # bigger text keeps the line read, not the pixels
        qtbot.mouseClick(reader.bigger, qtbot_left())
        assert shell.ctx.theme.text_size == size
        assert top_line().startswith("7. Phạt tiền từ 4.000.000 đồng"), top_line()
        assert reader.to_start.isVisible()
    assert reader.bigger.text() == "A− Về cỡ chữ thường"  # the biggest: the next tap says so
    qtbot.mouseClick(reader.bigger, qtbot_left())
    assert shell.ctx.theme.text_size == "normal" and reader.bigger.text() == "A+ Chữ to hơn"
    assert top_line().startswith("7. Phạt tiền từ 4.000.000 đồng"), top_line()
    qtbot.mouseClick(reader.to_start, qtbot_left())  # where the article starts, one tap away
    assert reader.text.verticalScrollBar().value() == 0 and not reader.to_start.isVisible()
    assert reader.at_clause is None
    assert "200.000 đồng" in reader.printable() and "Trích" not in reader.printable()
    assert reader._reference().startswith("Điều 7. Xử phạt")
    reader.text.verticalScrollBar().setValue(200)
    reader.next()
    reader.previous()
    assert reader.text.verticalScrollBar().value() == 0 and not reader.to_start.isVisible()


def test_a_card_no_longer_in_force_says_what_replaced_it(make_shell, qtbot) -> None:  # noqa: ANN001
    """The red line of a repealed text names the text in force in its place, even one this
    library does not hold: the demo has Luật Đất đai 45/2013 only, replaced by 31/2024/QH15."""
    shell = make_shell()
    screen = shell.navigate("search")
    type_text(screen.query, "đất đai")
    wait_results(qtbot, screen)
    i = next(i for i, h in enumerate(screen.answer.result.hits) if h.doc_id == "45-2013-qh13")
    card = screen.results.findChild(object, f"hit_{i}")
    assert card.labels[-1].text() == "⚠ Hết hiệu lực · Văn bản thay thế: 31/2024/QH15"


def test_a_replacement_this_library_lacks_says_so_not_check_the_spelling(  # noqa: ANN001
    make_shell, qtbot
) -> None:
    """`Tìm văn bản thay thế: 31/2024/QH15` led to `Không tìm thấy kết quả` and a hint to check
    the spelling of what the resident never typed."""
    shell = make_shell()
    reader = shell.navigate("reader", doc_id="45-2013-qh13", article="1")
    qtbot.waitUntil(lambda: bool(reader.outline.sections), timeout=10000)
    assert reader.replacement.text() == "Tìm văn bản thay thế: 31/2024/QH15"
    qtbot.mouseClick(reader.replacement, qtbot_left())
    screen = shell.current
    qtbot.waitUntil(lambda: screen.answer is not None, timeout=10000)
    assert not screen.answer.result.hits
    qtbot.waitUntil(lambda: screen.results.findChild(object, "number_help") is not None)
    assert (
        "chưa có văn bản mang số hiệu này" in screen.results.findChild(object, "number_help").text()
    )
    assert screen.results.findChild(object, "spelling_help") is None
    assert screen.results.findChild(object, "ask") is not None  # and a way to ask


def test_the_search_help_offers_the_library_s_own_topics(make_shell, qtbot, tmp_path) -> None:  # noqa: ANN001
    """The chips are the release's `topics` (the publisher's choice), in its order; tapping
    one searches it."""
    from offline_index.build import build_generation
    from tests.library.library_content import content_source
    from ui.qt import QPushButton

    law = {"number": "68/2020/QH14", "kind": "Luật", "title": "Luật Cư trú",
           "body": [{"level": "dieu", "number": "27", "title": "Điều kiện đăng ký tạm trú",
                     "text": "Công dân đến sinh sống tại chỗ ở hợp pháp thì được đăng ký tạm trú."}]}  # fmt: skip
    topics = [{"text": "tạm vắng", "order": 2}, {"text": "đăng ký tạm trú", "order": 1}]
    src = content_source(tmp_path, "src", [law], topics=topics)
    build_generation([src], tmp_path / "gen")
    screen = make_shell(library=tmp_path / "gen").navigate("search")
    qtbot.waitUntil(lambda: screen.results.findChild(object, "popular") is not None)
    chips = screen.results.findChild(object, "popular").findChildren(QPushButton)
    assert [c.text() for c in chips] == ["đăng ký tạm trú", "tạm vắng"]
    chips[0].click()
    wait_results(qtbot, screen)
    assert screen.answer.result.hits[0].key == "68-2020-qh14#a27"


def test_a_result_names_the_part_of_the_law_it_sits_in(make_shell, qtbot) -> None:  # noqa: ANN001
    """Two `Trợ cấp tuất` articles: the card says which regime each belongs to."""
    screen = make_shell().navigate("search")
    type_text(screen.query, "trợ cấp tuất")
    wait_results(qtbot, screen)
    hits = screen.answer.result.hits
    i = next(i for i, h in enumerate(hits) if h.article == "81")
    card = screen.results.findChild(object, f"hit_{i}")
    where = card.labels[1].text()
    assert "58/2014/QH13" in where
    assert where.endswith("Chương IV. Bảo hiểm xã hội tự nguyện · Mục 2. Chế độ tử tuất")


def test_a_question_qa_has_not_answered_goes_on_to_the_laws(make_shell, qtbot) -> None:  # noqa: ANN001
    """Q&A holds what someone has answered; a question it lacks is one tap from the law
    search, with the words already typed."""
    shell = make_shell()
    screen = shell.navigate("qa")
    assert not screen.to_search.isVisibleTo(screen)  # nothing asked yet
    type_text(screen.query, "ly hon ai nuoi con")
    qtbot.waitUntil(lambda: bool(screen.status.text()), timeout=10000)
    assert not screen.cards
    assert "văn bản pháp luật" in screen.status.text()
    assert screen.to_search.isVisibleTo(screen)
    qtbot.mouseClick(screen.to_search, qtbot_left())
    assert shell.current_name == "search"
    assert shell.current.query.text() == "ly hon ai nuoi con"
    wait_results(qtbot, shell.current)
    assert shell.current.answer.result.hits[0].doc_number == "52/2014/QH13"


def test_qa_hits_still_offer_the_law_search(make_shell, qtbot) -> None:  # noqa: ANN001
    shell = make_shell()
    screen = shell.navigate("qa")
    type_text(screen.query, "vượt đèn đỏ")
    qtbot.waitUntil(lambda: bool(screen.cards), timeout=10000)
    assert not screen.status.text()
    assert screen.to_search.isVisibleTo(screen)


def test_asking_from_qa_keeps_the_words_typed(make_shell, qtbot) -> None:  # noqa: ANN001
    shell = make_shell()
    screen = shell.navigate("qa")
    type_text(screen.query, "ly hon ai nuoi con")
    qtbot.mouseClick(screen.findChild(object, "ask"), qtbot_left())
    assert shell.current_name == "ask"
    assert shell.current.text.toPlainText() == "ly hon ai nuoi con"
    shell.navigate("qa")  # an empty search asks with an empty form
    qtbot.mouseClick(shell.current.findChild(object, "ask"), qtbot_left())
    assert shell.current.text.toPlainText() == ""


def test_a_suggested_title_no_longer_in_force_says_so_and_comes_last(make_shell, qtbot) -> None:  # noqa: ANN001
    shell = make_shell()
    screen = shell.navigate("search")
    type_text(screen.query, "luat")
    wait_results(qtbot, screen)
    chips = [
        screen.suggest_flow.itemAt(i).widget().text() for i in range(screen.suggest_flow.count())
    ]
    assert len(chips) == 4 and chips[-1] == "⚠ Hết hiệu lực · Luật Nhà ở 65/2014/QH13"
    assert not any("⚠" in c for c in chips[:-1])  # the laws in force first, as they are
    screen.query.clear()
    type_text(screen.query, "luat giao thong duong bo")
    wait_results(qtbot, screen)
    chip = screen.suggest_flow.itemAt(0).widget()
    assert chip.text() == "⚠ Hết hiệu lực · Luật Giao thông đường bộ 23/2008/QH12"


def test_a_text_replaced_by_two_offers_both(make_shell, qtbot) -> None:  # noqa: ANN001
    """Luật Giao thông đường bộ 2008 was replaced by the roads law and the traffic order and
    safety law of 2024: its overtaking article belongs to the second, so both are offered."""
    shell = make_shell()
    reader = shell.navigate("reader", doc_id="23-2008-qh12", article="14")
    qtbot.waitUntil(lambda: bool(reader.outline.sections), timeout=10000)
    shown = [b.text() for b in reader.replacements if b.isVisible()]
    assert shown == ["Tìm văn bản thay thế: 35/2024/QH15", "Tìm văn bản thay thế: 36/2024/QH15"]
    assert all(b.height() >= reader.theme.target for b in reader.replacements[:2])
    qtbot.mouseClick(reader.replacements[1], qtbot_left())
    qtbot.waitUntil(lambda: shell.current_name == "search", timeout=5000)
    assert shell.current.query.text() == "36/2024/QH15"


def test_a_qa_hit_relying_on_a_replaced_text_is_marked(make_shell) -> None:  # noqa: ANN001
    """Library.search marks such a hit (tests/library/test_library.py); its card says so."""
    from offline_index.search_types import Hit

    shell = make_shell()
    screen = shell.navigate("search")
    hit = Hit(
        "qa:cu",
        "qa",
        "qa:cu",
        "",
        "Phạt vượt đèn đỏ?",
        "Hỏi đáp",
        "not_in_force",
        None,
        "",
        None,
        1.0,
        "…",
    )
    lines = screen._hit_lines(hit)
    assert lines[-1] == ("⚠ Dựa trên quy định đã hết hiệu lực", "banner", False)
    hit.validity = ""
    assert all("hết hiệu lực" not in text for text, _r, _h in screen._hit_lines(hit))
