"""Law currency read from the texts: which documents a newer text in the library repealed.

At build time every stored document contributes its effect statements (parsers/effects.py) to
the `effects` table: small per-document rows, written as the document is stored. After all
documents are stored, `apply()` makes one pass: it resolves each statement's target (numbers
are written loosely) to a document of this library, writes the relations both ways into
`derived_relations`, and the status each document has on the content date into
`document_currency`. Nothing of this is in the search index: validity is read at query time
(view `document_status`), so a new law repealing an old one needs no re-indexing.

Precedence: what the publisher gave (`documents.validity` other than `unknown`,
`documents.relations`) always wins; derived values sit in their own tables and fill in only
what the publisher left unknown. Where the two disagree, the build reports a conflict.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass, field

import sqlite_utils

from offline_index.currency_resolve import DocInfo, Resolver, articles_under
from offline_index.migrations import Migration
from offline_index.model import Document
from offline_index.parsers.effects import statements
from offline_index.parsers.effects_refs import Part, Ref


def _m0002(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE effects (
            id INTEGER PRIMARY KEY, doc_id TEXT, action TEXT, whole INTEGER,
            target TEXT, article TEXT, clause TEXT, point TEXT, effective TEXT,
            parts TEXT, kept TEXT, exception TEXT, until TEXT, consolidated INTEGER,
            sentence TEXT);
        CREATE INDEX effects_doc ON effects (doc_id);
        CREATE TABLE derived_relations (
            doc_id TEXT, type TEXT, other_id TEXT, other_number TEXT, whole INTEGER,
            articles TEXT, whole_articles TEXT, parts TEXT, kept TEXT, until TEXT,
            effective TEXT, applied INTEGER, effect_id INTEGER);
        CREATE INDEX derived_relations_doc ON derived_relations (doc_id);
        CREATE TABLE document_currency (
            doc_id TEXT PRIMARY KEY, validity TEXT, since TEXT, until TEXT, by_doc_id TEXT,
            effect_id INTEGER, repealed TEXT, kept TEXT);
        CREATE VIEW document_status AS
            SELECT d.id AS id,
                CASE WHEN d.validity != 'unknown' THEN d.validity
                     ELSE coalesce(c.validity, 'unknown') END AS validity,
                CASE WHEN d.validity != 'unknown' THEN 'publisher'
                     WHEN c.validity IS NOT NULL THEN 'text' ELSE 'none' END AS source,
                c.validity AS derived_validity, c.since AS since, c.until AS until,
                c.by_doc_id AS by_doc_id, c.effect_id AS effect_id, c.repealed AS repealed,
                c.kept AS kept
            FROM documents d LEFT JOIN document_currency c ON c.doc_id = d.id;
        """
    )


MIGRATION = Migration("library", "0002_currency", _m0002)
INSERT_EFFECTS = "INSERT INTO effects VALUES (NULL,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
INVERSE = {"replaced_by": "replaces", "amended_by": "amends", "consolidated_in": "consolidates"}


