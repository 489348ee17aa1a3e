"""The read-only Library API every other layer uses (UI, sync, contests, evaluation).

A Library is one generation folder: content.sqlite opened with `mode=ro` and the Whoosh
index, opened only after the manifest proves the generation was built on this machine.
Given a home or library root, it follows the `current` pointer and falls back to
`previous` when current is unusable, so a kiosk keeps serving after a bad switch.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterable
from dataclasses import fields
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from offline_index import currency_view as cv
from offline_index import generations as gens
from offline_index import library_rows as lr
from offline_index import search_topics
from offline_index import thesaurus as ths
from offline_index.build import ensure_library
from offline_index.citations import cited
from offline_index.document_view import (
    ArticleView,
    DocumentInfo,
    DocumentView,
    RelationView,
    StatusRow,
    TextNode,
    document_name,
    part_path,
)
from offline_index.errors import LawShelfError, LibraryCorrupt, LibraryNotFound
from offline_index.expansion import default_model
from offline_index.generations import live_generation
from offline_index.model import (
    Citation,
    Contest,
    Media,
    Notice,
    Publication,
    QAEntry,
    SearchTopic,
    ThesaurusEntry,
    doc_id_for,
)
from offline_index.playlists import Playlist
from offline_index.playlists import read_rows as read_playlists
from offline_index.search_types import Cancel, SearchFilters, SearchResult, Suggestion

if TYPE_CHECKING:
    from offline_index.ocr.scan import ScanSummary

log = logging.getLogger(__name__)

INVERSE = {
    "replaces": "replaced_by",
    "replaced_by": "replaces",
    "amends": "amended_by",
    "amended_by": "amends",
    "consolidated_in": "consolidates",
}


def resolve_generation(path: Path) -> list[Path]:
    """Candidate generation folders for `path`, best first (current, then previous)."""
    path = Path(path)
    if (path / gens.MANIFEST).is_file():
        return [path]
    for root in (path, path / "library"):
        if (root / gens.CURRENT).is_symlink() or (root / gens.PREVIOUS).is_symlink():
            found = [g for g in (gens.live_generation(root), gens.previous_generation(root)) if g]
            if found:
                return found
    raise LibraryNotFound(f"no library at {path}")


class Library:
    """Read-only access to one generation; use from one thread at a time."""

    def __init__(self, gen_dir: Path, manifest: dict[str, Any]) -> None:
        from offline_index.search_engine import SearchEngine

        self.path = gen_dir
        self.manifest = manifest
        uri = (gen_dir / "content.sqlite").resolve().as_uri() + "?mode=ro"
        self.db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        self._number_terms: list[tuple[set[str], str, bool, str]] | None = None
        try:
            self.db.execute("SELECT count(*) FROM meta").fetchone()  # fail now, not mid-session
            self._select = cv.doc_select(self.db)  # documents with the validity in force
            self._everyday = ths.compiled(self.db)  # this release's everyday words
            self.engine = SearchEngine.open(gen_dir / "index")
        except Exception:
            self.db.close()
            raise
        self._attrs = cv.doc_attributes(self.db, self.find_number)
        self._replacing: dict[str, str] = {}
        self._parts: dict[tuple[str, str], str] = {}  # article -> its parts (article_part)
        self.engine.set_attributes(self._attrs)
        self.engine.set_citations(cited(self.db))
        self.engine.expansion = default_model()

    @classmethod
    def open(cls, path: Path | str) -> Library:
        """Open a generation folder, or the live generation of a home / library root."""
        error: LawShelfError | None = None
        for gen in resolve_generation(Path(path)):
            try:
                return cls(gen, gens.check_generation(gen))
            except LawShelfError as exc:
                log.warning("cannot open %s: %s", gen, exc.message)
                error = error or exc
            except Exception as exc:  # whatever breaks an open makes this generation unusable
                log.warning("cannot open %s: %s", gen, exc)
                error = error or LibraryCorrupt(f"{gen} cannot be opened: {exc}")
        assert error is not None
        raise error

    def close(self) -> None:
        self.engine.close()
        self.db.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def info(self) -> dict[str, Any]:
        m = self.manifest
        return {
            "generation": self.path.name,
            "path": str(self.path),
            "built_at": m.get("built_at"),
            "content_date": m.get("content_date"),
            "release_version": m.get("release_version"),
            "counts": m.get("counts", {}),
        }

    # ------------------------------------------------------------ search

    def search(
        self,
        text: str,
        limit: int = 10,
        filters: SearchFilters | None = None,
        *,
        deadline: float | None = None,
        cancel: Cancel | None = None,
    ) -> SearchResult:
        """Ranked hits (article/page/qa/notice) plus a did-you-mean; see docs/library-api.md."""
        # `deadline` (time.monotonic() seconds) and `cancel` bound the search: past either,
        # the best hits so far come back with partial=True.
        from offline_index.everyday import using_everyday

        with using_everyday(self._everyday):
            result = self.engine.search(text, limit, filters, deadline=deadline, cancel=cancel)
        for hit in result.hits:
            if hit.validity == "not_in_force":
                hit.replaced_by = self.replaced_by(hit.doc_id)
            if hit.hit_type == "article" and hit.article:
                hit.part = self.article_part(hit.doc_id, hit.article)
            if hit.hit_type == "qa" and self._qa_lapsed(hit.doc_id.removeprefix("qa:")):
                hit.validity = "not_in_force"  # the answer relies on a text replaced since
        return result

    def _qa_lapsed(self, qa_id: str) -> bool:
        """Whether a Q&A answer cites an article (or text) no longer in force."""
        row = self.db.execute("SELECT citations FROM qa WHERE id = ?", (qa_id,)).fetchone()
        return bool(self.lapsed([Citation(**c) for c in json.loads(row[0] or "[]")] if row else []))

    def article_part(self, doc_id: str, article: str) -> str:
        """The headings of the parts an article sits in, from its Phần or Chương down
        (`Chương IV. Bảo hiểm xã hội tự nguyện · Mục 2. Chế độ tử tuất`); "" for none."""
        key = (doc_id, article)
        if key not in self._parts:
            if len(self._parts) >= 4096:  # a day of searches at a kiosk; bounded all the same
                self._parts.clear()
            self._parts[key] = part_path(lr.article_parts(self.db, doc_id, article))
        return self._parts[key]

    def replaced_by(self, doc_id: str) -> str:
        """The official numbers of the texts that replaced `doc_id`: the publisher's relations
        (held here or not: `Luật Đất đai 45/2013` names 31/2024/QH15) and the texts in this
        library that replace it (read from their effect clauses). "" when none is named."""
        if doc_id not in self._replacing:
            held = self._attrs[doc_id].replaced_by if doc_id in self._attrs else ()
            named = []  # a held text by its official number, however the relation spells it
            for other in held:
                found = self.db.execute("SELECT number FROM documents WHERE id = ?", (other,))
                named += [r[0] for r in found]
            row = self.db.execute("SELECT relations FROM documents WHERE id = ?", (doc_id,))
            for rel in json.loads((row.fetchone() or ["[]"])[0] or "[]"):
                if rel.get("type") == "replaced_by" and self.find_number(rel["target"]) not in held:
                    named.append(rel["target"])
            self._replacing[doc_id] = ", ".join(dict.fromkeys(named))
        return self._replacing[doc_id]

    def currency(self) -> list[StatusRow]:
        """Documents whose status the texts give (see offline_index/currency.py)."""
        return cv.statuses(self.db)

    def thesaurus(self) -> list[ThesaurusEntry]:
        """The everyday-to-legal words this library searches with (the release's, else the
        embedded default's), for the librarian to see."""
        own = ths.entries(self.db)
        return own if own else ths.default_entries()

    def popular_topics(self) -> list[SearchTopic]:
        """The topics the search screen offers as chips: the release's, in its order, else
        the embedded default's (a library built before topics were content)."""
        own = search_topics.topics(self.db)
        return own if own else search_topics.default_topics()

    def topic_answers(self) -> list[search_topics.TopicAnswer]:
        """What each topic chip opens first, and whether that is a problem (no answer, or a
        text no longer in force): the publisher's check before a release."""
        return search_topics.first_answers(self.popular_topics(), lambda t: self.search(t, 1))

    def suggest(self, prefix: str, limit: int = 8) -> list[Suggestion]:
        """Titles matching what is typed, each with its number and status in force now; the
        texts in force first (a repealed law's title often reads as the topic itself)."""
        out = []
        for doc_id, title in self.engine.suggest(prefix, limit=limit):
            row = self.db.execute("SELECT number FROM documents WHERE id = ?", (doc_id,)).fetchone()
            attrs = self._attrs.get(doc_id)
            validity = attrs.validity if attrs else "unknown"
            out.append(Suggestion(doc_id, title, row[0] if row else "", validity))
        return sorted(out, key=lambda s: s.validity == "not_in_force")

    def citation_validity(self, c: Citation) -> str:
        """The status now of what a citation points at, its article else its text, as search
        reads it (the publisher's status, then what newer texts here say); '' for a text
        this library lacks. A Q&A answer written under a decree since replaced says so."""
        attrs = self._attrs.get(doc_id_for(c.doc_number))
        return attrs.record_validity(c.article or None) if attrs else ""

    def lapsed(self, citations: Iterable[Citation]) -> tuple[Citation, ...]:
        """The citations whose article (or text) is no longer in force."""
        return tuple(c for c in citations if self.citation_validity(c) == "not_in_force")

    def find_number(self, text: str) -> str | None:
        """doc_id for an official number in a loose form (`nd 100 2019`, `NĐ 100`, ...).

        Uses the search analyser's number normaliser, so search and lookup agree; a number
        typed exactly as published (any case, diacritics or not) is found first.
        """
        from offline_index import analysis as va
        from offline_index.store import number_key

        key = number_key(text.strip())
        sql = "SELECT id FROM documents WHERE number_key = ? ORDER BY validity = 'in_force' DESC"
        exact = self.db.execute(sql, (key,)).fetchone() if key else None
        if exact:
            return exact[0]
        wanted = {t for t in va.number_refs(va.fold(text)).terms if not t.startswith("a:")}
        if not wanted:
            return None
        if self._number_terms is None:
            rows = self.db.execute(self._select)
            self._number_terms = [
                (
                    set(va.number_terms_for_doc(r["number"], r["kind"])),
                    r["id"],
                    cv.validity_of(r)[0] == "in_force",
                    r["issued"] or "",
                )
                for r in rows
            ]
        scored = [
            (len(terms & wanted), in_force, issued, doc_id)
            for terms, doc_id, in_force, issued in self._number_terms
            if terms & wanted
        ]
        return max(scored)[3] if scored else None

    # ------------------------------------------------------------ documents

    def document_name(self, number: str) -> str | None:
        """`Luật Trợ giúp pháp lý 11/2017/QH14` for a cited official number, None when this
        library lacks the text: a citation's button says which law it opens (a bare number
        tells a resident nothing). Read by the id the reader opens a citation at
        (`doc_id_for`): one primary-key lookup, and a name only for a text the tap reaches."""
        sql = "SELECT title, kind, number FROM documents WHERE id = ?"
        row = self.db.execute(sql, (doc_id_for(number),)).fetchone()
        return document_name(row["title"] or "", row["kind"] or "", row["number"]) if row else None

    def _doc_row(self, doc_id: str) -> sqlite3.Row:
        row = self.db.execute(f"{self._select} WHERE d.id = ?", (doc_id,)).fetchone()
        if row is None:
            raise LibraryNotFound(
                f"no document {doc_id!r} in this library",
                message_vi="Không tìm thấy văn bản này trong thư viện.",
            )
        return row

    def document(self, doc_id: str) -> DocumentView:
        """Metadata, relations (resolved, both directions), validity notice, tree and pages."""
        row = self._doc_row(doc_id)
        info = lr.doc_info(row)
        relations = tuple(self._relations(row))
        currency = cv.status_detail(self.db, row)  # the texts' account, when shown
        in_force, notice, notice_vi = cv.status_notice(info, relations, currency)
        pages = self.db.execute("SELECT text FROM pages WHERE owner = ? ORDER BY page", (doc_id,))
        attrs = self._attrs.get(doc_id)
        return DocumentView(
            **{f.name: getattr(info, f.name) for f in fields(DocumentInfo)},
            relations=relations,
            currency=currency,
            article_status=cv.article_notices(self.db, doc_id),
            in_force=in_force,
            status_notice=notice,
            status_notice_vi=notice_vi,
            tree=self._tree(doc_id),
            pages=tuple(r[0] for r in pages),
            scan=self.scan(info.pdf),  # scans-signage: what OCR read, if a scan
            unnamed_in_force=attrs is not None and attrs.listed_in_part,  # as search reads it
        )

    def scan(self, pdf: str | None) -> ScanSummary | None:
        """What OCR made of a scanned PDF (its `.ocr.json` sidecar in files/), else None."""
        from offline_index.ocr import read_sidecar, sidecar_path

        if not pdf:
            return None
        try:
            scan = read_sidecar(sidecar_path(self.file_path(pdf)))
        except LibraryNotFound:
            return None
        return scan.summary() if scan else None

    def documents(self, *, kind: str | None = None, field: str | None = None) -> list[DocumentInfo]:
        """Metadata of every document (for browsing), newest first."""
        rows = self.db.execute(f"{self._select} ORDER BY d.issued DESC, d.number").fetchall()
        out = [lr.doc_info(r) for r in rows]
        return [d for d in out if (not kind or d.kind == kind) and (not field or field in d.fields)]

    def _resolve(self, target: str) -> sqlite3.Row | None:
        """The library's document for a relation target, tolerating loose spellings."""
        from offline_index.store import number_key

        sql = "SELECT id, number, title, validity FROM documents WHERE "
        row = self.db.execute(sql + "number_key = ?", (number_key(target),)).fetchone()
        doc_id = None if row else self.find_number(target)
        return self.db.execute(sql + "id = ?", (doc_id,)).fetchone() if doc_id else row

    def _relations(self, row: sqlite3.Row) -> list[RelationView]:
        """Own relations plus inverses of other documents' relations that point here."""
        out = []
        for rel in json.loads(row["relations"] or "[]"):
            out.append(lr.relation(rel, self._resolve(rel["target"]), derived=False))
        seen = {(r.type, r.target_doc_id or r.target) for r in out}
        for other in self.db.execute(
            "SELECT id, number, title, validity, relations FROM documents WHERE id != ?"
            " AND relations != '[]'",
            (row["id"],),
        ):
            for rel in json.loads(other["relations"] or "[]"):
                target = self._resolve(rel["target"]) if rel["type"] in INVERSE else None
                if target is None or target["id"] != row["id"]:
                    continue
                inv = {**rel, "type": INVERSE[rel["type"]], "target": other["number"]}
                if (inv["type"], other["id"]) not in seen:
                    out.append(lr.relation(inv, other, derived=True))
        seen = {(r.type, r.target_doc_id or r.target) for r in out}
        for drel in cv.derived_relations(self.db, row["id"]):  # read from the texts
            if (drel.type, drel.target_doc_id) not in seen:  # the publisher's win
                out.append(drel)
        return out

    def _nodes(self, doc_id: str, where: str, args: tuple[object, ...]) -> list[sqlite3.Row]:
        sql = "SELECT id, parent_id, ordinal, level, number, title, text FROM nodes"
        return self.db.execute(f"{sql} WHERE doc_id = ?{where} ORDER BY ordinal", (doc_id, *args))

    def _tree(self, doc_id: str) -> tuple[TextNode, ...]:
        """The document's body as a tree, in reading order."""
        return lr.build_tree(self._nodes(doc_id, "", ()), None, with_ordinal=True)

    def article(self, doc_id: str, number: str) -> ArticleView:
        """One Điều with its khoản/điểm, and the numbers of the previous and next articles."""
        self._doc_row(doc_id)
        row = self.db.execute(
            "SELECT * FROM nodes WHERE doc_id = ? AND level = 'dieu' AND number = ?"
            " ORDER BY ordinal LIMIT 1",
            (doc_id, str(number)),
        ).fetchone()
        if row is None:
            raise LibraryNotFound(
                f"{doc_id} has no article {number}", message_vi=f"Văn bản không có Điều {number}."
            )

        def neighbour(step: int) -> str | None:
            r = self.db.execute(
                "SELECT number FROM nodes WHERE doc_id = ? AND article_ordinal = ?",
                (doc_id, row["article_ordinal"] + step),
            ).fetchone()
            return r[0] if r else None

        return ArticleView(
            doc_id=doc_id,
            number=row["number"],
            title=row["title"],
            text=row["text"],
            children=self._subtree(doc_id, row),
            ordinal=row["ordinal"],
            previous=neighbour(-1),
            next=neighbour(1),
        )

    def _subtree(self, doc_id: str, row: sqlite3.Row) -> tuple[TextNode, ...]:
        """The article's khoản/điểm: the nodes after it, deeper than it, until the next."""
        rows = self._nodes(doc_id, " AND ordinal > ? AND depth > ?", (row["ordinal"], row["depth"]))
        return lr.build_tree(rows, row["id"], with_ordinal=False)

    # ------------------------------------------------------------ other content

    def publications(self, field: str | None = None, category: str | None = None) -> list:
        rows = self.db.execute("SELECT * FROM publications ORDER BY published DESC, title")
        pubs = [lr.publication(r, []) for r in rows]
        return [
            p
            for p in pubs
            if (not field or field in p.fields) and (not category or p.category == category)
        ]

    def publication(self, pub_id: str) -> Publication:
        row = self.db.execute("SELECT * FROM publications WHERE id = ?", (pub_id,)).fetchone()
        if row is None:
            raise LibraryNotFound(
                f"no publication {pub_id!r}",
                message_vi="Ấn phẩm này không còn trong thư viện.",
            )
        pages = [
            r[0]
            for r in self.db.execute(
                "SELECT text FROM pages WHERE owner = ? ORDER BY page", (f"pub:{pub_id}",)
            )
        ]
        return lr.publication(row, pages)

    def qa_entry(self, qa_id: str) -> QAEntry:
        row = self.db.execute("SELECT * FROM qa WHERE id = ?", (qa_id,)).fetchone()
        if row is None:
            raise LibraryNotFound(
                f"no Q&A entry {qa_id!r}",
                message_vi="Câu hỏi – trả lời này không còn trong thư viện.",
            )
        return lr.qa_entry(row)

    def qa_by_ticket_hash(self, ticket_hash: str) -> QAEntry | None:
        row = self.db.execute("SELECT * FROM qa WHERE ticket_hash = ?", (ticket_hash,)).fetchone()
        return lr.qa_entry(row) if row else None

    def qa_entries(
        self, field: str | None = None, *, public: bool = False, limit: int | None = None
    ) -> list[QAEntry]:
        """In the publisher's order (files by name, entries as listed), which the Q&A screen
        shows before a search: the most asked first, not the ids' order (`traffic-1013`, a
        pedestrian's fine, before `traffic-1062`, the motorbike's red light). `public`: no
        answer to a resident's own question (ticket); `limit`: the first so many, read from
        the table without the rest (a city's library holds thousands)."""
        where = " WHERE ticket_hash IS NULL" if public else ""
        out: list[QAEntry] = []
        for row in self.db.execute(f"SELECT * FROM qa{where} ORDER BY rowid"):
            entry = lr.qa_entry(row)
            if not field or field in entry.fields:
                out.append(entry)
                if limit is not None and len(out) >= limit:
                    break
        return out

    def contests(self) -> list[Contest]:
        rows = self.db.execute("SELECT data FROM contests ORDER BY opens")
        return [lr.contest(r[0]) for r in rows]

    def contest(self, contest_id: str) -> Contest:
        row = self.db.execute("SELECT data FROM contests WHERE id = ?", (contest_id,)).fetchone()
        if row is None:
            raise LibraryNotFound(
                f"no contest {contest_id!r}", message_vi="Cuộc thi này không còn trong thư viện."
            )
        return lr.contest(row[0])

    def media(self, on: date | None = None) -> list[Media]:
        """Media whose campaign window includes `on` (all media when `on` is None)."""
        day = on.isoformat() if on else None
        out = []
        for r in self.db.execute("SELECT * FROM media ORDER BY id"):
            if day and ((r["starts"] and r["starts"] > day) or (r["ends"] and r["ends"] < day)):
                continue
            out.append(Media(**lr.row_dict(r)))
        return out

    def playlists(self) -> list[Playlist]:
        """Scheduled playlists for public screens (offline_index/playlists.py)."""
        return read_playlists(self.db)

    def notices(self, type: str | None = None) -> list[Notice]:  # noqa: A002 - API name
        rows = self.db.execute("SELECT * FROM notices ORDER BY date DESC, id").fetchall()
        return [lr.notice(r) for r in rows if not type or r["type"] == type]

    def fields(self) -> list[tuple[str, int]]:
        """Fields of state management with how many documents and publications each holds,
        most used first: the count a shelf shows is what it lists, and a field that only a
        handbook or leaflet names still gets its shelf."""
        counts: dict[str, int] = {}
        sql = "SELECT fields FROM documents UNION ALL SELECT fields FROM publications"
        for (raw,) in self.db.execute(sql):
            for f in json.loads(raw or "[]"):
                counts[f] = counts.get(f, 0) + 1
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

    def categories(self) -> list[tuple[str, int]]:
        rows = self.db.execute(
            "SELECT category, count(*) FROM publications GROUP BY category ORDER BY 2 DESC, 1"
        )
        return [(r[0], r[1]) for r in rows]

    def file_path(self, name: str) -> Path:
        """Path of a content file (PDF, image, video); refuses names that escape files/."""
        root = (self.path / "files").resolve()
        path = (root / name).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            raise LibraryNotFound(
                f"no file {name!r} in this library",
                message_vi="Không tìm thấy tệp này trong thư viện.",
            )
        return path


__all__ = ["Library", "ensure_library", "live_generation", "resolve_generation"]
