"""The law in force first (issue 11): when a document and the one replacing it both answer,
the one in force ranks first, unless the query names the old one by number, year or title.

Real libraries: the embedded demo (Decree 100/2019 replaced in part by 168/2024) and a
generation of the two Enterprise Laws from the shared corpus (68/2014 repealed by 59/2020,
read from 59/2020's own effect clause).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from offline_index.build import build_generation
from offline_index.library import Library

from .test_currency import NEW_DN, OLD_DN, _build, _raw


def _first(lib: Library, query: str, *doc_ids: str) -> str:
    """Which of these documents the query's hits reach first."""
    for h in lib.search(query, limit=20).hits:
        if h.doc_id in doc_ids:
            return f"{h.doc_id}#a{h.article}"
    return ""


@pytest.fixture(scope="module")
def enterprise(tmp_path_factory: pytest.TempPathFactory, shared_data: Path):  # noqa: ANN201
    tmp = tmp_path_factory.mktemp("dn-rank")
    gen, _ = _build(tmp, _raw(tmp, shared_data, OLD_DN, NEW_DN))
    with Library.open(gen) as lib:
        yield lib


def test_search_reads_the_replacement_from_the_texts(enterprise: Library) -> None:
    from offline_index import currency_view as cv

    attrs = cv.doc_attributes(enterprise.db)
    assert (attrs["68-2014-qh13"].validity, attrs["68-2014-qh13"].replaced_by) == (
        "not_in_force",
        ("59-2020-qh14",),
    )
    assert attrs["59-2020-qh14"].replaced_by == ()


def test_traffic_fines_in_force_come_first(demo) -> None:  # noqa: ANN001
    pair = ("168-2024-nd-cp", "100-2019-nd-cp")
    for query in ("phat vuot den do xe may", "phạt vượt đèn đỏ xe máy"):
        assert _first(demo, query, *pair) == "168-2024-nd-cp#a7", query


@pytest.mark.parametrize(
    "query", ["đỗ xe sai quy định", "do xe sai quy dinh", "đậu xe sai quy định", "đỗ xe trái phép"]
)
def test_parking_against_the_rules_opens_the_fines_in_force(demo, query: str) -> None:  # noqa: ANN001
    """Residents say `sai quy định` / `trái phép`, the decree `không đúng quy định`: the
    phrase alone opened the old decree's railway-signal fines (`báo hiệu sai quy định`)."""
    first = demo.search(query, limit=1).hits[0]
    assert (first.doc_id, first.article) in {("168-2024-nd-cp", n) for n in ("6", "7", "8", "9")}


def test_traffic_fines_asked_by_the_old_number_or_year(demo) -> None:  # noqa: ANN001
    pair = ("168-2024-nd-cp", "100-2019-nd-cp")
    for query in ("nghị định 100/2019 vượt đèn đỏ xe máy", "nd 100 vuot den do xe may"):
        assert _first(demo, query, *pair) == "100-2019-nd-cp#a6", query


@pytest.mark.parametrize(
    "query", ["giải thể doanh nghiệp", "hồ sơ giai the doanh nghiep", "tên doanh nghiệp"]
)
def test_enterprise_law_in_force_comes_first(enterprise: Library, query: str) -> None:
    assert _first(enterprise, query, "59-2020-qh14", "68-2014-qh13").startswith("59-2020-qh14")


@pytest.mark.parametrize(
    "query",
    [
        "luật doanh nghiệp 68/2014 giải thể doanh nghiệp",
        "luật doanh nghiệp 2014 hồ sơ giải thể doanh nghiệp",
    ],
)
def test_enterprise_law_asked_by_number_or_year(enterprise: Library, query: str) -> None:
    assert _first(enterprise, query, "59-2020-qh14", "68-2014-qh13").startswith("68-2014-qh13")


