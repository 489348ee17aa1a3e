"""Snippets: the window that shows a hit, and for an act under a clause, that clause's opening."""

from __future__ import annotations

import re
from pathlib import Path

from offline_index.analysis import analyse_query
from offline_index.index_units import qa_text
from offline_index.marking import Lack, Marks, lacking
from offline_index.model import QAEntry
from offline_index.snippets import hit_snippet, make_snippet

FINES = (
    "Điều 7. Xử phạt người điều khiển xe mô tô, xe gắn máy vi phạm quy tắc giao thông\n"
    "1. Phạt tiền từ 200.000 đồng đến 400.000 đồng đối với người điều khiển xe thực hiện một "
    "trong các hành vi vi phạm sau đây:\n"
    "a) Không chấp hành hiệu lệnh, chỉ dẫn của biển báo hiệu, vạch kẻ đường;\n"
    "b) Không có báo hiệu xin vượt trước khi vượt;\n"
    "2. Phạt tiền từ 4.000.000 đồng đến 6.000.000 đồng đối với người điều khiển xe thực hiện "
    "một trong các hành vi vi phạm sau đây:\n"
    "a) Điều khiển xe chạy quá tốc độ quy định từ 10 km/h đến 20 km/h;\n"
    "b) Không chấp hành hiệu lệnh của đèn tín hiệu giao thông;\n"
    "3. Phạt tiền từ 8.000.000 đồng đến 10.000.000 đồng đối với người điều khiển xe lạng lách."
)
RED_LIGHT = "khong chap hanh hieu lenh cua den tin hieu giao thong"


def plain(snippet: str) -> str:
    return re.sub(r"<.*?>", "", snippet)


def test_an_act_named_in_the_law_s_words_shows_under_its_clause_s_amount() -> None:
    """`vượt đèn đỏ` is the act `không chấp hành hiệu lệnh của đèn tín hiệu giao thông`; the
    snippet shows it with the opening of its clause, the fine that applies, and nothing of the
    clauses around it."""
    qt = analyse_query("phạt vượt đèn đỏ xe máy")
    assert RED_LIGHT in qt.legal
    snip = plain(make_snippet(FINES, qt.unigrams, phrases=qt.legal).html)
    assert snip.startswith("2. Phạt tiền từ 4.000.000 đồng đến 6.000.000 đồng")
    assert "b) Không chấp hành hiệu lệnh của đèn tín hiệu giao thông;" in snip
    assert "200.000" not in snip and "8.000.000" not in snip
    most_words = plain(make_snippet(FINES, qt.unigrams).html)  # no phrase: the most words
    assert "đèn tín hiệu" in most_words and "4.000.000" not in most_words  # and no amount


def test_the_snippet_names_the_clause_it_shows_for_the_reader_to_open_at() -> None:
    qt = analyse_query("phạt vượt đèn đỏ xe máy")
    assert make_snippet(FINES, qt.unigrams, phrases=qt.legal).clause == "2"
    assert make_snippet(FINES, qt.unigrams).clause == "2"  # the window's first match
    assert make_snippet(FINES, ["vi", "pham", "quy", "tac"]).clause is None  # the title
    assert make_snippet(FINES, ["lang", "lach"]).clause == "3"  # the window's first match
    text = "Điều 603. Bồi thường thiệt hại do súc vật gây ra\n1. Chủ sở hữu súc vật bồi thường."
    assert make_snippet(text, ["suc", "vat"], phrases=["suc vat"]).clause is None  # its title


ONCOMING = (
    "Điều 6. Xử phạt người điều khiển xe ô tô vi phạm quy tắc giao thông\n"
    "3. Phạt tiền từ 800.000 đồng đến 1.000.000 đồng đối với người điều khiển xe thực hiện một "
    "trong các hành vi vi phạm sau đây:\n"
    "a) Điều khiển xe chạy quá tốc độ quy định từ 05 km/h đến dưới 10 km/h;\n"
    "b) Sử dụng đèn chiếu xa khi gặp xe đi ngược chiều;\n"
    "9. Phạt tiền từ 18.000.000 đồng đến 20.000.000 đồng đối với người điều khiển xe thực hiện "
    "một trong các hành vi vi phạm sau đây:\n"
    "a) Dừng xe, đỗ xe trên đường cao tốc;\n"
    "d) Đi ngược chiều của đường một chiều, đi ngược chiều trên đường có biển “Cấm đi ngược chiều”."
)


