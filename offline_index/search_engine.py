"""Vietnamese full-text search over a locally built Whoosh index.

This is the only module that imports whoosh. The index is always written here from
verified content and never opened from elsewhere: Whoosh's table of contents is a
pickle, so opening a foreign index would run its code. Callers (the library) only
open indexes inside generations they built and checked.

Index layout (one Whoosh document per article / page / Q&A / notice):
  body   folded syllable bigrams of the text (precise, short posting lists, fast)
  body1  folded single syllables (recall for one-syllable words, did-you-mean vocabulary)
  dtitle kind + title + number + year of the document (syllables and bigrams)
  atitle article title (syllables and bigrams)
  num    official-number terms (`n:100/2019`, `k:nd:100`) and `a:12` for Điều 12
Sidecar JSON (never pickles): titles.json for suggestions, vocab.json for did-you-mean.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as windex
from whoosh import query as wq
from whoosh import scoring
from whoosh.analysis import Filter, Token, Tokenizer
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

from offline_index import analysis as va
from offline_index.errors import LibraryCorrupt
from offline_index.spelling import Speller

log = logging.getLogger(__name__)

INDEX_FORMAT = 1
META_FILE = "lawshelf-index.json"
TITLES_FILE = "titles.json"
VOCAB_FILE = "vocab.json"


@dataclass
class IndexRecord:
    """One searchable unit: an article, a PDF page, a Q&A entry or a notice."""

    key: str
    hit_type: str
    doc_id: str
    doc_number: str = ""
    doc_title: str = ""
    kind: str = ""
    scope: str = ""
    validity: str = ""
    fields: list[str] = field(default_factory=list)
    year: int | None = None
    article: str | None = None
    article_title: str = ""
    page: int | None = None
    text: str = ""


@dataclass
class Hit:
    """One search result, ready to show: snippet is HTML-escaped with <mark> highlights."""

    key: str
    hit_type: str
    doc_id: str
    doc_number: str
    doc_title: str
    kind: str
    validity: str
    article: str | None
    article_title: str
    page: int | None
    score: float
    snippet: str


@dataclass
class SearchResult:
    hits: list[Hit]
    did_you_mean: str | None
    total: int


# ---------------------------------------------------------------- analysis pipeline


class SyllableTokenizer(Tokenizer):
    """NFC + fold the whole value once, then split into syllables (fast on long texts)."""

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,  # noqa: D102
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        words = va.syllables(value) if tokenize else [va.fold(value)]
        for pos, word in enumerate(words):
            t.text, t.boost, t.stopped = word, 1.0, False
            if positions:
                t.pos = start_pos + pos
            yield t


class NgramFilter(Filter):
    """Emit syllables and/or adjacent syllable bigrams."""

    def __init__(self, unigrams: bool = True, bigrams: bool = True) -> None:
        self.unigrams, self.bigrams = unigrams, bigrams

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NgramFilter) and vars(self) == vars(other)

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:  # noqa: D102
        prev = None
        for t in tokens:
            word = t.text
            if self.unigrams:
                yield t
            if self.bigrams and prev is not None:
                t.text = f"{prev} {word}"
                yield t
                t.text = word
            prev = word


def bigram_analyzer():  # noqa: ANN201 - whoosh analyzer
    return SyllableTokenizer() | NgramFilter(unigrams=False)


def unigram_analyzer():  # noqa: ANN201
    return SyllableTokenizer() | NgramFilter(bigrams=False)


def title_analyzer():  # noqa: ANN201
    return SyllableTokenizer() | NgramFilter()


def make_schema() -> Schema:
    return Schema(
        key=ID(stored=True, unique=True),
        hit_type=ID(stored=True),
        doc_id=ID(stored=True),
        kind=ID(stored=True),
        scope=ID(stored=True),
        validity=ID(stored=True),
        year=ID(stored=True),
        fields=KEYWORD(stored=True, commas=True),
        doc_number=STORED(),
        doc_title=STORED(),
        article=STORED(),
        article_title=STORED(),
        page=STORED(),
        text=STORED(),
        body=TEXT(analyzer=bigram_analyzer(), phrase=False),
        body1=TEXT(analyzer=unigram_analyzer(), phrase=False),
        dtitle=TEXT(analyzer=title_analyzer(), phrase=False),
        atitle=TEXT(analyzer=title_analyzer(), phrase=False),
        num=KEYWORD(),
    )


# ---------------------------------------------------------------- writing


def _doc_fields(r: IndexRecord) -> dict:
    nums = va.number_terms_for_doc(r.doc_number, r.kind) if r.doc_number else []
    if r.article:
        nums.append(f"a:{va.fold(r.article)}")
    dtitle = " ".join(x for x in (r.kind, r.doc_title, r.doc_number, str(r.year or "")) if x)
    return dict(
        key=r.key,
        hit_type=r.hit_type,
        doc_id=r.doc_id,
        kind=r.kind,
        scope=r.scope,
        validity=r.validity,
        year=str(r.year) if r.year else "",
        fields=",".join(r.fields),
        doc_number=r.doc_number,
        doc_title=r.doc_title,
        article=r.article,
        article_title=r.article_title,
        page=r.page,
        text=r.text,
        body=r.text,
        body1=r.text,
        dtitle=dtitle,
        atitle=r.article_title,
        num=" ".join(nums),
    )


def _link_or_copy(src: Path, dst: Path) -> None:
    """Reuse an immutable segment file without copying its bytes when possible."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _clone_base(base_dir: Path, index_dir: Path) -> None:
    """Whoosh never rewrites a segment file in place, so hard links are safe to share.

    The TOC and sidecars are copied (they are replaced by rename, but be safe).
    """
    for src in base_dir.iterdir():
        if src.name.endswith("LOCK") or not src.is_file():
            continue
        if src.suffix in (".toc", ".json"):
            shutil.copy2(src, index_dir / src.name)
        else:
            _link_or_copy(src, index_dir / src.name)


