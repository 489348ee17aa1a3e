"""The reader says what the texts say about a text's force, and opens the text that says it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from offline_index.build import build_generation

DN = ("Luat-Doanh-nghiep-2014-259730.txt", "Luat-Doanh-nghiep-so-59-2020-QH14-427301.txt")


def _open(shell, qtbot, doc_id: str, article: str):  # noqa: ANN001, ANN202
    reader = shell.navigate("reader", doc_id=doc_id, article=article)
    qtbot.waitUntil(lambda: bool(reader.outline.sections), timeout=10000)
    return reader


def _tap_opens(shell, qtbot, reader, doc_id: str, article: str) -> None:  # noqa: ANN001
    reader.replacement.click()
    qtbot.waitUntil(lambda: shell.current is not reader, timeout=5000)
    opened = shell.current
    qtbot.waitUntil(lambda: bool(opened.outline.sections), timeout=10000)
    assert (opened.doc_id, opened.current_key()) == (doc_id, article)


@pytest.fixture(scope="module")
def dn_library(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Path:
    raw = tmp_path_factory.mktemp("dn-raw")
    for name in DN:
        shutil.copy(shared_data / "laws" / "uts_vlc" / name, raw / name)
    out = tmp_path_factory.mktemp("dn-lib") / "gen-dn"
    build_generation([raw], out)
    return out


def test_a_law_repealed_by_a_law_in_the_library(make_shell, qtbot, dn_library: Path) -> None:  # noqa: ANN001
    shell = make_shell(library=dn_library)
    reader = _open(shell, qtbot, "68-2014-qh13", "1")
    assert reader.banner.isVisible()
    assert reader.banner.text() == (
        "⚠ Hết hiệu lực từ 01/01/2021, theo Khoản 2 Điều 217 Luật Doanh nghiệp 59/2020/QH14."
    )
    assert reader.source_line.isVisible() and reader.source_line.text().endswith(
        "“Luật Doanh nghiệp số 68/2014/QH13 hết hiệu lực kể từ ngày Luật này có hiệu lực thi hành.”"
    )
    assert reader.findChild(object, "not_advice").isVisible()  # the standing notice stays
    assert reader.replacement.text() == "Mở Điều 217 Luật Doanh nghiệp 59/2020/QH14"
    assert reader.replacement.height() >= reader.theme.target  # a touch target
    _tap_opens(shell, qtbot, reader, "59-2020-qh14", "217")


def test_an_article_repealed_by_a_newer_decree(make_shell, qtbot) -> None:  # noqa: ANN001
    shell = make_shell()  # the demo library: 100/2019 and 168/2024
    reader = _open(shell, qtbot, "100-2019-nd-cp", "6")
    assert "theo Điều 52 Nghị định 168/2024/NĐ-CP" in reader.banner.text()
    html = reader.text.toPlainText()
    assert (
        "Điều này hết hiệu lực từ 01/01/2025, theo Điểm d Khoản 8 Điều 52 Nghị định 168/2024/NĐ-CP."
        in html
    )
    assert reader.replacement.text() == "Mở Điều 52 Nghị định 168/2024/NĐ-CP"
    reader.next()  # Điều 7 is repealed by the same point
    assert "Điểm d Khoản 8 Điều 52" in reader.text.toPlainText()
    _tap_opens(shell, qtbot, reader, "168-2024-nd-cp", "52")


def test_an_article_in_force_has_no_note(make_shell, qtbot) -> None:  # noqa: ANN001
    shell = make_shell()
    reader = _open(shell, qtbot, "168-2024-nd-cp", "7")
    assert not reader.banner.isVisible() and not reader.replacement.isVisible()
    assert "hết hiệu lực từ" not in reader.text.toPlainText()


def test_an_article_the_partial_repeal_does_not_name_says_it_applies(make_shell, qtbot) -> None:  # noqa: ANN001
    shell = make_shell()  # Điều 52 of 168/2024 repeals 100/2019's road articles, not rail
    reader = _open(shell, qtbot, "100-2019-nd-cp", "63")
    assert "Hết hiệu lực một phần" in reader.banner.text()  # the text as a whole
    assert "Điều này còn hiệu lực." in reader.text.toPlainText()  # this article
    html = reader.text.toHtml()
    assert "✓ Điều này còn hiệu lực." in reader.text.toPlainText()  # calm, not a warning
    assert "⚠ Điều này còn hiệu lực" not in reader.text.toPlainText()
    assert reader.theme.colors.ok.lower() in html.lower()
    reader.previous()  # Điều 62: also railway staff, also in force
    assert "Điều này còn hiệu lực." in reader.text.toPlainText()
    reader.show_section(reader.outline.index_of("74"))  # some of its points repealed
    text = reader.text.toPlainText()
    assert "Một phần Điều này hết hiệu lực" in text and "Điều này còn hiệu lực." not in text
