"""Which document of the library a reference in a text means, and which articles a part names.

Numbers in the texts are written loosely (`Luật Đầu tư số 67/2014/QH14` for 67/2014/QH13),
some texts are named by name and year only (`Luật Công đoàn năm 1990`), and chapters are cited
in Roman numerals where the stored text numbers them in Arabic.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from offline_index.analysis import fold_phrase
from offline_index.model import number_key
from offline_index.parsers.effects_refs import Ref


def number_year(number: str) -> str:
    """`68/2014/QH13` -> `68/2014` (leading zeros dropped), the part texts rarely misspell."""
    m = re.match(r"\s*0*(\d+)\s*/\s*((?:19|20)\d\d)\b", number)
    return f"{m.group(1)}/{m.group(2)}" if m else ""


def fold_title(title: str) -> str:
    """`Bộ luật Dân sự 2015` ~ `Bộ luật dân sự`: folded, without a closing year."""
    return re.sub(r"\s+(?:nam\s+)?(?:19|20)\d\d$", "", fold_phrase(title))


@dataclass
class DocInfo:
    id: str
    number: str
    kind: str
    title: str
    issued: str
    effective: str
    validity: str


class Resolver:
    """Which document of the library a loosely written reference means, or None.

    By official number first (`68/2014/QH13`); then by number and year with a kind or name
    that agrees (`67/2014/QH14` for `67/2014/QH13`); then by name and year or date (`Luật Công
    đoàn năm 1990`); a name alone only when one older document has exactly that title. A text
    never repeals or amends itself or a text issued after it.
    """

    def __init__(self, docs: Iterable[DocInfo]) -> None:
        self.docs = list(docs)
        self.by_key: dict[str, list[DocInfo]] = {}
        self.by_num_year: dict[str, list[DocInfo]] = {}
        self.by_title: dict[str, list[DocInfo]] = {}
        for d in self.docs:
            self.by_key.setdefault(number_key(d.number), []).append(d)
            if number_year(d.number):
                self.by_num_year.setdefault(number_year(d.number), []).append(d)
            self.by_title.setdefault(fold_title(d.title), []).append(d)

    def resolve(self, ref: Ref, source: DocInfo) -> DocInfo | None:
        found = self._candidates(ref)
        ok = [d for d in found if d.id != source.id and _older(d, source)]
        return ok[0] if len(ok) == 1 else None

    def _candidates(self, ref: Ref) -> list[DocInfo]:
        if ref.number:
            exact = self.by_key.get(number_key(ref.number), [])
            if exact:
                return exact
            loose = self.by_num_year.get(number_year(ref.number), [])
            return [d for d in loose if _kind_agrees(ref, d) and self._name_agrees(ref, d)]
        if ref.amending or not ref.name:
            return []
        named = self.by_title.get(fold_title(f"{ref.kind} {ref.name}"), [])
        if ref.date:
            return [d for d in named if d.issued == ref.date]
        if ref.year:
            return [d for d in named if d.issued[:4] == str(ref.year)]
        return named

    @staticmethod
    def _name_agrees(ref: Ref, d: DocInfo) -> bool:
        return (
            ref.amending
            or not ref.name
            or fold_title(f"{ref.kind} {ref.name}") == fold_title(d.title)
        )


def _kind_agrees(ref: Ref, d: DocInfo) -> bool:
    laws = ("Luật", "Bộ luật")
    return ref.kind == d.kind or (ref.kind in laws and d.kind in laws)


def _older(target: DocInfo, source: DocInfo) -> bool:
    return not (target.issued and source.issued) or target.issued <= source.issued


def articles_under(conn: sqlite3.Connection, doc_id: str, chapter: str, section: str) -> list[str]:
    """Articles of `Chương <chapter>` (or its `Mục <section>`) in a stored document."""
    rows = conn.execute(
        "SELECT level, number, depth FROM nodes WHERE doc_id = ? ORDER BY ordinal", (doc_id,)
    ).fetchall()
    out: list[str] = []
    inside: int | None = None  # depth of the chapter or section we are in
    in_chapter = False
    for level, number, depth in rows:
        if inside is not None and depth <= inside:
            inside = None
        if level == "chuong":
            in_chapter = _numeral(number) == _numeral(chapter)
            inside = depth if in_chapter and not section else None
        elif level == "muc" and in_chapter and section and _numeral(number) == _numeral(section):
            inside = depth
        elif level == "dieu" and inside is not None:
            out.append(number)
    return out


_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def _numeral(text: str) -> str:
    """`V` and `5` are the same chapter: texts cite in Roman numerals, some number in Arabic."""
    text = text.strip().upper()
    if text and all(c in _ROMAN for c in text):
        values = [_ROMAN[c] for c in text]
        total = sum(-v if v < nxt else v for v, nxt in zip(values, values[1:] + [0], strict=True))
        return str(total)
    return text.lstrip("0") or text
