"""Hand-checked trees and metadata for laws of different shapes.

Every expected figure below was established on the raw file (NFC copy) with grep, e.g.
    grep -cE '^(Chương|CHƯƠNG) ' f ; grep -cE '^Điều [0-9]+[a-z]?[.:]' f
    grep -cE '^[0-9]{1,3}\\.([^0-9]|$)' f ; grep -cE '^[a-zđ]\\)' f
and the header/closing lines read with head/tail; where grep and the structure differ the
comment says what the line is. The decrees' HTML was flattened to one line per <p>/<br>/<td>
with sed-like regexes (not our parser) before grepping.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from offline_index.model import Document
from offline_index.parsers import parse_file

LEVELS = ("phan", "chuong", "muc", "dieu", "khoan", "diem")

# file: (phần, chương, mục, điều, khoản, điểm), {metadata}
EXPECTED: dict[str, tuple[tuple[int, ...], dict[str, str | None]]] = {
    # Ordinary modern law: Chương, no Mục.
    "uts_vlc/Luat-68-2020-QH14-cu-tru-435315.txt": (
        (0, 7, 0, 38, 151, 107),
        {
            "number": "68/2020/QH14",
            "kind": "Luật",
            "title": "Luật Cư trú",
            "issuer": "Quốc hội",
            "issued": "2020-11-13",
            "signer": "Nguyễn Thị Kim Ngân",
            "effective": "2021-07-01",
        },
    ),
    # Very long code with Phần, Chương and Mục; "Luật số:" although it is a Bộ luật.
    "uts_vlc/Bo-luat-dan-su-2015-296215.txt": (
        (6, 27, 39, 689, 1418, 312),
        {
            "number": "91/2015/QH13",
            "kind": "Bộ luật",
            "title": "Bộ luật dân sự",
            "issuer": "Quốc hội",
            "issued": "2015-11-24",
            "signer": "Nguyễn Sinh Hùng",
            "effective": "2017-01-01",
        },
    ),
    # Long code; grep finds 425 "Điều N." plus "Ðiều 317." written with U+00D0 (eth) = 426.
    "uts_vlc/Bo-luat-hinh-su-2015-296661.txt": (
        (3, 26, 16, 426, 1397, 2936),
        {
            "number": "100/2015/QH13",
            "kind": "Bộ luật",
            "title": "Bộ luật hình sự",
            "issuer": "Quốc hội",
            "issued": "2015-11-27",
            "signer": "Nguyễn Sinh Hùng",
        },
    ),
    # 1989 law, old number style; 54 "Điều N." plus bare "Điều 32" with its title on the next line.
    "uts_vlc/Luat-Bao-ve-suc-khoe-nhan-dan-1989-21-LCT-HDNN8-37690.txt": (
        (0, 11, 0, 55, 0, 0),
        {
            "number": "21-LCT/HĐNN8",
            "kind": "Luật",
            "title": "Luật Bảo vệ sức khoẻ nhân dân",
            "issuer": "Quốc hội",
            "issued": "1989-06-30",
            "signer": "Võ Chí Công",
        },
    ),
    # 1957 law promulgated by decree of the President; no chapters, "Điều N." alone on its line.
    "uts_vlc/Luat-quyen-lap-hoi-1957-102-SL-L-004-36792.txt": (
        (0, 0, 0, 12, 0, 0),
        {
            "number": "102-SL/L-004",
            "kind": "Luật",
            "title": "Luật Quy định quyền lập hội",
            "issuer": "Chủ tịch nước",
            "issued": "1957-05-20",
            "signer": "Hồ Chí Minh",
        },
    ),
    # No header at all; 41 bare "Điều N" lines. Number only in the file name, date in the closing.
    "uts_vlc/Luat-Bien-gioi-Quoc-gia-2003-06-2003-QH11-51044.txt": (
        (0, 6, 0, 41, 64, 2),
        {
            "number": "06/2003/QH11",
            "kind": "Luật",
            "issuer": "Quốc hội",
            "issued": "2003-06-17",
            "signer": "Nguyễn Văn An",
        },
    ),
    # Chương + Mục, family law.
    "uts_vlc/Luat-Hon-nhan-va-gia-dinh-2014-238640.txt": (
        (0, 9, 7, 133, 294, 80),
        {
            "number": "52/2014/QH13",
            "kind": "Luật",
            "title": "Luật hôn nhân và gia đình",
            "issuer": "Quốc hội",
            "issued": "2014-06-19",
            "signer": "Nguyễn Sinh Hùng",
            "effective": "2015-01-01",
        },
    ),
    # Land law 2013: many Mục and điểm.
    "uts_vlc/Luat-dat-dai-2013-215836.txt": (
        (0, 14, 23, 212, 782, 609),
        {
            "number": "45/2013/QH13",
            "kind": "Luật",
            "title": "Luật đất đai",
            "issuer": "Quốc hội",
            "issued": "2013-11-29",
            "signer": "Nguyễn Sinh Hùng",
            "effective": "2014-07-01",
        },
    ),
    # 72 "Điều N." + 7 "Điều N Title" without the full stop; article 49 has "1 ", "2 " then "3.".
    "uts_vlc/Luat-cong-nghe-thong-tin-2006-67-2006-QH11-12987.txt": (
        (0, 6, 12, 79, 255, 120),
        {
            "number": "67/2006/QH11",
            "kind": "Luật",
            "title": "Luật Công nghệ thông tin",
            "issuer": "Quốc hội",
            "issued": "2006-06-29",
            "signer": "Nguyễn Phú Trọng",
        },
    ),
    # Article titles that start with a quotation mark: Điều 34. “Huân chương Sao vàng”.
    "uts_vlc/Luat-Thi-dua-Khen-thuong-2022-418232.txt": (
        (0, 8, 7, 96, 319, 328),
        {
            "number": "06/2022/QH15",
            "kind": "Luật",
            "title": "Luật Thi đua, khen thưởng",
            "issuer": "Quốc hội",
            "issued": "2022-06-15",
            "signer": "Vương Đình Huệ",
        },
    ),
    # Decrees as HTML ("Điều" and "1." on different source lines inside one <p>).
    "nd168_2024.html": (
        (0, 4, 8, 55, 332, 910),
        {
            "number": "168/2024/NĐ-CP",
            "kind": "Nghị định",
            "issuer": "Chính phủ",
            "issued": "2024-12-26",
            "signer": "Trần Hồng Hà",
            "effective": "2025-01-01",
            "title": "Nghị định quy định xử phạt vi phạm hành chính về trật tự, an toàn giao thông "
            "trong lĩnh vực giao thông đường bộ; trừ điểm, phục hồi điểm giấy phép lái xe",
        },
    ),
    "nd100_2019.html": (
        (0, 5, 14, 86, 442, 1354),
        {
            "number": "100/2019/NĐ-CP",
            "kind": "Nghị định",
            "issuer": "Chính phủ",
            "issued": "2019-12-30",
            "signer": "Nguyễn Xuân Phúc",
            "effective": "2020-01-01",
            "title": "Nghị định quy định xử phạt vi phạm hành chính trong lĩnh vực giao thông "
            "đường bộ và đường sắt",
        },
    ),
}


def _counts(doc: Document) -> tuple[int, ...]:
    nodes = [n for top in doc.body for n in top.walk()]
    return tuple(sum(1 for n in nodes if n.level == level) for level in LEVELS)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_tree_and_metadata(shared_data: Path, name: str) -> None:
    counts, meta = EXPECTED[name]
    doc = parse_file(shared_data / "laws" / name)
    assert dict(zip(LEVELS, _counts(doc), strict=True)) == dict(zip(LEVELS, counts, strict=True))
    assert {k: getattr(doc, k) for k in meta} == meta


def test_article_numbers_follow_the_text(shared_data: Path) -> None:
    doc = parse_file(shared_data / "laws/uts_vlc/Luat-68-2020-QH14-cu-tru-435315.txt")
    arts = doc.articles()
    assert [a.number for a in arts] == [str(i) for i in range(1, 39)]
    assert arts[0].title == "Phạm vi điều chỉnh"
    assert arts[1].title == "Giải thích từ ngữ"
    assert [c.number for c in arts[1].children][:3] == ["1", "2", "3"]
    chapter = doc.body[0]
    assert (chapter.level, chapter.number, chapter.title) == ("chuong", "I", "NHỮNG QUY ĐỊNH CHUNG")


def test_points_hang_under_their_clause(shared_data: Path) -> None:
    doc = parse_file(shared_data / "laws/nd168_2024.html")
    art7 = next(a for a in doc.articles() if a.number == "7")
    clause7 = next(c for c in art7.children if c.number == "7")
    point_c = next(p for p in clause7.children if p.number == "c")
    assert "đèn tín hiệu giao thông" in point_c.text
    assert "4.000.000 đồng đến 6.000.000 đồng" in clause7.text


def test_closing_formula_is_not_article_text(shared_data: Path) -> None:
    doc = parse_file(shared_data / "laws/uts_vlc/Luat-68-2020-QH14-cu-tru-435315.txt")
    last = doc.articles()[-1]
    assert "thông qua ngày" not in last.full_text()
    assert "CHỦ TỊCH QUỐC HỘI" not in last.full_text()
