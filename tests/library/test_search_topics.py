"""The search screen's topic chips as release content: validated, stored in order, replaced
by a later source, and the embedded default for a release that ships none."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli
from offline_index.build import build_generation
from offline_index.demo import CONTENT
from offline_index.errors import ContentError
from offline_index.library import Library
from offline_index.model import SearchTopic
from offline_index.search_topics import default_topics

from .library_content import content_source

LAW = {
    "number": "68/2020/QH14",
    "kind": "Luật",
    "title": "Luật Cư trú",
    "body": [{"level": "dieu", "number": "27", "title": "Điều kiện đăng ký tạm trú",
              "text": "Công dân đến sinh sống tại chỗ ở hợp pháp thì được đăng ký tạm trú."}],
}  # fmt: skip


def _source(root: Path, name: str, topics: list[dict] | None) -> Path:
    return content_source(root, name, [LAW], topics=topics)


def test_topics_are_validated() -> None:
    ok = SearchTopic.from_dict({"text": "  đăng ký   tạm trú ", "order": 2}, "t.json")
    assert (ok.text, ok.id, ok.order, ok.field) == ("đăng ký tạm trú", "dang-ky-tam-tru", 2, "")
    for bad, reason in (
        ({"order": 1}, "text: is required"),
        ({"text": "một hai ba bốn năm sáu bảy tám chín"}, "text: must be 1 to 8 words"),
        ({"text": "!!!"}, "text: must be 1 to 8 words"),
        ({"text": "đất đai", "order": -1}, "order"),
    ):
        with pytest.raises(ContentError, match=reason):
            SearchTopic.from_dict(bad, "t.json")


def test_a_library_offers_its_release_topics_in_their_order(tmp_path: Path) -> None:
    topics = [
        {"text": "tạm trú", "order": 2},
        {"text": "đăng ký tạm trú", "field": "Cư trú", "order": 1},
        {"text": "cư trú", "order": 2},
    ]
    gen = tmp_path / "gen"
    report = build_generation([_source(tmp_path, "a", topics)], gen)
    assert report.counts["topics"] == 3
    with Library.open(gen) as lib:
        assert [t.text for t in lib.popular_topics()] == ["đăng ký tạm trú", "cư trú", "tạm trú"]
        assert lib.popular_topics()[0].field == "Cư trú"
        assert lib.search(lib.popular_topics()[0].text).hits[0].key == "68-2020-qh14#a27"


def test_a_later_source_replaces_a_topic_and_a_bad_one_is_named(tmp_path: Path) -> None:
    first = _source(tmp_path, "a", [{"text": "cư trú", "order": 5}, {"text": "x" * 61}])
    later = _source(tmp_path, "b", [{"text": "cư trú", "order": 1}, {"text": "tạm vắng"}])
    gen = tmp_path / "gen"
    report = build_generation([first, later], gen)
    assert any("topics/entries.json" in e.message and "text" in e.message for e in report.skipped)
    with Library.open(gen) as lib:
        assert [t.text for t in lib.popular_topics()] == ["tạm vắng", "cư trú"]


def test_a_release_without_topics_offers_the_default(tmp_path: Path) -> None:
    gen = tmp_path / "gen"
    build_generation([_source(tmp_path, "a", None)], gen)
    default = default_topics()
    data = json.loads((CONTENT / "topics" / "popular.json").read_text(encoding="utf-8"))
    assert len(default) == len(data["entries"]) and "thừa kế" in [t.text for t in default]
    with Library.open(gen) as lib:
        assert lib.popular_topics() == default
    with sqlite3.connect(gen / "content.sqlite") as conn:  # built before the table
        conn.execute("DROP TABLE search_topics")
    with Library.open(gen) as lib:
        assert lib.popular_topics() == default


def test_a_kiosk_whose_demo_content_predates_topics_offers_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """An app update does not move the installed demo content: a kiosk installed before topics
    (or the thesaurus) were content has no default file, and its search screen and admin
    screen must still open, with no chips and an empty table, not fail."""
    import offline_index.demo as demo

    gen = tmp_path / "gen"
    build_generation([_source(tmp_path, "a", None)], gen)
    monkeypatch.setattr(demo, "CONTENT", tmp_path / "demo-content-1.0")
    with Library.open(gen) as lib:
        assert lib.popular_topics() == [] and lib.thesaurus() == []
    assert "no default topics/popular.json" in caplog.text


def test_the_publisher_checks_what_each_topic_opens_first(tmp_path: Path) -> None:
    """`lawshelf topics --check`: a chip whose first answer is a repealed text, or that finds
    nothing, is named and the command exits 1, before a release puts it on every kiosk."""
    old = {
        "number": "81/2006/QH11",
        "kind": "Luật",
        "title": "Luật Cư trú",
        "validity": "not_in_force",
        "body": [{"level": "dieu", "number": "24", "title": "Sổ hộ khẩu",
                  "text": "Sổ hộ khẩu được cấp cho hộ gia đình."}],
    }  # fmt: skip
    topics = [{"text": "đăng ký tạm trú"}, {"text": "sổ hộ khẩu"}, {"text": "xqzzwv"}]
    gen = tmp_path / "gen"
    build_generation([content_source(tmp_path, "a", [LAW, old], topics=topics)], gen)
    with Library.open(gen) as lib:
        answers = {a.text: a for a in lib.topic_answers()}
    assert answers["đăng ký tạm trú"].first == "68/2020/QH14 Điều 27"
    assert answers["đăng ký tạm trú"].problem == ""
    assert answers["sổ hộ khẩu"].key == "81-2006-qh11#a24"
    assert answers["sổ hộ khẩu"].problem == "not in force"
    assert answers["xqzzwv"].problem == "no answer"
    result = CliRunner().invoke(cli, ["topics", "--library", str(gen), "--check"])
    assert result.exit_code == 1
    assert "✓  đăng ký tạm trú → 68/2020/QH14 Điều 27 (unknown)" in result.output
    assert "✗ not in force  sổ hộ khẩu → 81/2006/QH11 Điều 24 (not_in_force)" in result.output
    assert "✗ no answer  xqzzwv → —" in result.output


def test_librarians_can_list_them(tmp_path: Path) -> None:
    topics = [{"text": "tạm vắng", "order": 2}, {"text": "đăng ký tạm trú", "field": "Cư trú"}]
    gen = tmp_path / "gen"
    build_generation([_source(tmp_path, "a", topics)], gen)
    runner = CliRunner()
    result = runner.invoke(cli, ["topics", "--library", str(gen)], catch_exceptions=False)
    assert result.output.splitlines() == ["đăng ký tạm trú  (Cư trú)", "tạm vắng"]
    result = runner.invoke(cli, ["topics", "--library", str(gen), "--json"])
    assert [t["text"] for t in json.loads(result.output)] == ["đăng ký tạm trú", "tạm vắng"]


def test_each_demo_topic_opens_an_article_in_force(demo: Library) -> None:
    """A chip is the one search a resident does not type: its first answer must be the law in
    force, and the one most residents mean (`vượt đèn đỏ` alone finds bicycles' fines first;
    the chip names the motorbike, as most residents ride one)."""
    first = {t.text: demo.search(t.text, limit=1).hits[0] for t in demo.popular_topics()}
    assert len(first) == 9
    for text, hit in first.items():
        assert hit.hit_type == "article" and hit.validity == "in_force", (text, hit.key)
    assert first["phạt vượt đèn đỏ xe máy"].key == "168-2024-nd-cp#a7"
    assert first["lái xe có nồng độ cồn"].key == "168-2024-nd-cp#a6"
    assert first["ly hôn"].doc_number == "52/2014/QH13"
