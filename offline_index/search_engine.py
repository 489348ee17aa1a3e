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

import heapq
import json
import logging
import math
import os
import shutil
from collections.abc import Callable, Collection, Iterable, Iterator
from operator import itemgetter
from pathlib import Path

from whoosh import index as windex
from whoosh import query as wq
from whoosh.analysis import Analyzer, Filter, Token, Tokenizer
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.util.numeric import byte_to_length

from offline_index import analysis as va
from offline_index import ranking as rk
from offline_index.errors import LibraryCorrupt
from offline_index.ranking import Hit, IndexRecord, SearchResult
from offline_index.spelling import Speller

__all__ = ["Hit", "IndexRecord", "SearchEngine", "SearchResult", "write_index"]
log = logging.getLogger(__name__)

INDEX_FORMAT = 1
META_FILE = "lawshelf-index.json"
TITLES_FILE = "titles.json"
VOCAB_FILE = "vocab.json"
ATITLES_FILE = "atitles.json"  # per document number: rk.title_words of its article title


# ---------------------------------------------------------------- analysis pipeline


class SyllableTokenizer(Tokenizer):
    """NFC the value once (the shared data mixes NFC and NFD), then split into syllables."""

    def __call__(  # noqa: D102 - whoosh's tokenizer protocol
        self,
        value: str,
        positions: bool = False,
        start_pos: int = 0,
        tokenize: bool = True,
        **kw: object,
    ) -> Iterator[Token]:
        t = Token(positions, **kw)
        words = va.nfc_words(value) if tokenize else [value]
        for pos, word in enumerate(words):
            t.text, t.boost, t.stopped = word, 1.0, False
            if positions:
                t.pos = start_pos + pos
            yield t


