"""The Library API on a real build (SQLite + Whoosh) of the test content."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from offline_index import library_rows as lr
from offline_index.errors import LibraryNotFound
from offline_index.model import Citation
from offline_index.search_types import SearchFilters


def test_build_counts_and_skips(built) -> None:  # noqa: ANN001
    _, report = built
    assert report.skipped == []
    assert report.counts["documents"] == 5  # 3 JSON + raw TXT + raw PDF
    assert report.counts["qa"] == 3 and report.counts["publications"] == 1


def test_search_returns_the_expected_article(lib) -> None:  # noqa: ANN001
    hits = lib.search("không đội mũ bảo hiểm").hits
    articles = [(h.doc_number, h.article) for h in hits if h.hit_type == "article"]
    assert ("168/2024/NĐ-CP", "7") in articles[:2]
    top = lib.search("luat dat dai thua ke quyen su dung dat").hits[0]
    assert top.doc_id in ("31-2024-qh15", "pub:to-roi-dat-dai")
    assert any(
        h.doc_number == "31/2024/QH15" and h.article == "27"
        for h in lib.search("chuyển nhượng quyền sử dụng đất công chứng").hits[:3]
    )


def test_article_text_includes_khoan_and_diem(lib) -> None:  # noqa: ANN001
    hits = lib.search("thắt dây an toàn").hits
    assert hits and hits[0].doc_number == "100/2019/NĐ-CP" and hits[0].article == "5"
    assert "<mark>" in hits[0].snippet


def test_page_hits_for_pdf_documents(lib) -> None:  # noqa: ANN001
    hits = lib.search("hợp đồng thế chấp", limit=20).hits
    pages = [h for h in hits if h.hit_type == "page" and h.doc_id.startswith("43-2021")]
    assert pages and all(h.page >= 1 for h in pages)


def test_qa_and_notice_hits(lib) -> None:  # noqa: ANN001
    assert any(
        h.hit_type == "qa" and h.doc_id == "qa:vp-001"
        for h in lib.search("mũ bảo hiểm xe mô tô").hits
    )
    assert any(h.hit_type == "notice" for h in lib.search("trợ giúp pháp lý").hits)


def test_a_qa_hit_relying_on_a_replaced_decree_says_so(lib) -> None:  # noqa: ANN001
    """vp-003 cites Nghị định 100/2019, which 168/2024 replaced: its hit is marked, so a
    resident does not read the old fine as the law today; vp-001 cites 168/2024."""
    qa = {
        h.doc_id: h.validity
        for h in lib.search("lái ô tô không theo vạch kẻ đường").hits
        if h.hit_type == "qa"
    }
    assert qa["qa:vp-003"] == "not_in_force"
    qa = {
        h.doc_id: h.validity for h in lib.search("mũ bảo hiểm xe mô tô").hits if h.hit_type == "qa"
    }
    assert qa["qa:vp-001"] != "not_in_force"


def test_a_notice_keeps_the_articles_it_rests_on(lib) -> None:  # noqa: ANN001
    (aid,) = lib.notices("legal_aid")
    assert [(c.doc_number, c.article, c.clause) for c in aid.citations] == [
        ("168/2024/NĐ-CP", "7", "")
    ]


def test_filters(lib) -> None:  # noqa: ANN001
    hits = lib.search("xử phạt", filters=SearchFilters(kind="Nghị định", year=2019)).hits
    assert hits and {h.doc_number for h in hits} == {"100/2019/NĐ-CP"}
    assert all(
        h.validity == "in_force"
        for h in lib.search("xử phạt", filters=SearchFilters(validity="in_force")).hits
    )


def test_find_number_loose_forms(lib) -> None:  # noqa: ANN001
    for text in ("100/2019/NĐ-CP", "100/2019", "nd 100 2019", "NĐ 100", "nghị định 100"):
        assert lib.find_number(text) == "100-2019-nd-cp", text
    assert lib.find_number("luật 31/2024") == "31-2024-qh15"
    assert lib.find_number("phạt 5 triệu đồng") is None


def test_document_tree_and_relations(lib) -> None:  # noqa: ANN001
    old = lib.document("100-2019-nd-cp")
    assert old.in_force is False
    assert "168/2024/NĐ-CP" in old.status_notice_vi
    [rel] = old.relations  # derived from 168/2024's "replaces"
    assert rel.type == "replaced_by" and rel.derived
    assert rel.target_doc_id == "168-2024-nd-cp" and rel.target_title.startswith("Quy định")
    [chuong] = old.tree
    assert chuong.level == "chuong" and [a.number for a in chuong.children] == ["1", "5"]
    khoan = chuong.children[1].children[0]
    assert [d.number for d in khoan.children] == ["a", "b"]
    new = lib.document("168-2024-nd-cp")
    assert new.in_force and new.relations[0].target_doc_id == "100-2019-nd-cp"


def test_raw_documents_keep_sidecar_and_pdf(lib) -> None:  # noqa: ANN001
    hoi_hop = lib.document(lib.find_number("101-SL/L.003") or "101-sl-l-003")
    assert hoi_hop.validity == "not_in_force" and not hoi_hop.in_force
    an_le = lib.document("43-2021-al")
    assert an_le.pages and an_le.pdf == "originals/an-le-43.pdf"
    assert lib.file_path(an_le.pdf).read_bytes().startswith(b"%PDF")


def test_article_with_neighbours(lib) -> None:  # noqa: ANN001
    art = lib.article("168-2024-nd-cp", "6")
    assert art.previous == "1" and art.next == "7"
    assert "18.000.000" in art.children[0].text
    assert [d.number for d in art.children[0].children] == ["a", "b"]
    with pytest.raises(LibraryNotFound):
        lib.article("168-2024-nd-cp", "99")


def test_other_content(lib) -> None:  # noqa: ANN001
    assert lib.qa_entry("vp-001").citations[0].article == "7"
    assert lib.qa_by_ticket_hash("abc123").id == "vp-002"
    # An answer written under the replaced decree: what it cites is not in force now.
    assert [lib.citation_validity(c) for c in lib.qa_entry("vp-002").citations] == ["not_in_force"]
    assert [lib.citation_validity(c) for c in lib.qa_entry("vp-001").citations] == ["in_force"]
    assert lib.citation_validity(Citation(doc_number="99/2099/QH99", article="1")) == ""
    assert lib.qa_by_ticket_hash("nope") is None
    assert [q.id for q in lib.qa_entries()] == ["vp-001", "vp-002", "vp-003"]
    assert [q.id for q in lib.qa_entries(public=True)] == ["vp-001", "vp-003"]  # no ticket's
    assert [q.id for q in lib.qa_entries(limit=1)] == ["vp-001"]
    assert [q.id for q in lib.qa_entries("Giao thông")] == ["vp-001"]
    contest = lib.contest("thi-2026")
    assert contest.questions[0].choices[0].correct and [c.id for c in lib.contests()] == [
        "thi-2026"
    ]
    assert [m.id for m in lib.media(on=date(2026, 3, 1))] == ["poster"]
    assert lib.media(on=date(2026, 9, 1)) == []
    assert [n.id for n in lib.notices(type="legal_aid")] == ["tro-giup"]
    assert lib.publication("to-roi-dat-dai").pages[1].startswith("Thừa kế")
    assert [p.id for p in lib.publications(category="leaflet")] == ["to-roi-dat-dai"]
    assert ("Giao thông", 2) in lib.fields() and lib.categories() == [("leaflet", 1)]
    assert ("Đất đai", 2) in lib.fields()  # one law and the leaflet: what the shelf lists
    assert lib.suggest("luật đ")[0][0] == "31-2024-qh15"
    assert lib.info["content_date"] == "2026-11-01" and lib.info["counts"]["documents"] == 5


@pytest.mark.parametrize(
    ("open_it", "said"),
    [
        (lambda lib: lib.publication("gone"), "Ấn phẩm này không còn trong thư viện."),
        (lambda lib: lib.qa_entry("gone"), "Câu hỏi – trả lời này không còn trong thư viện."),
        (lambda lib: lib.contest("gone"), "Cuộc thi này không còn trong thư viện."),
        (lambda lib: lib.file_path("gone.pdf"), "Không tìm thấy tệp này trong thư viện."),
        (lambda lib: lib.document("gone"), "Không tìm thấy văn bản này trong thư viện."),
    ],
)
def test_an_item_a_sync_removed_is_named_not_the_library(lib, open_it, said) -> None:  # noqa: ANN001
    """A resident opening what a newer release no longer holds (a bookmark, a playlist) is
    told that item is gone, not that the kiosk has no library."""
    with pytest.raises(LibraryNotFound) as err:
        open_it(lib)
    assert err.value.message_vi == said


def test_file_path_refuses_escape(lib) -> None:  # noqa: ANN001
    assert lib.file_path("media/poster.png").is_file()
    for bad in ("../content.sqlite", "/etc/passwd", "nope.pdf"):
        with pytest.raises(LibraryNotFound):
            lib.file_path(bad)


def test_library_is_read_only(lib) -> None:  # noqa: ANN001
    import sqlite3

    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        lib.db.execute("DELETE FROM documents")


def test_document_view_is_frozen_and_typed(lib) -> None:  # noqa: ANN001
    from dataclasses import FrozenInstanceError

    from offline_index.document_view import DocumentView, RelationView, TextNode

    doc = lib.document("100-2019-nd-cp")
    assert isinstance(doc, DocumentView) and isinstance(doc.tree[0], TextNode)
    assert all(isinstance(r, RelationView) for r in doc.relations)
    with pytest.raises(FrozenInstanceError):
        doc.title = "x"  # type: ignore[misc]
    assert [d.id for d in lib.documents() if d.id == doc.id] == [doc.id]


def test_a_library_built_before_notice_citations_reads_none() -> None:
    """A kiosk keeps its last good library across an update of the program: a notices table
    without the column (built before migration 0008) reads as notices citing nothing."""
    conn = sqlite3.connect(":memory:")
    conn.row_factory = sqlite3.Row
    conn.execute("CREATE TABLE notices (id, type, title, body, date, place, phone, address, hours)")
    conn.execute("INSERT INTO notices VALUES ('n', 'news', 'Tin', '', NULL, '', '', '', '')")
    notice = lr.notice(conn.execute("SELECT * FROM notices").fetchone())
    assert (notice.title, notice.citations) == ("Tin", [])
