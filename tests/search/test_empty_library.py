"""An empty library (a content source with no searchable records) builds, opens and answers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from offline_index.build import build_generation
from offline_index.library import Library
from offline_index.search_engine import SearchEngine, write_index
from offline_index.search_types import SearchFilters

from .conftest import hand_records

QUERIES = ("luật", "luat dat dai", "100/2019/NĐ-CP", "Điều 5", "tranh chaap", "phạt vượt đèn đỏ")


def test_empty_content_folder_builds_opens_and_finds_nothing(home: Path, tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    manifest = {"format": 1, "name": "empty", "updated": "2026-11-28"}
    (src / "lawshelf-content.json").write_text(json.dumps(manifest), encoding="utf-8")
    report = build_generation([src], tmp_path / "gen")
    assert report.counts["documents"] == 0
    with Library.open(tmp_path / "gen") as lib:
        for text in QUERIES:
            result = lib.search(text)
            assert (result.hits, result.total) == ([], 0), text
        assert lib.search("luật", filters=SearchFilters(kind="Luật", year=2024)).hits == []
        assert lib.suggest("luat") == []


def test_records_added_on_top_of_an_empty_index(tmp_path: Path) -> None:
    write_index(tmp_path / "empty", [])
    with SearchEngine.open(tmp_path / "empty") as eng:
        assert eng.search("luật", filters=SearchFilters(field="dat-dai")).total == 0
    write_index(tmp_path / "next", hand_records(), base_dir=tmp_path / "empty")
    with SearchEngine.open(tmp_path / "next") as eng:
        assert eng.search("luat dat dai").hits


@pytest.mark.parametrize("text", ["", "   ", "?!", "không"])
def test_blank_queries_on_an_empty_index(tmp_path: Path, text: str) -> None:
    write_index(tmp_path / "empty", [])
    with SearchEngine.open(tmp_path / "empty") as eng:
        assert eng.search(text).hits == []
