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
