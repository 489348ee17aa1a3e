"""The generation's content database (content.sqlite) and the index records derived from content.

The schema is created by migrations recorded in the database itself, so a later version can
tell what it is reading. The database is written once per generation and then only read
(mode=ro), so it is built with journaling off and made durable by the build's fsync.
Index records are produced here too, because they are a view of the same stored content.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

import sqlite_utils

from offline_index import currency, playlists, thesaurus
from offline_index.article_titles import part_words
from offline_index.migrations import Migration, migrate
from offline_index.model import Document, Node, number_key
from offline_index.search_types import IndexRecord
from offline_index.source import Content

SCHEMA_VERSION = 1


def _m0001(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE documents (
            id TEXT PRIMARY KEY, number TEXT, number_key TEXT, kind TEXT, title TEXT,
            issuer TEXT, signer TEXT, issued TEXT, effective TEXT, year INTEGER,
            validity TEXT, scope TEXT, fields TEXT, summary TEXT, source_url TEXT,
            relations TEXT, pdf TEXT, page_count INTEGER, article_count INTEGER);
        CREATE TABLE nodes (
            id INTEGER PRIMARY KEY, doc_id TEXT, parent_id INTEGER, ordinal INTEGER,
            depth INTEGER, level TEXT, number TEXT, title TEXT, text TEXT,
            article_ordinal INTEGER);
        CREATE INDEX nodes_doc ON nodes (doc_id, ordinal);
        CREATE INDEX nodes_article ON nodes (doc_id, level, number);
        CREATE TABLE pages (owner TEXT, page INTEGER, text TEXT, PRIMARY KEY (owner, page));
        CREATE TABLE publications (
            id TEXT PRIMARY KEY, title TEXT, category TEXT, fields TEXT, file TEXT,
            summary TEXT, published TEXT, transcript TEXT, subtitles TEXT, page_count INTEGER);
        CREATE TABLE qa (
            id TEXT PRIMARY KEY, question TEXT, answer TEXT, fields TEXT, citations TEXT,
            subject TEXT, fine TEXT, extra_penalties TEXT, remedial TEXT, ticket_hash TEXT);
        CREATE INDEX qa_ticket ON qa (ticket_hash);
        CREATE TABLE contests (id TEXT PRIMARY KEY, title TEXT, opens TEXT, closes TEXT,
            data TEXT);
        CREATE TABLE media (id TEXT PRIMARY KEY, type TEXT, title TEXT, file TEXT,
            starts TEXT, ends TEXT, duration_s INTEGER);
        CREATE TABLE notices (id TEXT PRIMARY KEY, type TEXT, title TEXT, body TEXT,
            date TEXT, place TEXT, phone TEXT, address TEXT, hours TEXT);
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
        CREATE TABLE index_units (unit TEXT PRIMARY KEY, hash TEXT);
        """
    )


def _m0004(db: sqlite_utils.Database) -> None:
    # The source file each document came from (sha256 of a format-v1 JSON file): the next
    # build copies an unchanged document's rows instead of parsing and validating it again.
    db.execute("CREATE TABLE doc_sources (key TEXT PRIMARY KEY, doc_id TEXT)")


MIGRATIONS = [
    Migration("library", "0001_content", _m0001),
    currency.MIGRATION,
    thesaurus.MIGRATION,
    Migration("library", "0004_doc_sources", _m0004),
    playlists.MIGRATION,  # scans-signage: what public screens play (offline_index/playlists.py)
    thesaurus.MIGRATION_ACCENTED,
]


