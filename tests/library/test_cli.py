"""`lawshelf library build`, `search` (single and --queries batch) and `show`, end to end."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from cli.main import cli


def _run(*args: str) -> object:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_build_search_show(tmp_path: Path, content_src: Path) -> None:
    out = tmp_path / "gen-cli"
    result = _run(
        "library", "build", str(content_src), "--out", str(out), "--cache", str(tmp_path / "cache")
    )
    assert result.exit_code == 0 and "5 documents" in result.output
    result = _run("search", "--library", str(out), "--json", "--limit", "3", "mũ bảo hiểm")
    data = json.loads(result.output)
    assert data["query"] == "mũ bảo hiểm" and 1 <= len(data["hits"]) <= 3
    assert {"doc_number", "article", "snippet", "score", "hit_type"} <= set(data["hits"][0])
    queries = tmp_path / "q.txt"
    queries.write_text("nd 100 2019\nthắt dây an toàn\n\nluat dat dai\n", encoding="utf-8")
    result = _run("search", "--library", str(out), "--queries", str(queries))
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [x["query"] for x in lines] == ["nd 100 2019", "thắt dây an toàn", "luat dat dai"]
    assert lines[0]["hits"][0]["doc_id"] == "100-2019-nd-cp"
    result = _run("search", "--library", str(out), "--kind", "Luật", "quyền sử dụng đất")
    assert result.exit_code == 0 and "31/2024/QH15 Điều" in result.output
    result = _run("search", "--library", str(out), "--limit", "5", "vượt đèn đỏ bị phạt bao nhiêu")
    heads = [line for line in result.output.splitlines() if line[:3].strip().rstrip(".").isdigit()]
    old = "[Hết hiệu lực · thay thế: 168/2024/NĐ-CP] 100/2019/NĐ-CP Điều 5"
    assert any(old in line for line in heads), heads
    assert any(". Hỏi đáp (" in line for line in heads), heads  # a Q&A answer is named as one
    assert any(". 168/2024/NĐ-CP Điều" in line for line in heads), heads  # in force: no mark
    # the line under an article's head names its law and the part of it the article sits in
    assert " · Chương I. Quy định chung\n" in result.output, result.output
    assert "[Không chấp hành hiệu lệnh của đèn tín hiệu giao thông]" in result.output  # a phrase
    result = _run("show", "--library", str(out), "nd 100 2019")
    assert "Hết hiệu lực" in result.output and "168/2024/NĐ-CP" in result.output
    result = _run("show", "--library", str(out), "168/2024", "--article", "6")
    assert "Điều 6." in result.output and "a) Không chấp hành" in result.output


def test_build_reports_skips_and_strict_exits_2(tmp_path: Path, content_src: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(content_src, src)
    (src / "qa" / "bad.json").write_text('{"id": "x", "question": "?"}')
    result = CliRunner().invoke(
        cli, ["library", "build", str(src), "--out", str(tmp_path / "gen-a"), "--json"]
    )
    assert result.exit_code == 0  # each skip is logged as met (test_cli_safety sees it)
    [skipped] = json.loads(result.output)["skipped"]
    assert skipped.endswith("bad.json: answer: is required")
    result = CliRunner().invoke(
        cli, ["library", "build", str(src), "--strict", "--out", str(tmp_path / "gen-b")]
    )
    assert result.exit_code == 2 and "bad.json" in result.output
    assert not (tmp_path / "gen-b").exists()


def test_search_defaults_to_home_library(home: Path, content_src: Path) -> None:
    result = _run("--home", str(home), "library", "build", str(content_src))
    assert result.exit_code == 0
    result = _run("--home", str(home), "search", "--json", "thắt dây an toàn")
    assert json.loads(result.output)["hits"][0]["doc_number"] == "100/2019/NĐ-CP"
    result = _run("--home", str(home), "library", "info")
    assert json.loads(result.output)["counts"]["documents"] == 5


def test_build_from_raw_files(tmp_path: Path, shared_data: Path) -> None:
    sources = [
        shared_data / "laws" / "nd168_2024.html",
        shared_data / "documents" / "nghi_dinh_19_2019_ND_CP.docx",
        shared_data / "documents" / "an_le_so_552022AL.pdf",
    ]
    out = tmp_path / "gen-raw"
    result = _run("library", "build", *map(str, sources), "--out", str(out), "--json")
    report = json.loads(result.output)
    assert report["counts"]["documents"] == 3 and report["skipped"] == []
    result = _run("show", "--library", str(out), "nd 19 2019", "--json")
    assert json.loads(result.output)["title"].startswith("Nghị định về họ, hụi")
    result = _run("search", "--library", str(out), "--json", "168/2024/NĐ-CP")
    assert json.loads(result.output)["hits"][0]["doc_number"] == "168/2024/NĐ-CP"


DOC_KEYS = [
    *("id", "number", "kind", "title", "issuer", "signer", "issued", "effective", "year"),
    *("validity", "scope", "summary", "source_url", "pdf", "page_count", "article_count"),
    *("publisher_validity", "validity_source", "fields", "validity_vi", "relations", "currency"),
    *("article_status", "in_force", "status_notice", "status_notice_vi", "tree", "pages", "scan"),
    "unnamed_in_force",  # added last: scripts reading the earlier keys are unaffected
]
TARGET = ["target_doc_id", "target_title", "target_validity"]
RELATION = ["type", "target", "articles", "effective", "note"]
SOURCE = ["doc_id", "number", "title", "kind", "article", "where", "sentence", "cite", "document"]


def test_show_json_keeps_its_keys(demo_library: Path) -> None:
    """`show --json` prints what the dict API printed: same keys, same order (scripts read it)."""
    doc = json.loads(_run("show", "--library", str(demo_library), "nd 100 2019", "--json").output)
    assert list(doc) == DOC_KEYS
    shapes = {tuple(r) for r in doc["relations"]}
    assert shapes == {
        (*RELATION, "label_vi", "derived", *TARGET),  # the publisher's, or its inverse
        (*RELATION, *TARGET, "whole", "applied", "from_text", "label_vi"),  # from the texts
    }
    currency = ["validity", "since", "until", "by_doc_id", "by_number", "by_title"]
    assert list(doc["currency"]) == [*currency, "repealed", "kept", "source"]
    assert list(doc["currency"]["source"]) == SOURCE
    assert list(doc["article_status"]["6"]) == ["state", "since", "applied", "source"]
    assert list(doc["tree"][0]) == ["level", "number", "title", "text", "ordinal", "children"]
    art = _run("show", "--library", str(demo_library), "nd 100 2019", "--article", "6", "--json")
    article = json.loads(art.output)
    keys = ["doc_id", "number", "title", "text", "children", "ordinal", "previous", "next"]
    assert list(article) == keys
    assert list(article["children"][0]) == ["level", "number", "title", "text", "children"]
