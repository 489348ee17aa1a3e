"""Content source loading: validation errors name file, field and reason; strict vs skip."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from library_content import dump, nd168

from offline_index.errors import ContentError
from offline_index.source import load_sources


def _src(tmp_path: Path) -> Path:
    root = tmp_path / "src"
    dump(root / "lawshelf-content.json", {"format": 1, "name": "t", "updated": "2026-01-02"})
    dump(root / "documents" / "ok.json", nd168())
    return root


def test_loads_valid_content(tmp_path: Path) -> None:
    content = load_sources([_src(tmp_path)])
    assert list(content.documents) == ["168-2024-nd-cp"]
    assert content.sources == [{"name": "t", "updated": "2026-01-02"}]
    assert content.skipped == []


@pytest.mark.parametrize(
    ("name", "raw", "field", "reason"),
    [
        (
            "no-title.json",
            {"number": "1/2020/QH14", "kind": "Luật", "body": []},
            "title",
            "is required",
        ),
        ("bad-kind.json", {**nd168(), "kind": "Sắc lệnh"}, "kind", "must be one of"),
        ("bad-date.json", {**nd168(), "issued": "26/12/2024"}, "issued", "YYYY-MM-DD"),
        (
            "bad-node.json",
            {**nd168(), "body": [{"level": "dieu", "children": [{"level": "x"}]}]},
            "body[0].children[0].level",
            "must be one of",
        ),
        ("dangling.json", {**nd168(), "pdf": "missing.pdf"}, "pdf", "not found in files/"),
    ],
)
def test_invalid_json_is_skipped_with_file_field_reason(
    tmp_path: Path, name: str, raw: dict, field: str, reason: str
) -> None:
    root = _src(tmp_path)
    dump(root / "documents" / name, raw)
    content = load_sources([root])
    assert len(content.documents) == 1  # the good one is kept
    [err] = content.skipped
    assert err.path.endswith(name) and err.field == field and reason in err.reason
    with pytest.raises(ContentError) as exc:
        load_sources([root], strict=True)
    assert exc.value.field == field


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"\xff\xfe{not utf8", "not UTF-8"), (b'{"number": ', "invalid JSON at line 1")],
)
def test_undecodable_files_are_reported(tmp_path: Path, data: bytes, reason: str) -> None:
    root = _src(tmp_path)
    (root / "documents" / "broken.json").write_bytes(data)
    [err] = load_sources([root]).skipped
    assert "broken.json" in err.message and reason in err.message


def test_manifest_required_and_versioned(tmp_path: Path) -> None:
    root = _src(tmp_path)
    dump(root / "lawshelf-content.json", {"format": 2})
    [err] = load_sources([root]).skipped
    assert err.field == "format" and "unsupported format 2" in err.reason
    (root / "lawshelf-content.json").unlink()
    [err] = load_sources([root]).skipped
    assert "without lawshelf-content.json" in err.reason


def test_qa_entries_file_and_later_source_overrides(tmp_path: Path) -> None:
    a, b = _src(tmp_path / "a"), _src(tmp_path / "b")
    dump(a / "qa" / "x.json", {"entries": [{"id": "1", "question": "A?", "answer": "a"}]})
    dump(b / "qa" / "y.json", {"id": "1", "question": "B?", "answer": "b"})
    content = load_sources([a, b])
    assert content.qa["1"].question == "B?"


def test_raw_files_parse_through_cache_with_sidecar(tmp_path: Path, shared_data: Path) -> None:
    law = shared_data / "laws/uts_vlc/Luat-quyen-tu-do-hoi-hop-1957-101-SL-L-003-36793.txt"
    folder = tmp_path / "raw"
    folder.mkdir()
    (folder / "law.txt").write_bytes(law.read_bytes())
    (folder / "law.txt.meta.json").write_text(json.dumps({"validity": "not_in_force"}))
    (folder / "junk.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    cache = tmp_path / "cache"
    first = load_sources([folder], cache_dir=cache)
    [doc] = first.documents.values()
    assert doc.validity == "not_in_force" and len(doc.articles()) == 10
    assert first.cache_misses == 1 and first.cache_hits == 0
    [err] = first.skipped
    assert "junk.pdf" in err.message
    again = load_sources([folder], cache_dir=cache)
    assert again.cache_hits == 1 and again.parsed == []
    assert again.documents[doc.id] == doc
    (folder / "law.txt.meta.json").write_text(json.dumps({"validity": "in_force"}))
    changed = load_sources([folder], cache_dir=cache)
    assert changed.cache_misses == 1 and changed.documents[doc.id].validity == "in_force"


@pytest.mark.parametrize("name", ["../../etc/passwd", "/etc/passwd", "a//b.pdf", "a\\b.pdf"])
def test_file_references_must_stay_inside_files(tmp_path: Path, name: str) -> None:
    root = _src(tmp_path)
    dump(root / "documents" / "evil.json", {**nd168(), "pdf": name})
    [err] = load_sources([root]).skipped
    assert err.field == "pdf" and "relative to files/" in err.reason


def test_hostile_nesting_is_a_content_error(tmp_path: Path) -> None:
    root = _src(tmp_path)
    (root / "documents" / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    head = json.dumps({**nd168(), "body": []}, ensure_ascii=False)[:-1]
    deep = '{"level": "khoan", "number": "1", "children": [' * 900
    tail = '{"level": "diem", "number": "a"}' + "]}" * 900
    (root / "documents" / "deep2.json").write_text(
        head[: head.rindex('"body"')] + f'"body": [{deep}{tail}]}}'
    )
    skipped = load_sources([root]).skipped
    assert sorted(Path(e.path).name for e in skipped) == ["deep.json", "deep2.json"]
    assert all("nested too deeply" in e.reason for e in skipped)


def test_parse_cache_prunes_unused_entries(tmp_path: Path, shared_data: Path) -> None:
    import os

    from offline_index.source import ParseCache

    law = shared_data / "laws/uts_vlc/Luat-quyen-tu-do-hoi-hop-1957-101-SL-L-003-36793.txt"
    folder = tmp_path / "raw"
    folder.mkdir()
    (folder / "law.txt").write_bytes(law.read_bytes())
    cache = tmp_path / "cache"
    load_sources([folder], cache_dir=cache)
    [entry] = (cache / "parsed").glob("*.json")
    os.utime(entry, (1, 1))  # long unused
    load_sources([folder], cache_dir=cache)  # a hit marks it used again
    assert ParseCache(cache).prune() == 0
    os.utime(entry, (1, 1))
    assert ParseCache(cache).prune() == 1 and not entry.exists()


def test_video_subtitles_become_a_searchable_transcript(tmp_path: Path) -> None:
    root = _src(tmp_path)
    (root / "files").mkdir()
    (root / "files" / "skit.vtt").write_text(
        "WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\n<v Bà Lan>Con ơi, đi xe máy phải đội mũ bảo hiểm.\n"
        "\n2\n00:00:04.500 --> 00:00:06.000\nVâng ạ!\n",
        encoding="utf-8",
    )
    (root / "files" / "skit.mp4").write_bytes(b"\0" * 16)
    dump(
        root / "publications" / "skit.json",
        {
            "id": "tieu-pham-mu",
            "title": "Tiểu phẩm: chiếc mũ bảo hiểm",
            "category": "video_skit",
            "file": "skit.mp4",
            "subtitles": "skit.vtt",
        },
    )
    pub = load_sources([root]).publications["tieu-pham-mu"]
    assert pub.transcript == "Con ơi, đi xe máy phải đội mũ bảo hiểm. Vâng ạ!"
