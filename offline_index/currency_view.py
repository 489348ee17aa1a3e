"""Reading law currency back: the per-document table for search, and what a reader shows.

Generations built before law currency have no `document_status` view; every reader here
falls back to the publisher's `documents.validity` for them.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, replace

from offline_index.dates import vn_date
from offline_index.document_view import (
    RELATION_VI,
    ArticleStatus,
    DocumentInfo,
    RelationView,
    Source,
    StatusRow,
    TextStatus,
)
from offline_index.model import number_key
from offline_index.search_types import DocAttributes


@dataclass(frozen=True)
class DocStatus:
    """Per-document attributes the search reads at query time (never baked into the index)."""

    validity: str
    source: str = "publisher"  # publisher | text | none
    replaced_by: tuple[str, ...] = ()  # documents that replace it, wholly or in part
    repealed: frozenset[str] = frozenset()  # its articles repealed as a whole
    kept: frozenset[str] = frozenset()  # articles of a repealed text still in force
    partly: frozenset[str] = frozenset()  # its articles repealed in part (a clause, a point)

    def article_in_force(self, article: str) -> bool | None:
        """False when the texts say this article no longer applies; None when unknown."""
        if article in self.repealed:
            return False
        if self.validity == "not_in_force":
            return False
        if self.validity == "partly_in_force" and self.kept:
            return article in self.kept
        return None if self.validity == "unknown" else True


def _names(text: str | None) -> frozenset[str]:
    """A JSON list of names as a set. Most article lists are empty: read without the parser
    (opening a 10x library reads some 9,000 lists)."""
    return frozenset(json.loads(text)) if text and text != "[]" else frozenset()


def load_status(conn: sqlite3.Connection) -> dict[str, DocStatus]:
    """The small per-document table for ranking and filters, from a generation's database."""
    if not has_currency(conn):
        rows = conn.execute("SELECT id, validity FROM documents")
        return {r[0]: DocStatus(r[1]) for r in rows}
    repl: dict[str, list[str]] = {}
    partly: dict[str, set[str]] = {}
    for doc_id, other, articles, whole in conn.execute(
        "SELECT doc_id, other_id, articles, whole_articles FROM derived_relations"
        " WHERE type = 'replaced_by' AND applied = 1"
    ):
        repl.setdefault(doc_id, []).append(other)
        named = _names(articles) - _names(whole)
        partly.setdefault(doc_id, set()).update(named)
    return {
        r[0]: DocStatus(
            r[1],
            r[2],
            tuple(dict.fromkeys(repl.get(r[0], []))),
            _names(r[3]),
            _names(r[4]),
            frozenset(partly.get(r[0], ())),
        )
        for r in conn.execute("SELECT id, validity, source, repealed, kept FROM document_status")
    }


def doc_attributes(
    conn: sqlite3.Connection, resolve: Callable[[str], str | None] | None = None
) -> dict[str, DocAttributes]:
    """Per document, what search reads at query time rather than from the index: its status
    in force, the documents of this library replacing it, which of its articles are gone or
    kept, and its fields and date of issue (IndexRecords.successors). The publisher first,
    then what the texts say (docs/content-format.md).

    Relations: the publisher's (`replaced_by` on the old text or `replaces` on the new one,
    resolved by official number, or by `resolve` for a loose one such as `Nghị định
    100/2019/ND-CP`: Library.find_number, as the reader resolves it) and the texts' applied
    `replaced_by`. Article lists: those
    the publisher's relations give, and the texts' unless the publisher says the document is
    in force (the publisher wins).
    """
    status = load_status(conn)
    publisher = _publisher_replacements(conn, resolve)
    facts = {
        doc_id: (_names(fields), issued or "")
        for doc_id, fields, issued in conn.execute("SELECT id, fields, issued FROM documents")
    }
    out = {}
    for doc_id, st in status.items():
        given_by, given_articles = publisher.get(doc_id, ((), frozenset()))
        texts_count = not (st.source == "publisher" and st.validity == "in_force")
        texts_by = st.replaced_by if texts_count else ()
        by = tuple(dict.fromkeys(d for d in given_by + texts_by if d != doc_id))
        repealed = given_articles | (st.repealed if texts_count else frozenset())
        kept = st.kept if texts_count and st.validity != "in_force" else frozenset()
        fields, issued = facts.get(doc_id, (frozenset(), ""))
        out[doc_id] = DocAttributes(
            validity=st.validity,
            replaced_by=by,
            repealed_articles=repealed,
            kept_articles=kept,
            partly_articles=st.partly if texts_count else frozenset(),
            unlisted=st.validity == "partly_in_force"
            and bool(by)
            and not (texts_by or repealed or kept),
            fields=fields,
            issued=issued,
        )
    return out