def test_a_topic_shows_the_point_that_opens_with_its_words() -> None:
    """A decree names each act at the head of its point: `đi ngược chiều` is the act of
    khoản 9's point d, not the `… khi gặp xe đi ngược chiều` of the high beams in khoản 3,
    which holds the same words first. The snippet shows the point under its clause's amount,
    and the reader opens at that clause."""
    words = ["di", "nguoc", "chieu"]
    assert make_snippet(ONCOMING, words).clause == "3"  # the first window with the words
    snip = make_snippet(ONCOMING, words, opens=["di nguoc chieu"])
    assert snip.clause == "9"
    assert plain(snip.html).startswith("9. Phạt tiền từ 18.000.000 đồng")
    assert "d) Đi ngược chiều của đường một chiều" in plain(snip.html)
    with_fine = make_snippet(ONCOMING, ["phat", *words], opens=["phat di nguoc chieu"])
    assert with_fine.clause == "9"  # the run's longest part that opens a point
    assert make_snippet(ONCOMING, words, opens=["chieu"]).clause == "3"  # one word: no run
    # A marker's look-alike inside a line (`… khoản 2 Điều 7. Đi …`) opens no point.
    cited = ONCOMING.replace("b) Sử dụng", "b) Như khoản 2 Điều 7. Đi ngược chiều; sử dụng")
    assert make_snippet(cited, words, opens=["di nguoc chieu"]).clause == "9"


def test_a_topic_search_s_hits_open_at_the_point_it_names(demo_library: Path) -> None:
    from offline_index.library import Library

    lib = Library.open(demo_library)
    for query in ("đi ngược chiều", "di nguoc chieu"):
        first = lib.search(query, limit=1).hits[0]
        assert (first.doc_id, first.article, first.clause) == ("168-2024-nd-cp", "6", "9")
    question = lib.search("đi xe máy mà đi ngược chiều thì sao", limit=5).hits
    assert question  # a question's snippets are drawn as before (its words, not a run)


def test_a_phrase_outside_any_clause_opens_the_window_at_it() -> None:
    text = (
        "Điều 603. Bồi thường thiệt hại do súc vật gây ra\n1. Chủ sở hữu súc vật phải bồi thường."
    )
    snip = plain(make_snippet(text, ["suc", "vat"], width=80, phrases=["suc vat"]).html)
    assert snip.startswith("…603. Bồi thường thiệt hại do súc vật")  # 30 characters before it
    lacking = make_snippet(text, ["suc", "vat"], phrases=["xe may", "o"]).html
    assert lacking == make_snippet(text, ["suc", "vat"]).html  # a phrase it lacks, or of one word


def test_marks_stay_on_the_words_in_both_parts() -> None:
    qt = analyse_query("phạt vượt đèn đỏ xe máy")
    snip = make_snippet(FINES, qt.unigrams, phrases=qt.legal).html
    assert "<mark>Phạt</mark> tiền" in snip and "<mark>đèn</mark> <mark>tín</mark>" in snip


def test_a_phrase_right_after_its_clause_s_opening_reads_as_one_text() -> None:
    """Where the phrase starts right after the clause's opening, the two join as the text
    does: `giao dịch` kept apart, both marked (they were shown `giao<mark>dịch</mark>`). A
    legal wording with a comma (`bất động sản, động sản`) is found as its words."""
    text = (
        "Điều 21. Người chưa thành niên\n1. Người chưa thành niên là người chưa đủ mười tám tuổi."
        "\n4. Người từ đủ mười lăm tuổi đến chưa đủ mười tám tuổi tự mình xác lập, thực hiện giao"
        " dịch dân sự, trừ giao dịch dân sự liên quan đến bất động sản, động sản phải đăng ký."
    )
    phrase = "giao dich dan su lien quan den bat dong san, dong san phai dang ky"
    words = ["giao", "dich", "dan", "su", "bat", "dong", "san", "tuoi"]
    snip = make_snippet(text, Marks.of(words, joined=["giao", "dich"]), phrases=[phrase])
    assert snip.clause == "4"
    assert plain(snip.html).startswith("4. Người từ đủ mười lăm tuổi")
    assert "thực hiện <mark>giao</mark> <mark>dịch</mark> <mark>dân</mark>" in snip.html
    assert "bất</mark> <mark>động</mark> <mark>sản</mark>, <mark>động" in snip.html


