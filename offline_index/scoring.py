"""BM25F over the derived postings, vectorised: the first stage of every search.

`Corpus` joins the segments into one record-number space (Whoosh's document numbers) and
holds what scoring needs per record: live or deleted, length norms, unit (document),
validity, a tie-break rank. Statistics count live records only (documents an incremental
build deleted are not in N, in document frequencies, or in average lengths), and ties are
broken by (unit, position in unit), so a search gives the same answer whatever the segment
layout (tests/search/test_segment_layout.py).

`bm25f` scores term at a time into one dense array: for each query term it reads the
term's postings (one pread per segment) and adds `boost * (K1 + 1) * idf * tf / (tf + norm)`
for all its records at once. The same arithmetic, in the same order, as the per-posting
loop it replaces, so scores are identical to the last bit.
"""

from __future__ import annotations

import bisect
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from offline_index import postings as lp
from offline_index import whoosh_adapter as wa
from offline_index.article_titles import split_indexed
from offline_index.search_types import Cancel

# (field, term, boost, counts as a concept of the query)
Term = tuple[str, str, float, bool]


@dataclass
class TermHits:
    docs: np.ndarray  # record numbers (int64), live only
    tfs: np.ndarray  # term frequencies (float64)

    @property
    def df(self) -> int:
        return int(self.docs.size)


_NONE = TermHits(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))


