"""The everyday-to-legal thesaurus as release content: stored per generation, read at open.

Content type `thesaurus` (docs/content-format.md): `thesaurus/*.json` files of entries
`{"everyday": "bằng lái", "legal": "giấy phép lái xe"}`. The build stores them in the
generation's `thesaurus` table; a Library searches with its own table. A release that ships no
thesaurus uses the demo content's (the embedded default), so an older publisher folder keeps
the expansion it had when the table was code.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

import sqlite_utils

from offline_index import analysis
from offline_index.migrations import Migration
from offline_index.model import ThesaurusEntry


def _m0003(db: sqlite_utils.Database) -> None:
    db.execute(
        "CREATE TABLE thesaurus (id TEXT PRIMARY KEY, everyday TEXT, legal TEXT, fields TEXT,"
        " note TEXT)"
    )


def _m0006(db: sqlite_utils.Database) -> None:
    db.execute("ALTER TABLE thesaurus ADD COLUMN accented_only INTEGER NOT NULL DEFAULT 0")


MIGRATION = Migration("library", "0003_thesaurus", _m0003)
MIGRATION_ACCENTED = Migration("library", "0006_thesaurus_accented_only", _m0006)


def write(conn: sqlite3.Connection, entries: Iterable[ThesaurusEntry]) -> None:
    conn.executemany(
        "INSERT OR REPLACE INTO thesaurus (id, everyday, legal, fields, note, accented_only)"
        " VALUES (?,?,?,?,?,?)",
        [
            (
                e.id,
                e.everyday,
                e.legal,
                json.dumps(e.fields, ensure_ascii=False),
                e.note,
                int(e.accented_only),
            )
            for e in entries
        ],
    )


def entries(conn: sqlite3.Connection) -> list[ThesaurusEntry] | None:
    """The generation's entries by everyday words; None when it has no thesaurus table."""
    for flag in ("accented_only", "0"):  # "0": built before 0006_thesaurus_accented_only
        try:
            rows = conn.execute(
                f"SELECT id, everyday, legal, fields, note, {flag} FROM thesaurus ORDER BY everyday"
            ).fetchall()
        except sqlite3.OperationalError:  # built before the column, or before the table
            continue
        return [
            ThesaurusEntry(r[1], r[2], r[0], json.loads(r[3] or "[]"), r[4] or "", bool(r[5]))
            for r in rows
        ]
    return None


def compiled(conn: sqlite3.Connection) -> analysis.Everyday | None:
    """The table a search of this generation uses; None: the embedded default."""
    found = entries(conn)
    if not found:
        return None
    return analysis.compile_everyday((e.everyday, e.legal, e.accented_only) for e in found)


def matching(entries: Iterable[ThesaurusEntry], word: str) -> list[ThesaurusEntry]:
    """The entries whose everyday or legal words contain `word`, typed with diacritics or
    without (folded, as search folds): the librarian's filter, in `lawshelf thesaurus WORD`
    and on the admin screen. An empty word keeps every entry."""
    key = analysis.fold_phrase(word)
    if not key:
        return list(entries)
    return [e for e in entries if key in analysis.fold(e.everyday) or key in analysis.fold(e.legal)]


def default_entries() -> list[ThesaurusEntry]:
    """The embedded default (demo content) table, validated like any content."""
    from offline_index.demo import CONTENT

    path = CONTENT / "thesaurus" / "everyday.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return [ThesaurusEntry.from_dict(e, f"{path}[{i}]") for i, e in enumerate(data["entries"])]
