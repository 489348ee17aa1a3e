"""Qt-free helpers: highlighting without diacritics, outlines, subtitles."""

from __future__ import annotations

import html
import re
import unicodedata
from pathlib import Path

import pytest

from offline_index.analysis import fold
from offline_index.document_view import TextNode
from tests.ui.conftest import doc_view
from ui.render import (
    clause_anchor,
    clause_onward,
    highlight,
    marks_of,
    outline,
    plain_text,
    section_html,
    terms_of,
)
from ui.screens.video import parse_subtitles


def test_highlight_matches_without_diacritics_and_whole_words_only() -> None:
    terms = terms_of("ly hon")
    out = highlight("Thuận tình ly hôn; lyhon <b>", terms)
    assert out == "Thuận tình <mark>ly</mark> <mark>hôn</mark>; lyhon &lt;b&gt;"


def test_highlight_marks_a_word_typed_with_diacritics_as_typed() -> None:
    """The reader marks `đỗ` for `đỗ xe`, not every `độ` of `tốc độ`; `do xe` marks both."""
    text = "Tốc độ xe; dừng xe, đỗ xe"
    assert highlight(text, marks_of("đỗ xe")) == (
        "Tốc độ <mark>xe</mark>; dừng <mark>xe</mark>, <mark>đỗ</mark> <mark>xe</mark>"
    )
    assert highlight(text, marks_of("do xe")).count("<mark>") == 5


def test_the_law_s_words_a_search_added_are_marked_only_side_by_side() -> None:
    """`vuot den do` read as `vượt đèn đỏ`, the act `không chấp hành hiệu lệnh của đèn tín
    hiệu giao thông`: the act is marked, a lone `không` or `của` elsewhere is not, `đèn` is
    read as the thesaurus read it, and the words typed are marked wherever they stand."""
    law = "vượt đèn đỏ không chấp hành hiệu lệnh của đèn tín hiệu giao thông"
    text = "từ 150.000 đồng đến 250.000 đồng; không nhường đường; của người; xe vượt; "
    text += "đ) Không chấp hành hiệu lệnh của đèn tín hiệu giao thông."
    out = highlight(text, marks_of("vuot den do", law))
    act = "Không chấp hành hiệu lệnh của đèn tín hiệu giao thông"
    assert re.findall(r"<mark>(.*?)</mark>", out) == ["vượt", *act.split(" ")]
    alone = highlight(text, marks_of("vuot den do"))  # no law words: every reading of `den`
    assert "<mark>đến</mark>" in alone and "<mark>Không</mark>" not in alone


def test_a_question_s_function_words_are_not_marked_in_the_reader() -> None:
    """The reader marks what the search searched for: typed as a resident asks, `có`,
    `được` and a closing `không` are left out, as the snippets leave them out; an official
    number's digits are marked."""
    text = "Người được thừa kế có quyền từ chối nhận di sản, trừ trường hợp không được từ chối."
    out = highlight(text, marks_of("con co duoc tu choi nhan thua ke khong"))
    assert re.findall(r"<mark>(.*?)</mark>", out) == [
        "thừa",
        "kế",
        "từ",
        "chối",
        "nhận",
        "từ",
        "chối",
    ]
    assert set(terms_of("Nghị định 100/2019/NĐ-CP")) == {"nghi", "dinh", "2019", "100"}


def test_outline_keeps_chapters_and_falls_back_to_pages() -> None:
    chuong = TextNode(
        "chuong",
        "I",
        "CHUNG",
        "",
        (TextNode("dieu", "1", "Phạm vi", "x"), TextNode("dieu", "2", "", "y")),
    )
    secs = outline(doc_view(tree=(chuong,))).sections
    assert [s.key for s in secs] == ["1", "2"]
    assert secs[0].chapter == "Chương I. Chung" and secs[1].label == "Điều 2"  # sentence case
    pages = outline(doc_view(pages=("một", "hai"))).sections
    assert [s.key for s in pages] == ["p1", "p2"]


def _fines_article() -> TextNode:
    clauses = tuple(
        TextNode(
            "khoan", n, "", f"Phạt tiền mức {n}:", (TextNode("diem", "a", "", f"hành vi {n}"),)
        )
        for n in ("1", "2", "3")
    )
    return TextNode("dieu", "7", "Xử phạt", "", clauses)


