"""Vietnamese search against a small real Whoosh index (see conftest.py)."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest

from offline_index.analysis import analyse_query, fold
from offline_index.errors import LibraryCorrupt
from offline_index.everyday import using_everyday
from offline_index.search_engine import SearchEngine, write_index
from offline_index.search_types import SearchFilters
from offline_index.snippets import make_snippet
from offline_index.spelling import Speller

from .conftest import hand_records, rec


def keys(engine: SearchEngine, text: str, **kw) -> list[str]:
    return [h.key for h in engine.search(text, filters=SearchFilters(**kw)).hits]


# ---------------------------------------------------------------- analysis


def test_fold_nfc_lower_strip_diacritics_and_d_stroke() -> None:
    assert fold("Luật Đất đai") == "luat dat dai"
    assert fold(unicodedata.normalize("NFD", "Hôn nhân và GIA ĐÌNH")) == "hon nhan va gia dinh"


def test_question_words_do_not_become_terms() -> None:
    qt = analyse_query("Công an xã có được phạt lỗi không mang bằng lái không?")
    assert "bang lai" in qt.bigrams and "khong mang" in qt.bigrams
    assert all(b.split()[-1] != "khong" for b in qt.bigrams[-1:])
    qt = analyse_query("Thủ tục ly hôn như thế nào?")
    assert qt.bigrams == ["thu tuc", "tuc ly", "ly hon"]


@pytest.mark.parametrize(
    ("text", "bigram"),
    [
        ("tội trộm cắp tài sản", "toi trom"),  # "tội", not the pronoun "tôi"
        ("toi trom cap tai san", "toi trom"),  # typed without diacritics: kept, it may be "tội"
        ("cai nghiện ma túy", "ma tuy"),  # not "mà"
        ("thi hành án dân sự", "thi hanh"),  # not "thì"
        ("trình độ đào tạo", "trinh do"),  # not "đó"
        ("hợp đồng vay", "dong vay"),  # not the closing "vậy"
        ("cấp bản sao", "ban sao"),
        ("tình tiết giảm nhẹ", "giam nhe"),  # not "nhé"
    ],
)
def test_stop_words_are_compared_with_their_diacritics(text: str, bigram: str) -> None:
    assert bigram in analyse_query(text).bigrams


def test_stop_words_typed_with_or_without_diacritics_are_dropped() -> None:
    with using_everyday([]):  # the words as typed, without the thesaurus's legal wording
        for text in ("Tôi có được nghỉ phép năm không?", "Toi co duoc nghi phep nam khong?"):
            assert analyse_query(text).bigrams == ["nghi phep", "phep nam"]


def test_boilerplate_and_cues_of_spoken_questions() -> None:
    qt = analyse_query("Theo quy định của pháp luật, ai được gọi là thanh niên?")
    assert qt.definition and qt.unigrams == ["goi", "thanh", "nien"]
    assert analyse_query("Luật Cư trú áp dụng cho ai?").scope
    assert "hien phap" in analyse_query("quyền hiến định của công dân").bigrams


def test_a_legal_wording_adds_each_syllable_once() -> None:
    """`không chấp hành hiệu lệnh của đèn tín hiệu giao thông` has `hiệu` twice; a term
    listed twice is scored twice."""
    unigrams = analyse_query("phạt vượt đèn đỏ").unigrams
    assert "lenh" in unigrams and len(unigrams) == len(set(unigrams))


def test_everyday_words_match_as_typed() -> None:
    assert "can cuoc" in analyse_query("làm lại chứng minh thư").bigrams
    assert "can cuoc" not in analyse_query("chứng minh thu nhập").bigrams


@pytest.mark.parametrize(
    "text",
    [
        "100/2019/NĐ-CP",
        "100/2019",
        "nd 100 2019",
        "NĐ 100",
        "nghị định 100",
        "Nghị định số 100/2019",
    ],
)
def test_number_forms_find_the_decree_first(engine: SearchEngine, text: str) -> None:
    hits = engine.search(text).hits
    assert hits and hits[0].doc_id == "100-2019-nd-cp"
    assert hits[0].doc_number == "100/2019/NĐ-CP"


def test_number_alone_lists_the_document_in_article_order(engine: SearchEngine) -> None:
    assert keys(engine, "nd 100 2019")[:2] == ["nd100#a5", "nd100#a21"]
    assert keys(engine, "NĐ 100 điều 21")[0] == "nd100#a21"


def test_everyday_words_find_the_legal_wording(engine: SearchEngine) -> None:
    assert "nd100#a21" in keys(engine, "không mang bằng lái")[:2]


def test_number_of_another_kind_does_not_win(engine: SearchEngine) -> None:
    assert engine.search("100/2015").hits[0].doc_id == "100-2015-qh13"
    assert engine.search("bộ luật 100").hits[0].doc_id == "100-2015-qh13"


def test_dates_are_not_official_numbers() -> None:
    assert analyse_query("Ngày 01/08/2022 luật có hiệu lực").numbers.terms == []


def test_title_and_year_rank_the_right_law(engine: SearchEngine) -> None:
    assert engine.search("luat dat dai 2024").hits[0].doc_id == "31-2024-qh15"
    assert engine.search("luật đất đai 2013").hits[0].doc_id == "45-2013-qh13"


# ---------------------------------------------------------------- ranking


def test_diacritics_insensitive(engine: SearchEngine) -> None:
    assert keys(engine, "tranh chap dat dai")[0] == "dd24#a236"
    assert keys(engine, "TRANH CHẤP ĐẤT ĐAI")[0] == "dd24#a236"


def test_exact_diacritics_rank_higher(engine: SearchEngine) -> None:
    assert keys(engine, "bán hàng rong")[0] == "hn#a3"
    assert keys(engine, "bàn hàng rong")[0] == "hn#a4"
    assert set(keys(engine, "ban hang rong")[:2]) == {"hn#a3", "hn#a4"}


def test_spoken_question_finds_the_article(engine: SearchEngine) -> None:
    top = keys(engine, "Công an xã có được phạt lỗi không mang giấy phép lái xe không?")
    assert top[0] == "nd100#a21"


def test_real_law_question(engine: SearchEngine) -> None:
    hits = engine.search("Điều kiện đăng ký thường trú là gì?").hits
    assert hits[0].doc_title == "Luật Cư trú"
    assert "thường trú" in hits[0].article_title.lower()


def test_article_reference(engine: SearchEngine) -> None:
    hit = engine.search("điều 20 luật cư trú").hits[0]
    assert (hit.doc_id, hit.article) == ("68-2020-qh14", "20")


def test_hit_fields(engine: SearchEngine) -> None:
    hit = engine.search("trộm cắp tài sản").hits[0]
    assert hit.key == "blhs#a173" and hit.hit_type == "article" and hit.kind == "Bộ luật"
    assert hit.article == "173" and hit.article_title == "Tội trộm cắp tài sản"
    assert hit.page is None and hit.score > 0 and hit.validity == "in_force"
    assert engine.search("trộm cắp tài sản").total >= 1


# ---------------------------------------------------------------- filters


def test_filters(engine: SearchEngine) -> None:
    assert {h.doc_id for h in engine.search("đất đai", filters=SearchFilters(year=2013)).hits} == {
        "45-2013-qh13"
    }
    assert {
        h.validity
        for h in engine.search("đất đai", filters=SearchFilters(validity="in_force")).hits
    } == {"in_force"}
    assert all(
        h.kind == "Luật" for h in engine.search("phạt", filters=SearchFilters(kind="Luật")).hits
    )
    assert keys(engine, "hàng rong", scope="hanoi")[:2] and all(
        k.startswith("hn#") for k in keys(engine, "vỉa hè", scope="hanoi")
    )
    assert keys(engine, "vỉa hè", scope="local") == []
    assert {
        h.doc_id for h in engine.search("phạt", filters=SearchFilters(field="giao-thong")).hits
    } <= {
        "100-2019-nd-cp",
        "qa:1",
    }


# ---------------------------------------------------------------- suggestions


def test_did_you_mean(engine: SearchEngine) -> None:
    """The suggestion itself, on a still clock: the speller's 50 ms budget is tested on its
    own (test_query_caps.py), and a loaded CI machine must not turn this into None."""
    speller = engine._speller_obj()
    engine._speller = Speller(speller.vocab, clock=lambda: 0.0)
    try:
        assert engine.search("tranh chaap dat dai").did_you_mean == "tranh chap dat dai"
        assert engine.search("tranh chấp đất đai").did_you_mean is None
    finally:
        engine._speller = speller


def test_suggest_titles_by_prefix(engine: SearchEngine) -> None:
    assert ("68-2020-qh14", "Luật Cư trú") in engine.suggest("luat cu")
    assert engine.suggest("Luật Đất")[0][1] == "Luật Đất đai"
    assert any(d == "100-2019-nd-cp" for d, _ in engine.suggest("100/20"))
    assert engine.suggest("hình s")[0] == ("100-2015-qh13", "Bộ luật Hình sự")
    assert engine.suggest("") == []


def test_snippet_marks_matches_and_escapes_html(engine: SearchEngine) -> None:
    hit = engine.search("không mang bằng lái").hits
    qa = next(h for h in hit if h.key == "qa:1")
    assert "<mark>mang</mark>" in qa.snippet and "<mark>bằng</mark>" in qa.snippet
    assert "&lt;b&gt;" in qa.snippet and "&amp;" in qa.snippet and "<b>" not in qa.snippet
    snip = make_snippet("Luật Đất đai " + "x " * 300 + "cuối", ["dat", "dai"], width=60).html
    assert snip.startswith("Luật <mark>Đất</mark> <mark>đai</mark>") and snip.endswith("…")


# ---------------------------------------------------------------- writing


def test_open_refuses_a_folder_that_is_not_our_index(tmp_path: Path) -> None:
    with pytest.raises(LibraryCorrupt):
        SearchEngine.open(tmp_path)


def test_incremental_write_reuses_base(tmp_path: Path) -> None:
    base = tmp_path / "g1"
    records = hand_records()
    write_index(base, records)
    changed = rec(
        "blhs#a173",
        "100-2015-qh13",
        "100/2015/QH13",
        "Bộ luật Hình sự",
        "Bộ luật",
        "Tội cướp giật tài sản bị phạt tù.",
        article="173",
        year=2015,
    )
    extra = rec(
        "new#a1",
        "new-doc",
        "5/2025/QH15",
        "Luật Thủ đô",
        "Luật",
        "Thủ đô Hà Nội là trung tâm chính trị.",
        article="1",
        year=2025,
    )
    new = tmp_path / "g2"
    write_index(new, [changed, extra], base_dir=base, drop_doc_ids=["100-2015-qh13"])
    with SearchEngine.open(new) as eng:
        assert keys(eng, "cướp giật") == ["blhs#a173"]
        assert keys(eng, "trộm cắp") == []
        assert keys(eng, "thủ đô hà nội")[0] == "new#a1"
        assert keys(eng, "tranh chấp đất đai")[0] == "dd24#a236"
        assert ("new-doc", "Luật Thủ đô") in eng.suggest("luat thu")
    with SearchEngine.open(base) as eng:  # the base generation is untouched
        assert keys(eng, "trộm cắp") == ["blhs#a173"]
        assert keys(eng, "thủ đô") == []
        assert "new#a1" not in keys(eng, "thủ đô hà nội")
    segs = [p for p in base.iterdir() if p.suffix == ".seg"]
    assert segs and all(os.stat(p).st_nlink == 2 for p in segs)