def _publisher_replacements(
    conn: sqlite3.Connection, resolve: Callable[[str], str | None] | None
) -> dict[str, tuple[tuple[str, ...], frozenset[str]]]:
    """Per document, (doc_ids replacing it, articles named) from the publisher's relations."""
    rows = conn.execute("SELECT id, number_key, relations FROM documents").fetchall()
    by_key: dict[str, str] = {}
    for doc_id, key, _ in rows:
        by_key.setdefault(key, doc_id)
    pairs: list[tuple[str, str, list[str]]] = []  # (old, new, articles)
    for doc_id, _, relations in rows:
        for rel in json.loads(relations or "[]"):
            if rel["type"] not in ("replaced_by", "replaces"):
                continue  # before resolving: a loose number's lookup reads every document
            target = rel.get("target") or ""
            other = by_key.get(number_key(target)) or (resolve(target) if resolve else None)
            if other is None:
                continue
            old, new = (doc_id, other) if rel["type"] == "replaced_by" else (other, doc_id)
            pairs.append((old, new, list(rel.get("articles") or ())))
    out: dict[str, tuple[tuple[str, ...], frozenset[str]]] = {}
    for old, new, articles in pairs:
        by, arts = out.get(old, ((), frozenset()))
        out[old] = (tuple(dict.fromkeys((*by, new))), arts | frozenset(articles))
    return out


def has_currency(conn: sqlite3.Connection) -> bool:
    """Generations built before law currency have no `document_status` view."""
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE name = 'document_status' AND type = 'view'"
    ).fetchone()
    return row is not None


# ---------------------------------------------------------------- what the reader shows

DOC_SELECT = (
    "SELECT d.*, s.validity AS status, s.source AS status_source,"
    " s.derived_validity AS derived_validity, s.since AS status_since, s.until AS status_until,"
    " s.by_doc_id AS status_by, s.effect_id AS status_effect, s.repealed AS status_repealed,"
    " s.kept AS status_kept FROM documents d LEFT JOIN document_status s ON s.id = d.id"
)
PLAIN_SELECT = "SELECT * FROM documents d"


def doc_select(conn: sqlite3.Connection) -> str:
    """`SELECT` of documents with their status in force (publisher's, else the texts')."""
    return DOC_SELECT if has_currency(conn) else PLAIN_SELECT


def validity_of(row: sqlite3.Row) -> tuple[str, str]:
    """(validity in force, where it comes from) of a row read with `doc_select`."""
    keys = row.keys()
    if "status" in keys and row["status"]:
        return row["status"], row["status_source"]
    return row["validity"], "publisher"


def _source(conn: sqlite3.Connection, effect_id: int | None, shared_article: bool) -> Source | None:
    from offline_index.parsers.effects_refs import location

    row = conn.execute(
        "SELECT e.doc_id, d.number, d.title, d.kind, e.article, e.clause, e.point, e.sentence"
        " FROM effects e JOIN documents d ON d.id = e.doc_id WHERE e.id = ?",
        (effect_id,),
    ).fetchone()
    if row is None:
        return None
    where = location(row[4]) if shared_article else location(row[4], row[5], row[6])
    return Source(row[0], row[1], row[2], row[3], row[4] or "", where, row[7])


