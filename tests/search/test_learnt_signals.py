"""Signals learnt from the library's answers: Q&A citations and the learnt query expansion."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from offline_index import everyday
from offline_index import ranking as rk
from offline_index.analysis import analyse_query
from offline_index.citations import guided
from offline_index.errors import LibraryCorrupt
from offline_index.expansion import (
    Expansion,
    article_bigrams,
    default_model,
    question_terms,
    train,
)
from offline_index.library import Library
from offline_index.search_engine import SearchEngine
from offline_index.search_types import DocAttributes

from .conftest import engine_of, rec

HS = ("100-2015-qh13", "100/2015/QH13", "Bộ luật Hình sự", "Bộ luật")
VH = ("9-2022-nd-cp", "9/2022/NĐ-CP", "Nghị định về khu vui chơi", "Nghị định")


def _gambling(tmp_path: Path) -> SearchEngine:
    """A Q&A answer citing the Criminal Code; a decree's article shares more of the words."""
    records = [
        rec("100-2015-qh13#a321", *HS, "Người nào đánh bạc trái phép dưới bất kỳ hình thức "
            "nào được thua bằng tiền hay hiện vật thì bị phạt tiền hoặc phạt tù.",
            article="321", article_title="Tội đánh bạc"),
        rec("9-2022-nd-cp#a5", *VH, "Khu vui chơi không được để khách đánh bạc ăn tiền.",
            article="5", article_title="Những việc khu vui chơi không được làm"),
        rec("qa:1", "qa:1", "", "Đánh bạc ăn tiền bị xử lý thế nào?", "Hỏi đáp",
            "Đánh bạc ăn tiền bị xử lý thế nào? Người đánh bạc ăn tiền có thể bị truy cứu "
            "trách nhiệm hình sự.", hit_type="qa"),
    ]  # fmt: skip
    return engine_of(tmp_path, records)


def _articles(eng: SearchEngine, text: str) -> list[str]:
    return [h.key for h in eng.search(text).hits if h.hit_type == "article"]


def test_articles_cited_by_a_matching_answer_rank_higher(tmp_path: Path) -> None:
    with _gambling(tmp_path) as eng:
        assert _articles(eng, "đánh bạc ăn tiền")[0] == "9-2022-nd-cp#a5"
        eng.set_citations({"qa:1": [("100-2015-qh13", "321")], "qa:gone": [("x", "1")]})
        assert eng.records.citing == {2: np.array([0])}
        assert _articles(eng, "đánh bạc ăn tiền")[0] == "100-2015-qh13#a321"
        eng.weights.cited = 0.0
        assert _articles(eng, "đánh bạc ăn tiền")[0] == "9-2022-nd-cp#a5"


def test_an_answer_outside_the_best_few_lends_nothing(tmp_path: Path) -> None:
    with _gambling(tmp_path) as eng:
        eng.set_citations({"qa:1": [("100-2015-qh13", "321")]})
        qt = analyse_query("đánh bạc ăn tiền")
        c = rk.Candidates(np.array([1, 0, 2]), np.array([1.0, 0.9, 0.5]), eng.records)
        q = rk.Query(qt, rk.Weights(cited=1.0, cited_depth=2))
        assert rk.cited_by_answers(q, c).scores.tolist() == [1.0, 0.9, 0.5]
        q.weights.cited_depth = 3
        assert rk.cited_by_answers(q, c).scores.tolist() == [1.0, 1.4, 0.5]


def test_the_library_resolves_its_answers_citations(demo_library: Path) -> None:
    """The demo's traffic-fine answers cite Nghị định 168/2024 articles: each resolves."""
    with Library.open(demo_library) as lib:
        citing = lib.engine.records.citing
        rows = lib.db.execute("SELECT count(*) FROM qa WHERE citations != '[]'").fetchone()[0]
        assert rows and len(citing) == rows
        cited = lib.engine.records.units(np.concatenate(list(citing.values())))
        assert {lib.engine.corpus.units[u] for u in cited.tolist()} == {"168-2024-nd-cp"}
        assert lib.engine.expansion is not None and lib.engine.expansion is default_model()


# ---------------------------------------------------------------- learnt expansion


