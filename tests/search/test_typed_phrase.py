"""A topic search's words as typed, function words too, name its matter
(reranking.typed_phrase)."""

from __future__ import annotations

from pathlib import Path

from offline_index import reranking as rr
from offline_index.search_engine import SearchEngine

from .conftest import engine_of, first_after, rec


def _law(tmp_path: Path) -> SearchEngine:
    """Luật Trợ giúp pháp lý's article on who receives the service, and its definition of the
    service, which names it more often (record 1: ahead before the stage)."""
    law = ("tgpl", "11/2017/QH14", "Luật Trợ giúp pháp lý", "Luật")
    records = [
        rec("tgpl#a7", *law, "Người có công với cách mạng; người thuộc hộ nghèo; trẻ em; người "
            "dân tộc thiểu số cư trú ở vùng có điều kiện kinh tế - xã hội đặc biệt khó khăn.",
            article="7", article_title="Người được trợ giúp pháp lý"),
        rec("tgpl#a2", *law, "Trợ giúp pháp lý là việc cung cấp dịch vụ pháp lý miễn phí cho "
            "người được trợ giúp pháp lý; trợ giúp pháp lý do Nhà nước bảo đảm.", article="2",
            article_title="Trợ giúp pháp lý"),
    ]  # fmt: skip
    return engine_of(tmp_path, records)


def test_a_title_holding_the_words_as_typed_goes_first(tmp_path: Path) -> None:
    with _law(tmp_path) as eng:
        for text in ("được trợ giúp pháp lý", "duoc tro giup phap ly"):
            assert first_after(rr.typed_phrase, eng, text, (1, 0.5)) == "tgpl#a7", text
        off = first_after(rr.typed_phrase, eng, "được trợ giúp pháp lý", (1, 0.5), typed_phrase=1)
        assert off == "tgpl#a2"


def test_content_words_alone_or_a_question_keep_their_order(tmp_path: Path) -> None:
    """Without a function word title_topic decides; a question is not a title; words no
    title holds in that order move nothing."""
    with _law(tmp_path) as eng:
        for text in (
            "trợ giúp pháp lý",
            "ai được trợ giúp pháp lý?",
            "trợ giúp pháp lý của nhà nước",
        ):
            assert first_after(rr.typed_phrase, eng, text, (1, 0.5)) == "tgpl#a2", text
