"""The rule before the civil procedure code (reranking.rule_before_procedure)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from offline_index import ranking as rk
from offline_index import reranking as rr
from offline_index.analysis import analyse_query
from offline_index.article_titles import asks_for_court
from offline_index.search_engine import SearchEngine

from .conftest import engine_of, rec

HNGD = ("hngd", "52/2014/QH13", "Luật Hôn nhân và gia đình", "Luật")
BLTTDS = ("bltt", "92/2015/QH13", "Bộ luật Tố tụng dân sự", "Bộ luật")
BLTTHS = ("blths", "101/2015/QH13", "Bộ luật Tố tụng hình sự", "Bộ luật")


def _library(tmp_path: Path) -> SearchEngine:
    records = [
        rec("bltt#a396", *BLTTDS, "Đơn yêu cầu công nhận thuận tình ly hôn, thỏa thuận nuôi "
            "con, chia tài sản khi ly hôn phải có các nội dung sau đây.", article="396",
            article_title="Đơn yêu cầu công nhận thuận tình ly hôn, thỏa thuận nuôi con, chia "
            "tài sản khi ly hôn"),
        rec("hngd#a59", *HNGD, "Tài sản chung của vợ chồng về nguyên tắc được chia đôi khi "
            "ly hôn.", article="59",
            article_title="Nguyên tắc giải quyết tài sản của vợ chồng khi ly hôn"),
        rec("blths#a144", *BLTTHS, "Tố giác về tội phạm là việc cá nhân phát hiện và tố cáo "
            "hành vi có dấu hiệu tội phạm.", article="144",
            article_title="Tố giác, tin báo về tội phạm, kiến nghị khởi tố"),
    ]  # fmt: skip
    return engine_of(tmp_path, records)


def _first(eng: SearchEngine, text: str, docs: list[int], **weights: float) -> str:
    """The first of these records (scores 1.0, 0.6, …) after the stage."""
    scores = np.array([1.0, 0.6, 0.5][: len(docs)])
    c = rk.Candidates(np.array(docs), scores, eng.records)
    q = rk.Query(analyse_query(text), rk.Weights(**weights))
    return rr.rule_before_procedure(q, c).stored(0)["key"]


@pytest.mark.parametrize("text", ["chia tài sản khi ly hôn", "chia tai san khi ly hon"])
def test_the_matters_own_law_goes_before_the_civil_procedure_code(
    tmp_path: Path, text: str
) -> None:
    with _library(tmp_path) as eng:
        assert _first(eng, text, [0, 1]) == "hngd#a59"
        assert _first(eng, text, [0, 1], procedure=1.0) == "bltt#a396"


@pytest.mark.parametrize("text", ["đơn ly hôn chia tài sản", "kiện chia tài sản ly hôn"])
def test_a_search_for_the_court_keeps_the_code_first(tmp_path: Path, text: str) -> None:
    assert asks_for_court(" ".join(analyse_query(text).unigrams))
    with _library(tmp_path) as eng:
        assert _first(eng, text, [0, 1]) == "bltt#a396"


def test_the_criminal_procedure_code_and_a_lawyers_question_are_left_alone(
    tmp_path: Path,
) -> None:
    """The criminal procedure code sets the rights of whoever reports a crime; a question in
    the law's own words (no everyday phrase read) is often about the procedure itself."""
    with _library(tmp_path) as eng:
        assert _first(eng, "tố giác tội phạm", [2, 1]) == "blths#a144"
        question = "Nội dung thỏa thuận chia tài sản khi ly hôn gồm những gì?"
        assert not analyse_query(question).meant
        assert _first(eng, question, [0, 1]) == "bltt#a396"