class FoldFilter(Filter):
    """Lower case, diacritics stripped, đ -> d: `Đất` and `dat` become the same term."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:  # noqa: D102
        fold = va.fold_word
        for t in tokens:
            t.text = fold(t.text)
            yield t


class NgramFilter(Filter):
    """Emit syllables and/or adjacent syllable bigrams."""

    def __init__(self, unigrams: bool = True, bigrams: bool = True) -> None:
        self.unigrams, self.bigrams = unigrams, bigrams

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


def analyzer(unigrams: bool = True, bigrams: bool = True) -> Analyzer:
    """The Whoosh pipeline of one field: syllables | folding | n-grams."""
    return SyllableTokenizer() | FoldFilter() | NgramFilter(unigrams, bigrams)


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
        body=TEXT(analyzer=analyzer(unigrams=False), phrase=False),
        body1=TEXT(analyzer=analyzer(bigrams=False), phrase=False),
        dtitle=TEXT(analyzer=analyzer(), phrase=False),
        atitle=TEXT(analyzer=analyzer(), phrase=False),
        num=KEYWORD(),
    )


# ---------------------------------------------------------------- writing


def _doc_fields(r: IndexRecord) -> dict:
    nums = va.number_terms_for_doc(r.doc_number, r.kind) if r.doc_number else []
    if r.article:
        nums.append(f"a:{va.fold(r.article)}")
    if r.year:
        nums.append(f"y:{r.year}")
    kind = "" if va.fold(r.doc_title).startswith(va.fold(r.kind)) else r.kind
    dtitle = " ".join(x for x in (kind, r.doc_title, r.doc_number, str(r.year or "")) if x)
    stored = {k: getattr(r, k) for k in _PLAIN_FIELDS}
    return dict(
        stored,
        year=str(r.year) if r.year else "",
        fields=",".join(r.fields),
        body=r.text,
        body1=r.text,
        dtitle=dtitle,
        atitle=r.article_title,
        num=" ".join(nums),
    )


_PLAIN_FIELDS = (
    "key",
    "hit_type",
    "doc_id",
    "kind",
    "scope",
    "validity",
    "doc_number",
    "doc_title",
    "article",
    "article_title",
    "page",
    "text",
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
    with ix.reader() as reader:
        segments = len(list(reader.leaf_readers()))
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
    # An incremental write adds one small segment and leaves the base's files shared;
    # Whoosh's small-segment merge runs only once segments pile up.
    writer.commit(merge=base_dir is None or segments >= 8)
    _write_sidecars(ix, index_dir, titles)
    log.info("index written: %d records added, %d docs dropped", count, len(drop_doc_ids))


def _write_sidecars(ix: windex.Index, index_dir: Path, titles: dict[str, dict]) -> None:
    with ix.reader() as reader:
        vocab = {t.decode(): reader.doc_frequency("body1", t) for t in reader.lexicon("body1")}
        doc_count = reader.doc_count()
        atitles = [
            rk.title_words(reader.stored_fields(d).get("article_title") or "")
            for d in range(reader.doc_count_all())
        ]
    _write_json(index_dir / VOCAB_FILE, vocab)
    _write_json(index_dir / ATITLES_FILE, atitles)
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


class _Scorer:
    """BM25F, term at a time, straight over Whoosh's posting blocks.

    Whoosh's own collector walks a binary tree of union matchers and recomputes block
    quality bounds at every step; with 30-50 query terms that costs 0.5-2 s per question
    (bench: docs/benchmarks.md). Reading each posting block once and accumulating scores
    in a dict is 20-50x faster and gives the same BM25 ranking.
    """

    def __init__(self, searcher: object, weights: rk.Weights) -> None:
        self.searcher = searcher
        self.w = weights
        # An index with no records opens as Whoosh's EmptyReader, which has no postings
        # (and no deleted_docs_set): keep only real segments, so an empty library answers.
        self.leaves = [
            (r, off) for r, off in searcher.reader().leaf_readers() if hasattr(r, "_terms")
        ]
        self.n = max(1, searcher.doc_count())
        self._norms: dict[tuple[int, str], list[float]] = {}
        self.deleted = {off + d for r, off in self.leaves for d in (r.deleted_docs_set or ())}

    def _norm(self, i: int, reader: object, fieldname: str) -> list[float]:
        """k1 * (1 - b + b * len / avglen) for every document of one segment."""
        key = (i, fieldname)
        if key not in self._norms:
            col = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            avg = max(1.0, self.searcher.field_length(fieldname) / self.n)
            b = self.w.title_b if fieldname in ("dtitle", "atitle") else self.w.b
            k1 = self.w.k1
            table = [k1 * (1 - b + b * byte_to_length(x) / avg) for x in range(256)]
            self._norms[key] = (
                [table[x] for x in col] if col is not None else [k1] * reader.doc_count_all()
            )
        return self._norms[key]

    def score(self, terms: list[tuple[str, str, float, bool]]) -> tuple[dict[int, float], dict]:
        """Scores per document number, and per document the set of query concepts matched."""
        acc: dict[int, float] = {}
        hit: dict[int, int] = {}
        get, hget = acc.get, hit.get
        concepts: dict[str, int] = {}
        self.concept_idf: list[float] = []
        for fieldname, text, boost, concept in terms:
            df = self.searcher.doc_frequency(fieldname, text)
            if not df:
                continue
            idf = math.log(1 + (self.n - df + 0.5) / (df + 0.5))
            bit = 0
            if concept and idf >= self.w.concept_min_idf:
                j = concepts.setdefault(text, len(concepts))
                if j == len(self.concept_idf):
                    self.concept_idf.append(idf)
                bit = 1 << j
            c = boost * (self.w.k1 + 1) * idf
            btext = text.encode("utf-8")
            fmt = self.searcher.schema[fieldname].format
            for i, (reader, off) in enumerate(self.leaves):
                if (fieldname, btext) not in reader._terms:
                    continue
                norm = self._norm(i, reader, fieldname)
                m = reader._terms.matcher(fieldname, btext, fmt, scorer=None)
                while m.is_active():
                    m._read_ids()
                    m._read_weights()
                    for d, tf in zip(m._ids, m._weights, strict=True):
                        acc[d + off] = get(d + off, 0.0) + c * tf / (tf + norm[d])
                        hit[d + off] = hget(d + off, 0) | bit
                    m._next_block()
        return acc, hit


def _rescored(
    top: list[tuple[int, float]], factor: Callable[[int], float]
) -> list[tuple[int, float]]:
    """Multiply each candidate's score by factor(document number) and sort again."""
    return sorted(((d, v * factor(d)) for d, v in top), key=lambda x: -x[1])


