"""The embedded demo library, built into a home once per session (as the kiosk does:
tests/conftest.py's `demo_home`)."""

from __future__ import annotations

import json
from pathlib import Path

from offline_index.build import ensure_library
from tests.conftest import DEMO


def test_ensure_library_builds_once(demo_home: Path) -> None:
    gens = sorted((demo_home / "library").glob("gen-*"))
    assert len(gens) == 1 and ensure_library(demo_home) == gens[0]


def test_diacritics_folded_search(demo) -> None:  # noqa: ANN001
    for query in ("luat dat dai", "Luật Đất đai"):
        top = demo.search(query, limit=3).hits
        assert top and all("đất đai" in h.doc_title.lower() for h in top), query


def test_numbers_find_the_document_first(demo) -> None:  # noqa: ANN001
    for query in ("100/2019/NĐ-CP", "nd 100 2019", "NĐ 100"):
        assert demo.find_number(query) == "100-2019-nd-cp"
        assert demo.search(query).hits[0].doc_id == "100-2019-nd-cp", query


def test_spoken_question_gets_articles(demo) -> None:  # noqa: ANN001
    hits = demo.search("Công an xã có được phạt lỗi không mang bằng lái không?").hits
    assert hits and hits[0].hit_type in ("article", "qa")


def test_replaced_documents_are_flagged(demo) -> None:  # noqa: ANN001
    old_land = demo.document("45-2013-qh13")
    assert not old_land.in_force and "31/2024/QH15" in old_land.status_notice_vi
    [rel] = [r for r in old_land.relations if r.type == "replaced_by"]
    assert rel.target_doc_id is None  # not in the demo library: named, not linked
    nd100 = demo.document("100-2019-nd-cp")
    assert not nd100.in_force and "168/2024/NĐ-CP" in nd100.status_notice_vi
    assert any(r.target_doc_id == "168-2024-nd-cp" for r in nd100.relations)
    assert demo.document("168-2024-nd-cp").in_force


def test_qa_entries_keep_the_publishers_order(demo) -> None:  # noqa: ANN001
    """The Q&A screen lists them before a search: the content lists the most asked first."""
    listed = json.loads((DEMO / "qa" / "traffic-fines.json").read_text("utf-8"))["entries"]
    assert [e.id for e in demo.qa_entries()] == [e["id"] for e in listed]
    assert [e["id"] for e in listed] != sorted(e["id"] for e in listed)  # the check can fail


def test_every_citation_in_the_demo_opens_its_article(demo) -> None:  # noqa: ANN001
    """A resident taps `Đọc căn cứ: Điều 53 Nghị định 168/2024/NĐ-CP` under a notice, a Q&A
    answer or a contest question: each citation names an article the library holds."""
    from offline_index.model import doc_id_for

    cited = [c for n in demo.notices() for c in n.citations]
    cited += [c for q in demo.qa_entries() for c in q.citations]
    cited += [q.citation for k in demo.contests() for q in k.questions if q.citation]
    assert len(cited) > 50 and any(c.doc_number == "168/2024/NĐ-CP" for c in cited)
    for c in {(c.doc_number, c.article) for c in cited if c.article}:
        assert demo.article(doc_id_for(c[0]), c[1]).number == c[1], c