def _j(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def effect_rows(doc: Document) -> list[tuple]:
    """Rows of the `effects` table for one document (called as the document is stored)."""
    return [
        (
            doc.id,
            st.action,
            int(st.whole),
            _j(asdict(st.target)) if st.target else None,
            st.article,
            st.clause,
            st.point,
            st.effective,
            _j([asdict(p) for p in st.parts]),
            _j([asdict(p) for p in st.kept]),
            st.exception,
            st.until,
            int(st.consolidated),
            st.sentence,
        )
        for st in statements(doc)
    ]


# ---------------------------------------------------------------- deriving


@dataclass
class Derived:
    doc_id: str
    type: str
    other: DocInfo
    whole: bool
    articles: list[str]  # articles named, wholly or in part
    whole_articles: list[str]  # articles named as a whole (`Bãi bỏ Điều 5, Điều 6`)
    parts: list[str]  # the parts as the text names them (`khoản 4 Điều 84`)
    kept: list[str]  # articles of a repealed text that stay in force (exceptions)
    until: str | None
    effective: str | None
    applied: bool
    effect_id: int


@dataclass
class CurrencyReport:
    """What a build derived; `conflicts` are where the publisher's metadata disagrees."""

    statements: int = 0
    resolved: int = 0
    applied: int = 0
    pending: int = 0
    unresolved: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class _Effect:
    id: int
    doc_id: str
    action: str
    whole: bool
    target: Ref | None
    where: tuple[str, str, str]
    effective: str | None
    parts: list[dict]
    kept: list[dict]
    until: str | None
    consolidated: bool


def _effects(conn: sqlite3.Connection) -> list[_Effect]:
    rows = conn.execute(
        "SELECT id, doc_id, action, whole, target, article, clause, point, effective, parts,"
        " kept, until, consolidated FROM effects ORDER BY id"
    )
    return [
        _Effect(
            r[0],
            r[1],
            r[2],
            bool(r[3]),
            Ref(**json.loads(r[4])) if r[4] else None,
            (r[5] or "", r[6] or "", r[7] or ""),
            r[8],
            json.loads(r[9] or "[]"),
            json.loads(r[10] or "[]"),
            r[11],
            bool(r[12]),
        )
        for r in rows
    ]


def _docs(conn: sqlite3.Connection) -> dict[str, DocInfo]:
    rows = conn.execute(
        "SELECT id, number, kind, title, issued, effective, validity FROM documents"
    )
    return {r[0]: DocInfo(r[0], r[1], r[2], r[3], r[4] or "", r[5] or "", r[6]) for r in rows}


def _part_dates(effects: list[_Effect]) -> dict[str, list[tuple[dict, str]]]:
    """Per document, `Quy định tại khoản 3 Điều 75 của Luật này có hiệu lực từ …` dates."""
    out: dict[str, list[tuple[dict, str]]] = {}
    for e in effects:
        if e.action == "effective" and not e.whole and e.effective:
            out.setdefault(e.doc_id, []).extend((p, e.effective) for p in e.parts)
    return out


def _in_part(where: tuple[str, str, str], part: dict) -> bool:
    article, clause, point = where
    if part.get("article") != article:
        return False
    return (not part.get("clause") or part["clause"] == clause) and (
        not part.get("point") or part["point"] == point
    )


class _Deriver:
    def __init__(self, conn: sqlite3.Connection, as_of: str) -> None:
        self.conn, self.as_of = conn, as_of
        self.docs = _docs(conn)
        self.resolver = Resolver(self.docs.values())
        self.effects = _effects(conn)
        self.part_dates = _part_dates(self.effects)
        self.own = {
            e.doc_id: e.effective for e in self.effects if e.action == "effective" and e.whole
        }
        self.base = self._consolidated_bases()
        self.report = CurrencyReport(statements=len(self.effects))
        self._chapters: dict[tuple[str, str, str], list[str]] = {}

    def _consolidated_bases(self) -> dict[str, DocInfo]:
        """A consolidated text (VBHN) speaks for the law it consolidates."""
        out = {}
        for e in self.effects:
            if e.action == "consolidates" and e.target:
                base = self.resolver.resolve(e.target, self.docs[e.doc_id])
                if base:
                    out[e.doc_id] = base
        return out

    def effective_of(self, e: _Effect, source: DocInfo) -> str | None:
        """The stated date, else the date of the part of the source it stands in, else the
        source's own effective date (a provision takes effect with its text)."""
        if e.effective:
            return e.effective
        for part, day in self.part_dates.get(source.id, []):
            if _in_part(e.where, part):
                return day
        return self.own.get(source.id) or source.effective or None

    def derive(self) -> list[Derived]:
        out: list[Derived] = []
        for e in self.effects:
            if e.action == "effective":
                continue
            out += self._one(e)
        return out

    def _one(self, e: _Effect) -> list[Derived]:
        source = self.docs[e.doc_id]
        if e.consolidated:  # the base law's own clause, repeated in the consolidated text
            if e.doc_id not in self.base:
                return []
            source = self.base[e.doc_id]
        if e.action == "consolidates":
            return self._consolidates(e, source)
        target = self.resolver.resolve(e.target, source) if e.target else source
        if target is None:
            self.report.unresolved += 1
            return []
        self.report.resolved += 1
        when = self.effective_of(e, source)
        kind = "amended_by" if e.action == "amend" else "replaced_by"
        applied = bool(when) and when <= self.as_of
        self.report.applied += applied
        self.report.pending += not applied
        out = [self._row(target.id, kind, source, e, when, applied)]
        if target.id != source.id:
            out.append(self._row(source.id, INVERSE[kind], target, e, when, applied))
        out += self._amended_by_list(e, target, source)
        return out

    def _row(self, doc_id: str, kind: str, other: DocInfo, e: _Effect, when, applied) -> Derived:
        target = other.id if doc_id == e.doc_id or doc_id == self.base.get(e.doc_id) else doc_id
        named = [self._expand(target, p) for p in e.parts]
        return Derived(
            doc_id,
            kind,
            other,
            e.whole,
            list(dict.fromkeys(a for arts, _ in named for a in arts)),
            list(dict.fromkeys(a for arts, whole in named if whole for a in arts)),
            [_label(p) for p in e.parts],
            [a for p in e.kept for a in self._expand(target, p)[0]],
            e.until,
            when,
            applied,
            e.id,
        )

    def _expand(self, doc_id: str, part: dict) -> tuple[list[str], bool]:
        """Article numbers a part names (a chapter or section: its articles), and whether whole."""
        if part.get("article"):
            return [part["article"]], not part.get("clause") and not part.get("point")
        if not part.get("chapter"):
            return [], False
        key = (doc_id, part["chapter"], part.get("section", ""))
        if key not in self._chapters:
            self._chapters[key] = articles_under(self.conn, *key)
        return self._chapters[key], True

    def _amended_by_list(self, e: _Effect, target: DocInfo, source: DocInfo) -> list[Derived]:
        """`Luật X số … đã được sửa đổi, bổ sung theo Luật số A`: X amended_by A."""
        out = []
        for number in e.target.amended_by if e.target else []:
            amending = self.resolver.resolve(Ref(number, "", number=number), source)
            if amending and amending.id != target.id:
                when = amending.effective or None
                applied = bool(when) and when <= self.as_of
                out += [
                    Derived(
                        target.id,
                        "amended_by",
                        amending,
                        False,
                        [],
                        [],
                        [],
                        [],
                        None,
                        when,
                        applied,
                        e.id,
                    ),
                    Derived(
                        amending.id,
                        "amends",
                        target,
                        False,
                        [],
                        [],
                        [],
                        [],
                        None,
                        when,
                        applied,
                        e.id,
                    ),
                ]
        return out

    def _consolidates(self, e: _Effect, base: DocInfo) -> list[Derived]:
        vbhn = self.docs[e.doc_id]
        return [
            Derived(base.id, "consolidated_in", vbhn, True, [], [], [], [], None, None, True, e.id),
            Derived(vbhn.id, "consolidates", base, True, [], [], [], [], None, None, True, e.id),
        ]


def _label(part: dict) -> str:
    return Part(**part).label()


# ---------------------------------------------------------------- status on a date


@dataclass
class _Status:
    validity: str
    since: str | None
    until: str | None = None  # the kept articles stay in force up to this day
    by: Derived | None = None
    repealed: list[str] = field(default_factory=list)  # articles repealed as a whole
    kept: list[str] = field(default_factory=list)  # articles of a repealed text still in force


def _status(doc: DocInfo, rows: list[Derived], as_of: str) -> _Status | None:
    """What the texts say about one document on `as_of`, or None when they say nothing."""
    gone = sorted((r for r in rows if r.type == "replaced_by" and r.applied), key=_when)
    whole = [r for r in gone if r.whole]
    if whole:
        r = whole[0]
        if (r.kept or r.until) and (r.until is None or as_of <= r.until):
            return _Status("partly_in_force", r.effective, r.until, r, kept=r.kept)
        return _Status("not_in_force", r.effective, None, r)
    if gone:
        repealed = list(dict.fromkeys(a for g in gone for a in g.whole_articles))
        return _Status("partly_in_force", gone[0].effective, None, gone[0], repealed=repealed)
    if doc.effective and doc.effective > as_of:
        return _Status("not_yet_in_force", doc.effective)
    return None


def _when(r: Derived) -> str:
    return r.effective or ""


def apply(db_path: str, as_of: str) -> CurrencyReport:
    """Derive relations and statuses as of `as_of` (YYYY-MM-DD) into the generation's tables."""
    conn = sqlite3.connect(db_path)
    try:
        with conn:
            deriver = _Deriver(conn, as_of)
            rows = deriver.derive()
            _write(conn, rows, deriver, as_of)
        return deriver.report
    finally:
        conn.close()


def _write(conn: sqlite3.Connection, rows: list[Derived], d: _Deriver, as_of: str) -> None:
    conn.executemany(
        "INSERT INTO derived_relations VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            (
                r.doc_id,
                r.type,
                r.other.id,
                r.other.number,
                int(r.whole),
                _j(r.articles),
                _j(r.whole_articles),
                _j(r.parts),
                _j(r.kept),
                r.until,
                r.effective,
                int(r.applied),
                r.effect_id,
            )
            for r in rows
        ],
    )
    by_doc: dict[str, list[Derived]] = {}
    for r in rows:
        by_doc.setdefault(r.doc_id, []).append(r)
    statuses = []
    for doc in d.docs.values():
        st = _status(doc, by_doc.get(doc.id, []), as_of)
        if st is None:
            continue
        by = (st.by.other.id, st.by.effect_id) if st.by else (None, None)
        statuses.append(
            (doc.id, st.validity, st.since, st.until, *by, _j(st.repealed), _j(st.kept))
        )
        d.report.statuses[st.validity] = d.report.statuses.get(st.validity, 0) + 1
        _conflict(doc, st.validity, d.report)
    conn.executemany("INSERT INTO document_currency VALUES (?,?,?,?,?,?,?,?)", statuses)


def _conflict(doc: DocInfo, derived: str, report: CurrencyReport) -> None:
    if doc.validity not in ("unknown", derived):
        report.conflicts.append(
            f"{doc.number}: the publisher says {doc.validity}, the texts say {derived}"
        )


__all__ = ["INSERT_EFFECTS", "MIGRATION", "CurrencyReport", "apply", "effect_rows"]
