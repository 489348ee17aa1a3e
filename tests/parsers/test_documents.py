"""DOCX and PDF files of data/documents against source_registry.json; PDF page texts kept."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from offline_index.corpus import fold, registry_entries
from offline_index.parsers import parse_file

FILES = [
    "an_le_so_262018AL.docx",
    "bo_luat_91_2015_QH13.docx",
    "nghi_dinh_03_2026_ND_CP.docx",
    "nghi_dinh_19_2019_ND_CP.docx",
    "nghi_dinh_21_2021_ND_CP.docx",
    "nghi_dinh_356_2025_ND_CP.docx",
    "nghi_dinh_99_2022_ND_CP.docx",
    "nghi_quyet_01_2019_NQ_HDTP.docx",
    "nghi_quyet_01_2020_NQ_HDTP.docx",
    "nghi_quyet_02_2022_NQ_HDTP.docx",
    "an_le_so_432021AL.pdf",
    "an_le_so_552022AL.pdf",
    "an_le_so_672023AL.pdf",
    "an_le_so_692023AL.pdf",
    "an_le_so_722024AL.pdf",
]


def _registry_title_stem(title: str, number: str) -> str:
    """`Bộ luật Dân sự 2015` -> `bo luat dan su`; `Nghị định 03/2026/NĐ-CP` -> `nghi dinh`."""
    stem = fold(title.replace(number, ""))
    return re.sub(r"\b(19|20)\d\d\b", "", stem).replace(" so ", " ").strip()


@pytest.mark.parametrize("name", FILES)
def test_number_and_title_match_the_registry(shared_data: Path, name: str) -> None:
    entry = registry_entries(shared_data)[re.sub(r"[^a-z0-9]", "", Path(name).stem.lower())]
    doc = parse_file(shared_data / "documents" / name)  # parsed alone, no registry help
    assert doc.number == entry["official_number"]
    assert fold(doc.title).startswith(_registry_title_stem(entry["document_title"], doc.number))
    assert len(doc.title) > len(doc.kind) + 5  # a real title, not a "<kind> <number>" stub


def test_registry_files_all_exist(shared_data: Path) -> None:
    registry = json.loads((shared_data / "documents/source_registry.json").read_text("utf-8"))
    stems = {re.sub(r"[^a-z0-9]", "", Path(f).stem.lower()) for f in FILES}
    assert {re.sub(r"[^a-z0-9]", "", e["doc_id"].lower()) for e in registry["documents"]} == stems


def test_docx_civil_code_has_all_articles(shared_data: Path) -> None:
    doc = parse_file(shared_data / "documents/bo_luat_91_2015_QH13.docx")
    assert (doc.kind, len(doc.articles())) == ("Bộ luật", 689)
    assert doc.articles()[622].number == "623"
    assert "thời hiệu" in doc.articles()[622].title.lower()


def test_docx_decree_metadata(shared_data: Path) -> None:
    doc = parse_file(shared_data / "documents/nghi_dinh_21_2021_ND_CP.docx")
    assert (doc.kind, doc.issuer, doc.issued, doc.signer) == (
        "Nghị định",
        "Chính phủ",
        "2021-03-19",
        "Nguyễn Xuân Phúc",
    )
    assert doc.title == "Nghị định quy định thi hành Bộ luật Dân sự về bảo đảm thực hiện nghĩa vụ"
    assert len(doc.articles()) == 62


def test_resolution_issuer_spans_two_lines(shared_data: Path) -> None:
    doc = parse_file(shared_data / "documents/nghi_quyet_01_2020_NQ_HDTP.docx")
    assert doc.issuer == "Hội đồng Thẩm phán Tòa án nhân dân tối cao"
    assert doc.issued == "2020-03-05"


def test_pdf_keeps_page_texts_and_has_no_false_articles(shared_data: Path) -> None:
    doc = parse_file(shared_data / "documents/an_le_so_552022AL.pdf")
    assert doc.kind == "Án lệ" and doc.number == "55/2022/AL"
    assert len(doc.pages) == 9
    assert "Tòa án" in doc.pages[0] or "TÒA ÁN" in doc.pages[0]
    assert doc.body == []  # "Điều 129." in a wrapped citation line is not an article of a precedent
    assert doc.title.startswith("Án lệ số 55/2022/AL về ")