def write_index(
    index_dir: Path,
    records: Iterable[IndexRecord],
    *,
    base_dir: Path | None = None,
    drop_doc_ids: Collection[str] = (),
) -> None:
    """Write a search index; with base_dir, reuse that index and only apply the changes.

    index_dir must be new or empty. The base index is never modified.
    """
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    titles: dict[str, dict] = {}
    if base_dir is not None:
        _clone_base(Path(base_dir), index_dir)
        ix = windex.open_dir(str(index_dir))
        titles = {t["doc_id"]: t for t in _read_json(index_dir / TITLES_FILE, [])}
    else:
        ix = windex.create_in(str(index_dir), make_schema())
    writer = ix.writer(limitmb=256)
    try:
        for doc_id in drop_doc_ids:
            writer.delete_by_term("doc_id", doc_id)
            titles.pop(doc_id, None)
        count = 0
        for r in records:
            writer.add_document(**_doc_fields(r))
            count += 1
            if r.hit_type in ("article", "page") and r.doc_id not in titles:
                titles[r.doc_id] = {
                    "doc_id": r.doc_id,
                    "title": r.doc_title,
                    "number": r.doc_number,
                    "year": r.year,
                }
    except BaseException:
        writer.cancel()
        raise
    writer.commit(merge=base_dir is None)
    _write_sidecars(ix, index_dir, titles)
    log.info("index written: %d records added, %d docs dropped", count, len(drop_doc_ids))


def _write_sidecars(ix: windex.Index, index_dir: Path, titles: dict[str, dict]) -> None:
    with ix.reader() as reader:
        vocab = {t.decode(): reader.doc_frequency("body1", t) for t in reader.lexicon("body1")}
        doc_count = reader.doc_count()
    _write_json(index_dir / VOCAB_FILE, vocab)
    _write_json(index_dir / TITLES_FILE, sorted(titles.values(), key=lambda t: t["doc_id"]))
    _write_json(index_dir / META_FILE, {"format": INDEX_FORMAT, "doc_count": doc_count})


def _write_json(path: Path, data: object) -> None:
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _read_json(path: Path, default: object) -> object:
    if not path.exists():
        return default
    with open(path, encoding="utf-8") as f:
        return json.load(f)


# ---------------------------------------------------------------- searching


@dataclass
class Weights:
    """Field boosts of the ranking (BM25F per field, summed)."""

    body: float = 1.0
    body1: float = 0.35
    dtitle: float = 0.6
    atitle: float = 1.2
    number: float = 25.0
    article: float = 3.0
    accent: float = 0.25  # relative bonus for an exact-diacritics match of query bigrams
    max_df: float = 0.12  # single syllables in more than this share of records are ignored
    rerank: int = 30  # candidates re-ranked with the accent bonus


