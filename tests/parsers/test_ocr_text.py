"""Text read by OCR reaches the structure parser with letters a law never uses."""

from __future__ import annotations

from offline_index.parsers import parse_text

TEXT = """LUẬT
Số: 10/2020/QH14
Quốc hội ban hành Luật thử.
Điều 1. Phạm vi
1. Khoản một gồm:
a) điểm a;
f) một dòng OCR đọc sai thành chữ f;
b) điểm b.
"""


def test_a_point_letter_outside_the_vietnamese_alphabet_is_text_not_a_crash() -> None:
    doc = parse_text(TEXT, "scan.pdf")
    clause = doc.articles()[0].children[0]
    assert [p.number for p in clause.children] == ["a", "b"]
    assert "f) một dòng" in clause.children[0].text