def _compensation(tmp_path: Path) -> SearchEngine:
    text = "Chủ sở hữu súc vật phải {} thiệt hại do súc vật gây ra cho người khác."
    records = [
        rec("a#1", "a", "1/2015/QH13", "Bộ luật Dân sự", "Bộ luật", text.format("chịu"),
            article="1"),
        rec("a#2", "a", "1/2015/QH13", "Bộ luật Dân sự", "Bộ luật",
            text.format("bồi thường"), article="2"),
    ]  # fmt: skip
    return engine_of(tmp_path, records)


def test_a_learnt_expansion_adds_the_law_s_words(tmp_path: Path) -> None:
    # No thesaurus: the shipped one reads `đền` as `bồi thường` itself (the learnt model alone).
    with _compensation(tmp_path) as eng, everyday.using_everyday(everyday.Everyday()):
        assert eng.search("súc vật gây thiệt hại ai đền").hits[0].key == "a#1"
        eng.expansion = Expansion(
            {"den": [("boi thuong", 1.0)], "thiet hai": [("boi thuong", 0.5)]}
        )
        assert eng.search("súc vật gây thiệt hại ai đền").hits[0].key == "a#2"
        assert eng.search("suc vat gay thiet hai ai den").hits[0].key == "a#2"


def test_a_bigram_needs_two_query_terms_proposing_it() -> None:
    """One query word alone drifts (a word has many senses); two agreeing do not."""
    with everyday.using_everyday(everyday.Everyday()):  # the learnt model alone
        qt = analyse_query("súc vật gây thiệt hại ai đền")
    alone = Expansion({"den": [("boi thuong", 1.0)]})
    assert alone.expand(qt) == []
    alone.support = 1
    assert alone.expand(qt) == [("boi thuong", alone.boost)]
    both = Expansion(
        {"den": [("boi thuong", 1.0), ("xe co", 2.0)], "suc vat": [("boi thuong", 1.0)]}
    )
    assert both.expand(qt) == [("boi thuong", both.boost)]


def test_training_learns_the_words_a_question_lacks() -> None:
    pairs = [
        ("chó cắn người thì ai đền", "Bồi thường thiệt hại do súc vật gây ra"),
        ("xe đâm người thì ai đền", "Bồi thường thiệt hại do nguồn nguy hiểm cao độ"),
        ("ai đền tiền", "Bồi thường thiệt hại ngoài hợp đồng"),
    ]
    background = {"boi thuong": 1, "thiet hai": 90, "thuong thiet": 40}
    model = train(pairs, background, articles=100)
    assert model.terms["den"][0][0] == "boi thuong"
    assert "nguoi" not in {b for b, _ in model.terms.get("cho", [])}  # seen in one pair only
    assert all(b != "thiet hai" for b, _ in model.terms["den"])  # common everywhere: no lift
    assert "boi thuong" in article_bigrams("Bồi thường thiệt hại")
    assert question_terms("Ai đền?") == {"den"}


def test_the_model_file_round_trips_as_json(tmp_path: Path) -> None:
    model = Expansion({"den": [("boi thuong", 0.5), ("thiet hai", 0.25)], "so do": []})
    model.save(tmp_path / "m.json")
    data = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    assert data["format"] == 1 and data["type"] == "expansion"
    assert Expansion.load(tmp_path / "m.json").terms == model.terms


@pytest.mark.parametrize(
    "bad",
    [
        "not json",
        json.dumps({"format": 2, "terms": {}}),
        json.dumps({"format": 1}),
        json.dumps({"format": 1, "terms": {"den": [["boi thuong"]]}}),
        json.dumps({"format": 1, "terms": {"den": [["boi thuong", "1"]]}}),
        '{"format": 1, "terms": {"den": [["boi thuong", NaN]]}}',
    ],
)
def test_a_malformed_model_is_refused(tmp_path: Path, bad: str) -> None:
    (tmp_path / "m.json").write_text(bad, encoding="utf-8")
    with pytest.raises(LibraryCorrupt):
        Expansion.load(tmp_path / "m.json")


# ---------------------------------------------------------------- guiding texts