def status_detail(conn: sqlite3.Connection, row: sqlite3.Row) -> TextStatus | None:
    """The texts' account of a document's status, when it is the status shown."""
    keys = row.keys()
    if "derived_validity" not in keys or not row["derived_validity"]:
        return None
    if row["derived_validity"] != row["status"]:
        return None  # the publisher said otherwise, and the publisher wins
    (rows,) = conn.execute(
        "SELECT count(*) FROM derived_relations WHERE doc_id = ? AND type = 'replaced_by'"
        " AND applied = 1 AND other_id = ?",
        (row["id"], row["status_by"]),
    ).fetchone()
    # Many statements (`Bãi bỏ Điều 5, Điều 6;` …) of one text: cite their article.
    source = _source(conn, row["status_effect"], shared_article=rows > 1)
    by = conn.execute(
        "SELECT number, title FROM documents WHERE id = ?", (row["status_by"],)
    ).fetchone()
    return TextStatus(
        validity=row["derived_validity"],
        since=row["status_since"],
        until=row["status_until"],
        by_doc_id=row["status_by"],
        by_number=by[0] if by else "",
        by_title=by[1] if by else "",
        repealed=tuple(json.loads(row["status_repealed"] or "[]")),
        kept=tuple(json.loads(row["status_kept"] or "[]")),
        source=source,
    )


def _articles_text(articles: tuple[str, ...], limit: int = 8) -> str:
    shown = ", ".join(articles[:limit]) + (", …" if len(articles) > limit else "")
    return f"Điều {shown}" if shown else ""


def notice(detail: TextStatus) -> tuple[str, str]:
    """(English, Vietnamese) sentence for the reader: status, date, and the text that says so.

    `Hết hiệu lực từ 01/01/2021, theo Khoản 2 Điều 217 Luật Doanh nghiệp 59/2020/QH14.`
    """
    since, until = vn_date(detail.since), vn_date(detail.until)
    cite = detail.source.cite if detail.source else ""
    validity = detail.validity
    if validity == "not_yet_in_force":
        return (
            f"Not yet in force: applies from {since}.",
            f"Chưa có hiệu lực: có hiệu lực từ {since}.",
        )
    if validity == "not_in_force":
        vi, en = f"Hết hiệu lực từ {since}", f"No longer in force since {since}"
    elif detail.kept:
        kept = _articles_text(detail.kept)
        vi = f"Hết hiệu lực từ {since}, trừ {kept} còn hiệu lực" + (
            f" đến {until}" if until else ""
        )
        en = f"No longer in force since {since}, except {kept.replace('Điều', 'Articles')}"
        en += f" (in force until {until})" if until else ""
    else:
        gone = _articles_text(detail.repealed)
        vi = f"Hết hiệu lực một phần từ {since}" + (f" ({gone})" if gone else "")
        en = f"Partly no longer in force since {since}"
        en += f" ({gone.replace('Điều', 'Articles')})" if gone else ""
    if cite:
        vi, en = f"{vi}, theo {cite}", f"{en}, under {cite}"
    return f"{en}.", f"{vi}."


_RANK = {"amended": 0, "partly_repealed": 1, "repealed": 2}


def article_notices(conn: sqlite3.Connection, doc_id: str) -> dict[str, ArticleStatus]:
    """Per article of `doc_id`: repealed (as a whole or in part) or amended, when, by what."""
    if not has_currency(conn):
        return {}
    rows = conn.execute(
        "SELECT r.type, r.articles, r.whole_articles, r.effective, r.applied, r.effect_id"
        " FROM derived_relations r WHERE r.doc_id = ? AND r.type IN ('replaced_by', 'amended_by')"
        " ORDER BY r.effective, r.effect_id",
        (doc_id,),
    ).fetchall()
    out: dict[str, ArticleStatus] = {}
    for kind, articles, whole, effective, applied, effect_id in rows:
        whole_set = _names(whole)
        for art in json.loads(articles or "[]"):
            state = "amended"
            if kind == "replaced_by":
                state = "repealed" if art in whole_set else "partly_repealed"
            prev = out.get(art)
            if prev and (prev.applied, _RANK[prev.state]) >= (bool(applied), _RANK[state]):
                continue
            source = _source(conn, effect_id, shared_article=False)
            out[art] = ArticleStatus(state, effective, bool(applied), source)
    return out


