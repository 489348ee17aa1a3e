"""The everyday-to-legal thesaurus as release content: stored per generation, read at open.

Content type `thesaurus` (docs/content-format.md): `thesaurus/*.json` files of entries
`{"everyday": "bằng lái", "legal": "giấy phép lái xe"}`. The build stores them in the
generation's `thesaurus` table; a Library searches with its own table. A release that ships no
thesaurus uses the demo content's (the embedded default), so an older publisher folder keeps
the expansion it had when the table was code.
"""

from __future__ import annotations

import functools
import json
import re
import sqlite3
import unicodedata
from collections.abc import Iterable

import sqlite_utils

from offline_index import analysis, everyday
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


def compiled(conn: sqlite3.Connection) -> everyday.Everyday | None:
    """The table a search of this generation uses; None: the embedded default."""
    found = entries(conn)
    if not found:
        return None
    return everyday.compile_everyday((e.everyday, e.legal, e.accented_only) for e in found)


def matching(entries: Iterable[ThesaurusEntry], word: str) -> list[ThesaurusEntry]:
    """The entries whose everyday or legal words contain `word` at the start of a word: the
    librarian's filter, in `lawshelf thesaurus WORD` and on the admin screen. Typed with
    diacritics it matches as typed, without them folded, as search matches everyday words
    (`chó` is not `chồng`, `cho` finds both). An empty word keeps every entry."""
    if not analysis.fold_phrase(word):
        return list(entries)
    accented = analysis.has_diacritics(word)
    pattern = re.compile(r"(?<!\w)" + re.escape(" ".join(_form(word, accented).split())))
    return [
        e
        for e in entries
        if pattern.search(_form(e.everyday, accented)) or pattern.search(_form(e.legal, accented))
    ]


@functools.lru_cache(maxsize=1 << 16)
def _form(text: str, accented: bool) -> str:
    """Text as the filter compares it; kept, so a keystroke does not fold every entry again."""
    return analysis.accent_lower(text) if accented else analysis.fold(text)


_LETTERS = {c: i for i, c in enumerate("aăâbcdđeêfghijklmnoôơpqrstuưvwxyz", start=100)}
_SHAPED = {"a\u0306": "ă", "a\u0302": "â", "e\u0302": "ê", "o\u0302": "ô", "o\u031b": "ơ"}
_SHAPED["u\u031b"] = "ư"  # breve, circumflex and horn make letters of their own
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền … nặng


def dictionary_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Vietnamese dictionary order: letters first (a, ă, â, b, …, d, đ, …), tones second
    (`án oan`, `anh em`, `ăn cắp`, `bằng lái`, `bhxh`); code-point order (SQLite's) puts
    every accented letter after z."""
    letters: list[str] = []
    tones: list[int] = []
    for ch in unicodedata.normalize("NFD", text.lower()):
        if ch in _TONES and tones:
            tones[-1] = _TONES[ch]
        elif letters and letters[-1] + ch in _SHAPED:
            letters[-1] = _SHAPED[letters[-1] + ch]
        else:
            letters.append(ch)
            tones.append(0)
    ranks = (_LETTERS.get(c) or _other_rank(c) for c in letters)
    return tuple(ranks), tuple(tones)


def _other_rank(ch: str) -> int:
    """Spaces and punctuation before digits, digits before letters, other scripts after."""
    if ch.isdecimal():
        return 10 + unicodedata.decimal(ch)
    return 1000 + ord(ch) if ch.isalnum() else 0


def in_dictionary_order(entries: Iterable[ThesaurusEntry]) -> list[ThesaurusEntry]:
    """The entries as a librarian reads them: by their everyday words in dictionary order."""
    return sorted(entries, key=lambda e: dictionary_key(e.everyday))


def default_entries() -> list[ThesaurusEntry]:
    """The embedded default (demo content) table, validated like any content; none if it is
    not here (demo.default_content)."""
    from offline_index.demo import default_content

    if (found := default_content("thesaurus/everyday.json")) is None:
        return []
    path, data = found
    return [ThesaurusEntry.from_dict(e, f"{path}[{i}]") for i, e in enumerate(data["entries"])]