BLDS = ("91-2015-qh13", "91/2015/QH13", "Bộ luật Dân sự 2015", "Bộ luật")
NQ = ("02-2022-nq-hdtp", "02/2022/NQ-HĐTP", "Nghị quyết hướng dẫn Bộ luật Dân sự", "Nghị quyết")
HK = ("66-2006-qh11", "66/2006/QH11", "Luật Hàng không dân dụng", "Luật")


def _guided(tmp_path: Path) -> SearchEngine:
    """A resolution's article guiding Civil Code Điều 601; an aviation article shares more of
    a question's words than the Code's article does."""
    records = [
        rec("91-2015-qh13#a601", *BLDS, "Chủ sở hữu nguồn nguy hiểm cao độ phải bồi thường "
            "thiệt hại do nguồn nguy hiểm cao độ gây ra.", article="601",
            article_title="Bồi thường thiệt hại do nguồn nguy hiểm cao độ gây ra"),
        rec("02-2022-nq-hdtp#a12", *NQ, "Người bị xe tông thì chủ xe phải bồi thường thiệt "
            "hại: xe đang vận hành là nguồn nguy hiểm cao độ.", article="12",
            article_title="Về bồi thường thiệt hại do nguồn nguy hiểm cao độ gây ra quy định "
            "tại Điều 601 của Bộ luật Dân sự"),
        rec("66-2006-qh11#a155", *HK, "Người khai thác tàu bay phải bồi thường thiệt hại cho "
            "người bị tàu bay tông vào, tổng số tiền bồi thường theo Điều 12 của Luật này.",
            article="155", article_title="Tổng số tiền bồi thường thiệt hại"),
    ]  # fmt: skip
    return engine_of(tmp_path, records)


def test_the_article_a_guiding_text_explains_ranks_with_it(tmp_path: Path) -> None:
    with _guided(tmp_path) as eng:
        eng.weights.guided, eng.weights.guide_window = 0.0, 0  # law_before_guide: below
        before = _articles(eng, "bị xe tông thì ai phải bồi thường")
        assert before.index("66-2006-qh11#a155") < before.index("91-2015-qh13#a601")
        eng.weights.guided = rk.Weights().guided
        after = _articles(eng, "bị xe tông thì ai phải bồi thường")
        assert after.index("91-2015-qh13#a601") < after.index("66-2006-qh11#a155")


def test_a_guiding_title_names_another_document_s_article(tmp_path: Path) -> None:
    with _guided(tmp_path) as eng:
        r = eng.records
        assert r.guides(1, "quy định tại Điều 601 của Bộ luật Dân sự").tolist() == [0]
        assert r.guides(2, "Điều 12 của Luật này").size == 0  # its own law: no other text
        assert r.guides(2, "Điều 155 của Luật Hàng không dân dụng").size == 0
        assert r.guides(0, "Điều 155 Luật Hàng không dân dụng").tolist() == [2]
        assert r.guides(2, "Tổng số tiền bồi thường thiệt hại").size == 0
        assert r.guides(2, "tại Điều 7 của Bộ luật Dân sự").size == 0  # not in the library


def test_a_guiding_title_names_the_text_in_force_of_two_of_one_name(tmp_path: Path) -> None:
    """The library holds the Civil Code of 2005 and of 2015, both `Bộ luật Dân sự`: a title
    naming `Điều 601 của Bộ luật Dân sự` guides the one in force."""
    old = ("33-2005-qh11", "33/2005/QH11", "Bộ luật Dân sự", "Bộ luật")
    records = [
        rec("91-2015-qh13#a601", *BLDS, "Chủ sở hữu nguồn nguy hiểm cao độ phải bồi thường.",
            article="601", article_title="Bồi thường thiệt hại do nguồn nguy hiểm cao độ gây ra"),
        rec("33-2005-qh11#a601", *old, "Chủ sở hữu nguồn nguy hiểm cao độ phải bồi thường.",
            article="601", article_title="Đặt cọc"),
        rec("02-2022-nq-hdtp#a12", *NQ, "Xe đang vận hành là nguồn nguy hiểm cao độ.",
            article="12", article_title="quy định tại Điều 601 của Bộ luật Dân sự"),
    ]  # fmt: skip
    with engine_of(tmp_path, records) as eng:
        title = "quy định tại Điều 601 của Bộ luật Dân sự"
        assert sorted(eng.records.guides(2, title).tolist()) == [0, 1]  # nothing says which
        eng.set_attributes(
            {"33-2005-qh11": DocAttributes("not_in_force", replaced_by=("91-2015-qh13",))}
        )
        assert eng.records.guides(2, title).tolist() == [0]


