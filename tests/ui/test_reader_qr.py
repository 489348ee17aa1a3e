"""The reader's QR code leads to the official source and says exactly what it opens."""

from __future__ import annotations

import pytest

from tests.ui.conftest import doc_view
from ui.tools import official_link, official_site

COMMERCIAL = "https://thuvienphapluat.vn/van-ban/Quyen-dan-su/Luat-Hon-nhan-2014-238640.aspx"


@pytest.mark.parametrize(
    ("url", "official"),
    [
        ("https://vbpl.vn/TW/Pages/vbpq-toanvan.aspx?ItemID=36865", True),
        ("http://anle.toaan.gov.vn/webcenter/ShowProperty?nodeId=X", True),
        ("https://congbao.chinhphu.vn/van-ban/1", True),
        ("https://hanoi.gov.vn/x", True),
        (COMMERCIAL, False),
        ("https://gov.vn.example.com/x", False),
        ("https://notvbpl.vn/x", False),
        ("ftp://vbpl.vn/x", False),
        ("", False),
    ],
)
def test_official_sites(url: str, official: bool) -> None:
    assert (official_site(url) is not None) == official


def test_commercial_source_becomes_the_official_search() -> None:
    doc = doc_view(number="52/2014/QH13", scope="central", kind="Luật", source_url=COMMERCIAL)
    link = official_link(doc)
    assert link is not None and link.url.startswith("https://vbpl.vn/TW/Pages/vbpq-timkiem.aspx?")
    assert link.url.endswith("Keyword=52/2014/QH13") and "thuvienphapluat" not in link.url
    assert "52/2014/QH13" in link.caption and "vbpl.vn" in link.caption
    hanoi = official_link(doc_view(number="12/2024/QĐ-UBND", scope="hanoi", kind="Quyết định"))
    assert hanoi is not None and "/hanoi/Pages/" in hanoi.url and "Q%C4%90-UBND" in hanoi.url


def test_official_source_is_kept_and_named() -> None:
    url = "https://anle.toaan.gov.vn/webcenter/ShowProperty?nodeId=%2FUCMServer%2FTAND165081"
    link = official_link(doc_view(number="43/2021/AL", kind="Án lệ", source_url=url))
    assert link is not None and link.url == url
    assert "Tòa án nhân dân tối cao" in link.caption and "anle.toaan.gov.vn" in link.caption


@pytest.mark.parametrize(
    "doc",
    [
        {"number": "12/TB-UBND", "scope": "local", "kind": "Thông báo", "source_url": COMMERCIAL},
        {"number": "99/2020/AL", "scope": "central", "kind": "Án lệ", "source_url": COMMERCIAL},
        {"number": "", "scope": "central", "kind": "Luật"},
    ],
)
def test_no_official_source_no_qr(doc: dict[str, str]) -> None:
    assert (
        official_link(doc_view(**doc)) is None
    )  # never a commercial page, never labelled official


def test_reader_qr_opens_the_official_source(make_shell, qtbot) -> None:  # noqa: ANN001
    from offline_index.model import doc_id_for
    from ui.qt import Qt

    shell = make_shell()
    reader = shell.navigate("reader", doc_id=doc_id_for("52/2014/QH13"), article="51")
    qtbot.waitUntil(lambda: bool(reader.outline.sections), timeout=10000)
    assert "thuvienphapluat" in reader.doc.source_url  # the demo's commercial link
    qtbot.mouseClick(reader.qr_button, Qt.MouseButton.LeftButton)
    assert reader.pages.currentWidget() is reader.qr_page
    assert reader.qr_text.text().startswith("https://vbpl.vn/TW/Pages/vbpq-timkiem.aspx?")
    assert reader.qr_text.text().endswith("52/2014/QH13")
    assert "52/2014/QH13" in reader.qr_caption.text()
    assert "chính thức" in reader.qr_caption.text()


def test_qr_code_is_never_cut(make_shell, qtbot) -> None:  # noqa: ANN001
    """Drawn whole (quiet zone included) at every text size, or it does not scan."""
    from offline_index.model import doc_id_for
    from ui.qt import Qt

    shell = make_shell(text_size="xlarge")
    shell.resize(1920, 1080)
    shell.show()
    reader = shell.navigate("reader", doc_id=doc_id_for("52/2014/QH13"), article="51")
    qtbot.waitUntil(lambda: bool(reader.outline.sections), timeout=10000)
    qtbot.mouseClick(reader.qr_button, Qt.MouseButton.LeftButton)
    qtbot.wait(50)
    pix = reader.qr.pixmap()
    assert not pix.isNull() and pix.width() >= 200
    assert pix.height() <= reader.qr.height() and pix.width() <= reader.qr.width()
