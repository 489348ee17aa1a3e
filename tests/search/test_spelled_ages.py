"""An age typed in digits finds the codes that spell it (everyday.spelled): residents type
`15 tuổi`, the Civil Code writes `mười lăm tuổi`."""

from __future__ import annotations

from pathlib import Path

import pytest

from offline_index.analysis import analyse_query
from offline_index.everyday import spelled

from .conftest import engine_of, rec

CODE = ("bld", "91/2015/QH13", "Bộ luật Dân sự", "Bộ luật")


@pytest.mark.parametrize(
    ("n", "words"),
    [(6, "sáu"), (10, "mười"), (15, "mười lăm"), (18, "mười tám"), (21, "hai mươi mốt"),
     (25, "hai mươi lăm"), (30, "ba mươi"), (64, "sáu mươi bốn")],
)  # fmt: skip
def test_numbers_are_spelled_as_the_law_spells_them(n: int, words: str) -> None:
    assert spelled(n) == words


def test_a_typed_age_adds_the_spelled_age_as_a_phrase_only() -> None:
    """Its bigrams, not its syllables: folded, `tam` is also `tạm` and `muoi` also `muối`."""
    qt = analyse_query("con 18 tuổi ký hợp đồng")
    assert {"muoi tam", "tam tuoi"} <= set(qt.bigrams)
    assert not {"muoi", "tam"} & set(qt.unigrams)
    assert qt.meant == ["18 tuổi mười tám tuổi"]
    assert analyse_query("18 tháng").legal == []  # ages only


@pytest.mark.parametrize(
    "query", ["giao dịch dân sự của người 15 tuổi", "giao dich cua nguoi 15 tuoi"]
)
def test_the_article_that_spells_the_age_comes_first(tmp_path: Path, query: str) -> None:
    records = [
        rec("bld#a21", *CODE, "Giao dịch dân sự của người từ đủ mười lăm tuổi đến chưa đủ mười "
            "tám tuổi được tự mình xác lập, thực hiện.", article="21",
            article_title="Người chưa thành niên"),
        rec("bld#a30", *CODE, "Giao dịch dân sự của người cao tuổi do người đó tự xác lập.",
            article="30", article_title="Người cao tuổi"),
    ]  # fmt: skip
    with engine_of(tmp_path, records) as eng:
        assert [h.key for h in eng.search(query).hits][0] == "bld#a21"
