"""The full shared corpus (shared/README.md §4) as model Documents.

uts_vlc (208 laws) + alqac23_law.json deduplicated by official number + the two
traffic-fine decrees (HTML) + data/documents (DOCX/PDF with registry metadata).
The search benchmark loads this, so it parses each file once and keeps no state.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

from offline_index import analysis
from offline_index.errors import ContentError
from offline_index.model import Document, Node, nfc
from offline_index.parsers import clean_lines, parse_file, parse_folder
from offline_index.parsers.structure import parse_body

log = logging.getLogger(__name__)

REGISTRY_VALIDITY = {
    "dang_co_hieu_luc": "in_force",
    "an_le_da_cong_bo": "in_force",  # a published precedent applies from its publication
    "het_hieu_luc": "not_in_force",
    "het_hieu_luc_mot_phan": "partly_in_force",
    "chua_co_hieu_luc": "not_yet_in_force",
}
REGISTRY_FIELDS = {"dan_su": "Quyền dân sự", "hinh_su": "Trách nhiệm hình sự"}
TRAFFIC_FIELDS = ["Giao thông - Vận tải", "Vi phạm hành chính"]
# uts_vlc files the header parser cannot number, with metadata read off the text itself.
UTS_OVERRIDES: dict[str, dict[str, Any]] = {
    "Luat-mau-ve-trong-tai-thuong-mai-quoc-te-cua-Uy-ban-lien-hiep-quoc-ve-Luat-thuong-mai-quoc-te-1985-81043": {
        "number": "A/40/17",  # "Tài liệu số A/40/17, phụ lục I của Liên Hợp Quốc"
        "kind": "Khác",
        "title": "Luật mẫu về trọng tài thương mại quốc tế của Ủy ban Liên hợp quốc về Luật thương mại quốc tế",
        "issuer": "Ủy ban của Liên hợp quốc về Luật thương mại quốc tế",
        "issued": "1985-06-21",
        "validity": "unknown",
    },
}
DECREES = (
    (
        "laws/nd100_2019.html",
        {
            "fields": TRAFFIC_FIELDS,
            "validity": "partly_in_force",
            "relations": [
                {
                    "type": "replaced_by",
                    "target": "168/2024/NĐ-CP",
                    "effective": "2025-01-01",
                    "note": "Phần xử phạt trong lĩnh vực giao thông đường bộ được thay thế từ 01/01/2025",
                },
                {"type": "amended_by", "target": "123/2021/NĐ-CP", "effective": "2022-01-01"},
            ],
        },
    ),
    (
        "laws/nd168_2024.html",
        {
            "fields": TRAFFIC_FIELDS,
            "validity": "in_force",
            "relations": [
                {
                    "type": "replaces",
                    "target": "100/2019/NĐ-CP",
                    "effective": "2025-01-01",
                    "note": "Thay thế các quy định xử phạt trong lĩnh vực giao thông đường bộ",
                }
            ],
        },
    ),
)


def fold(text: str) -> str:
    """Lower case without diacritics, for matching names across sources."""
    return re.sub(r"[^a-z0-9]+", " ", analysis.fold(text)).strip()


def registry_entries(data_dir: Path) -> dict[str, dict[str, Any]]:
    """source_registry.json keyed by a folded file stem (`an_le_so_432021AL` ~ `an_le_so_43_2021_AL`)."""
    path = data_dir / "documents" / "source_registry.json"
    if not path.is_file():
        return {}
    entries = json.loads(path.read_text(encoding="utf-8")).get("documents", [])
    return {re.sub(r"[^a-z0-9]", "", e["doc_id"].lower()): e for e in entries}


def registry_meta(entry: dict[str, Any]) -> dict[str, Any]:
    """Registry fields as Document overrides. A bare "<kind> <number>" title is not used:
    the parsed title says what the document is about."""
    meta: dict[str, Any] = {"number": nfc(entry["official_number"])}
    title = nfc(entry.get("document_title") or "")
    if title and meta["number"] not in title:
        meta["title"] = title
    validity = REGISTRY_VALIDITY.get(entry.get("validity_status") or "")
    if validity:
        meta["validity"] = validity
    if entry.get("effective_from"):
        meta["effective"] = entry["effective_from"]
    if entry.get("source_url"):
        meta["source_url"] = entry["source_url"]
    parts = Path(entry.get("source_file") or "").parts  # "an_le/dan_su/x.pdf" -> dân sự
    if len(parts) > 2 and parts[1] in REGISTRY_FIELDS:
        meta["fields"] = [REGISTRY_FIELDS[parts[1]]]
    return meta


def load_documents_folder(
    folder: Path, data_dir: Path
) -> tuple[list[Document], list[ContentError]]:
    """data/documents: DOCX and PDF files with their registry metadata."""
    registry = registry_entries(data_dir)
    docs, skipped = [], []
    for file in sorted(folder.glob("*")):
        if file.suffix.lower() not in (".docx", ".pdf"):
            continue
        entry = registry.get(re.sub(r"[^a-z0-9]", "", file.stem.lower()))
        try:
            doc = parse_file(file, registry_meta(entry) if entry else None)
        except ContentError as exc:
            skipped.append(exc)
            continue
        if file.suffix.lower() == ".pdf":
            doc.pdf = file.name
        docs.append(doc)
    return docs, skipped


def _alqac_article(article: dict[str, Any]) -> Node:
    """ALQAC gives `{"id": "12", "text": "Title\\n\\nbody"}`: first paragraph is the title."""
    text = nfc(article.get("text", "")).strip()
    title, _, rest = text.partition("\n")
    lines = clean_lines(f"Điều {article['id']}. {title}\n{rest}")
    nodes = parse_body(lines).nodes
    if nodes and nodes[0].level == "dieu":
        return nodes[0]
    return Node("dieu", str(article["id"]), title.strip(), rest.strip())


def match_alqac(name: str, uts: list[Document]) -> Document | None:
    """An ALQAC law name (`Luật Cư trú`) against uts_vlc titles; newest issue wins on ties."""
    key = fold(name)
    hits = [d for d in uts if re.sub(r" (19|20)\d\d$", "", fold(d.title)) == key]
    return max(hits, key=lambda d: d.issued or "") if hits else None


def alqac_doc_ids(data_dir: Path, docs: list[Document]) -> dict[str, str]:
    """ALQAC law name -> our document id in `docs` (the full corpus), for scoring gold articles."""
    laws = json.loads((Path(data_dir) / "laws" / "alqac23_law.json").read_text(encoding="utf-8"))
    out = {}
    for law in laws:
        doc = match_alqac(nfc(law["id"]), docs)
        if doc is not None:
            out[nfc(law["id"])] = doc.id
    return out


def load_alqac(path: Path, uts: list[Document]) -> list[Document]:
    """ALQAC laws not already in uts_vlc, with a synthetic (and plainly marked) number."""
    out = []
    for law in json.loads(path.read_text(encoding="utf-8")):
        name = nfc(law["id"])
        if match_alqac(name, uts):
            continue
        kind = (
            "Hiến pháp"
            if name.startswith("Hiến pháp")
            else "Bộ luật"
            if name.startswith("Bộ luật")
            else "Luật"
        )
        doc = Document(
            number=f"ALQAC-{fold(name).replace(' ', '-')}",
            kind=kind,
            title=name,
            summary="Văn bản từ bộ dữ liệu ALQAC 2023; chưa xác định số hiệu chính thức.",
            body=[_alqac_article(a) for a in law.get("articles", [])],
        )
        out.append(Document.from_dict(doc.to_dict(), str(path)))
    return out


def load_uts(folder: Path) -> tuple[list[Document], list[ContentError]]:
    docs, skipped = parse_folder(folder)
    still = []
    for exc in skipped:
        stem = Path(exc.path).stem
        if stem in UTS_OVERRIDES:
            docs.append(parse_file(Path(exc.path), dict(UTS_OVERRIDES[stem])))
        else:
            still.append(exc)
    return docs, still


def load_full_corpus(data_dir: Path) -> list[Document]:
    """Every document of the full shared corpus, unique by id; skipped files are logged."""
    data_dir = Path(data_dir)
    uts, skipped = load_uts(data_dir / "laws" / "uts_vlc")
    docs = list(uts)
    alqac = data_dir / "laws" / "alqac23_law.json"
    if alqac.is_file():
        docs += load_alqac(alqac, uts)
    for rel, meta in DECREES:
        try:
            docs.append(parse_file(data_dir / rel, meta))
        except ContentError as exc:
            skipped.append(exc)
    more, bad = load_documents_folder(data_dir / "documents", data_dir)
    docs += more
    skipped += bad
    for exc in skipped:
        log.warning("corpus: skipped %s", exc)
    return _dedupe(docs)


def _dedupe(docs: list[Document]) -> list[Document]:
    """Same official number twice (the Civil Code as TXT and DOCX): keep the later source,
    which carries registry metadata, and take fields it lacks from the earlier one."""
    by_id: dict[str, Document] = {}
    for doc in docs:
        old = by_id.get(doc.id)
        if old is not None:
            doc.fields = doc.fields or old.fields
            doc.signer = doc.signer or old.signer
            doc.issued = doc.issued or old.issued
        by_id[doc.id] = doc
    return list(by_id.values())
