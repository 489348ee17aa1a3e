"""Every UI string has an English translation, and the switch really goes through Qt."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from ui.i18n.extract import UI_DIR, missing

# Areas owned by other helpers keep their own catalogue (<area>.en.json); each must be complete.
OTHER_AREAS = {
    "contest": "contest",
    "qa": "qa",
    "ask": "qa",
    "notices": "notices",
    "admin": "admin",
}


def _own_files() -> list[Path]:
    out = []
    for path in sorted(UI_DIR.rglob("*.py")):
        if path.parent.name == "screens" and path.stem.split("_")[0] in OTHER_AREAS:
            continue
        out.append(path)
    return out


def test_every_kiosk_string_has_english() -> None:
    assert missing(_own_files()) == []


@pytest.mark.parametrize("area", sorted(set(OTHER_AREAS.values())))
def test_other_areas_have_a_complete_catalogue(area: str) -> None:
    assert (UI_DIR / "i18n" / f"{area}.en.json").exists(), f"{area} has no English catalogue"
    files = [
        p
        for p in (UI_DIR / "screens").glob("*.py")
        if OTHER_AREAS.get(p.stem.split("_")[0]) == area
    ]
    assert missing(files) == []


def test_every_known_error_has_english() -> None:
    """A resident who switched to English reads a known error in English, not the log's
    wording: every fixed message_vi below ui/ has an entry, and the scan finds them all."""
    from ui.i18n.extract import error_files, error_literals, missing_errors

    found = {t for p in error_files() for t in error_literals(p)}
    assert "Ấn phẩm này không còn trong thư viện." in found  # given when raised
    assert "Mã PIN phải gồm 4 đến 12 chữ số." in found  # a class's own
    assert len(found) >= 60
    assert missing_errors() == []


def test_a_known_error_is_shown_in_the_ui_language(qapp) -> None:  # noqa: ANN001
    from offline_index.errors import LibraryNotFound
    from ui.i18n import error_message, set_language

    gone = LibraryNotFound("no publication 'x'", message_vi="Ấn phẩm này không còn trong thư viện.")
    article = LibraryNotFound("d has no article 9", message_vi="Văn bản không có Điều 9.")
    assert error_message(gone, "?") == "Ấn phẩm này không còn trong thư viện."
    assert error_message(ValueError("bug"), "Lỗi.") == "Lỗi."
    try:
        set_language("en")
        assert error_message(gone, "?") == "This publication is no longer in the library."
        assert error_message(article, "?") == "d has no article 9"  # built with values
    finally:
        set_language("vi")


def test_a_missing_file_is_named_in_english_on_its_screen(make_shell, qtbot) -> None:  # noqa: ANN001
    """The PDF screen for a file a newer release dropped says so in the resident's language."""
    from ui.i18n import set_language

    shell = make_shell()
    try:
        set_language("en")
        pdf = shell.navigate("pdf", file="files/gone.pdf", title="Gone")
        qtbot.waitUntil(lambda: "library" in pdf.status.text(), timeout=10000)
        assert pdf.status.text() == "This file is not in the library."
    finally:
        set_language("vi")


def test_translation_goes_through_qt(qapp) -> None:  # noqa: ANN001
    from ui.i18n import set_language, tr

    try:
        assert set_language("en") == "en"
        assert tr("Tra cứu pháp luật") == "Search the law"
        assert tr("chuỗi không có trong danh mục") == "chuỗi không có trong danh mục"
    finally:
        set_language("vi")
    assert tr("Tra cứu pháp luật") == "Tra cứu pháp luật"


def test_every_entry_is_served_by_a_translator_qt_runs_itself(qapp) -> None:  # noqa: ANN001
    """A translator written in Python froze the kiosk: the QML loader's thread asked it
    while loading the on-screen keyboard, and waited for the interpreter lock the GUI thread
    held while waiting for that thread. The catalogue is compiled; a plain QTranslator
    serves every entry, `{placeholders}`, `«quotes»` and `&` included."""
    from ui import i18n
    from ui.qt import QTranslator

    catalogue = i18n.load_catalogue("en")
    left = set(Path(tempfile.gettempdir()).glob("lawshelf-i18n-*"))
    try:
        assert i18n.set_language("en") == "en"
        assert type(i18n._installed) is QTranslator  # no Python override for Qt to call
        assert set(Path(tempfile.gettempdir()).glob("lawshelf-i18n-*")) == left  # removed
        wrong = {k: i18n.tr(k) for k, v in catalogue.items() if i18n.tr(k) != v}
        assert wrong == {}
    finally:
        i18n.set_language("vi")
    assert all(any(c in k for k in catalogue) for c in "{«&")  # what the .ts escapes or keeps