def test_a_title_both_laws_share_does_not_ask_for_the_old_one(enterprise: Library) -> None:
    """ "Luật Doanh nghiệp" is the title of the 2014 and the 2020 law alike."""
    query = "luật doanh nghiệp giải thể doanh nghiệp"
    assert _first(enterprise, query, "59-2020-qh14", "68-2014-qh13").startswith("59-2020-qh14")


def test_an_old_text_comes_after_another_laws_article_in_force(demo) -> None:  # noqa: ANN001
    """Decree 100/2019's article on led animals is out of force, and its replacement has no
    article that answers a dog bite: the Civil Code's, in force, comes first. (Said `chó nhà
    hàng xóm cắn`, the search reads `chó cắn` and the decree leaves the first ten.)"""
    hits = demo.search("chó hàng xóm cắn con tôi thì ai phải đền", limit=10).hits
    first = hits[0]
    assert (first.doc_id, first.article, first.validity) == ("91-2015-qh13", "603", "in_force")
    old = [h for h in hits if h.doc_id == "100-2019-nd-cp"]
    assert old and old[0].validity == "not_in_force"  # still offered, after the law in force


def test_an_old_text_asked_for_by_number_still_comes_first(demo) -> None:  # noqa: ANN001
    for query in ("nghị định 100/2019 dẫn dắt súc vật", "nd 100 2019 dan dat suc vat"):
        first = demo.search(query, limit=1).hits[0]
        assert (first.doc_id, first.article) == ("100-2019-nd-cp", "10"), query


@pytest.mark.parametrize("query", ["đi ngược chiều", "di nguoc chieu"])
def test_a_newer_text_of_the_field_stands_in_for_a_replacement_not_shipped(
    demo, query: str
) -> None:  # noqa: ANN001, E501
    """The demo marks Luật Giao thông đường bộ 2008 replaced by the 2024 road laws and does
    not ship them. Its `Tránh xe đi ngược chiều` wins every title signal; Nghị định 168/2024,
    in force, of the same field and newer, answers nearly as well and comes first."""
    [first, second] = demo.search(query, limit=2).hits
    assert (first.doc_id, first.validity) == ("168-2024-nd-cp", "in_force")
    assert (second.doc_id, second.article, second.validity) == (
        "23-2008-qh12",
        "17",
        "not_in_force",
    )


def test_the_first_hit_does_not_depend_on_how_many_are_asked_for(demo) -> None:  # noqa: ANN001
    """The stages after the text re-ranks see at least Weights.rerank candidates: asked for
    one hit, `di nguoc chieu` opened the old road law, whose decree in force was second."""
    firsts = {demo.search("di nguoc chieu", limit=n).hits[0].key for n in (1, 2, 10, 20)}
    assert firsts == {"168-2024-nd-cp#a6"}


def test_the_old_road_law_asked_for_by_number_still_comes_first(demo) -> None:  # noqa: ANN001
    first = demo.search("luật 23/2008 tránh xe đi ngược chiều", limit=1).hits[0]
    assert (first.doc_id, first.article) == ("23-2008-qh12", "17")


@pytest.mark.parametrize(
    ("query", "doc_id"),
    [("hòa giải tranh chấp đất", "45-2013-qh13"), ("mức đóng bảo hiểm xã hội", "58-2014-qh13")],
)
def test_no_text_of_another_field_or_older_stands_in(demo, query: str, doc_id: str) -> None:  # noqa: ANN001
    """The demo's land law 2013 and social-insurance law 2014 are out of force with nothing
    here replacing them: the Labour Code's mediation (another field) and the health-insurance
    law's contribution (the same field, but 2008) stay below their articles."""
    assert demo.search(query, limit=1).hits[0].doc_id == doc_id