def _j(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _year(issued: str | None) -> int | None:
    return int(issued[:4]) if issued else None


# ---------------------------------------------------------------- writing


class StoreWriter:
    """Writes content.sqlite (which must not exist) one document at a time.

    A document added again (a later source overriding an earlier one) replaces the first.
    With a `base` content.sqlite of the same schema, `copy_document` takes an unchanged
    document's rows from it.
    """

    def __init__(self, path: Path, base: Path | None = None) -> None:
        self.db = sqlite_utils.Database(sqlite3.connect(path.resolve().as_uri(), uri=True))
        self.db.execute("PRAGMA journal_mode=OFF")
        self.db.execute("PRAGMA synchronous=OFF")
        migrate(self.db, MIGRATIONS)
        self.conn = self.db.conn
        self.next_node = 1
        self.articles: dict[str, int] = {}
        self.base_sources = _base_sources(self.conn, base) if base else {}
        self._attached = bool(self.base_sources)
        self.copied = 0

    def _forget(self, doc_id: str) -> None:
        if doc_id in self.articles:
            tables = (("nodes", "doc_id"), ("pages", "owner"), ("doc_sources", "doc_id"))
            for table, key in (*tables, ("effects", "doc_id")):
                self.conn.execute(f"DELETE FROM {table} WHERE {key} = ?", (doc_id,))

    def add_document(self, d: Document, source_key: str | None = None) -> None:
        with self.conn:
            self._forget(d.id)
            self.articles[d.id] = _write_document(self.conn, d, self.next_node)
            if source_key:
                self.conn.execute(
                    "INSERT OR REPLACE INTO doc_sources VALUES (?, ?)", (source_key, d.id)
                )
        self.next_node += sum(1 for top in d.body for _ in top.walk())

    def copy_document(self, doc_id: str, source_key: str) -> None:
        """The base's rows of an unchanged document (node ids renumbered)."""
        with self.conn:
            self._forget(doc_id)
            first, count = self.conn.execute(
                "SELECT min(id), count(*) FROM base.nodes WHERE doc_id = ?", (doc_id,)
            ).fetchone()
            delta = self.next_node - (first or 0)
            self.conn.execute(
                "INSERT INTO nodes SELECT id + ?1, doc_id, parent_id + ?1, ordinal, depth, level,"
                " number, title, text, article_ordinal FROM base.nodes WHERE doc_id = ?2",
                (delta, doc_id),
            )
            for sql in (
                "INSERT OR REPLACE INTO documents SELECT * FROM base.documents WHERE id = ?",
                "INSERT INTO pages SELECT * FROM base.pages WHERE owner = ?",
                # law currency: the effect statements read from its text (offline_index/currency)
                "INSERT INTO effects SELECT NULL, doc_id, action, whole, target, article, clause,"
                " point, effective, parts, kept, exception, until, consolidated, sentence"
                " FROM base.effects WHERE doc_id = ? ORDER BY id",
            ):
                self.conn.execute(sql, (doc_id,))
            self.conn.execute(
                "INSERT OR REPLACE INTO doc_sources VALUES (?, ?)", (source_key, doc_id)
            )
            (articles,) = self.conn.execute(
                "SELECT article_count FROM documents WHERE id = ?", (doc_id,)
            ).fetchone()
            self.articles[doc_id] = articles
        self.next_node += count
        self.copied += 1

    def finish(self, content: Content, meta: dict[str, str]) -> None:
        """Everything but the documents, the meta table, then ANALYZE."""
        if self._attached:
            self.conn.execute("DETACH DATABASE base")
        with self.conn:
            _write_other(self.conn, content)
            thesaurus.write(self.conn, content.thesaurus.values())
            playlists.write_rows(self.conn, list(content.playlists.values()))  # public screens
            self.conn.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
        self.db.execute("PRAGMA journal_mode=DELETE")
        self.db.execute("ANALYZE")
        self.db.close()


def write_store(path: Path, content: Content, meta: dict[str, str]) -> None:
    """content.sqlite from content held in memory (benchmarks and tests; a build streams)."""
    writer = StoreWriter(path)
    for doc in content.documents.values():
        writer.add_document(doc)
    writer.finish(content, meta)


def _base_sources(conn: sqlite3.Connection, base: Path) -> dict[str, tuple[str, str]]:
    """source key -> (doc_id, pdf) of the base's documents; empty unless its schema is ours."""
    if not base.is_file():
        return {}
    conn.execute("ATTACH DATABASE ? AS base", (f"{base.resolve().as_uri()}?mode=ro",))
    names = {r[0] for r in conn.execute("SELECT name FROM base._migrations")}
    rows = []
    if names == {m.name for m in MIGRATIONS}:
        rows = conn.execute(
            "SELECT s.key, d.id, d.pdf FROM base.doc_sources s"
            " JOIN base.documents d ON d.id = s.doc_id"
        ).fetchall()
    if not rows:
        conn.execute("DETACH DATABASE base")
    return {key: (doc_id, pdf or "") for key, doc_id, pdf in rows}


def _write_document(conn: Any, d: Document, first_id: int) -> int:
    """One document's rows; returns its number of articles."""
    rows = _flatten(d.id, d.body, first_id)
    conn.executemany("INSERT INTO nodes VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
    articles = sum(1 for r in rows if r[9] is not None)
    conn.execute(
        "INSERT OR REPLACE INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            d.id,
            d.number,
            number_key(d.number),
            d.kind,
            d.title,
            d.issuer,
            d.signer,
            d.issued,
            d.effective,
            _year(d.issued),
            d.validity,
            d.scope,
            _j(d.fields),
            d.summary,
            d.source_url,
            _j([asdict(r) for r in d.relations]),
            d.pdf,
            len(d.pages),
            articles,
        ),
    )
    conn.executemany(
        "INSERT INTO pages VALUES (?,?,?)", [(d.id, i + 1, t) for i, t in enumerate(d.pages)]
    )
    conn.executemany(currency.INSERT_EFFECTS, currency.effect_rows(d))  # law currency
    return articles


def _flatten(doc_id: str, body: list[Node], first_id: int) -> list[tuple]:
    """Pre-order node rows; `ordinal` orders the whole tree, `article_ordinal` only articles."""
    rows: list[tuple] = []
    articles = 0
    stack: list[tuple[Node, int | None, int]] = [(n, None, 0) for n in reversed(body)]
    while stack:
        node, parent, depth = stack.pop()
        node_id = first_id + len(rows)
        art = None
        if node.level == "dieu":
            art, articles = articles, articles + 1
        rows.append(
            (
                node_id,
                doc_id,
                parent,
                len(rows),
                depth,
                node.level,
                node.number,
                node.title,
                node.text,
                art,
            )
        )
        stack.extend((c, node_id, depth + 1) for c in reversed(node.children))
    return rows


def _write_other(conn: Any, c: Content) -> None:
    for p in c.publications.values():
        conn.execute(
            "INSERT INTO publications VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                p.id,
                p.title,
                p.category,
                _j(p.fields),
                p.file,
                p.summary,
                p.published,
                p.transcript,
                p.subtitles,
                len(p.pages),
            ),
        )
        conn.executemany(
            "INSERT INTO pages VALUES (?,?,?)",
            [(f"pub:{p.id}", i + 1, t) for i, t in enumerate(p.pages)],
        )
    conn.executemany(
        "INSERT INTO qa VALUES (?,?,?,?,?,?,?,?,?,?)",
        [
            (
                q.id,
                q.question,
                q.answer,
                _j(q.fields),
                _j([asdict(x) for x in q.citations]),
                q.subject,
                q.fine,
                q.extra_penalties,
                q.remedial,
                q.ticket_hash or None,
            )
            for q in c.qa.values()
        ],
    )
    conn.executemany(
        "INSERT INTO contests VALUES (?,?,?,?,?)",
        [(x.id, x.title, x.opens, x.closes, _j(asdict(x))) for x in c.contests.values()],
    )
    conn.executemany(
        "INSERT INTO media VALUES (?,?,?,?,?,?,?)",
        [(m.id, m.type, m.title, m.file, m.starts, m.ends, m.duration_s) for m in c.media.values()],
    )
    conn.executemany(
        "INSERT INTO notices VALUES (?,?,?,?,?,?,?,?,?)",
        [
            (n.id, n.type, n.title, n.body, n.date, n.place, n.phone, n.address, n.hours)
            for n in c.notices.values()
        ],
    )