_HIT_TEXT = ("doc_number", "doc_title", "kind", "validity", "article_title")


class SearchEngine:
    """Read-only searcher over one index folder; use from one thread at a time."""

    def __init__(self, index_dir: Path, ix: windex.Index) -> None:
        self.index_dir = index_dir
        self._ix = ix
        self._searcher = ix.searcher()
        self.weights = rk.Weights()
        self._scorer = _Scorer(self._searcher, self.weights)
        self._titles: list[dict] | None = None
        self._matcher: rk.TitleMatcher | None = None
        self._speller: Speller | None = None
        self._atitles: list[str] | None = None
        self._filters: dict[tuple, frozenset[int]] = {}

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

    def _terms(self, qt: va.QueryTerms) -> list[tuple[str, str, float, bool]]:
        """(field, term, boost, counts-as-concept) of a query; common syllables are pruned."""
        w = self.weights
        if qt.number_only:  # every article of that document ties: they stay in text order
            return [
                ("num", t, w.number if t[0] in "nk" else w.article, True) for t in qt.numbers.terms
            ]
        terms = [("body", b, w.body, True) for b in qt.bigrams]
        terms += [("atitle", b, w.atitle, True) for b in qt.bigrams]
        terms += [("dtitle", b, w.dtitle, True) for b in qt.bigrams]
        limit = w.max_df * self._scorer.n
        for u in qt.unigrams:
            if not qt.bigrams or self._searcher.doc_frequency("body1", u) <= limit:
                terms += [("body1", u, w.body1, True), ("atitle", u, w.body1 * w.atitle, True)]
        for t in qt.numbers.terms:
            boost = {"a": w.article, "y": w.year}.get(t[0], w.number)
            terms.append(("num", t, boost, True))
        if qt.definition and w.definition:
            terms += [("atitle", b, w.definition, False) for b in ("giai thich", "tu ngu")]
        return terms

    def _allowed(self, **values: str | int | None) -> frozenset[int] | None:
        """Document numbers passing the filters (cached: filters repeat while browsing)."""
        key = tuple((k, str(v)) for k, v in sorted(values.items()) if v)
        if not key:
            return None
        if key not in self._filters:
            q = wq.And([wq.Term("fields" if k == "field" else k, v) for k, v in key])
            if len(self._filters) > 256:
                self._filters.clear()
            self._filters[key] = frozenset(self._searcher.docs_for_query(q))
        return self._filters[key]

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
        named = self._title_matcher().named(text)[0] if self.weights.named_doc else ()
        did_you_mean = self._speller_obj().did_you_mean(text, qt)
        allowed = self._allowed(kind=kind, scope=scope, field=field, validity=validity, year=year)
        acc, hit = self._scorer.score(self._terms(qt))
        acc = rk.coverage(acc, hit, self._scorer.concept_idf, self.weights)
        if named and not qt.number_only:
            acc = self._prefer_named(acc, named)
        if not qt.numbers.terms:
            self._demote_expired(acc, named)
        drop = self._scorer.deleted
        if allowed is not None or drop:
            acc = {
                d: v for d, v in acc.items() if d not in drop and (allowed is None or d in allowed)
            }
        top = self._candidates(acc, qt, named, limit)
        scored = self._rerank([(v, self._searcher.stored_fields(d)) for d, v in top], qt)
        hits = [self._hit(score, stored, qt) for score, stored in scored[:limit]]
        return SearchResult(hits, did_you_mean, len(acc))

    def _candidates(
        self, acc: dict[int, float], qt: va.QueryTerms, named: Collection[str], limit: int
    ) -> list[tuple[int, float]]:
        """The best records for the re-ranks that read stored text, after the title signals."""
        w = self.weights
        depth = max(limit, w.rerank) if qt.accented or w.phrase else limit
        if w.proximity and len(qt.unigrams) >= w.proximity_min_terms:
            depth = max(depth, w.proximity_depth)
        if qt.definition and w.defines:
            depth = max(depth, w.defines_depth)
        wide = max(depth, w.title_all_depth) if w.title_all else depth
        top = heapq.nlargest(wide, acc.items(), key=itemgetter(1))
        titles, wanted = self._article_titles(), set(qt.unigrams)
        vocabulary = rk.title_vocabulary(qt.unigrams, qt.bigrams)
        if w.title_all:  # the question's topic is an article title (rk.title_share)
            top = _rescored(
                top, lambda d: 1 + w.title_all * rk.title_share(titles[d], wanted, vocabulary)
            )
        if qt.scope and named and w.scope:  # "Luật X áp dụng cho ai?": X's scope articles
            docs = self._records_of(named)
            top = _rescored(
                top, lambda d: 1 + w.scope if d in docs and rk.is_scope(titles[d]) else 1.0
            )
        return top[:depth]

    def _rerank(self, scored: list[tuple[float, dict]], qt: va.QueryTerms) -> list:
        """Signals that need the record's text: proximity, phrases, definitions, diacritics."""
        w = self.weights
        if w.proximity and len(qt.unigrams) >= w.proximity_min_terms:
            scored = rk.proximity_rerank(scored, qt.unigrams, w)
        scored = rk.phrase_rerank(scored, qt.trigrams, w.phrase)
        if qt.definition and w.defines:
            scored = rk.definition_rerank(scored, qt.unigrams, w.defines)
        if qt.accented:
            scored = rk.accent_rerank(scored, qt.accented_bigrams, w.accent)
        return scored

    def _records_of(self, doc_ids: Collection[str]) -> set[int]:
        docs: set[int] = set()
        for doc_id in doc_ids:
            docs |= self._allowed(doc_id=doc_id) or frozenset()
        return docs

    def _demote_expired(self, acc: dict[int, float], named: Collection[str]) -> None:
        """Put the law in force before the one it replaced when both answer (in place).

        The replaced text is still found, marked as not in force, and keeps its rank when
        the resident asks for it by number or by title.
        """
        factor = self.weights.not_in_force
        if factor == 1:
            return
        keep = self._records_of(named) if named else frozenset()
        for d in self._allowed(validity="not_in_force") or ():
            if d in acc and d not in keep:
                acc[d] *= factor

    def _prefer_named(self, acc: dict[int, float], named: Collection[str]) -> dict[int, float]:
        """Raise the records of documents the query names by title ("theo Luật Cư trú")."""
        docs, bonus = self._records_of(named), 1 + self.weights.named_doc
        return {d: v * bonus if d in docs else v for d, v in acc.items()}

    def _article_titles(self) -> list[str]:
        """Per document number, its article title's words (rk.title_words); from the sidecar."""
        if self._atitles is None:
            loaded = _read_json(self.index_dir / ATITLES_FILE, [])
            n = self._searcher.doc_count_all()
            # An index built before the sidecar existed: no title signals rather than an error.
            self._atitles = loaded if isinstance(loaded, list) and len(loaded) == n else [""] * n
        return self._atitles

    def _title_matcher(self) -> rk.TitleMatcher:
        if self._matcher is None:
            self._matcher = rk.TitleMatcher(self._title_list())
        return self._matcher

    def _title_list(self) -> list[dict]:
        if self._titles is None:
            loaded = _read_json(self.index_dir / TITLES_FILE, [])
            self._titles = loaded if isinstance(loaded, list) else []
        return self._titles

    def _hit(self, score: float, s: dict, qt: va.QueryTerms) -> Hit:
        text = {k: s.get(k) or "" for k in _HIT_TEXT}
        snippet = va.make_snippet(s.get("text") or "", qt.unigrams)
        return Hit(
            key=s["key"],
            hit_type=s["hit_type"],
            doc_id=s["doc_id"],
            article=s.get("article"),
            page=s.get("page"),
            score=round(float(score), 4),
            snippet=snippet,
            **text,
        )

    def _speller_obj(self) -> Speller:
        if self._speller is None:
            vocab = _read_json(self.index_dir / VOCAB_FILE, {})
            self._speller = Speller(vocab if isinstance(vocab, dict) else {})
        return self._speller

    def suggest(self, prefix: str, limit: int = 8) -> list[tuple[str, str]]:
        """Document titles matching what has been typed so far (diacritics-insensitive)."""
        return rk.match_titles(self._title_list(), prefix, limit)
