"""The articles the library's Q&A answers cite as their basis (`Căn cứ: …`).

A Q&A answer written by a legal-aid officer ends with the articles it rests on; the
publisher's content carries them as `citations` (docs/content-format.md). When a Q&A entry
answers a search well, the articles it cites answer it too, even when they share fewer of
the resident's words (ranking stage `cited_by_answers`, docs/search.md). The library reads
the citations from its `content.sqlite` at open; the engine resolves them to its records.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
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
        found: list[np.ndarray] = []
        for doc_id, article in wanted[int(corpus.unit[rec])]:
            u = code.get(doc_id)
            if u is None:
                continue
            docs = corpus.postings("num", f"a:{va.fold(article)}").docs
            found.append(docs[corpus.unit[docs] == u])
        if found:
            out[rec] = np.unique(np.concatenate(found)).astype(np.int64)
    return out
