"""What a search reads at query time: the documents' current status, its deadline, cancel."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from offline_index.search_engine import SearchEngine, write_index
from offline_index.search_types import DocAttributes, SearchFilters

from .conftest import hand_records


def _fresh(tmp_path: Path) -> SearchEngine:
    write_index(tmp_path / "ix", hand_records())
    return SearchEngine.open(tmp_path / "ix")


def test_a_repeal_given_at_query_time_changes_validity_filter_and_rank(tmp_path: Path) -> None:
    with _fresh(tmp_path) as eng:
        query = "luật đất đai phạm vi điều chỉnh"
        before = eng.search(query).hits
        assert [h.key for h in before[:2]] == ["dd24#a1", "dd13#a1"]  # 2013 is not in force
        # A later release says the 2024 law is repealed and the 2013 one applies (fiction).
        eng.set_attributes(
            {
                "31-2024-qh15": DocAttributes(validity="not_in_force", replaced_by=("1/2025",)),
                "45-2013-qh13": DocAttributes(validity="in_force"),
            }
        )
        hits = eng.search("phạm vi điều chỉnh đất đai").hits
        assert [h.key for h in hits[:2]] == ["dd13#a1", "dd24#a1"]
        assert [h.validity for h in hits[:2]] == ["in_force", "not_in_force"]
        only = eng.search("đất đai", filters=SearchFilters(validity="in_force")).hits
        assert {h.doc_id for h in only} >= {"45-2013-qh13"}
        assert "31-2024-qh15" not in {h.doc_id for h in only}


def test_repealed_articles_are_not_in_force_the_rest_is(tmp_path: Path) -> None:
    with _fresh(tmp_path) as eng:
        eng.set_attributes(
            {"31-2024-qh15": DocAttributes("in_force", repealed_articles=frozenset({"236"}))}
        )
        by_key = {h.key: h.validity for h in eng.search("đất đai", limit=50).hits}
        assert by_key["dd24#a236"] == "not_in_force" and by_key["dd24#a1"] == "in_force"
        gone = eng.search("đất đai", filters=SearchFilters(validity="not_in_force")).hits
        assert "dd24#a236" in {h.key for h in gone} and "dd24#a1" not in {h.key for h in gone}


@pytest.mark.parametrize(
    "attrs",
    [
        DocAttributes("partly_in_force", repealed_articles=frozenset({"236"})),
        DocAttributes("partly_in_force", partly_articles=frozenset({"236"})),  # a clause only
        DocAttributes("partly_in_force", kept_articles=frozenset({"1"})),
        DocAttributes("partly_in_force", replaced_by=("x",), unlisted=True),  # no list
        DocAttributes("in_force", repealed_articles=frozenset({"236"})),
    ],
)
def test_each_article_s_status_is_the_one_the_document_s_attributes_give(
    tmp_path: Path, attrs: DocAttributes
) -> None:
    """The index marks a whole document's articles at once; each must read as
    DocAttributes.record_validity reads that article alone."""
    with _fresh(tmp_path) as eng:
        eng.set_attributes({"31-2024-qh15": attrs})
        hits = [h for h in eng.search("đất đai", limit=80).hits if h.doc_id == "31-2024-qh15"]
        assert {h.article for h in hits} >= {"1", "236"}
        assert all(h.validity == attrs.record_validity(h.article) for h in hits)


def test_a_search_past_its_deadline_returns_what_it_has(tmp_path: Path) -> None:
    with _fresh(tmp_path) as eng:
        text = "Công an xã có được phạt lỗi không mang giấy phép lái xe không?"
        full = eng.search(text)
        assert not full.partial and full.hits
        late = eng.search(text, deadline=time.monotonic() - 1)
        assert late.partial and late.hits == [] and late.total == 0


def test_a_cancelled_search_stops_between_terms(tmp_path: Path) -> None:
    with _fresh(tmp_path) as eng:
        text = "Công an xã có được phạt lỗi không mang giấy phép lái xe không?"
        asked = []

        def cancel() -> bool:
            asked.append(1)
            return len(asked) > 3  # three query terms scored, then the resident typed on

        result = eng.search(text, cancel=cancel)
        assert result.partial and result.hits  # the best hits of the first three terms
        assert result.total <= eng.search(text).total
        assert result.did_you_mean is None