class SearchEngine:
    """Read-only searcher over one index folder; use from one thread at a time."""

    def __init__(self, index_dir: Path, ix: windex.Index) -> None:
        self.index_dir = index_dir
        self._ix = ix
        self._searcher = ix.searcher(weighting=scoring.BM25F(B=0.75, K1=1.2, dtitle_B=0.3))
        self._doc_count = max(1, self._searcher.doc_count())
        self._titles: list[dict] | None = None
        self._speller: Speller | None = None
        self.weights = Weights()

    @classmethod
    def open(cls, index_dir: Path) -> SearchEngine:
        index_dir = Path(index_dir)
        meta = _read_json(index_dir / META_FILE, None)
        if not isinstance(meta, dict) or meta.get("format") != INDEX_FORMAT:
            raise LibraryCorrupt(f"{index_dir}: not a LawShelf search index (missing {META_FILE})")
        return cls(index_dir, windex.open_dir(str(index_dir)))

    def close(self) -> None:
        self._searcher.close()
        self._ix.close()

    def __enter__(self) -> SearchEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ query building

    def _query(self, qt: va.QueryTerms) -> wq.Query | None:
        w = self.weights
        df = self._searcher.doc_frequency
        limit = w.max_df * self._doc_count
        parts: list[wq.Query] = [wq.Term("body", b, boost=w.body) for b in qt.bigrams]
        parts += [wq.Term("atitle", b, boost=w.atitle) for b in qt.bigrams]
        parts += [wq.Term("dtitle", b, boost=w.dtitle) for b in qt.bigrams]
        for u in qt.unigrams:
            if df("body1", u) <= limit or not qt.bigrams:
                parts.append(wq.Term("body1", u, boost=w.body1))
                parts.append(wq.Term("atitle", u, boost=w.body1 * w.atitle))
        for term in qt.numbers.terms:
            boost = w.article if term.startswith("a:") else w.number
            parts.append(wq.Term("num", term, boost=boost))
        return wq.Or(parts) if parts else None

    @staticmethod
    def _filter(
        kind: str | None,
        scope: str | None,
        field: str | None,
        validity: str | None,
        year: int | None,
    ) -> wq.Query | None:
        terms = [
            wq.Term(name, value)
            for name, value in (
                ("kind", kind),
                ("scope", scope),
                ("fields", field),
                ("validity", validity),
                ("year", str(year) if year else None),
            )
            if value
        ]
        return wq.And(terms) if terms else None

    # ------------------------------------------------------------ public API

    def search(
        self,
        text: str,
        limit: int = 10,
        *,
        kind: str | None = None,
        scope: str | None = None,
        field: str | None = None,
        validity: str | None = None,
        year: int | None = None,
    ) -> SearchResult:
        """Search keywords or a whole question; best hits first, snippets for these hits only."""
        qt = va.analyse_query(text)
        q = self._query(qt)
        did_you_mean = self._speller_obj().did_you_mean(text, qt)
        if q is None:
            return SearchResult([], did_you_mean, 0)
        flt = self._filter(kind, scope, field, validity, year)
        depth = max(limit, self.weights.rerank) if qt.accented else limit
        results = self._searcher.search(q, limit=depth, filter=flt, terms=False)
        scored = [(hit.score, hit.fields()) for hit in results]
        if qt.accented and qt.accented_bigrams:
            scored = self._accent_rerank(scored, qt)
        hits = [self._hit(score, stored, qt) for score, stored in scored[:limit]]
        return SearchResult(hits, did_you_mean, results.estimated_length())

    def _accent_rerank(self, scored: list[tuple[float, dict]], qt: va.QueryTerms) -> list:
        """Prefer texts that contain the query's bigrams with the same diacritics."""
        wanted = qt.accented_bigrams
        out = []
        for score, stored in scored:
            hay = va.accent_lower(
                " ".join((stored.get("article_title") or "", stored.get("text") or ""))
            )
            hay = " ".join(hay.split())
            found = sum(1 for b in wanted if b in hay)
            out.append((score * (1 + self.weights.accent * found / len(wanted)), stored))
        out.sort(key=lambda x: -x[0])
        return out

    def _hit(self, score: float, s: dict, qt: va.QueryTerms) -> Hit:
        return Hit(
            key=s["key"],
            hit_type=s["hit_type"],
            doc_id=s["doc_id"],
            doc_number=s.get("doc_number") or "",
            doc_title=s.get("doc_title") or "",
            kind=s.get("kind") or "",
            validity=s.get("validity") or "",
            article=s.get("article"),
            article_title=s.get("article_title") or "",
            page=s.get("page"),
            score=round(float(score), 4),
            snippet=va.make_snippet(s.get("text") or "", qt.unigrams),
        )

    def _speller_obj(self) -> Speller:
        if self._speller is None:
            vocab = _read_json(self.index_dir / VOCAB_FILE, {})
            self._speller = Speller(vocab if isinstance(vocab, dict) else {})
        return self._speller

    def suggest(self, prefix: str, limit: int = 8) -> list[tuple[str, str]]:
        """Document titles matching what has been typed so far (diacritics-insensitive)."""
        key = " ".join(va.syllables(prefix))
        if not key:
            return []
        if self._titles is None:
            loaded = _read_json(self.index_dir / TITLES_FILE, [])
            self._titles = [
                dict(t, _f=" ".join(va.syllables(f"{t['title']} {t.get('number') or ''}")))
                for t in loaded
            ]
        ranked = []
        for t in self._titles:
            f = t["_f"]
            if f.startswith(key):
                rank = 0
            elif f" {key}" in f" {f}":
                rank = 1
            else:
                continue
            ranked.append((rank, len(f), t["title"], t["doc_id"]))
        ranked.sort()
        return [(doc_id, title) for _, _, title, doc_id in ranked[:limit]]
