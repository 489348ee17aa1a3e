"""A coordinated article title read one matter at a time (article_titles.topic_reading)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from offline_index import ranking as rk
from offline_index import reranking as rr
from offline_index.analysis import analyse_query
from offline_index.article_titles import indexed_title, split_indexed, title_words, topic_reading
from offline_index.search_engine import SearchEngine

from .conftest import engine_of, rec

SUSPEND = "Tạm ngừng, đình chỉ hoạt động, chấm dứt kinh doanh"  # Luật Doanh nghiệp Điều 206


def _read(title: str, query: str) -> str:
    words = set(query.split())
    whole, conjuncts = split_indexed(indexed_title(title))
    reading = topic_reading(whole, conjuncts, words, frozenset(words))
    return "" if reading == whole else reading


def test_a_coordinated_title_is_indexed_with_its_conjuncts() -> None:
    value = indexed_title(SUSPEND)
    assert split_indexed(value) == (
        title_words(SUSPEND),
        "tam ngung|dinh chi hoat dong|cham dut kinh doanh",
    )
    assert indexed_title("Đăng ký tạm trú") == "dang ky tam tru"
    assert split_indexed("dang ky tam tru") == ("dang ky tam tru", "")  # an index from before


def test_each_matter_takes_the_complement_and_the_head_it_shares() -> None:
    assert _read(SUSPEND, "tam ngung kinh doanh") == "tam ngung kinh doanh"
    civil_status = "Thủ tục đăng ký thay đổi, cải chính hộ tịch"  # Luật Hộ tịch Điều 28
    assert _read(civil_status, "thu tuc dang ky cai chinh ho tich") == (
        "thu tuc dang ky cai chinh ho tich"
    )
    land = "Quyền chuyển đổi, chuyển nhượng, cho thuê, thế chấp quyền sử dụng đất"
    reading = _read(land, "quyen chuyen nhuong quyen su dung dat")
    assert set(reading.split()) == {"quyen", "chuyen", "nhuong", "su", "dung", "dat"}
    assert _read("Xác định cha, mẹ", "xac dinh cha con") == "xac dinh cha"


def test_no_reading_cuts_a_matter_from_its_head_or_a_word_in_two() -> None:
    # `đăng ký tạm trú` here is cancelled: the later conjunct keeps the first one's head.
    assert _read("Hủy bỏ đăng ký thường trú, đăng ký tạm trú", "dang ky tam tru") == ""
    # The complement shared is two syllables or more: not `thời` of `tạm thời`.
    title = "Khiếu nại, kiến nghị việc áp dụng biện pháp khẩn cấp tạm thời"
    assert _read(title, "thoi han khieu nai") == ""
    assert _read("Đăng ký tạm trú", "dang ky tam tru") == ""  # not coordinated


def _laws(tmp_path: Path) -> SearchEngine:
    """The general article on suspending a business, and an auditing law's own one."""
    dn = ("dn", "59/2020/QH14", "Luật Doanh nghiệp", "Luật")
    kt = ("kt", "67/2011/QH12", "Luật Kiểm toán độc lập", "Luật")
    records = [
        rec("dn#a206", *dn, "Doanh nghiệp phải thông báo bằng văn bản cho Cơ quan đăng ký kinh "
            "doanh chậm nhất 03 ngày làm việc trước ngày tạm ngừng kinh doanh.", article="206",
            article_title=SUSPEND),
        rec("kt#a33", *kt, "Doanh nghiệp kiểm toán tạm ngừng kinh doanh dịch vụ kiểm toán phải "
            "thông báo cho Bộ Tài chính.", article="33",
            article_title="Tạm ngừng kinh doanh dịch vụ kiểm toán"),
    ]  # fmt: skip
    return engine_of(tmp_path, records)


def _first(eng: SearchEngine, text: str) -> str:
    """The first of the auditing law's article (1.0) and the general one (0.9) after the stage."""
    c = rk.Candidates(np.array([1, 0]), np.array([1.0, 0.9]), eng.records)
    return rr.title_topic(rk.Query(analyse_query(text), rk.Weights()), c).stored(0)["key"]


def test_a_short_search_finds_its_matter_in_a_coordinated_title(tmp_path: Path) -> None:
    with _laws(tmp_path) as eng:
        assert _first(eng, "tạm ngừng kinh doanh") == "dn#a206"
        assert _first(eng, "tam ngung kinh doanh") == "dn#a206"
        # A question is read as before: its roles and lists are not one matter.
        assert _first(eng, "tạm ngừng kinh doanh thì phải làm gì?") == "kt#a33"


def test_the_engine_reads_the_conjuncts_it_indexed(tmp_path: Path) -> None:
    with _laws(tmp_path) as eng:
        assert eng.records.title_conjuncts(0) == "tam ngung|dinh chi hoat dong|cham dut kinh doanh"
        assert eng.records.title_words(0) == title_words(SUSPEND)
        assert eng.records.title_conjuncts(1) == ""
        assert eng.search("tạm ngừng kinh doanh").hits[0].key == "dn#a206"
