"""The words of a topic search the best hit lacks (marking.lacking, SearchResult.missing):
a partial match is named, so a resident does not read it as the answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from offline_index import analysis as va
from offline_index.library import Library
from offline_index.marking import Lack, lacking


def _lack(query: str, common: frozenset[str] = frozenset()) -> Lack:
    qt = va.analyse_query(query)
    return Lack(query, qt.typed, list(zip(qt.meant, qt.legal, strict=True)), common)


def test_a_hit_that_shares_one_word_lacks_the_rest_neighbours_joined() -> None:
    text = "Điều 124. Tội giết hoặc vứt bỏ con mới đẻ"
    assert lacking(_lack("vứt rác bừa bãi"), text) == ["rác bừa bãi"]
    assert lacking(_lack("vut rac bua bai"), text) == ["rac bua bai"]  # as typed


def test_a_word_typed_with_diacritics_is_held_only_in_that_reading() -> None:
    """`sổ` is not `số`: a decree full of numbers does not hold the resident's word."""
    assert lacking(_lack("sổ hộ khẩu"), "Số hộ khẩu ghi trong số") == ["sổ"]
    assert lacking(_lack("so ho khau"), "Số hộ khẩu ghi trong số") == []


def test_an_everyday_phrase_is_held_by_its_legal_wording() -> None:
    text = "Cấp Giấy chứng nhận quyền sử dụng đất cho hộ gia đình"
    assert lacking(_lack("cấp sổ đỏ"), text) == []
    assert lacking(_lack("cấp sổ đỏ"), "Cấp giấy phép lái xe") == ["sổ đỏ"]


def test_a_common_syllable_is_never_called_missing() -> None:
    text = "Nghĩa vụ cấp dưỡng của cha mẹ"
    assert lacking(_lack("tiền cấp dưỡng"), text) == ["tiền"]
    assert lacking(_lack("tien cap duong", frozenset({"tien"})), text) == []


@pytest.fixture(scope="module")
def demo(demo_library: Path):  # noqa: ANN201
    with Library.open(demo_library) as lib:
        yield lib


def test_the_search_names_what_its_first_hit_lacks(demo: Library) -> None:
    result = demo.search("vứt rác bừa bãi")
    assert result.hits and "rác" in " ".join(result.missing)
    assert not any("rác" in (h.article_title + h.snippet) for h in result.hits[:1])


@pytest.mark.parametrize(
    "query",
    [
        "ly hôn",  # the first hit holds every word
        "vứt rác bừa bãi thì bị phạt bao nhiêu",  # a question: its words are not a topic
        "168/2024",  # an official number
    ],
)
def test_nothing_is_named_where_nothing_is_lacking(demo: Library, query: str) -> None:
    assert demo.search(query).missing == []
