"""Every UI string has an English translation, and the switch really goes through Qt."""

from __future__ import annotations

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


def test_translation_goes_through_qt(qapp) -> None:  # noqa: ANN001
    from ui.i18n import set_language, tr

    try:
        assert set_language("en") == "en"
        assert tr("Tra cứu pháp luật") == "Search the law"
        assert tr("chuỗi không có trong danh mục") == "chuỗi không có trong danh mục"
    finally:
        set_language("vi")
    assert tr("Tra cứu pháp luật") == "Tra cứu pháp luật"


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
