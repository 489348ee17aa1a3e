"""Vietnamese full-text search over a locally built Whoosh index.

The index is always written here from verified content and never opened from elsewhere:
Whoosh's table of contents is a pickle, so opening a foreign index would run its code.
Callers (the library) only open indexes inside generations they built and checked.
Whoosh itself is reached only through offline_index/whoosh_adapter.py.

A search is: analyse the query (analysis.py), score every matching record with BM25F over
the derived postings (scoring.py), then run the ranking stages (reranking.PIPELINE) and make
hits with snippets for the few returned. Sidecar JSON (never pickles): titles.json for
suggestions and named documents, vocab.json for did-you-mean.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Iterable, Mapping
from pathlib import Path

import numpy as np

from offline_index import analysis as va
from offline_index import citations, reranking, scoring
from offline_index import postings as lp
from offline_index import ranking as rk
from offline_index import whoosh_adapter as wa
from offline_index import whoosh_writer as ww
from offline_index.article_titles import (
    defined_terms,
    indexed_title,
    is_glossary,
    says_general_law,
    title_words,
)
from offline_index.errors import LibraryCorrupt
from offline_index.expansion import Expansion
from offline_index.folding import has_diacritics
from offline_index.index_files import (
    clone_base,
    read_json,
    write_meta,
    write_sidecars,
)
from offline_index.index_records import IndexRecords
from offline_index.index_units import record_heading
from offline_index.marking import Lack, Marks, lacking
from offline_index.search_types import (
    NO_FILTERS,
    Cancel,
    DocAttributes,
    Hit,
    IndexRecord,
    SearchFilters,
    SearchResult,
)
from offline_index.snippets import hit_snippet
from offline_index.spelling import Speller
from offline_index.titles import TitleMatcher, match_titles

__all__ = ["Hit", "IndexRecord", "SearchEngine", "SearchFilters", "SearchResult", "write_index"]
log = logging.getLogger(__name__)

INDEX_FORMAT = 2
META_FILE = "lawshelf-index.json"
TITLES_FILE = "titles.json"
VOCAB_FILE = "vocab.json"
Progress = Callable[[str, int, int], None]  # (what, done, total); total 0 when unknown


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
        atwords=indexed_title(r.article_title),
        body=r.text,
        body1=r.text,
        dtitle=dtitle,
        atitle=r.article_title,
        num=" ".join(nums),
    )


def _restore_fields(stored: dict) -> dict:
    """add_document arguments of a record from its stored fields (merging a segment)."""
    plain = {k: stored.get(k) for k in _PLAIN_FIELDS}
    plain["parts"] = plain["parts"] or ""
    year = stored.get("year") or ""
    fields = stored.get("fields") or ""
    rec = IndexRecord(
        **plain, year=int(year) if year else None, fields=fields.split(",") if fields else []
    )
    return _doc_fields(rec)


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
    "parts",
)


def write_index(
    index_dir: Path,
    records: Iterable[IndexRecord],
    *,
    base_dir: Path | None = None,
    drop_doc_ids: Collection[str] = (),
    progress: Progress | None = None,
    expected: int = 0,
    merge_at: int = 8,
    segment_size: int = 25_000,
) -> None:
    """Write a search index; with base_dir, reuse that index and only apply the changes.

    index_dir must be new or empty. The base index is never modified. `expected` (the
    number of records, when known) is passed on to `progress`. Records are committed in
    segments of `segment_size` (bounding the postings whoosh_writer holds in memory);
    small segments are merged once `merge_at` have piled up (whoosh_adapter.commit).
    """
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    titles: dict[str, dict] = {}
    if base_dir is not None:
        clone_base(Path(base_dir), index_dir)
        ix = wa.open_writable(index_dir)
        titles = {t["doc_id"]: t for t in read_json(index_dir / TITLES_FILE, [])}
    else:
        ix = wa.create_index(index_dir)
    writer = ww.SegmentWriter(ix, index_dir, _restore_fields)
    count = 0
    try:
        for doc_id in drop_doc_ids:
            wa.delete_unit(writer, doc_id)
            titles.pop(doc_id, None)
        for r in records:
            writer.add_document(**_doc_fields(r))
            count += 1
            if count % segment_size == 0:
                wa.commit(writer, merge_at)
                _derive_postings(ix, index_dir, progress)
                writer = ww.SegmentWriter(ix, index_dir, _restore_fields)
            if progress and count % 1000 == 0:
                progress("index", count, expected)
            _note_title(titles, r)
    except BaseException:
        writer.cancel()
        raise
    # An incremental write adds one small segment and leaves the base's files shared.
    wa.commit(writer, merge_at)
    _derive_postings(ix, index_dir, progress)
    write_sidecars(index_dir, {TITLES_FILE: sorted(titles.values(), key=lambda t: t["doc_id"])})
    with SearchEngine.open(index_dir, check_format=False) as eng:
        write_sidecars(index_dir, {VOCAB_FILE: eng.live_vocabulary()})
        write_meta(index_dir / META_FILE, {"format": INDEX_FORMAT, "doc_count": eng.corpus.n})
    log.info("index written: %d records added, %d docs dropped", count, len(drop_doc_ids))


def _note_title(titles: dict[str, dict], r: IndexRecord) -> None:
    """The document's titles.json entry: its title, number and year, the terms its glossary
    article defines (document_defines in ranking.py), and whether it says it is the general
    law of its relations (general_law in reranking.py)."""
    if r.hit_type not in ("article", "page"):
        return
    entry = titles.setdefault(
        r.doc_id, {"doc_id": r.doc_id, "title": r.doc_title, "number": r.doc_number, "year": r.year}
    )
    if r.article and is_glossary(title_words(r.article_title)):
        entry["defines"] = sorted({*entry.get("defines", ()), *defined_terms(r.text)})
    if r.article and says_general_law(r.text):
        entry["general"] = True


def _derive_postings(ix: object, index_dir: Path, progress: Progress | None) -> None:
    """A postings file for every segment that has none yet (new or merged segments)."""
    with ix.reader() as reader:
        todo = [s for s in wa.segments(reader) if not lp.path_for(index_dir, s.name).exists()]
        for i, seg in enumerate(todo):
            if progress:
                progress("postings", i, len(todo))
            lp.write_segment(index_dir, seg)


# ---------------------------------------------------------------- searching


class SearchEngine:
    """Read-only searcher over one index folder; use from one thread at a time."""

    def __init__(self, index_dir: Path, ix: object) -> None:
        self.index_dir = index_dir
        self._ix = ix
        self._searcher = wa.open_searcher(ix)
        try:
            self.corpus = scoring.Corpus(index_dir, wa.segments(self._searcher.reader()))
        except BaseException:
            self._searcher.close()
            raise
        self.records = IndexRecords(self.corpus, self._searcher, self._title_list)
        self.weights = rk.Weights()
        self.expansion: Expansion | None = None  # learnt query expansion (expansion.py)
        self._titles: list[dict] | None = None
        self._speller: Speller | None = None

    @classmethod
    def open(cls, index_dir: Path, *, check_format: bool = True) -> SearchEngine:
        index_dir = Path(index_dir)
        meta = read_json(index_dir / META_FILE, None)
        if check_format and (not isinstance(meta, dict) or meta.get("format") != INDEX_FORMAT):
            raise LibraryCorrupt(f"{index_dir}: not a LawShelf search index of this version")
        return cls(index_dir, wa.open_index(index_dir))

    def close(self) -> None:
        self.corpus.close()
        self._searcher.close()
        self._ix.close()

    def __enter__(self) -> SearchEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def set_attributes(self, attrs: Mapping[str, DocAttributes]) -> None:
        """The documents' current validity and repealed articles (the library's table)."""
        self.records.set_attributes(attrs)

    def set_citations(self, cites: Mapping[str, list[tuple[str, str]]]) -> None:
        """The articles each Q&A entry cites (citations.cited): stage cited_by_answers."""
        self.records.citing = citations.resolve(self.corpus, cites)

    # ------------------------------------------------------------ query building

    def _terms(self, qt: va.QueryTerms, cache: scoring.TermCache) -> list[scoring.Term]:
        """(field, term, boost, counts-as-concept) of a query; common syllables are pruned."""
        w = self.weights
        if qt.number_only:  # every article of that document ties: they stay in text order
            return [
                ("num", t, w.number if t[0] in "nk" else w.article, True) for t in qt.numbers.terms
            ]
        terms = [("body", b, w.body, True) for b in qt.bigrams]
        terms += [("atitle", b, w.atitle, True) for b in qt.bigrams]
        terms += [("dtitle", b, w.dtitle, True) for b in qt.bigrams]
        for u in qt.unigrams if not qt.bigrams else self._rare(qt.unigrams, cache):
            terms += [("body1", u, w.body1, True), ("atitle", u, w.body1 * w.atitle, True)]
        for t in qt.numbers.terms:
            boost = {"a": w.article, "y": w.year}.get(t[0], w.number)
            terms.append(("num", t, boost, True))
        if qt.definition and w.definition:
            terms += [("atitle", b, w.definition, False) for b in ("giai thich", "tu ngu")]
        if self.expansion is not None:
            terms += [("body", b, boost, False) for b, boost in self.expansion.expand(qt)]
        return terms

    def _rare(self, unigrams: list[str], cache: scoring.TermCache) -> list[str]:
        """The syllables in at most max_df of the live records. The term tables' counts
        decide most without reading a posting: the very common ones are never read."""
        limit = self.weights.max_df * self.corpus.n
        bounds = self.corpus.df_bounds("body1", unigrams)
        unsure = [u for u, (low, high) in zip(unigrams, bounds, strict=True) if low <= limit < high]
        cache.fetch([("body1", u) for u in unsure])
        return [
            u
            for u, (low, high) in zip(unigrams, bounds, strict=True)
            if high <= limit or (low <= limit and cache.get("body1", u).df <= limit)
        ]

    # ------------------------------------------------------------ public API

    def search(
        self,
        text: str,
        limit: int = 10,
        filters: SearchFilters | None = None,
        *,
        deadline: float | None = None,
        cancel: Cancel | None = None,
    ) -> SearchResult:
        """Search keywords or a whole question; best hits first, snippets for these hits only.

        `deadline` (a time.monotonic() value) and `cancel` (called between steps) stop the
        search early: the result then holds the best hits found so far and partial=True.
        """
        qt = va.analyse_query(text)
        named = self._title_matcher().named(text)[0] if self.weights.named_doc else set()
        q = rk.Query(qt, self.weights, frozenset(named), filters or NO_FILTERS, limit)
        w = self.weights
        cache = scoring.TermCache(self.corpus)
        terms = self._terms(qt, cache)
        scored = scoring.bm25f(cache, terms, w.k1, w.b, w.title_b, deadline, cancel)
        docs = np.flatnonzero(scored.matched)
        cov = None if scored.coverage is None else scored.coverage[docs]
        c = rk.Candidates(docs, scored.scores[docs], self.records, cov)
        for stage in rk.MATCH_STAGES:
            c = stage(q, c)
        total, partial = int(c.docs.size), scored.partial
        for stage in reranking.BEST_STAGES:
            if getattr(stage, "reads_text", False) and (partial or scoring.late(deadline, cancel)):
                partial = True
                continue
            c = stage(q, c)
        # Words the thesaurus read are marked as it read them (`den` as `đèn`, not `đến`);
        # the law's words it added, only beside another marked word (marking.py).
        added = set(qt.unigrams) - set(va.syllables(text))
        marks = Marks.of(qt.unigrams, " ".join([text, *qt.meant]), joined=added)
        opens = self._topic_runs(qt)
        hits = [self._hit(c, i, qt, marks, opens) for i in range(c.docs.size)]
        late = partial or scoring.late(deadline, cancel)
        did_you_mean = None if late else self._speller_obj().did_you_mean(text, qt)
        missing = self._missing(c, qt, text) if hits else []
        return SearchResult(
            hits, did_you_mean, total, late, list(qt.unigrams), list(qt.meant), missing
        )

    def _topic_words(self, qt: va.QueryTerms) -> list[str]:
        """A topic search's words as typed (folded, each once; order_max at most), or none:
        a question's own words (`bị`, `phải`) are not its topic."""
        typed = list(dict.fromkeys(f for run in qt.typed for f, _ in run))
        if qt.question or qt.number_only or len(typed) > self.weights.order_max:
            return []
        return typed

    def _topic_runs(self, qt: va.QueryTerms) -> list[str]:
        """A topic search's runs of words as typed, folded: a snippet shows the point that
        opens with them (snippets.make_snippet)."""
        if not self._topic_words(qt):
            return []
        return [" ".join(f for f, _ in run) for run in qt.typed]

    def _hit(
        self, c: rk.Candidates, i: int, qt: va.QueryTerms, marks: Marks, opens: list[str]
    ) -> Hit:
        s = c.stored(i)
        qa = s.get("hit_type") == "qa"
        snippet = hit_snippet(
            s.get("text") or "", record_heading(s), marks, qt.legal, answer=qa, opens=opens
        )
        return Hit(
            key=s["key"],
            hit_type=s["hit_type"],
            doc_id=s["doc_id"],
            doc_number=s.get("doc_number") or "",
            doc_title=s.get("doc_title") or "",
            kind=s.get("kind") or "",
            validity=self.records.record_validity(int(c.docs[i])),
            article=s.get("article"),
            article_title=s.get("article_title") or "",
            page=s.get("page"),
            score=round(float(c.scores[i]), 4),
            snippet=snippet.html,
            clause=snippet.clause,
        )

    def _lack(self, qt: va.QueryTerms, text: str) -> Lack | None:
        """For a topic search (_topic_words), what telling the words a hit lacks needs."""
        typed = self._topic_words(qt)
        if not typed:
            return None
        limit = self.weights.max_df * self.corpus.n
        # A syllable in most records says little, but only folded: `đỏ` is rare, `do` not.
        accented = {f for run in qt.typed for f, w in run if has_diacritics(w)}
        bounds = self.corpus.df_bounds("body1", typed)
        return Lack(
            text,
            qt.typed,
            list(zip(qt.meant, qt.legal, strict=True)),
            frozenset(u for u, (low, _) in zip(typed, bounds, strict=True) if low > limit)
            - accented,
        )

    def _missing(self, c: rk.Candidates, qt: va.QueryTerms, text: str) -> list[str]:
        """The words of a topic search the best hit lacks (marking.lacking)."""
        lack = self._lack(qt, text)
        if lack is None:
            return []
        s = c.stored(0)
        heads = " ".join([s.get("doc_title") or "", s.get("article_title") or ""])
        return lacking(lack, f"{heads} {c.records.parts(int(c.docs[0]))} {s.get('text') or ''}")

    def live_vocabulary(self) -> dict[str, int]:
        """Single syllables of the text with the number of live records holding each."""
        words = wa.lexicon(self._searcher.reader(), "body1")
        if self.corpus.all_live:  # the term tables' counts are the live ones
            counts = [high for _, high in self.corpus.df_bounds("body1", words)]
        else:
            counts = []
            for i in range(0, len(words), 256):  # bounded memory: postings read in batches
                pairs = [("body1", t) for t in words[i : i + 256]]
                counts += [hits.df for hits in self.corpus.postings_many(pairs)]
        return {t: n for t, n in zip(words, counts, strict=True) if n}

    def _title_matcher(self) -> TitleMatcher:
        return self.records.title_matcher()

    def _title_list(self) -> list[dict]:
        if self._titles is None:
            loaded = read_json(self.index_dir / TITLES_FILE, [])
            self._titles = loaded if isinstance(loaded, list) else []
        return self._titles

    def _speller_obj(self) -> Speller:
        if self._speller is None:
            vocab = read_json(self.index_dir / VOCAB_FILE, {})
            self._speller = Speller(vocab if isinstance(vocab, dict) else {})
        return self._speller

    def suggest(self, prefix: str, limit: int = 8) -> list[tuple[str, str]]:
        """Document titles matching what has been typed so far (diacritics-insensitive)."""
        return match_titles(self._title_list(), prefix, limit)
