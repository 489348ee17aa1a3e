"""The parts of a law an article sits in, as a search result and the reader's contents name
them: from its Phần or Chương down, headings printed in capitals in sentence case."""

from __future__ import annotations

from pathlib import Path

import pytest

from offline_index.document_view import part_path, readable_title
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