def test_each_clause_has_an_anchor_and_read_aloud_can_start_at_one() -> None:
    """The reader opens at the clause a search's snippet showed; read aloud starts there too,
    after the article's label, so a resident hears the fine they asked about first."""
    sec = outline(doc_view(tree=(_fines_article(),))).sections[0]
    body = section_html(sec, [], None, {"amended": "{by}"})
    assert all(f'<a name="{clause_anchor(n)}">' in body for n in ("1", "2", "3"))
    assert plain_text(sec).splitlines()[1:3] == ["1. Phạt tiền mức 1:", "a) hành vi 1"]
    assert plain_text(sec, from_clause="2").splitlines() == [
        "Điều 7. Xử phạt",
        "2. Phạt tiền mức 2:",
        "a) hành vi 2",
        "3. Phạt tiền mức 3:",
        "a) hành vi 3",
    ]
    assert plain_text(sec, from_clause="9") == plain_text(sec)  # no such clause: the whole


def test_an_article_from_one_of_its_clauses_keeps_its_label() -> None:
    """What the reader prints when opened at a clause of a long article of fines."""
    sec = outline(doc_view(tree=(_fines_article(),))).sections[0]
    part = clause_onward(sec, "2")
    assert part.label == sec.label and [c.number for c in part.node.children] == ["2", "3"]
    body = section_html(part, [], None, {"amended": "{by}"})
    assert "Phạt tiền mức 2" in body and "Phạt tiền mức 1" not in body
    assert clause_onward(sec, "9") is sec and clause_onward(sec, None) is sec


@pytest.mark.parametrize(
    ("cited", "marked"),
    [(("2", "a"), ["a) hành vi 2"]), (("3", ""), ["3. Phạt tiền mức 3:"]), (("9", "a"), [])],
)
def test_a_citation_s_clause_or_point_is_marked(cited: tuple[str, str], marked: list) -> None:
    """`Căn cứ: điểm a khoản 2`: the reader marks that point, not point a of other clauses."""
    sec = outline(doc_view(tree=(_fines_article(),))).sections[0]
    body = section_html(sec, [], None, {"amended": "{by}"}, cited)
    found = re.findall(r'<p [^>]*class="cited"><a name="[^"]*"></a>([^<]*)</p>|'
                       r'<p [^>]*class="cited">([^<]*)</p>', body)  # fmt: skip
    assert ["".join(f) for f in found] == marked


def test_srt_and_vtt_subtitles() -> None:
    srt = "1\n00:00:01,000 --> 00:00:02,500\nXin chào\n\n2\n00:00:03,000 --> 00:00:04,000\n<i>Hai</i>\n"
    assert parse_subtitles(srt) == [(1000, 2500, "Xin chào"), (3000, 4000, "Hai")]
    vtt = "WEBVTT\n\n00:01.000 --> 00:02.000\nMột\n"
    assert parse_subtitles(vtt) == [(1000, 2000, "Một")]


def test_highlight_folds_as_the_search_does() -> None:
    """U+00F0 stands in for đ in some sources and NFD text reaches the reader: the search
    folds both, so the reader must mark them."""
    terms = terms_of("dat dai")
    assert highlight("Luật ðất ðai", terms) == "Luật <mark>ðất</mark> <mark>ðai</mark>"
    nfd = unicodedata.normalize("NFD", "Luật Đất đai")
    assert highlight(nfd, terms) == "Luật <mark>Đất</mark> <mark>đai</mark>"


_MARK = re.compile(r"<mark>(.*?)</mark>")


@pytest.mark.parametrize(
    "query", ["đăng ký tạm trú", "dang ky tam tru", "đèn tín hiệu", "den tin hieu", "ly hôn"]
)
def test_reader_marks_the_words_the_search_matched(demo_library: Path, query: str) -> None:
    """Each word the search marked in a hit's snippet is marked in the reader's article.
    (Queries the release's everyday words expand are left out: the reader gets the words
    typed, not the expansion.)"""
    from offline_index.library import Library

    lib = Library.open(demo_library)
    hits = [h for h in lib.search(query, limit=10).hits if h.article and "<mark>" in h.snippet]
    assert hits, query
    terms = marks_of(query)  # as the reader marks them
    for hit in hits:
        sections = outline(lib.document(hit.doc_id)).sections
        section = next(s for s in sections if s.key == hit.article)
        page = section_html(section, terms, None, {"amended": ""})
        in_reader = {fold(html.unescape(w)) for w in _MARK.findall(page)}
        in_snippet = {fold(html.unescape(w)) for w in _MARK.findall(hit.snippet)}
        assert in_snippet <= in_reader, (hit.doc_id, hit.article)