def test_a_hit_no_longer_in_force_names_what_replaced_it(demo, enterprise: Library) -> None:  # noqa: ANN001
    """The publisher's replacement, held here or not (Luật Đất đai 45/2013 → 31/2024/QH15,
    which the demo does not hold), or the one the texts read (68/2014 → 59/2020); the road
    articles of 100/2019 that 168/2024 replaced; nothing on a hit in force."""
    land = [h for h in demo.search("đất đai", limit=10).hits if h.doc_id == "45-2013-qh13"]
    assert land and all(h.replaced_by == "31/2024/QH15" for h in land)
    fines = demo.search("nghị định 100/2019 vượt đèn đỏ xe máy", limit=10).hits
    old = next(h for h in fines if h.doc_id == "100-2019-nd-cp" and h.validity == "not_in_force")
    assert "168/2024/NĐ-CP" in old.replaced_by
    assert all(not h.replaced_by for h in fines if h.validity != "not_in_force")
    old_dn = next(
        h
        for h in enterprise.search("luật doanh nghiệp 2014", limit=10).hits
        if h.doc_id == "68-2014-qh13"
    )
    assert old_dn.replaced_by == "59/2020/QH14"


def test_a_replacement_spelled_loosely_is_named_once_by_its_number(tmp_path: Path) -> None:
    """The old decree's own relation writes `Nghị định 168/2024/ND-CP`; the library holds it
    as 168/2024/NĐ-CP: the hit names it once, as published."""
    from tests.library.library_content import dump, nd100, nd168

    src = tmp_path / "src"
    dump(src / "lawshelf-content.json", {"format": 1, "name": "t", "updated": "2026-11-01"})
    old = {**nd100(), "relations": [{"type": "replaced_by", "target": "Nghị định 168/2024/ND-CP"}]}
    dump(src / "documents" / "nd100.json", old)
    dump(src / "documents" / "nd168.json", {**nd168(), "relations": []})
    build_generation([src], tmp_path / "gen")
    with Library.open(tmp_path / "gen") as lib:
        assert lib.replaced_by("100-2019-nd-cp") == "168/2024/NĐ-CP"


def test_only_a_replacement_s_loose_number_is_looked_up(tmp_path: Path) -> None:
    """An amendment names no replacement: its loose number is not resolved when the library
    opens (each lookup of a loose number reads every document's number terms)."""
    from offline_index import currency_view as cv
    from tests.library.library_content import dump, nd100, nd168

    src = tmp_path / "src"
    dump(src / "lawshelf-content.json", {"format": 1, "name": "t", "updated": "2026-11-01"})
    relations = [
        {"type": "replaced_by", "target": "Nghị định 168/2024/ND-CP"},
        {"type": "amended_by", "target": "Nghị định 123/2021/ND-CP"},
    ]
    dump(src / "documents" / "nd100.json", {**nd100(), "relations": relations})
    dump(src / "documents" / "nd168.json", {**nd168(), "relations": []})
    build_generation([src], tmp_path / "gen")
    with Library.open(tmp_path / "gen") as lib:
        asked: list[str] = []
        attrs = cv.doc_attributes(lib.db, lambda t: asked.append(t) or lib.find_number(t))
        assert attrs["100-2019-nd-cp"].replaced_by == ("168-2024-nd-cp",)
        assert asked == ["Nghị định 168/2024/ND-CP"]


def test_successors_are_newer_texts_in_force_of_a_shared_field() -> None:
    from offline_index.index_records import successors
    from offline_index.search_types import DocAttributes as A

    road, fines = frozenset({"Giao thông"}), frozenset({"Giao thông", "Xử phạt"})
    attrs = {
        "old": A("not_in_force", fields=road, issued="2008-11-13"),
        "new": A("in_force", fields=fines, issued="2024-12-26"),
        "older": A("in_force", fields=road, issued="2001-06-29"),
        "other": A("in_force", fields=frozenset({"Dân sự"}), issued="2015-11-24"),
        "undated": A("in_force", fields=road),
        "gone too": A("not_in_force", fields=road, issued="2019-12-30"),
        "replaced here": A("not_in_force", ("new",), fields=road, issued="2010-01-01"),
    }
    codes = {d: i for i, d in enumerate(attrs)}
    held = {codes["replaced here"]: np.array([codes["new"]])}
    out = successors(attrs, codes, held)
    assert {k: v.tolist() for k, v in out.items()} == {0: [1], 5: [1]}
