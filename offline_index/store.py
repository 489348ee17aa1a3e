"""The generation's content database (content.sqlite) and the index records derived from content.

The schema is created by migrations recorded in the database itself, so a later version can
tell what it is reading. The database is written once per generation and then only read
(mode=ro), so it is built with journaling off and made durable by the build's fsync.
The search index's records are a view of the same content: offline_index/index_units.py.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict
from pathlib import Path
from typing import Any

import sqlite_utils

from offline_index import currency, playlists, search_topics, thesaurus
from offline_index.migrations import Migration, migrate
from offline_index.model import Document, Node, Notice, number_key, year_of
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


def _m0008(db: sqlite_utils.Database) -> None:
    # The articles a notice rests on (a legal-aid contact names who qualifies by the law).
    db.execute("ALTER TABLE notices ADD COLUMN citations TEXT NOT NULL DEFAULT '[]'")


MIGRATIONS = [
    Migration("library", "0001_content", _m0001),
    currency.MIGRATION,
    thesaurus.MIGRATION,
    Migration("library", "0004_doc_sources", _m0004),
    playlists.MIGRATION,  # scans-signage: what public screens play (offline_index/playlists.py)
    thesaurus.MIGRATION_ACCENTED,
    search_topics.MIGRATION,  # the search screen's topic chips
    Migration("library", "0008_notice_citations", _m0008),
]


def _j(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


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
            search_topics.write(self.conn, content.topics.values())
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
            year_of(d.issued),
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
        "INSERT INTO notices (id, type, title, body, date, place, phone, address, hours,"
        " citations) VALUES (?,?,?,?,?,?,?,?,?,?)",
        [_notice_row(n) for n in c.notices.values()],
    )


def _notice_row(n: Notice) -> tuple:
    cites = _j([asdict(x) for x in n.citations])
    return (n.id, n.type, n.title, n.body, n.date, n.place, n.phone, n.address, n.hours, cites)


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