ND21 = ("21-2021-nd-cp", "21/2021/NĐ-CP", "Nghị định quy định thi hành Bộ luật Dân sự về bảo "
        "đảm thực hiện nghĩa vụ", "Nghị định")  # fmt: skip
THA = ("26-2008-qh12", "26/2008/QH12", "Luật Thi hành án dân sự", "Luật")


def _deposit(tmp_path: Path) -> SearchEngine:
    """The Civil Code's `Đặt cọc`, and a decree implementing it whose article says `tiền đặt
    cọc` more often."""
    records = [
        rec("91-2015-qh13#a328", *BLDS, "Đặt cọc là việc một bên giao cho bên kia một khoản "
            "tiền để bảo đảm giao kết hợp đồng; nếu bên đặt cọc từ chối thì mất tiền đặt cọc.",
            article="328", article_title="Đặt cọc"),
        rec("21-2021-nd-cp#a37", *ND21, "Trường hợp không xác định rõ là tiền đặt cọc hay tiền "
            "trả trước thì tiền đặt cọc được coi là tiền trả trước; tiền đặt cọc được trả lại.",
            article="37", article_title="Trường hợp không xác định rõ là tiền đặt cọc hoặc "
            "tiền trả trước"),
        rec("26-2008-qh12#a9", *THA, "Người phải thi hành án nộp tiền đặt cọc khi mua tài sản "
            "bán đấu giá.", article="9", article_title="Tiền đặt cọc khi mua tài sản thi hành án"),
    ]  # fmt: skip
    return engine_of(tmp_path, records)


def test_a_law_goes_before_the_text_that_implements_it(tmp_path: Path) -> None:
    """`tiền đặt cọc` finds the implementing decree's article first; the Civil Code's article
    it implements, among the best five, goes before it."""
    with _deposit(tmp_path) as eng:
        eng.weights.guide_window = 0
        assert _articles(eng, "tiền đặt cọc")[0] == "21-2021-nd-cp#a37"
        eng.weights.guide_window = rk.Weights().guide_window
        assert _articles(eng, "tiền đặt cọc")[:2] == ["91-2015-qh13#a328", "21-2021-nd-cp#a37"]
        assert _articles(eng, "tien dat coc")[0] == "91-2015-qh13#a328"


def test_which_law_a_title_says_it_implements(tmp_path: Path) -> None:
    with _deposit(tmp_path) as eng:
        r = eng.records
        code = r.unit_codes(["91-2015-qh13"])
        assert r.guided_units(r.unit_codes(["21-2021-nd-cp"]).pop()) == code
        assert r.guided_units(r.unit_codes(["26-2008-qh12"]).pop()) == set()  # `Thi hành án`
        assert r.guided_units(code.pop()) == set()


@pytest.mark.parametrize(
    ("title", "pairs"),
    [
        ("Về thiệt hại quy định tại khoản 1 Điều 591 của Bộ luật Dân sự", [("blds", "591")]),
        ("Xác định lãi suất quy định tại Điều 306 của Luật Thương mại năm 2005", [("tm", "306")]),
        ("Sửa đổi, bổ sung khoản 1 Điều 73 của Luật Thương mại", []),  # amends, guides nothing
        ("Bãi bỏ Điều 5 của Bộ luật Dân sự", []),
        ("Điều kiện kết hôn", []),
    ],
)
def test_the_article_a_guiding_title_names(title: str, pairs: list) -> None:
    known = {"bộ luật dân sự": "blds", "luật thương mại": "tm"}
    names = lambda text: {d for k, d in known.items() if text.lower().startswith(k)}  # noqa: E731
    assert guided(title, names) == pairs