class Corpus:
    """All segments of one index as one array space of record numbers."""

    def __init__(self, index_dir: Path, segs: list[wa.Segment]) -> None:
        self.segments = lp.open_segments(index_dir, segs)
        self.offsets = [s.offset for s in segs]
        self.size = sum(sp.docs for sp in self.segments)
        self.live = np.ones(self.size, dtype=bool)
        for seg in segs:
            self.live[seg.offset + wa.segment_deleted(seg)] = False
        self.n = max(1, int(self.live.sum()))
        self.deleted = self.size - int(self.live.sum())
        self.all_live = not self.deleted
        self.units, self.unit = self._codes("doc_id")
        self.validities, self.validity = self._codes("validity")
        self._lengths = {f: self._concat(f"len:{f}") for f in wa.TEXT_FIELDS}
        self.avg = {f: self._average(f) for f in wa.TEXT_FIELDS}
        self.tiebreak = self._tiebreak()
        self._atwords = self._concat("code:atwords")
        self._parts = self._concat("code:parts", missing=-1)  # none in an index from before them
        self._norms: dict[tuple[str, float, float], np.ndarray] = {}

    def _concat(self, name: str, missing: int | None = None) -> np.ndarray:
        """A per-record array over all segments; `missing` fills a segment written without it."""
        parts = [
            sp.load(name)
            if missing is None or name in sp.header["arrays"]
            else np.full(sp.docs, missing, dtype=np.int32)
            for sp in self.segments
        ]
        return np.concatenate(parts) if parts else np.zeros(0)

    def _codes(self, fieldname: str) -> tuple[list[str], np.ndarray]:
        """Per record, an index into the distinct values of a one-value field (-1: none)."""
        names: dict[str, int] = {}
        out = np.full(self.size, -1, dtype=np.int32)
        for sp, off in zip(self.segments, self.offsets, strict=True):
            local = np.array([names.setdefault(v, len(names)) for v in sp.header[fieldname]])
            codes = sp.load(f"code:{fieldname}")
            has = codes >= 0
            out[off : off + sp.docs][has] = local[codes[has]] if local.size else -1
        return list(names), out

    def _average(self, fieldname: str) -> float:
        """Average field length over live records (exact lengths, as Whoosh totals them)."""
        total = sum(
            int(sp.load(f"flen:{fieldname}").astype(np.int64)[self.live[off : off + sp.docs]].sum())
            for sp, off in zip(self.segments, self.offsets, strict=True)
        )
        return max(1.0, total / self.n)

    def _tiebreak(self) -> np.ndarray:
        """Rank of each record by (unit name, record number): equal scores keep a document's
        records in text order, and documents in a fixed order, whatever the segments."""
        order = np.argsort(np.array(self.units + [""]), kind="stable")
        unit_rank = np.empty(len(order), dtype=np.int64)
        unit_rank[order] = np.arange(len(order))
        ranks = unit_rank[self.unit]  # -1 (no unit) takes the "" slot
        by = np.lexsort((np.arange(self.size), ranks))
        out = np.empty(self.size, dtype=np.int64)
        out[by] = np.arange(self.size)
        return out

    def norm(self, fieldname: str, k1: float, b: float) -> np.ndarray:
        """k1 * (1 - b + b * length / average length) per record, from Whoosh's length byte."""
        key = (fieldname, k1, b)
        if key not in self._norms:
            if fieldname not in self._lengths:  # `num` has no lengths: BM25 without them
                self._norms[key] = np.full(self.size, k1)
            else:
                avg = self.avg[fieldname]
                table = np.array([k1 * (1 - b + b * x / avg) for x in wa.LENGTH_OF_BYTE])
                self._norms[key] = table[self._lengths[fieldname]]
        return self._norms[key]

    def title_words(self, doc: int) -> str:
        """The record's article title words (article_titles.title_words), as indexed."""
        return self._title(doc)[0]

    def title_conjuncts(self, doc: int) -> str:
        """The conjuncts of the record's coordinated article title (article_titles.indexed_title)."""
        return self._title(doc)[1]

    def _title(self, doc: int) -> tuple[str, str]:
        """Split when asked (a few hundred times a search), not at load: at 10× the split
        values of 119,000 titles held 16 MB."""
        return split_indexed(self._value("atwords", self._atwords, doc))

    def parts(self, doc: int) -> str:
        """The headings of the record's parts (article_titles.part_words), as indexed."""
        return self._value("parts", self._parts, doc)

    def _value(self, fieldname: str, codes: np.ndarray, doc: int) -> str:
        code = int(codes[doc])
        if code < 0:
            return ""
        seg = bisect.bisect_right(self.offsets, doc) - 1
        return self.segments[seg].header[fieldname][code]

    def titles_where(self, wanted: Callable[[str], bool]) -> np.ndarray:
        """Bool per record: its article title words (article_titles.title_words) are `wanted`."""
        out = np.zeros(self.size, dtype=bool)
        for sp, off in zip(self.segments, self.offsets, strict=True):
            table = np.array([wanted(split_indexed(v)[0]) for v in sp.header["atwords"]] + [False])
            out[off : off + sp.docs] = table[self._atwords[off : off + sp.docs].astype(np.int64)]
        return out

    def postings(self, fieldname: str, term: str) -> TermHits:
        """Live records holding a term, in record-number order, with their frequencies."""
        return self.postings_many([(fieldname, term)])[0]

    def postings_many(self, pairs: Sequence[tuple[str, str]]) -> list[TermHits]:
        """postings() of several (field, term) pairs: each segment's term table is searched
        once for all of them (a question has some 70 terms and a 10x library 9 segments)."""
        terms = [t.encode("utf-8") for _, t in pairs]
        hashes = [lp.term_hash(f, b) for (f, _), b in zip(pairs, terms, strict=True)]
        keys = np.array(hashes, dtype=np.uint64)
        docs: list[list[np.ndarray]] = [[] for _ in pairs]
        tfs: list[list[np.ndarray]] = [[] for _ in pairs]
        for sp, off in zip(self.segments, self.offsets, strict=True):
            for j, found in sp.find_many(keys, terms).items():
                docs[j].append(found.docs.astype(np.int64) + off)
                tfs[j].append(found.tfs)
        return [self._live_hits(d, t) for d, t in zip(docs, tfs, strict=True)]

    def df_bounds(self, fieldname: str, terms: Sequence[str]) -> list[tuple[int, int]]:
        """Per term, bounds on its live document frequency from the term tables alone
        (no postings read): all its records, less every deleted record of the index."""
        btexts = [t.encode("utf-8") for t in terms]
        keys = np.array([lp.term_hash(fieldname, b) for b in btexts], dtype=np.uint64)
        high = np.zeros(len(terms), dtype=np.int64)
        for sp in self.segments:
            high += sp.counts_many(keys, btexts)
        return [(max(0, h - self.deleted), h) for h in high.tolist()]

    def _live_hits(self, docs: list[np.ndarray], tfs: list[np.ndarray]) -> TermHits:
        if not docs:
            return _NONE
        d = np.concatenate(docs) if len(docs) > 1 else docs[0]
        t = (np.concatenate(tfs) if len(tfs) > 1 else tfs[0]).astype(np.float64)
        if self.all_live:
            return TermHits(d, t)
        keep = self.live[d]
        return TermHits(d, t) if keep.all() else TermHits(d[keep], t[keep])

    def close(self) -> None:
        for sp in self.segments:
            sp.close()


