"""Rows of content.sqlite as the library's views: documents, their text trees and relations,
publications, Q&A entries and contests (offline_index.library reads, this converts)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from offline_index import currency_view as cv
from offline_index.document_view import (
    PART_VI,
    RELATION_VI,
    VALIDITY_VI,
    DocumentInfo,
    RelationView,
    TextNode,
)
from offline_index.model import Citation, Contest, Notice, Publication, QAEntry


def doc_info(row: sqlite3.Row) -> DocumentInfo:
    """A documents row, with its status now (derived currency first: currency_view)."""
    validity, source = cv.validity_of(row)
    return DocumentInfo(
        **{k: row[k] for k in _META},
        validity=validity,
        publisher_validity=row["validity"],
        validity_source=source,
        fields=tuple(json.loads(row["fields"] or "[]")),
        validity_vi=VALIDITY_VI.get(validity, validity),
    )


_META = (
    *("id", "number", "kind", "title", "issuer", "signer", "issued", "effective", "year"),
    *("scope", "summary", "source_url", "pdf", "page_count", "article_count"),
)


def build_tree(
    rows: Iterable[sqlite3.Row], root: int | None, *, with_ordinal: bool
) -> tuple[TextNode, ...]:
    """Frozen nodes from rows in reading order: the children of `root` (None: top level).
    Stops at the first row whose parent is not in the tree (an article's subtree ends)."""
    kids: dict[int | None, list[sqlite3.Row]] = {root: []}
    for r in rows:
        parent = r["parent_id"]
        if parent not in kids:
            if root is not None:
                break  # left the article's subtree
            parent = None  # a node whose parent is missing is shown at the top
        kids[parent].append(r)
        kids[r["id"]] = []

    def build(r: sqlite3.Row) -> TextNode:
        return TextNode(
            level=r["level"],
            number=r["number"],
            title=r["title"],
            text=r["text"],
            children=tuple(build(c) for c in kids[r["id"]]),
            ordinal=r["ordinal"] if with_ordinal else None,
        )

    return tuple(build(r) for r in kids[root])


def relation(rel: dict, target: sqlite3.Row | None, *, derived: bool) -> RelationView:
    """A publisher's relation (stored as model.Relation's fields) resolved in this library."""
    return RelationView(
        type=rel["type"],
        target=rel["target"],
        label_vi=RELATION_VI.get(rel["type"], rel["type"]),
        articles=tuple(rel.get("articles") or ()),
        effective=rel.get("effective"),
        note=rel.get("note", ""),
        derived=derived,
        target_doc_id=target["id"] if target else None,
        target_title=target["title"] if target else None,
        target_validity=target["validity"] if target else None,
    )


def publication(row: sqlite3.Row, pages: list[str]) -> Publication:
    """A publications row, with the text of its pages (none for a list)."""
    return Publication(
        id=row["id"],
        title=row["title"],
        category=row["category"],
        fields=json.loads(row["fields"] or "[]"),
        file=row["file"],
        summary=row["summary"],
        published=row["published"],
        pages=pages,
        transcript=row["transcript"],
        subtitles=row["subtitles"],
    )


def row_dict(row: sqlite3.Row) -> dict[str, Any]:
    """A row whose columns are a model class's fields, as keyword arguments."""
    return dict(zip(row.keys(), tuple(row), strict=True))


def notice(row: sqlite3.Row) -> Notice:
    """A notices row, its citations read back (none in a library built before 0008)."""
    data = row_dict(row)
    data["citations"] = [Citation(**c) for c in json.loads(data.get("citations") or "[]")]
    return Notice(**data)


def qa_entry(row: sqlite3.Row) -> QAEntry:
    """A qa row, its JSON columns read back."""
    data = row_dict(row)
    data["fields"] = json.loads(data["fields"] or "[]")
    data["citations"] = [Citation(**c) for c in json.loads(data["citations"] or "[]")]
    data["ticket_hash"] = data["ticket_hash"] or ""
    return QAEntry(**data)


def contest(raw: str) -> Contest:
    """A contest as stored (its JSON), checked as content is."""
    return Contest.from_dict(json.loads(raw), "content.sqlite:contests")


def article_parts(
    db: sqlite3.Connection, doc_id: str, article: str
) -> list[tuple[str, str | None, str | None]]:
    """(level, number, title) of the Phần / Chương / Mục an article sits in, outermost first."""
    rows = db.execute(_PARTS_SQL, (doc_id, article, *PART_VI)).fetchall()
    return [(r[0], r[1], r[2]) for r in rows]


# Up the tree from the article, in one statement (a search names the parts of its 10 hits).
_PARTS_SQL = f"""
WITH RECURSIVE up(parent_id, level, number, title, depth) AS (
    SELECT parent_id, level, number, title, 0 FROM nodes
    WHERE doc_id = ? AND level = 'dieu' AND number = ?
    UNION ALL
    SELECT n.parent_id, n.level, n.number, n.title, up.depth + 1
    FROM nodes n JOIN up ON n.id = up.parent_id
    WHERE up.depth < 12
)
SELECT level, number, title FROM up WHERE level IN ({",".join("?" * len(PART_VI))})
ORDER BY depth DESC
"""