def test_a_clause_far_into_a_long_article_is_shown_and_marked() -> None:
    """A car's article of fines runs to thousands of matched words before its clause 9."""
    qt = analyse_query("phạt vượt đèn đỏ xe máy")
    text = (
        "Điều 6. Xử phạt người điều khiển xe ô tô\n1. Phạt tiền từ 400.000 đồng đến 600.000 "
        "đồng đối với người điều khiển xe thực hiện một trong các hành vi vi phạm sau đây:\n"
        + "a) Không phạt xe đến khi xe không đến;\n"
        * 300
        + "9. Phạt tiền từ 18.000.000 đồng đến 20.000.000 đồng đối với người điều khiển xe thực "
        "hiện một trong các hành vi vi phạm sau đây:\nb) Không chấp hành hiệu lệnh của đèn tín "
        "hiệu giao thông;"
    )
    snip, clause = make_snippet(text, qt.unigrams, phrases=qt.legal)
    assert clause == "9"
    assert plain(snip).startswith("9. Phạt tiền từ 18.000.000 đồng đến 20.000.000 đồng")
    assert "<mark>đèn</mark> <mark>tín</mark>" in snip and "<mark>Phạt</mark> tiền" in snip


def test_the_window_shown_holds_every_word_that_chose_it() -> None:
    """The window with the most query words is shown from a little before its first match:
    its last words must still fit (`nồng độ cồn` after a `tốc độ`, near the window's end)."""
    text = (
        "c) Điều khiển xe chạy quá tốc độ quy định trên 20 km/h đến 35 km/h; "
        + "d) Không nhường đường cho xe được quyền ưu tiên đang làm nhiệm vụ khẩn cấp; " * 2
        + "đ) Điều khiển xe trên đường mà trong máu hoặc hơi thở có nồng độ cồn vượt quá mức."
        + " Tịch thu phương tiện." * 20
    )
    html_ = make_snippet(text, ["nong", "do", "con"]).html
    assert "<mark>nồng</mark> <mark>độ</mark> <mark>cồn</mark>" in html_


PARKING = (
    "Điều 18. Dừng xe, đỗ xe trên đường bộ\n"
    "1. Dừng xe là trạng thái đứng yên tạm thời của phương tiện; xe chạy quá tốc độ do người "
    "lái không đo được khoảng cách.\n"
    "2. Đỗ xe là trạng thái đứng yên của phương tiện giao thông không giới hạn thời gian."
)


def marked(snippet: str) -> list[str]:
    return re.findall(r"<mark>(.*?)</mark>", snippet)


def test_a_word_typed_with_diacritics_is_marked_as_typed_only() -> None:
    """`đỗ xe` asks for `đỗ`: `độ`, `do` and `đo` are look-alikes only folded. Typed without
    diacritics, `do xe` reads as the text pairs its words: `đỗ xe`, the same marks; with no
    pair in the text, every reading the search matched."""
    typed = make_snippet(PARKING, Marks.of(["do", "xe"], "đỗ xe"), width=400).html
    assert {w.lower() for w in marked(typed)} == {"đỗ", "xe"}
    folded = make_snippet(PARKING, Marks.of(["do", "xe"], "do xe"), width=400).html
    assert {w.lower() for w in marked(folded)} == {"đỗ", "xe"}
    unpaired = make_snippet(PARKING, Marks.of(["do", "khoang"], "do khoang"), width=400).html
    assert {w.lower() for w in marked(unpaired)} == {"đỗ", "độ", "do", "đo", "khoảng"}
    old_style = make_snippet("Hòa giải ở cơ sở", Marks.of(["hoa", "giai"], "hoà giải")).html
    assert marked(old_style) == ["Hòa", "giải"]  # `hoà` and `hòa` are one reading


