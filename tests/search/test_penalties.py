"""A search for a penalty wants an article that sets one (offline_index.penalties)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from offline_index.analysis import analyse_query
from offline_index.penalties import SETS_PENALTY, asks_for_penalty
from offline_index.search_engine import SearchEngine

from .conftest import engine_of, rec


def _road(tmp_path: Path) -> SearchEngine:
    """The traffic law's rule, titled with the behaviour, and the decree's fine for it."""
    law = ("gt", "23/2008/QH12", "Luật Giao thông đường bộ", "Luật")
    nd = ("nd", "168/2024/NĐ-CP", "Nghị định xử phạt vi phạm hành chính giao thông", "Nghị định")
    records = [
        rec("gt#a17", *law, "Trên đường không phân chia thành hai chiều xe chạy riêng biệt, "
            "hai xe đi ngược chiều tránh nhau, người điều khiển phải giảm tốc độ và cho xe đi "
            "về bên phải theo chiều xe chạy của mình.", article="17",
            article_title="Tránh xe đi ngược chiều"),
        rec("nd#a6", *nd, "Phạt tiền từ 4.000.000 đồng đến 6.000.000 đồng đối với người điều "
            "khiển xe thực hiện một trong các hành vi vi phạm sau đây: đi ngược chiều của đường "
            "một chiều, đi ngược chiều trên đường có biển báo cấm đi ngược chiều.", article="6",
            article_title="Xử phạt người điều khiển xe ô tô vi phạm quy tắc giao thông đường bộ"),
    ]  # fmt: skip
    return engine_of(tmp_path, records)


@pytest.mark.parametrize("text", ["phạt đi ngược chiều", "phat di nguoc chieu"])
def test_a_search_for_a_penalty_opens_the_article_that_sets_it(tmp_path: Path, text: str) -> None:
    with _road(tmp_path) as eng:
        assert [h.key for h in eng.search(text).hits] == ["nd#a6", "gt#a17"]
        eng.weights.penalty_other = 1.0  # without: the rule titled with the behaviour wins
        assert eng.search(text).hits[0].key == "gt#a17"


def test_a_search_without_the_word_keeps_its_order(tmp_path: Path) -> None:
    with _road(tmp_path) as eng:
        assert eng.search("đi ngược chiều").hits[0].key == "gt#a17"


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("phạt đi ngược chiều", True),
        ("lấn chiếm đất phạt", True),
        ("phat vuot den do", True),  # a topic typed without diacritics
        ("đỗ ô tô lên vỉa hè có bị phạt không", True),
        ("nộp phạt giao thông ở đâu", False),  # paying a fine, not what it is
        ("phát hiện hành vi vi phạm thì báo ai?", False),
        ("phat hien hanh vi vi pham thi bao ai?", False),  # a question: `phat` may be `phát`
        ("vượt đèn đỏ", False),
    ],
)
def test_what_asks_for_a_penalty(text: str, asks: bool) -> None:
    assert asks_for_penalty(analyse_query(text)) is asks


def test_what_sets_a_penalty(tmp_path: Path) -> None:
    """A fine, prison, a warning, non-custodial reform, the forms of sanction; read from the
    index's pairs of syllables."""
    law = ("l", "1/2020/QH14", "Luật", "Luật")
    texts = [
        "Phạt tiền từ 400.000 đồng đến 600.000 đồng đối với người vi phạm.",
        "Người nào vi phạm thì bị phạt cải tạo không giam giữ đến 03 năm hoặc phạt tù.",
        "Hình thức xử phạt chính gồm cảnh cáo.",
        "Người điều khiển xe phải giảm tốc độ và đi về bên phải.",
        "Cơ quan phát triển nguồn tiền cho quỹ.",
    ]
    records = [rec(f"l#a{i}", *law, t, article=str(i)) for i, t in enumerate(texts)]
    with engine_of(tmp_path, records) as eng:
        held = eng.records.holding(SETS_PENALTY)
        keys = [eng.records.stored(d)["key"] for d in np.flatnonzero(held).tolist()]
        assert sorted(keys) == ["l#a0", "l#a1", "l#a2"]
