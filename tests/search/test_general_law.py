"""The general law of civil relations for a resident's everyday question (reranking.general_law)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from offline_index import ranking as rk
from offline_index import reranking as rr
from offline_index.analysis import analyse_query
from offline_index.article_titles import says_general_law
from offline_index.search_engine import SearchEngine

from .conftest import engine_of, rec

DEPOSIT = "đặt cọc mua nhà rồi bên bán không bán nữa thì có được đền gấp đôi không"


def _laws(tmp_path: Path) -> SearchEngine:
    """The Civil Code, which says it is the general law, and two special laws."""
    blds = ("blds", "91/2015/QH13", "Bộ luật Dân sự", "Bộ luật")
    nha = ("no", "65/2014/QH13", "Luật Nhà ở", "Luật")
    blhs = ("blhs", "100/2015/QH13", "Bộ luật Hình sự", "Bộ luật")
    records = [
        rec("blds#a4", *blds, "1. Bộ luật này là luật chung điều chỉnh các quan hệ dân sự.",
            article="4", article_title="Áp dụng Bộ luật dân sự"),
        rec("blds#a328", *blds, "Đặt cọc là việc một bên giao cho bên kia một khoản tiền để "
            "bảo đảm giao kết hợp đồng.", article="328", article_title="Đặt cọc"),
        rec("no#a119", *nha, "Bên bán nhà ở phải có giấy chứng nhận và giao nhà cho bên mua.",
            article="119", article_title="Điều kiện của các bên tham gia giao dịch về nhà ở"),
        rec("blhs#a155", *blhs, "Người nào xúc phạm nghiêm trọng nhân phẩm, danh dự của người "
            "khác thì bị phạt cảnh cáo.", article="155", article_title="Tội làm nhục người khác"),
    ]  # fmt: skip
    return engine_of(tmp_path, records)


def _first(
    eng: SearchEngine, text: str, special: str = "no#a119", named: frozenset = frozenset(), **w
) -> str:
    """The first of a special law's article (1.0) and the Civil Code's (0.8) after the stage."""
    number = {"no#a119": 2, "blhs#a155": 3}[special]
    c = rk.Candidates(np.array([number, 1]), np.array([1.0, 0.8]), eng.records)
    q = rk.Query(analyse_query(text), rk.Weights(**w), named)
    return rr.general_law(q, c).stored(0)["key"]


def test_the_code_that_calls_itself_the_general_law_is_noted_when_indexed(
    tmp_path: Path,
) -> None:
    assert says_general_law("1. Bộ luật này là luật chung điều chỉnh các quan hệ dân sự.")
    assert not says_general_law("Luật này quy định chung về nhà ở.")
    with _laws(tmp_path) as eng:
        assert eng.records.general_units() == {eng.records.unit_code["blds"]}


@pytest.mark.parametrize(
    "text", [DEPOSIT, "dat coc mua nha roi ben ban khong ban nua thi co duoc den gap doi khong"]
)
def test_an_everyday_question_prefers_the_general_law(tmp_path: Path, text: str) -> None:
    with _laws(tmp_path) as eng:
        assert _first(eng, text) == "blds#a328"
        assert _first(eng, text, general_law=0.0) == "no#a119"


@pytest.mark.parametrize(
    "text",
    [
        "đặt cọc",  # a topic, not a question: the title stages decide
        "Bên nhận đặt cọc từ chối giao kết hợp đồng thì phải trả cho bên đặt cọc bao nhiêu?",
    ],
)
def test_a_topic_or_a_question_in_the_laws_words_is_left_alone(tmp_path: Path, text: str) -> None:
    assert not analyse_query(text).legal or not analyse_query(text).question
    with _laws(tmp_path) as eng:
        assert _first(eng, text) == "no#a119"


def test_a_question_naming_a_law_is_left_alone(tmp_path: Path) -> None:
    with _laws(tmp_path) as eng:
        assert _first(eng, DEPOSIT, named=frozenset({"no"})) == "no#a119"


def test_a_special_rule_the_residents_words_name_keeps_its_place(tmp_path: Path) -> None:
    """`chửi bới` reads as `làm nhục người khác`: the article titled with it stays first; an
    article whose title the words do not name gets no such protection."""
    text = "bị người ta chửi bới bịa chuyện nói xấu thì làm sao"
    with _laws(tmp_path) as eng:
        assert _first(eng, text, special="blhs#a155") == "blhs#a155"
        assert _first(eng, text, special="no#a119") == "blds#a328"


def test_the_stage_runs_in_the_pipeline(tmp_path: Path) -> None:
    """In a search, the Civil Code's answer scores (1 + general_law) times what it would."""
    with _laws(tmp_path) as eng:
        lifted = {h.key: h.score for h in eng.search(DEPOSIT).hits}
        eng.weights.general_law = 0.0
        plain = {h.key: h.score for h in eng.search(DEPOSIT).hits}
    assert lifted["blds#a328"] / plain["blds#a328"] == pytest.approx(
        1 + rk.Weights().general_law, rel=1e-3
    )  # hit scores are rounded
    assert lifted["no#a119"] == plain["no#a119"]