def derived_relations(conn: sqlite3.Connection, doc_id: str) -> list[RelationView]:
    """Relations read from the texts, one per (type, other document), articles merged."""
    if not has_currency(conn):
        return []
    rows = conn.execute(
        "SELECT r.type, r.other_id, r.other_number, d.title, s.validity, r.articles,"
        " r.effective, r.applied, r.whole FROM derived_relations r"
        " JOIN documents d ON d.id = r.other_id LEFT JOIN document_status s ON s.id = r.other_id"
        " WHERE r.doc_id = ? ORDER BY r.effective, r.effect_id",
        (doc_id,),
    ).fetchall()
    merged: dict[tuple[str, str], RelationView] = {}
    for kind, other, number, title, validity, articles, effective, applied, whole in rows:
        rel = merged.get((kind, other)) or RelationView(
            type=kind,
            target=number,
            label_vi=RELATION_VI.get(kind, kind),
            effective=effective,
            target_doc_id=other,
            target_title=title,
            target_validity=validity,
            from_text=True,
            applied=bool(applied),
        )
        more = [a for a in json.loads(articles or "[]") if a not in rel.articles]
        merged[(kind, other)] = replace(
            rel, articles=(*rel.articles, *more), whole=rel.whole or bool(whole)
        )
    return list(merged.values())


def status_notice(
    doc: DocumentInfo, relations: tuple[RelationView, ...], currency: TextStatus | None
) -> tuple[bool, str, str]:
    """(in force, English, Vietnamese): plain words for the reader when a text is not (fully)
    in force, and what replaced it: the texts' sentence when they are the source of the status
    shown, else the publisher's."""
    publisher = doc.validity_source == "publisher" and doc.validity != "unknown"
    replaced = [
        r
        for r in relations
        if r.type == "replaced_by"
        and r.applied
        and not (publisher and r.from_text)  # the publisher's validity wins
    ]
    if doc.validity in ("in_force", "unknown") and not replaced:
        return True, "", ""
    if currency:
        return False, *notice(currency)
    by = ", ".join(dict.fromkeys(r.target for r in replaced))
    vi = f"Văn bản này: {doc.validity_vi}."
    en = f"This document is {doc.validity.replace('_', ' ')}."
    if by:
        vi += f" Được thay thế bởi {by}."
        en += f" Replaced by {by}."
    return False, en, vi


def statuses(conn: sqlite3.Connection) -> list[StatusRow]:
    """Every document the texts say something about, for the librarian: what is shown, what
    the texts say, and which sentence says it."""
    if not has_currency(conn):
        return []
    conn.row_factory = sqlite3.Row
    rows = conn.execute(
        f"{DOC_SELECT} WHERE s.derived_validity IS NOT NULL ORDER BY d.issued, d.number"
    ).fetchall()
    out = []
    for row in rows:
        detail = status_detail(conn, row)
        source = detail.source if detail else None
        shown, origin = validity_of(row)
        partial = row["derived_validity"] == "partly_in_force" and not (detail and detail.kept)
        out.append(
            StatusRow(
                number=row["number"],
                title=row["title"],
                validity=shown,
                source=origin,
                texts_say=row["derived_validity"],
                since=row["status_since"],
                cite=source.cite if source else "",
                sentence="" if partial or not source else source.sentence,  # one of many
            )
        )
    return out
