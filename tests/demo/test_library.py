"""A library built from the demo bookshelf lists it by category/field and searches its pages."""

from __future__ import annotations

from datetime import date


def test_categories_and_fields(pubs_library) -> None:  # noqa: ANN001
    cats = dict(pubs_library.categories())
    assert cats.keys() >= {
        "book",
        "handbook",
        "leaflet",
        "story",
        "outline",
        "video_skit",
        "video_lecture",
    }
    traffic = pubs_library.publications(field="Giao thông - Vận tải")
    assert {p.id for p in traffic} >= {"to-gap-muc-phat-giao-thong", "tieu-pham-den-do"}
    [handbook] = pubs_library.publications(category="handbook")
    assert handbook.id == "so-tay-cu-tru"
    dates = [p.published for p in pubs_library.publications()]
    assert dates == sorted(dates, reverse=True)  # newest first


def test_page_hits_point_to_pages(pubs_library) -> None:  # noqa: ANN001
    hits = pubs_library.search("đăng ký tạm trú gia hạn", limit=5).hits
    pub_hits = [h for h in hits if h.doc_id == "pub:so-tay-cu-tru"]
    assert pub_hits and pub_hits[0].hit_type == "page" and pub_hits[0].page
    pub = pubs_library.publication("so-tay-cu-tru")
    assert "tạm trú" in pub.pages[pub_hits[0].page - 1].lower()


def test_folded_query_finds_leaflet_and_video_transcript(pubs_library) -> None:  # noqa: ANN001
    hits = pubs_library.search("vuot den do xe may", limit=10).hits
    ids = {h.doc_id.removeprefix("pub:") for h in hits}
    assert {"to-gap-muc-phat-giao-thong", "tieu-pham-den-do"} <= ids
    assert pubs_library.search("thua ke the vi").hits[0].doc_id == "pub:chuyen-thua-ke-nha-ong-hai"


def test_media_loop_respects_campaign_windows(pubs_library) -> None:  # noqa: ANN001
    today = {m.id for m in pubs_library.media(on=date(2026, 11, 28))}
    assert "info-mu-bao-hiem-thang-9" not in today and "info-den-do" in today
    assert "info-mu-bao-hiem-thang-9" in {m.id for m in pubs_library.media(on=date(2026, 9, 15))}
    assert len(pubs_library.media(on=date(2027, 11, 28))) == len(today)
    for m in pubs_library.media():
        assert pubs_library.file_path(m.file).is_file()