def test_a_look_alike_of_a_word_typed_without_diacritics_is_not_marked_alone() -> None:
    """`ly hon` is `ly hôn` where the text pairs the two; the `lý` of `thụ lý` is not asked
    for, nor the `quan` of `cơ quan` (beside `quản`, the same word folded) for `quan ly`. A
    PDF page's words go the same way."""
    text = "1. Tòa án thụ lý đơn yêu cầu ly hôn. 2. Cơ quan quản lý hộ tịch ghi vào sổ."
    assert marked(make_snippet(text, Marks.of(["ly", "hon"], "ly hon")).html) == ["ly", "hôn"]
    shown = marked(make_snippet(text, Marks.of(["quan", "ly"], "quan ly")).html)
    assert shown == ["lý", "quản", "lý"]  # `thụ lý` is a `lý`; the `quan` of `cơ quan` is not
    assert Marks.of(["ly", "hon"], "ly hon").takes_each(text.split()) == [
        w in ("ly", "hôn.") for w in text.split()
    ]


def test_a_single_letter_is_marked_only_beside_another_marked_word() -> None:
    """`o to` is `ô tô`; a list letter `o)` or a lone `a` is not what was asked."""
    text = "o) Xe đạp chở quá số người; p) Điều khiển xe ô tô trên đường cao tốc."
    html_ = make_snippet(text, ["o", "to"]).html
    assert marked(html_) == ["ô", "tô"]


def test_a_clause_word_typed_plain_is_marked_only_beside_another_marked_word() -> None:
    """`... thi vo co duoc ly hon` means `thì`: the law's every `thì` is not what was asked,
    while `thi hanh an` still marks `Thi hành án`."""
    text = "Khi vợ hoặc chồng yêu cầu ly hôn mà hòa giải không thành thì Tòa án giải quyết."
    words = analyse_query("chong toi danh thi vo co duoc ly hon khong").unigrams
    assert "thi" in words  # folded, it may be `thi hành`: still searched
    html_ = make_snippet(text, Marks.of(words, "chong toi danh thi vo co duoc ly hon khong")).html
    assert "thì" in plain(html_) and "thì" not in marked(html_)
    assert {"vợ", "ly", "hôn"} <= set(marked(html_))
    qt = analyse_query("ly hon thi vo co duoc khong")
    assert lacking(Lack("ly hon thi vo co duoc khong", qt.typed, []), text) == []
    text = "Thi hành án dân sự thì phải theo bản án."
    html_ = make_snippet(text, Marks.of(["thi", "hanh", "an"], "thi hanh an")).html
    assert marked(html_) == ["Thi", "hành", "án", "án"]


def test_the_library_marks_the_reading_the_resident_typed(demo_library: Path) -> None:
    """Search passes the query as typed to its snippets: `đỗ xe` never marks `độ`, while
    the same search typed without diacritics does, where a hit's snippet holds it."""
    from offline_index.library import Library

    lib = Library.open(demo_library)
    typed = [m.lower() for h in lib.search("đỗ xe", limit=10).hits for m in marked(h.snippet)]
    assert "đỗ" in typed
    assert not {"độ", "do", "đo", "đồ"} & set(typed)
    folded = [m.lower() for h in lib.search("do xe", limit=10).hits for m in marked(h.snippet)]
    assert {"độ", "do"} & set(folded)


def test_words_an_everyday_phrase_read_are_marked_as_it_read_them(demo_library: Path) -> None:
    """`vuot den do`, typed plain, is the thesaurus's `vượt đèn đỏ`: its results mark `đèn`
    (and the law's wording), never the `đến` of every `từ … đến …` amount."""
    from offline_index.library import Library

    lib = Library.open(demo_library)
    hits = lib.search("vuot den do", limit=10).hits
    folded = [m.lower() for h in hits for m in marked(h.snippet)]
    assert "đèn" in folded and "đến" not in folded
    assert any("đến" in plain(h.snippet) for h in hits)  # the amounts are there, unmarked
    # With no everyday phrase read, a plain `den` still marks every reading it may be.
    loose = [m.lower() for h in lib.search("den", limit=10).hits for m in marked(h.snippet)]
    assert "đến" in loose or "đen" in loose


