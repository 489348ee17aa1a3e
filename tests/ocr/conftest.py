"""Scans made at test time from real documents (nothing generated is committed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from offline_index.ocr.engine import tesseract_languages

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
PRECEDENT = DATA / "documents" / "an_le_so_432021AL.pdf"

needs_tesseract = pytest.mark.skipif(
    not {"vie", "osd"} <= tesseract_languages(),
    reason="tesseract-ocr with tesseract-ocr-vie is not installed (installer/dev.sh installs it)",
)

# A short decree as its first page looks: header, one chapter, three articles.
DECREE = [
    "CHÍNH PHỦ",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Số: 21/2021/NĐ-CP",
    "Hà Nội, ngày 19 tháng 3 năm 2021",
    "NGHỊ ĐỊNH",
    "QUY ĐỊNH THI HÀNH BỘ LUẬT DÂN SỰ VỀ BẢO ĐẢM THỰC HIỆN NGHĨA VỤ",
    "Chính phủ ban hành Nghị định quy định thi hành Bộ luật Dân sự về bảo đảm thực hiện nghĩa vụ.",
    "Chương I",
    "QUY ĐỊNH CHUNG",
    "Điều 1. Phạm vi điều chỉnh",
    "Nghị định này quy định về việc xác lập, thực hiện biện pháp bảo đảm thực hiện nghĩa vụ "
    "và xử lý tài sản bảo đảm.",
    "Điều 2. Đối tượng áp dụng",
    "1. Cơ quan, tổ chức, cá nhân tham gia giao dịch bảo đảm.",
    "2. Cơ quan nhà nước có thẩm quyền đăng ký biện pháp bảo đảm.",
    "Điều 3. Quyền của bên nhận bảo đảm",
    "Bên nhận bảo đảm có quyền yêu cầu bên bảo đảm giao tài sản bảo đảm để xử lý "
    "khi đến hạn thực hiện nghĩa vụ mà bên có nghĩa vụ không thực hiện.",
]


@pytest.fixture(scope="session")
def scans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Image-only PDFs: a precedent page (clean 300 dpi, and upside down), a one-page decree
    (cheap scanner, 300 dpi), a blank sheet and a photo."""
    from offline_index.ocr.synthetic import Scanner, blank_pdf, image_pdf, photo_pdf, typeset

    out = tmp_path_factory.mktemp("scans")
    decree_text = typeset(DECREE, out / "decree-text.pdf")
    return {
        "precedent": image_pdf(PRECEDENT, out / "precedent.pdf", Scanner(300), pages=[1]),
        "upside_down": image_pdf(
            PRECEDENT, out / "upside-down.pdf", Scanner(300), pages=[1], rotate=180
        ),
        "decree": image_pdf(decree_text, out / "decree.pdf", Scanner(300, cheap=True, seed=2)),
        "blank": blank_pdf(out / "blank.pdf"),
        "photo": photo_pdf(out / "photo.pdf"),
    }


def reference(page: int = 1) -> str:
    import pymupdf

    with pymupdf.open(PRECEDENT) as doc:
        return doc[page].get_text()