def test_a_catalogue_that_cannot_be_compiled_leaves_the_kiosk_in_vietnamese(
    qapp, monkeypatch, tmp_path, caplog
) -> None:  # noqa: ANN001
    from ui import i18n

    monkeypatch.setattr(i18n, "lrelease", lambda: tmp_path / "no-such-tool")
    try:
        assert i18n.set_language("en") == "vi"
        assert i18n.language() == "vi" and i18n._installed is None
        assert i18n.tr("Tra cứu pháp luật") == "Tra cứu pháp luật"
        assert "cannot compile the en catalogue" in caplog.text
    finally:
        i18n.set_language("vi")


def test_counts_are_grouped_as_the_language_writes_them(qapp) -> None:  # noqa: ANN001
    """A 10x library finds thousands: `2.844 kết quả` in Vietnamese, `2,844` in English."""
    from ui.i18n import number, set_language

    assert number(2844) == "2.844" and number(1_951_000) == "1.951.000" and number(12) == "12"
    try:
        set_language("en")
        assert number(2844) == "2,844"
    finally:
        set_language("vi")


def test_english_reaches_every_resident_screen(make_shell, qtbot) -> None:  # noqa: ANN001
    """The toggle on Home switches contests, Q&A, asking, notices and legal aid too."""
    from ui.i18n import set_language, tr
    from ui.qt import QLabel, QPushButton

    shell = make_shell()
    set_language("en")
    shell.rebuild_home()
    for name in ("search", "bookshelf", "qa", "ask", "contest", "notices", "legal_aid"):
        shell.go_home()
        screen = shell.navigate(name)
        qtbot.wait(150)
        assert shell.current_name == name
        texts = [
            w.text()
            for w in screen.findChildren(QLabel) + screen.findChildren(QPushButton)
            if w.isVisible() and w.text().strip()
        ] + [shell.title_label.text()]
        untranslated = [t for t in texts if t in _catalogue() and tr(t) != t]
        assert not untranslated, (name, untranslated)
        assert shell.back_button.text() == tr("◀ Quay lại") != "◀ Quay lại"


def test_a_contest_time_reads_in_english(make_shell, qtbot) -> None:  # noqa: ANN001
    """`open until 23:59 ngày 30/06/2027` mixed the languages: the time is joined in the
    UI's language (`23:59 on 30/06/2027`)."""
    from ui.i18n import set_language
    from ui.qt import QLabel

    shell = make_shell()
    try:
        set_language("en")
        screen = shell.navigate("contest")
        qtbot.waitUntil(
            lambda: any("/20" in w.text() for w in screen.findChildren(QLabel)), timeout=10000
        )
        times = [w.text() for w in screen.findChildren(QLabel) if "/20" in w.text()]
        assert times and all(" on " in t and "ngày" not in t for t in times), times
    finally:
        set_language("vi")
    screen = shell.navigate("contest")
    qtbot.waitUntil(
        lambda: any("/20" in w.text() for w in screen.findChildren(QLabel)), timeout=10000
    )
    assert all("ngày" in w.text() for w in screen.findChildren(QLabel) if "/20" in w.text())


def _catalogue() -> dict[str, str]:
    from ui.i18n import load_catalogue

    return load_catalogue("en")


def test_dates_read_day_month_year_and_say_when_there_is_none() -> None:
    """One date format for every screen: a timestamp's date, a dash (or the caller's mark)
    for no date, never a raw ISO string or a crash on a bad one."""
    from ui.i18n import day

    assert day("2021-01-01") == "01/01/2021"
    assert day("2026-12-03T02:51:00+00:00") == "03/12/2026"
    assert day(None) == "—"
    assert day("", "?") == "?"
    assert day("not a date") == "—"


def test_citations_and_kind_chips_speak_english(qapp) -> None:  # noqa: ANN001
    """`Read the legal basis: Điểm c Khoản 7 Điều 7 …` mixed the languages on one button."""
    from offline_index.model import Citation
    from ui.i18n import set_language, tr
    from ui.screens.citations import citation_text

    c = Citation(doc_number="168/2024/NĐ-CP", article="7", clause="7", point="c")
    try:
        set_language("en")
        assert citation_text(c) == "Point c Clause 7 Article 7 168/2024/NĐ-CP"
        assert tr("Nghị định") == "Decree"
    finally:
        set_language("vi")
    # as Vietnamese laws and the answers' own text cite: only Điều takes a capital
    assert citation_text(c) == "điểm c khoản 7 Điều 7 168/2024/NĐ-CP"
