"""The articles the library's Q&A answers cite as their basis (`Căn cứ: …`).

A Q&A answer written by a legal-aid officer ends with the articles it rests on; the
publisher's content carries them as `citations` (docs/content-format.md). When a Q&A entry
answers a search well, the articles it cites answer it too, even when they share fewer of
the resident's words (ranking stage `cited_by_answers`, docs/search.md). The library reads
the citations from its `content.sqlite` at open; the engine resolves them to its records.
An article of a guiding text cites the same way the article it guides (`guided`).
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import numpy as np

from offline_index import analysis as va
from offline_index.model import number_key

if TYPE_CHECKING:
    from offline_index.scoring import Corpus

Cited = dict[str, list[tuple[str, str]]]  # Q&A unit ("qa:<id>") -> [(doc_id, article)]


def cited(conn: sqlite3.Connection) -> Cited:
    """Per public Q&A entry, the (document, article) pairs of the library it cites."""
    docs = {
        key: doc_id
        for doc_id, key in conn.execute("SELECT id, number_key FROM documents WHERE number != ''")
    }
    out: Cited = {}
    rows = conn.execute("SELECT id, citations FROM qa WHERE coalesce(ticket_hash, '') = ''")
    for qa_id, raw in rows:
        pairs = []
        for c in json.loads(raw or "[]"):
            doc_id = docs.get(number_key(c.get("doc_number") or ""))
            if doc_id and c.get("article"):
                pairs.append((doc_id, str(c["article"])))
        if pairs:
            out[f"qa:{qa_id}"] = pairs
    return out


def resolve(corpus: Corpus, cites: Mapping[str, list[tuple[str, str]]]) -> dict[int, np.ndarray]:
    """Q&A record number -> record numbers of the articles it cites, for this index."""
    code = {u: i for i, u in enumerate(corpus.units)}
    wanted = {code[u]: pairs for u, pairs in cites.items() if u in code}
    if not wanted:
        return {}
    out: dict[int, np.ndarray] = {}
    qa_records = np.flatnonzero(np.isin(corpus.unit, list(wanted)))
    for rec in qa_records.tolist():
        found = articles(corpus, code, wanted[int(corpus.unit[rec])])
        if found.size:
            out[rec] = found
    return out


def articles(corpus: Corpus, code: Mapping[str, int], pairs: list[tuple[str, str]]) -> np.ndarray:
    """The records of these (document, article) pairs held by the index."""
    found: list[np.ndarray] = []
    for doc_id, article in pairs:
        u = code.get(doc_id)
        if u is not None:
            docs = corpus.postings("num", f"a:{va.fold(article)}").docs
            found.append(docs[corpus.unit[docs] == u])
    return np.unique(np.concatenate(found)).astype(np.int64) if found else np.zeros(0, np.int64)


# An implementing text names in an article's title the article of the law it guides: the
# Judges' Council's `Về nguyên tắc bồi thường thiệt hại quy định tại Điều 585 của Bộ luật Dân
# sự`, a decree's `Xác định lãi suất trung bình quy định tại Điều 306 của Luật Thương mại`.
_GUIDES = re.compile(
    r"\bĐiều (\d+[a-zđ]?) (?:của )?((?:Bộ luật|Luật|Pháp lệnh|Nghị định) .+)", re.I
)


# An amending text names the article it changes or repeals (`Sửa đổi, bổ sung khoản 1 Điều 73
# của Luật Tài nguyên nước`): that article is no better an answer for it, and may be gone.
_AMENDS = re.compile(r"\W*(?:sửa đổi|bổ sung|bãi bỏ|thay thế|hủy bỏ|huỷ bỏ)\b", re.I)


def guided(title: str, names: Callable[[str], set[str]]) -> list[tuple[str, str]]:
    """(document, article) pairs an article's title says it guides; `names` finds the
    documents a text names by title (titles.TitleMatcher.named). `Luật này` names none, and
    an amending article's title guides nothing."""
    if _AMENDS.match(title):
        return []
    out: list[tuple[str, str]] = []
    for m in _GUIDES.finditer(title):
        out += [(doc_id, m.group(1)) for doc_id in names(m.group(2))]
    return out
