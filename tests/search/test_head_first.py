"""A topic search names its matter head first (reranking.head_first)."""

from __future__ import annotations

from pathlib import Path

from offline_index import reranking as rr
from offline_index.search_engine import SearchEngine

from .conftest import engine_of, first_after, rec


def _law(tmp_path: Path) -> SearchEngine:
    """Luật Nuôi con nuôi's conditions on the adopter, and its register of those who wish to
    adopt, whose text names adopting more often."""
    law = ("ncn", "52/2010/QH12", "Luật Nuôi con nuôi", "Luật")
    records = [
        rec("ncn#a14", *law, "Người nhận con nuôi phải có đủ các điều kiện sau đây: có năng "
            "lực hành vi dân sự đầy đủ; hơn con nuôi từ 20 tuổi trở lên.", article="14",
            article_title="Điều kiện đối với người nhận con nuôi"),
        rec("ncn#a16", *law, "Người có nhu cầu nhận con nuôi đăng ký nhu cầu nhận con nuôi tại "
            "Sở Tư pháp; người nhận con nuôi được thông báo khi có trẻ em đủ điều kiện.",
            article="16", article_title="Đăng ký nhu cầu nhận con nuôi"),
    ]  # fmt: skip
    return engine_of(tmp_path, records)


def test_the_article_titled_with_the_search_s_head_goes_first(tmp_path: Path) -> None:
    with _law(tmp_path) as eng:
        assert first_after(rr.head_first, eng, "điều kiện nhận con nuôi", (1, 0.7)) == "ncn#a14"
        off = first_after(rr.head_first, eng, "điều kiện nhận con nuôi", (1, 0.7), head=1.0)
        assert off == "ncn#a16"
        # The qualifier first is another matter: `đăng ký nhận con nuôi` asks to register.
        assert first_after(rr.head_first, eng, "đăng ký nhận con nuôi", (1, 0.7)) == "ncn#a16"


def test_a_question_or_a_two_syllable_topic_keeps_its_order(tmp_path: Path) -> None:
    with _law(tmp_path) as eng:
        for text in ("điều kiện", "điều kiện nhận con nuôi là gì?"):
            assert first_after(rr.head_first, eng, text, (1, 0.7)) == "ncn#a16", text
