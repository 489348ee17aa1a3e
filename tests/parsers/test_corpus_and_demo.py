"""The full shared corpus loader and the committed demo content source."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from offline_index.corpus import alqac_doc_ids, load_full_corpus
from offline_index.demo.make import make_demo
from offline_index.model import Document, QAEntry

PROJECT = Path(__file__).resolve().parents[2]
DEMO = PROJECT / "offline_index" / "demo" / "content"


@pytest.fixture(scope="session")
def corpus(shared_data: Path) -> list[Document]:
    return load_full_corpus(shared_data)


def _by_number(docs: list[Document]) -> dict[str, Document]:
    return {d.number: d for d in docs}


def test_corpus_contents(corpus: list[Document]) -> None:
    ids = Counter(d.id for d in corpus)
    assert max(ids.values()) == 1
    # 208 uts_vlc + 1 ALQAC-only (the Constitution) + 2 decrees + 15 registry files
    # - 1 Civil Code present both as TXT and DOCX.
    assert len(corpus) == 225
    assert sum(len(d.articles()) for d in corpus) > 18_000
    kinds = Counter(d.kind for d in corpus)
    assert kinds["Án lệ"] == 6 and kinds["Nghị định"] == 7 and kinds["Bộ luật"] == 6


def test_alqac_laws_are_deduplicated_by_number(corpus: list[Document], shared_data: Path) -> None:
    mapping = alqac_doc_ids(shared_data, corpus)
    assert len(mapping) == 17
    assert mapping["Luật Cư trú"] == "68-2020-qh14"
    assert mapping["Bộ luật dân sự"] == "91-2015-qh13"
    assert mapping["Luật Giáo dục"] == "43-2019-qh14"
    constitution = next(d for d in corpus if d.id == mapping["Hiến pháp"])
    assert constitution.number.startswith("ALQAC-")  # honest: the data gives no number
    assert (constitution.kind, len(constitution.articles())) == ("Hiến pháp", 118)
    art2 = next(a for a in constitution.articles() if a.number == "2")
    assert art2.children and art2.children[0].level == "khoan"


def test_registry_metadata_wins(corpus: list[Document]) -> None:
    docs = _by_number(corpus)
    civil = docs["91/2015/QH13"]
    assert (civil.title, civil.effective, civil.validity) == (
        "Bộ luật Dân sự 2015",
        "2017-01-01",
        "in_force",
    )
    assert civil.source_url.startswith("https://vbpl.vn/")
    assert civil.fields  # kept from the uts_vlc copy's source URL
    precedent = docs["43/2021/AL"]
    assert precedent.pdf == "an_le_so_432021AL.pdf" and len(precedent.pages) == 6
    assert docs["99/2022/NĐ-CP"].validity == "unknown"  # the registry does not say


def test_traffic_decrees_and_relations(corpus: list[Document]) -> None:
    docs = _by_number(corpus)
    old, new = docs["100/2019/NĐ-CP"], docs["168/2024/NĐ-CP"]
    assert old.validity == "partly_in_force"
    assert [(r.type, r.target, r.effective) for r in old.relations] == [
        ("replaced_by", "168/2024/NĐ-CP", "2025-01-01"),
        ("amended_by", "123/2021/NĐ-CP", "2022-01-01"),
    ]
    assert [r.type for r in new.relations] == ["replaces"]
    assert "Giao thông - Vận tải" in new.fields


def test_uts_fields_come_from_source_urls(corpus: list[Document]) -> None:
    docs = _by_number(corpus)
    assert docs["100/2015/QH13"].fields == ["Trách nhiệm hình sự"]
    assert docs["68/2020/QH14"].source_url.startswith("https://thuvienphapluat.vn/van-ban/")
    assert sum(1 for d in corpus if d.fields) >= 220


# ---------------------------------------------------------------- demo content


def _demo_documents() -> list[Document]:
    return [
        Document.from_dict(json.loads(p.read_text("utf-8")), p.name)
        for p in sorted((DEMO / "documents").glob("*.json"))
    ]


def test_demo_manifest_and_size() -> None:
    manifest = json.loads((DEMO / "lawshelf-content.json").read_text("utf-8"))
    assert manifest["format"] == 1 and manifest["updated"]
    ours = [p for p in DEMO.rglob("*") if p.is_file() and "quiz" not in p.parts]
    # 8 MB of documents and files, plus the thesaurus (0.54 MB, 3,984 entries since issue 11)
    assert sum(p.stat().st_size for p in ours) < 8_450_000


def test_demo_documents_are_valid_and_current() -> None:
    docs = {d.number: d for d in _demo_documents()}
    assert 25 <= len(docs) <= 32
    land = docs["45/2013/QH13"]
    assert land.validity == "not_in_force"
    assert [(r.type, r.target, r.effective) for r in land.relations] == [
        ("replaced_by", "31/2024/QH15", "2024-08-01")
    ]
    assert docs["100/2019/NĐ-CP"].relations[0].target == "168/2024/NĐ-CP"
    assert docs["168/2024/NĐ-CP"].validity == "in_force"
    assert docs["68/2020/QH14"].title == "Luật Cư trú"
    assert all(d.scope == "central" and d.fields for d in docs.values())
    for d in docs.values():
        if d.pdf:
            assert (DEMO / "files" / d.pdf).is_file() and d.pages


def test_demo_qa_cites_existing_points_of_168() -> None:
    data = json.loads((DEMO / "qa" / "traffic-fines.json").read_text("utf-8"))
    entries = [QAEntry.from_dict(e, "traffic-fines.json") for e in data["entries"]]
    assert 30 <= len(entries) <= 60
    decree = next(d for d in _demo_documents() if d.number == "168/2024/NĐ-CP")
    for entry in entries:
        cite = entry.citations[0]
        art = next(a for a in decree.articles() if a.number == cite.article)
        clause = next(c for c in art.children if c.number == cite.clause)
        assert any(p.number == cite.point for p in clause.children), entry.id
        assert entry.fine.split(" đồng")[0].split()[-1] in clause.text
        assert entry.question.endswith("?") and "Nghị định 168/2024/NĐ-CP" in entry.answer


def test_demo_generator_reproduces_the_committed_content(shared_data: Path, tmp_path: Path) -> None:
    make_demo(shared_data, tmp_path, updated="2026-01-01")
    for sub in ("documents", "qa"):
        made = {p.name: p.read_bytes() for p in (tmp_path / sub).glob("*.json")}
        committed = {p.name: p.read_bytes() for p in (DEMO / sub).glob("*.json")}
        assert made == committed, f"{sub}: run python -m offline_index.demo.make"