@dataclass
class Scored:
    """The BM25F stage's output: a dense score per record, which records any term matched,
    and the share of the query's concepts each record contains (None: no concepts)."""

    scores: np.ndarray
    matched: np.ndarray
    coverage: np.ndarray | None
    partial: bool = False
    df: dict[tuple[str, str], int] = field(default_factory=dict)


class TermCache:
    """Postings read during one search (a term's df is asked before it is scored)."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.seen: dict[tuple[str, str], TermHits] = {}

    def fetch(self, pairs: Sequence[tuple[str, str]]) -> None:
        """Read the postings of these (field, term) pairs not read yet, in one batch."""
        todo = list(dict.fromkeys(p for p in pairs if p not in self.seen))
        if todo:
            self.seen.update(zip(todo, self.corpus.postings_many(todo), strict=True))

    def get(self, fieldname: str, term: str) -> TermHits:
        key = (fieldname, term)
        if key not in self.seen:
            self.seen[key] = self.corpus.postings(fieldname, term)
        return self.seen[key]


def bm25f(
    cache: TermCache,
    terms: Sequence[Term],
    k1: float,
    b: float,
    title_b: float,
    deadline: float | None = None,
    cancel: Cancel | None = None,
) -> Scored:
    """Score every record for the query terms, term at a time; stop early on deadline/cancel."""
    corpus = cache.corpus
    scores = np.zeros(corpus.size)
    matched = np.zeros(corpus.size, dtype=bool)
    concepts: dict[str, list[np.ndarray]] = {}
    partial = False
    cache.fetch([(f, t) for f, t, _, _ in terms])
    for fieldname, text, boost, concept in terms:
        if late(deadline, cancel):
            partial = True
            break
        hits = cache.get(fieldname, text)
        if not hits.df:
            continue
        idf = math.log(1 + (corpus.n - hits.df + 0.5) / (hits.df + 0.5))
        if concept:
            concepts.setdefault(text, []).append(hits.docs)
        c = boost * (k1 + 1) * idf
        norm = corpus.norm(fieldname, k1, title_b if fieldname in ("dtitle", "atitle") else b)
        scores[hits.docs] += c * hits.tfs / (hits.tfs + norm[hits.docs])
        matched[hits.docs] = True
    return Scored(scores, matched, _coverage(concepts, corpus.size), partial)


def _coverage(concepts: dict[str, list[np.ndarray]], size: int) -> np.ndarray | None:
    """Share of the query's distinct concepts (terms, in any field) each record contains.

    A concept found in several fields counts once per record: `count[docs] += 1` adds once
    to a record listed twice (numpy applies a repeated index's update once; `np.add.at` is
    the accumulating form). Counted in 16 bits, the work follows the postings with the
    least memory traffic: 5x faster than a bitmap of records already counted at 10x.
    """
    if not concepts:
        return None
    count = np.zeros(size, dtype=np.uint16)
    for arrays in concepts.values():
        count[arrays[0] if len(arrays) == 1 else np.concatenate(arrays)] += 1
    return count / len(concepts)


def top_sums(units: np.ndarray, scores: np.ndarray, n: int) -> np.ndarray:
    """Per unit (index), the sum of its n best scores, added best first.

    n passes of a per-group maximum over the records grouped by unit (already nearly in
    unit order): linear in the candidates, where sorting them all by score was not.
    """
    g = np.argsort(units, kind="stable")
    grouped, left = units[g], scores[g].astype(np.float64)
    starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]])
    group = np.repeat(np.arange(starts.size), np.diff(np.r_[starts, grouped.size]))
    rel = np.zeros(int(units.max()) + 1)
    for _ in range(n):
        best = np.maximum.reduceat(left, starts)
        rel[grouped[starts]] += np.where(best > -np.inf, best, 0.0)
        at = np.flatnonzero(left == best[group])
        first = at[np.r_[True, group[at][1:] != group[at][:-1]]]
        left[first] = -np.inf
    return rel


def late(deadline: float | None, cancel: Cancel | None) -> bool:
    """Whether a search must stop: its deadline (time.monotonic()) passed or it was cancelled."""
    return (deadline is not None and time.monotonic() > deadline) or bool(cancel and cancel())