def test_a_hit_s_snippet_does_not_repeat_the_heading_its_result_shows() -> None:
    """The result card shows `Điều 4. Sở hữu đất đai` in bold: the snippet starts with the
    article's text. An article whose text lacks the query's words keeps its heading."""
    heading = "Điều 4. Sở hữu đất đai"
    text = heading + "\nĐất đai thuộc sở hữu toàn dân do Nhà nước đại diện chủ sở hữu."
    snip = hit_snippet(text, heading, Marks.of(["dat", "dai"], "đất đai"))
    assert plain(snip.html).startswith("Đất đai thuộc sở hữu toàn dân")
    bare = hit_snippet(text, heading, Marks.of(["so", "huu", "toan"]))
    assert plain(bare.html).startswith("Đất đai")  # the body holds them: no heading
    titled = hit_snippet(heading + "\nNhà nước quản lý.", heading, Marks.of(["dat", "dai"]))
    assert plain(titled.html).startswith(heading)  # only the heading holds them


def test_a_q_and_a_hit_shows_its_answer_even_where_only_the_question_matches() -> None:
    """The result shows the question as its title; the snippet is the answer (the fine),
    not the question again, while an article's title alone still marks the topic."""
    question = "Đi xe đạp vượt đèn đỏ thì bị phạt bao nhiêu?"
    text = question + "\nMức phạt: Phạt tiền từ 150.000 đồng đến 250.000 đồng."
    marks = Marks.of(["vuot", "den", "do"], "vượt đèn đỏ")
    answer = plain(hit_snippet(text, question, marks, answer=True).html)
    assert answer.startswith("Mức phạt: Phạt tiền từ 150.000 đồng")
    assert plain(hit_snippet(text, question, marks).html).startswith("Đi xe đạp vượt đèn đỏ")


def test_a_q_and_a_hit_shows_its_answer_alone_not_the_lines_repeated_for_search() -> None:
    """A traffic-fine entry's record repeats its subject and fine after the answer, for search
    (index_units.qa_text): `xe máy` is there, but the card shows the answer, the amount first,
    and nothing after it."""
    question = "Đi xe máy vượt đèn đỏ thì bị phạt bao nhiêu?"
    answer = (
        "Mức phạt: Phạt tiền từ 4.000.000 đồng đến 6.000.000 đồng.\nHình thức xử phạt bổ sung:"
        " Bị trừ điểm giấy phép lái xe 04 điểm.\nCăn cứ: điểm c khoản 7 Điều 7 Nghị định"
        " 168/2024/NĐ-CP."
    )
    fine = "Phạt tiền từ 4.000.000 đồng đến 6.000.000 đồng"
    entry = QAEntry(id="t", question=question, answer=answer, subject="xe máy", fine=fine)
    text = qa_text(entry)
    marks = Marks.of(["vuot", "den", "do", "xe", "may"], "vượt đèn đỏ xe máy")
    shown = hit_snippet(text, question, marks, answer=True).html
    assert plain(shown) == " ".join(answer.split())  # the answer, whole and alone
    assert "<mark>xe</mark>" in shown  # the query's words in it are still marked
    assert "xe máy" in text.split(question, 1)[1]  # the subject is still there for search


def test_an_answer_s_lines_without_a_stop_are_not_run_together() -> None:
    question = "Đi xe đạp vượt đèn đỏ thì bị phạt bao nhiêu?"
    text = f"{question}\nMức phạt: Phạt tiền từ 150.000 đồng đến 250.000 đồng\nCăn cứ: điểm đ."
    shown = plain(hit_snippet(text, question, Marks.of(["xe"]), answer=True).html)
    assert shown == "Mức phạt: Phạt tiền từ 150.000 đồng đến 250.000 đồng · Căn cứ: điểm đ."


def test_the_window_with_the_query_s_phrase_beats_its_words_apart() -> None:
    """`phạt nồng độ cồn ô tô`: a window with `ô tô` and a `tốc độ` holds three syllables,
    as does the one with `nồng độ cồn`; the phrase's words side by side decide."""
    text = (
        "a) Xe ô tô chạy quá tốc độ quy định; "
        + "b) Không nhường đường cho xe được quyền ưu tiên đang làm nhiệm vụ khẩn cấp; " * 4
        + "c) Điều khiển xe mà trong máu hoặc hơi thở có nồng độ cồn vượt quá mức."
    )
    marks = Marks.of(["phat", "nong", "do", "con", "o", "to"], "phạt nồng độ cồn ô tô")
    html_ = make_snippet(text, marks).html
    assert "<mark>nồng</mark> <mark>độ</mark> <mark>cồn</mark>" in html_
