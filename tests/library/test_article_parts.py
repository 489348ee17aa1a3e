"""The parts of a law an article sits in, as a search result and the reader's contents name
them: from its Phần or Chương down, headings printed in capitals in sentence case."""

from __future__ import annotations

from pathlib import Path

import pytest

from offline_index.document_view import part_path, readable_title, where_line
from offline_index.library import Library


@pytest.mark.parametrize(
    ("title", "readable"),
    [
        ("BẢO HIỂM XÃ HỘI TỰ NGUYỆN", "Bảo hiểm xã hội tự nguyện"),
        (
            "QUYỀN VÀ NGHĨA VỤ CỦA ỦY BAN NHÂN DÂN CẤP XÃ",
            "Quyền và nghĩa vụ của Ủy ban nhân dân cấp xã",
        ),
        (
            "NHÀ NƯỚC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Nhà nước Cộng hòa xã hội chủ nghĩa Việt Nam",
        ),
        ("PHÒNG, CHỐNG HIV/AIDS TRONG CỘNG ĐỒNG", "Phòng, chống HIV/AIDS trong cộng đồng"),
        ("ĐẦU TƯ THEO PHƯƠNG THỨC PPP", "Đầu tư theo phương thức PPP"),  # abbreviations kept
        ("GIẤY PHÉP LÁI XE HẠNG A1", "Giấy phép lái xe hạng A1"),
        ("Quy định chung", "Quy định chung"),  # not in capitals: as printed
        ("", ""),
    ],
)
def test_a_heading_in_capitals_reads_in_sentence_case(title: str, readable: str) -> None:
    assert readable_title(title) == readable


def test_where_line_cuts_a_decrees_long_title_and_headings_at_a_word() -> None:
    decree = (
        "Nghị định quy định xử phạt vi phạm hành chính về trật tự, an toàn giao thông trong "
        "lĩnh vực giao thông đường bộ; trừ điểm, phục hồi điểm giấy phép lái xe"
    )
    chuong = "Chương II. Hành vi vi phạm, hình thức, mức xử phạt, mức trừ điểm giấy phép lái xe"
    line = where_line(decree, f"{chuong} · Mục 1. Vi phạm quy tắc giao thông đường bộ")
    law, part, section = line.split(" · ")
    assert law.endswith("…") and len(law) <= 90 and decree.startswith(law[:-1])
    assert part == "Chương II. Hành vi vi phạm, hình thức, mức xử…"  # 48 at most, at a word
    assert section == "Mục 1. Vi phạm quy tắc giao thông đường bộ"  # short: whole
    assert where_line("Luật Hộ tịch", "") == "Luật Hộ tịch"  # no part: the document alone


def test_the_path_starts_at_the_innermost_phan_or_chuong() -> None:
    chuong = ("chuong", "IV", "BẢO HIỂM XÃ HỘI TỰ NGUYỆN")
    muc = ("muc", "2", "CHẾ ĐỘ TỬ TUẤT")
    assert (
        part_path([chuong, muc]) == "Chương IV. Bảo hiểm xã hội tự nguyện · Mục 2. Chế độ tử tuất"
    )
    assert part_path([("phan", "thứ nhất", "CHUNG"), chuong]).startswith("Chương IV.")
    assert part_path([("phan", "II", None), muc]) == "Phần II · Mục 2. Chế độ tử tuất"
    assert part_path([]) == ""


def test_a_search_names_the_regime_an_article_belongs_to(demo_library: Path) -> None:
    """`trợ cấp tuất` is paid under the compulsory and the voluntary regime alike."""
    with Library.open(demo_library) as lib:
        hits = {
            h.article: h.part for h in lib.search("trợ cấp tuất").hits if h.hit_type == "article"
        }
        assert hits["81"] == "Chương IV. Bảo hiểm xã hội tự nguyện · Mục 2. Chế độ tử tuất"
        assert hits["69"].startswith("Chương III. Bảo hiểm xã hội bắt buộc · Mục 5.")
        assert lib.article_part("58-2014-qh13", "1") == "Chương I. Những quy định chung"
        assert lib.article_part("58-2014-qh13", "9999") == ""


def test_a_damaged_tree_cannot_hang_a_search(tmp_path: Path) -> None:
    """A parent loop in the nodes table: the walk up stops, the search answers."""
    import sqlite3

    from offline_index.build import build_generation

    from .library_content import content_source

    law = {"number": "68/2020/QH14", "kind": "Luật", "title": "Luật Cư trú",
           "body": [{"level": "chuong", "number": "I", "title": "NHỮNG QUY ĐỊNH CHUNG",
                     "children": [{"level": "dieu", "number": "1", "title": "Phạm vi điều chỉnh",
                                   "text": "Luật này quy định về việc thực hiện quyền tự do cư trú."}]}]}  # fmt: skip
    gen = tmp_path / "gen"
    build_generation([content_source(tmp_path, "src", [law])], gen)
    with Library.open(gen) as lib:
        assert lib.article_part("68-2020-qh14", "1") == "Chương I. Những quy định chung"
    with sqlite3.connect(gen / "content.sqlite") as conn:
        chuong = conn.execute("SELECT id FROM nodes WHERE level = 'chuong'").fetchone()[0]
        dieu = conn.execute("SELECT id FROM nodes WHERE level = 'dieu'").fetchone()[0]
        conn.execute("UPDATE nodes SET parent_id = ? WHERE id = ?", (dieu, chuong))
    with Library.open(gen) as lib:
        assert lib.article_part("68-2020-qh14", "1").startswith("Chương I.")
        assert lib.search("tự do cư trú").hits[0].part.startswith("Chương I.")
