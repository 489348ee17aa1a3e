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
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlite_utils

from offline_index import playlists
from offline_index.migrations import Migration, migrate
from offline_index.model import Document, Node
from offline_index.source import Content

if TYPE_CHECKING:
    from offline_index.search_engine import IndexRecord

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


MIGRATIONS = [Migration("library", "0001_content", _m0001)]


def number_key(number: str) -> str:
    """Official number reduced for lookup: `100/2019/NĐ-CP` -> `100/2019/nd-cp`."""
    from offline_index.model import doc_id_for

    return "/".join(doc_id_for(part) for part in number.split("/"))


def _j(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _year(issued: str | None) -> int | None:
    return int(issued[:4]) if issued else None


# ---------------------------------------------------------------- writing


def write_store(path: Path, content: Content, meta: dict[str, str]) -> None:
    """Create content.sqlite at `path` (which must not exist) from loaded content."""
    db = sqlite_utils.Database(path)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    migrate(db, MIGRATIONS + playlists.MIGRATIONS)
    conn = db.conn
    with conn:
        _write_documents(conn, content.documents.values())
        _write_other(conn, content)
        playlists.write_rows(conn, list(content.playlists.values()))  # signage schedules
        conn.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
    db.execute("PRAGMA journal_mode=DELETE")
    db.execute("ANALYZE")
    db.close()


def _write_documents(conn: Any, docs: Iterable[Document]) -> None:
    next_id = 1
    for d in docs:
        rows = _flatten(d.id, d.body, next_id)
        next_id += len(rows)
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
    h = hashlib.sha256()
    for rec in records:
        h.update(_j(asdict(rec)).encode())
    return h.hexdigest()


def index_records(content: Content) -> Iterator[IndexRecord]:
    """Article-level records for documents, page-level for PDFs/publications, plus Q&A/notices."""
    for doc in content.documents.values():
        yield from document_records(doc)
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
    articles = doc.articles()
    seen: dict[str, int] = {}
    for art in articles:
        n = seen[art.number] = seen.get(art.number, 0) + 1
        key = f"{doc.id}#a{art.number}" + (f"~{n}" if n > 1 else "")
        text = art.full_text()
        yield _record(
            key,
            "article",
            *base,
            art.number,
            art.title,
            None,
            f"Điều {art.number}. {art.title}\n{text}" if art.title else text,
        )
    if articles:
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
    from offline_index.search_engine import IndexRecord

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
