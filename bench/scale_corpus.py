"""An N-times corpus made from the shared laws, as a format-v1 content folder.

    .venv/bin/python bench/scale_corpus.py OUT --copies 10 [--data ../shared/data]

Copy 0 is the full shared corpus as the search benchmark loads it (so its ALQAC gold records
keep their keys). Copies 1..N-1 repeat every document that has a text body, each with its
own official number (`45/2019/QH14` -> `1045/2019/QH14` in copy 1, `2045/...` in copy 2),
its own title (`Luật Đất đai trên địa bàn quận Tây Hồ`) and light, seeded text changes:
some numbers in the text shift and some sentences drop, so the copies' postings and
lengths differ the way a real shelf of similar city documents would.
`change_fraction` edits one article in a share of the documents (the 1% release).
Documents are written one at a time: the generator holds the shared corpus once.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from offline_index.model import Document, Node  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
PLACES = (
    "quận Ba Đình", "quận Hoàn Kiếm", "quận Tây Hồ", "quận Long Biên", "quận Cầu Giấy",
    "quận Đống Đa", "quận Hai Bà Trưng", "quận Hoàng Mai", "quận Thanh Xuân", "huyện Sóc Sơn",
    "huyện Đông Anh", "huyện Gia Lâm", "quận Nam Từ Liêm", "quận Bắc Từ Liêm", "huyện Mê Linh",
    "quận Hà Đông", "thị xã Sơn Tây", "huyện Ba Vì", "huyện Phúc Thọ", "huyện Đan Phượng",
)  # fmt: skip
_NUMBER = re.compile(r"^(\d+)(/.*)$")
_DIGITS = re.compile(r"\b\d{1,3}\b")
_SENTENCE = re.compile(r"(?<=[.;:])\s+")


def copy_number(number: str, copy: int) -> str:
    """The official number of a document in copy `copy` (copy 0 keeps its own)."""
    if copy == 0:
        return number
    m = _NUMBER.match(number)
    if m and int(m.group(1)) < 1000:
        return f"{int(m.group(1)) + 1000 * copy}{m.group(2)}"
    return f"{number}-B{copy}"


def _light_changes(text: str, rng: random.Random, copy: int) -> str:
    """Shift some small numbers, drop one sentence now and then."""
    text = _DIGITS.sub(
        lambda m: str(int(m.group()) + copy) if rng.random() < 0.3 else m.group(), text
    )
    parts = _SENTENCE.split(text)
    if len(parts) > 2 and rng.random() < 0.2:
        del parts[rng.randrange(1, len(parts))]
    return " ".join(parts)


def _change_nodes(nodes: list[Node], rng: random.Random, copy: int) -> None:
    for node in nodes:
        if node.text:
            node.text = _light_changes(node.text, rng, copy)
        _change_nodes(node.children, rng, copy)


def copy_document(doc: Document, copy: int, numbers: set[str]) -> Document | None:
    """Document `doc` as it appears in copy `copy`; None for documents not copied (PDFs)."""
    if copy == 0:
        return doc
    if doc.pdf or not doc.body:
        return None
    data = doc.to_dict()
    data["number"] = copy_number(doc.number, copy)
    data["id"] = ""
    data["title"] = f"{doc.title} trên địa bàn {PLACES[(copy - 1) % len(PLACES)]}"
    for rel in data["relations"]:
        if rel["target"] in numbers:
            rel["target"] = copy_number(rel["target"], copy)
    out = Document.from_dict(data, f"copy {copy} of {doc.id}")
    _change_nodes(out.body, random.Random(zlib.crc32(f"{copy}:{doc.id}".encode())), copy)
    return out


def scaled_documents(docs: list[Document], copies: int) -> Iterator[Document]:
    numbers = {d.number for d in docs}
    for copy in range(copies):
        for doc in docs:
            out = copy_document(doc, copy, numbers)
            if out is not None:
                yield out


def write_corpus(dest: Path, copies: int, data: Path = DATA) -> dict[str, int]:
    """Write the N-times corpus into `dest` (a new format-v1 content folder)."""
    from offline_index.corpus import load_full_corpus

    docs = load_full_corpus(data)
    (dest / "documents").mkdir(parents=True)
    (dest / "files").mkdir()
    meta = {"format": 1, "name": f"shared corpus x{copies}", "updated": "2026-11-01"}
    (dest / "lawshelf-content.json").write_text(json.dumps(meta), encoding="utf-8")
    for d in docs:
        if d.pdf:
            shutil.copy(data / "documents" / Path(d.pdf).name, dest / "files" / d.pdf)
    count = articles = 0
    for doc in scaled_documents(docs, copies):
        path = dest / "documents" / f"{doc.id}.json"
        path.write_text(json.dumps(doc.to_dict(), ensure_ascii=False), encoding="utf-8")
        count += 1
        articles += len(doc.articles())
    return {"copies": copies, "documents": count, "articles": articles}


def change_fraction(src: Path, fraction: float, stamp: str = "") -> list[str]:
    """Edit one article in every 1/fraction-th document (sorted by file name), as a release would."""
    paths = sorted((src / "documents").glob("*.json"))
    step = max(1, round(1 / fraction))
    changed = []
    for path in paths[::step]:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not _edit_first_article(data.get("body") or [], stamp):
            continue
        tmp = path.with_suffix(".tmp")  # a new file: the folder may hard-link another's
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
        changed.append(data["number"])
    return changed


def _edit_first_article(nodes: list[dict], stamp: str) -> bool:
    for node in nodes:
        if node["level"] == "dieu":
            node["text"] = f"{node.get('text') or ''} (Nội dung được sửa đổi {stamp})".strip()
            return True
        if _edit_first_article(node.get("children") or [], stamp):
            return True
    return False


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--copies", type=int, default=10)
    ap.add_argument("--data", type=Path, default=DATA)
    args = ap.parse_args()
    print(json.dumps(write_corpus(args.out, args.copies, args.data)))


if __name__ == "__main__":
    main()