def write_index_units(path: Path, units: dict[str, str]) -> None:
    """Record each index unit's hash so the next build can tell what changed."""
    db = sqlite_utils.Database(path)
    with db.conn:
        db.conn.executemany("INSERT INTO index_units VALUES (?, ?)", sorted(units.items()))
    db.close()


def read_index_units(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return dict(conn.execute("SELECT unit, hash FROM index_units"))
    except sqlite3.Error:
        return {}
    finally:
        conn.close()


# ---------------------------------------------------------------- index records


def index_units(content: Content) -> dict[str, list[IndexRecord]]:
    """Index records grouped by unit (the doc_id the index can drop and re-add together)."""
    units: dict[str, list[IndexRecord]] = {}
    for rec in index_records(content):
        units.setdefault(rec.doc_id, []).append(rec)
    return units


def unit_hash(records: list[IndexRecord]) -> str:
    """What the index holds of a unit. Validity is left out: search reads it at query time
    from the documents table (offline_index.currency_view.doc_attributes), so a repeal alone
    re-indexes nothing."""
    h = hashlib.sha256()
    for rec in records:
        h.update(_j({**asdict(rec), "validity": ""}).encode())
    return h.hexdigest()


def index_records(content: Content) -> Iterator[IndexRecord]:
    """Article-level records for documents, page-level for PDFs/publications, plus Q&A/notices."""
    for doc in content.documents.values():
        yield from document_records(doc)
    yield from other_records(content)


def other_records(content: Content) -> Iterator[IndexRecord]:
    """Records of everything but documents (which a streaming build indexes as they load)."""
    for pub in content.publications.values():
        yield from publication_records(pub)
    for q in content.qa.values():
        if q.ticket_hash:  # a private answer to one resident's ticket: found by its ticket only
            continue
        yield _record(
            f"qa:{q.id}",
            "qa",
            f"qa:{q.id}",
            "",
            q.question,
            "Hỏi đáp",
            "central",
            "",
            q.fields,
            None,
            None,
            "",
            None,
            "\n".join(
                x
                for x in (q.question, q.answer, q.subject, q.fine, q.extra_penalties, q.remedial)
                if x
            ),
        )
    for n in content.notices.values():
        yield _record(
            f"notice:{n.id}",
            "notice",
            f"notice:{n.id}",
            "",
            n.title,
            "Thông báo",
            "local",
            "",
            [],
            _year(n.date),
            None,
            "",
            None,
            "\n".join(x for x in (n.title, n.body, n.place, n.address) if x),
        )


def document_records(doc: Document) -> Iterator[IndexRecord]:
    """One record per Điều (text includes its khoản and điểm); pages when there are no articles."""
    base = (
        doc.id,
        doc.number,
        doc.title,
        doc.kind,
        doc.scope,
        doc.validity,
        doc.fields,
        _year(doc.issued),
    )
    seen: dict[str, int] = {}
    for art, headings in doc.articles_in_parts():
        n = seen[art.number] = seen.get(art.number, 0) + 1
        key = f"{doc.id}#a{art.number}" + (f"~{n}" if n > 1 else "")
        text = art.full_text()
        record = _record(
            key,
            "article",
            *base,
            art.number,
            art.title,
            None,
            f"Điều {art.number}. {art.title}\n{text}" if art.title else text,
        )
        record.parts = part_words(headings)
        yield record
    if seen:
        return
    if doc.pages:
        for i, text in enumerate(doc.pages, 1):
            if text.strip():
                yield _record(f"{doc.id}#p{i}", "page", *base, None, "", i, text)
    elif doc.body:
        text = "\n".join(n.full_text() for n in doc.body)
        yield _record(f"{doc.id}#body", "article", *base, None, "", None, text)


def publication_records(pub: Any) -> Iterator[IndexRecord]:
    base = (
        f"pub:{pub.id}",
        "",
        pub.title,
        pub.category,
        "central",
        "in_force",
        pub.fields,
        _year(pub.published),
    )
    for i, text in enumerate(pub.pages, 1):
        if text.strip():
            yield _record(f"pub:{pub.id}#p{i}", "page", *base, None, "", i, text)
    if pub.transcript or not pub.pages:
        text = "\n".join(x for x in (pub.title, pub.summary, pub.transcript) if x)
        yield _record(f"pub:{pub.id}#t", "page", *base, None, "", None, text)


def _record(
    key: str,
    hit_type: str,
    doc_id: str,
    number: str,
    title: str,
    kind: str,
    scope: str,
    validity: str,
    fields: list[str],
    year: int | None,
    article: str | None,
    article_title: str,
    page: int | None,
    text: str,
) -> IndexRecord:
    return IndexRecord(
        key=key,
        hit_type=hit_type,
        doc_id=doc_id,
        doc_number=number,
        doc_title=title,
        kind=kind,
        scope=scope,
        validity=validity,
        fields=list(fields),
        year=year,
        article=article,
        article_title=article_title,
        page=page,
        text=text,
    )
