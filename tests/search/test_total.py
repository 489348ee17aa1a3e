"""SearchResult.total counts the records the query matches after the filters, nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from offline_index.search_engine import SearchEngine, write_index
from offline_index.search_types import SearchFilters

from .conftest import hand_records

FILTERS = ("kind", "scope", "field", "validity")


@pytest.mark.parametrize("name", FILTERS)
@pytest.mark.parametrize("text", ["luật", "phạt vượt đèn đỏ", "100/2019/NĐ-CP", "cư trú"])
def test_a_filter_value_that_matches_nothing_gives_total_zero(
    engine: SearchEngine, name: str, text: str
) -> None:
    assert engine.search(text).total > 0
    result = engine.search(text, filters=SearchFilters(**{name: "zzz"}))
    assert (result.hits, result.total) == ([], 0)


def test_a_year_that_matches_nothing_gives_total_zero(engine: SearchEngine) -> None:
    result = engine.search("luật đất đai", filters=SearchFilters(year=1900))
    assert (result.hits, result.total) == ([], 0)


@pytest.mark.parametrize(
    ("kw", "check"),
    [
        ({"kind": "Luật"}, lambda h: h.kind == "Luật"),
        ({"validity": "not_in_force"}, lambda h: h.validity == "not_in_force"),
        ({"year": 2013}, lambda h: h.doc_id == "45-2013-qh13"),
        ({"field": "cu-tru"}, lambda h: h.doc_id == "68-2020-qh14"),
        ({"kind": "Luật", "year": 2024}, lambda h: h.doc_id == "31-2024-qh15"),
    ],
)
def test_total_is_what_the_filters_let_through(engine: SearchEngine, kw: dict, check) -> None:  # noqa: ANN001
    for text in ("luật", "phạt tiền", "đất đai"):
        everything = engine.search(text, limit=10_000)
        assert everything.total == len(everything.hits)
        expected = sum(1 for h in everything.hits if check(h))
        filtered = engine.search(text, limit=10_000, filters=SearchFilters(**kw))
        assert filtered.total == len(filtered.hits) == expected, (text, kw)
        assert engine.search(text, limit=2, filters=SearchFilters(**kw)).total == expected


def test_total_leaves_out_records_dropped_by_an_incremental_build(tmp_path: Path) -> None:
    write_index(tmp_path / "g1", hand_records())
    write_index(tmp_path / "g2", [], base_dir=tmp_path / "g1", drop_doc_ids=["31-2024-qh15"])
    with SearchEngine.open(tmp_path / "g1") as eng:
        before = eng.search("đất đai", limit=100).total
    with SearchEngine.open(tmp_path / "g2") as eng:
        after = eng.search("đất đai", limit=100)
        assert after.total == len(after.hits) == before - 2
        assert eng.search("đất đai", filters=SearchFilters(year=2024)).total == 0
