"""Bad and hostile raw files: a clear ContentError naming the file and the reason, never a hang."""

from __future__ import annotations

import struct
import time
import unicodedata
import zipfile
import zlib
from pathlib import Path

import pytest

from offline_index.errors import ContentError
from offline_index.parsers import parse_file, parse_folder, parse_text

LAW = (
    "QUỐC HỘI\nSố: 12/2020/QH14\nHà Nội, ngày 01 tháng 7 năm 2020\nLUẬT\nTHỬ NGHIỆM\n"
    "Quốc hội ban hành Luật Thử nghiệm.\nChương I\nQUY ĐỊNH CHUNG\n"
    "Điều 1. Phạm vi điều chỉnh\nLuật này quy định việc thử.\n"
    "Điều 2. Đối tượng áp dụng\n1. Người thử.\n2. Người được thử:\na) Trẻ em;\nb) Người già.\n"
)


def _cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: base letters precomposed, tones combining."""
    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            tones = "".join(c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
            out.append((base + tones).encode("cp1258"))
    return b"".join(out)


def _error(path: Path) -> ContentError:
    with pytest.raises(ContentError) as info:
        parse_file(path)
    assert str(path) in str(info.value)
    return info.value


def test_cp1258_text_is_read(tmp_path: Path) -> None:
    path = tmp_path / "luat.txt"
    path.write_bytes(_cp1258(LAW))
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    doc = parse_file(path)
    assert (doc.number, doc.title, len(doc.articles())) == ("12/2020/QH14", "Luật Thử nghiệm", 2)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_unicode_encodings(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "luat.txt"
    path.write_bytes(LAW.encode(encoding))
    doc = parse_file(path)
    assert doc.articles()[1].children[1].children[1].text == "Người già."


def test_undecodable_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "rac.txt"
    path.write_bytes(bytes(range(256)) * 40)
    assert "cannot decode" in _error(path).reason


def test_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert "empty" in _error(path).reason


def test_text_without_number_is_refused() -> None:
    with pytest.raises(ContentError, match="no official number"):
        parse_text("Một đoạn văn bình thường, không phải văn bản pháp luật.", "note.txt")


def test_unsupported_suffix(tmp_path: Path) -> None:
    path = tmp_path / "luat.odt"
    path.write_bytes(b"x")
    assert "unsupported" in _error(path).reason


def _docx(path: Path, xml: bytes) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", xml)


def test_docx_zip_bomb_is_refused_quickly(tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    _docx(path, b"<w:t>" + b"A" * 20_000_000 + b"</w:t>")  # ~20 KB on disk, 20 MB inside
    assert path.stat().st_size < 1_000_000
    started = time.monotonic()
    assert "zip bomb" in _error(path).reason
    assert time.monotonic() - started < 2


def test_docx_lying_about_its_size_is_refused(tmp_path: Path) -> None:
    """The central directory says 1 KB; the stream inflates to 5 MB."""
    path = tmp_path / "liar.docx"
    _docx(path, b"<w:t>" + b"B" * 5_000_000 + b"</w:t>")
    data = bytearray(path.read_bytes())
    cd = data.rfind(b"PK\x01\x02")
    data[cd + 24 : cd + 28] = struct.pack("<I", 1024)  # uncompressed size in the directory
    path.write_bytes(bytes(data))
    reason = _error(path).reason
    assert "zip bomb" in reason or "broken DOCX" in reason


def test_docx_that_is_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "fake.docx"
    path.write_bytes(b"not a zip at all")
    assert "not a DOCX" in _error(path).reason


def test_docx_without_document_xml(tmp_path: Path) -> None:
    path = tmp_path / "other.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("hello.txt", "hi")
    assert "document.xml is missing" in _error(path).reason


def test_docx_billion_laughs_is_inert(tmp_path: Path) -> None:
    """No XML parser runs, so entity definitions are never expanded."""
    path = tmp_path / "laughs.docx"
    entities = "".join(f'<!ENTITY l{i} "&l{i - 1};&l{i - 1};">' for i in range(1, 30))
    xml = f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY l0 "ha">{entities}]><w:p><w:t>&l29;</w:t></w:p>'
    _docx(path, xml.encode())
    started = time.monotonic()
    with pytest.raises(ContentError):
        parse_file(path)
    assert time.monotonic() - started < 2


def test_real_docx_made_here_parses(tmp_path: Path) -> None:
    path = tmp_path / "law.docx"
    paras = "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in LAW.splitlines())
    _docx(path, f"<w:document><w:body>{paras}</w:body></w:document>".encode())
    assert len(parse_file(path).articles()) == 2


def _real_pdf(shared_data: Path) -> bytes:
    return (shared_data / "documents/an_le_so_432021AL.pdf").read_bytes()


def test_truncated_pdf_is_refused_or_partial(shared_data: Path, tmp_path: Path) -> None:
    path = tmp_path / "cut.pdf"
    path.write_bytes(_real_pdf(shared_data)[:2000])
    reason = _error(path).reason
    assert "PDF" in reason


def test_garbage_pdf_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "garbage.pdf"
    path.write_bytes(b"%PDF-1.7\n" + zlib.compress(b"garbage") * 50)
    assert "PDF" in _error(path).reason


def test_pdf_without_text_is_refused(tmp_path: Path) -> None:
    import pymupdf

    path = tmp_path / "scan.pdf"
    with pymupdf.open() as pdf:
        pdf.new_page()
        pdf.save(path)
    assert "no text layer" in _error(path).reason


def test_folder_goes_on_past_bad_files(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(LAW, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 nothing")
    (tmp_path / "other.txt.meta.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "other.txt").write_text(LAW.replace("12/2020", "13/2020"), encoding="utf-8")
    docs, skipped = parse_folder(tmp_path)
    assert [d.number for d in docs] == ["12/2020/QH14"]
    assert sorted(Path(e.path).name for e in skipped) == [
        "broken.pdf",
        "empty.txt",
        "other.txt.meta.json",
    ]


def test_sidecar_overrides_and_is_validated(tmp_path: Path) -> None:
    (tmp_path / "law.txt").write_text(LAW, encoding="utf-8")
    meta = {
        "validity": "not_in_force",
        "scope": "hanoi",
        "relations": [{"type": "replaced_by", "target": "99/2025/QH15"}],
    }
    (tmp_path / "law.txt.meta.json").write_text(__import__("json").dumps(meta), encoding="utf-8")
    (tmp_path / "bad.txt").write_text(LAW.replace("12/2020", "14/2020"), encoding="utf-8")
    (tmp_path / "bad.txt.meta.json").write_text('{"validity": "maybe"}', encoding="utf-8")
    docs, skipped = parse_folder(tmp_path)
    assert [(d.validity, d.scope, d.relations[0].target) for d in docs] == [
        ("not_in_force", "hanoi", "99/2025/QH15")
    ]
    assert [e.field for e in skipped] == ["validity"]


def test_html_in_windows_1258(tmp_path: Path) -> None:
    body = "".join(f"<p>{line}</p>" for line in LAW.splitlines())
    page = f'<html><head><meta charset="windows-1258"><title>x</title></head><body>{body}</body></html>'
    path = tmp_path / "law.htm"
    path.write_bytes(_cp1258(page))
    doc = parse_file(path)
    assert (doc.number, doc.title, len(doc.articles())) == ("12/2020/QH14", "Luật Thử nghiệm", 2)


def test_wrapped_sentence_is_not_a_chapter() -> None:
    text = LAW + "3. Áp dụng theo quy định tại\nChương XX của Bộ luật Dân sự.\n4. Khác.\n"
    art = parse_text(text, "law.txt").articles()[1]
    assert [c.number for c in art.children] == ["1", "2", "3", "4"]
