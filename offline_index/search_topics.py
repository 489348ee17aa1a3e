"""The search screen's topic chips (`Nhiều người tìm`) as release content.

Content type `topics` (docs/content-format.md): `topics/*.json` files of entries
`{"text": "phạt vượt đèn đỏ", "field": "Giao thông", "order": 1}`. The build stores them in
the generation's `search_topics` table; the kiosk shows the library's own. A release that ships
none shows the demo content's (the embedded default), as before the chips were content.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import sqlite_utils

from offline_index.migrations import Migration
from offline_index.model import SearchTopic
from offline_index.search_types import SearchResult


def _m0007(db: sqlite_utils.Database) -> None:
    db.execute(
        'CREATE TABLE search_topics (id TEXT PRIMARY KEY, text TEXT, field TEXT, "order" INTEGER)'
    )


MIGRATION = Migration("library", "0007_search_topics", _m0007)


def write(conn: sqlite3.Connection, topics: Iterable[SearchTopic]) -> None:
    conn.executemany(
        'INSERT OR REPLACE INTO search_topics (id, text, field, "order") VALUES (?,?,?,?)',
        [(t.id, t.text, t.field, t.order) for t in topics],
    )


def topics(conn: sqlite3.Connection) -> list[SearchTopic] | None:
    """The generation's topics in their order; None when it was built before the table."""
    try:
        rows = conn.execute(
            'SELECT text, id, field, "order" FROM search_topics ORDER BY "order", text'
        ).fetchall()
    except sqlite3.OperationalError:
        return None
    return [SearchTopic(r[0], r[1], r[2] or "", r[3] or 0) for r in rows]


def default_topics() -> list[SearchTopic]:
    """The embedded default (demo content), validated like any content; none if it is not
    here (demo.default_content: a kiosk installed before topics were content)."""
    from offline_index.demo import default_content

    if (found := default_content("topics/popular.json")) is None:
        return []
    path, data = found
    topics = [SearchTopic.from_dict(e, f"{path}[{i}]") for i, e in enumerate(data["entries"])]
    return sorted(topics, key=lambda t: (t.order, t.text))


@dataclass(frozen=True)
class TopicAnswer:
    """What a topic chip opens first: a resident taps it and reads that, so the publisher
    checks it before a release (`lawshelf topics --check`)."""

    text: str
    first: str  # `168/2024/NĐ-CP Điều 7`, a Q&A entry's question, or "" when nothing answers
    key: str
    validity: str
    problem: str  # "" | "no answer" | "not in force"


def first_answers(
    chosen: Iterable[SearchTopic], search: Callable[[str], SearchResult]
) -> list[TopicAnswer]:
    """Each topic's first hit as a resident gets it; a problem when nothing answers it or the
    first answer is a text no longer in force (the chip would open a red `Hết hiệu lực`)."""
    out = []
    for t in chosen:
        hits = search(t.text).hits
        if not hits:
            out.append(TopicAnswer(t.text, "", "", "", "no answer"))
            continue
        h = hits[0]
        where = f"Điều {h.article}" if h.article else ""
        first = " ".join(x for x in (h.doc_number, where) if x) or h.article_title or h.doc_title
        problem = "not in force" if h.validity == "not_in_force" else ""
        out.append(TopicAnswer(t.text, first, h.key, h.validity, problem))
    return out
