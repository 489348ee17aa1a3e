"""Ranking after BM25F: a list of stages, each a small function of (query, candidates).

Whoosh's `Tokenizer | Filter` chain is the model. The BM25F stage (offline_index/scoring.py)
scores every record the query's terms match; then the stages run in order, each taking the
candidates and returning them rescored, filtered or cut. This module holds the shared types
and the stages on every match; `offline_index/reranking.py` holds the stages on the best few
and `PIPELINE`, the whole order. docs/search.md lists the stages with the figures behind each
default; a test can run any one alone.

Candidates keep one shape throughout: record numbers and scores (numpy arrays, best first
once a `best_*` stage has sorted them) plus the `Records` they came from, which is how a
stage reads what it needs about a record (its document, validity, article title words,
stored text). Stages that read stored text run only on the few best candidates, and are
skipped when the search's deadline has passed (`reads_text`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

import numpy as np

from offline_index import analysis as va
from offline_index.article_titles import topic_words
from offline_index.scoring import top_sums
from offline_index.search_types import NO_FILTERS, SearchFilters

_WORD = re.compile(r"\w+")


@dataclass
class Weights:
    """Ranking parameters: per-field boosts, BM25 K1 and B (length normalisation)."""

    body: float = 1.0  # folded bigrams of the text
    body1: float = 0.35  # folded single syllables of the text
    dtitle: float = 0.6  # document kind, title, number, year
    atitle: float = 1.2  # article title
    number: float = 25.0  # official number in any loose form: puts that document first
    article: float = 10.0  # "Điều 12"
    year: float = 2.0  # a year in the query: "luật đất đai 2024"
    definition: float = 1.0  # "Giải thích từ ngữ" articles for "... là gì?"
    k1: float = 1.2
    b: float = 0.75
    title_b: float = 0.3
    coord: float = 2.0  # exponent of the share of query concepts a record contains
    accent: float = 0.25  # relative bonus for query bigrams found with the same diacritics
    max_df: float = 0.12  # single syllables in more than this share of records are ignored
    rerank: int = 15  # candidates the text re-ranks and later stages see at least (accents)
    proximity: float = 2.0  # relative bonus for query syllables close together in the text
    proximity_window: int = 24  # syllables
    proximity_depth: int = 30  # candidates re-ranked by proximity
    proximity_min_terms: int = 6  # distinct query syllables needed for the proximity re-rank
    named_doc: float = 1.0  # relative bonus for records of a document the query names by title
    defines: float = 1.0  # relative bonus for a record defining the asked term ("X là ...")
    defines_depth: int = 60  # candidates checked for such a definition
    title_all: float = 1.0  # relative bonus for an article title made only of query words
    title_all_depth: int = 50  # candidates checked for it
    title_short: float = 0.5  # short searches: relative bonus for the query's words in the title
    title_short_max: int = 5  # syllables a question may have to count as short (a topic: order_max)
    title_exact: float = 0.25  # short searches: relative bonus for a title that is just the topic
    head: float = 1.5  # topic searches: a title holding the search's first two syllables
    typed_phrase: float = (
        2.5  # topic searches: a title holding the words as typed, function words too
    )
    scope: float = 1.0  # relative bonus for the scope articles of a named law "áp dụng cho ai?"
    not_in_force: float = 0.5  # factor for records no longer in force, unless asked for
    in_force_answers: float = 0.5  # a replacement's record this close ranks above the old one
    doc_rel: float = 0.5  # relative bonus for records of the documents that answer best
    doc_rel_top: int = 5  # a document's relevance: the sum of its best records' scores
    doc_scope: float = 1.0  # its scope article's score counts this many times more
    doc_defines: float = 0.25  # topic searches: relative bonus for the records of a law whose
    # glossary defines a term the query names …
    defines_share: float = 0.25  # … a term used by at most this share of the documents
    cited: float = 1.0  # share of a well-matching Q&A answer's score its cited articles get
    cited_depth: int = 10  # Q&A answers among this many best candidates lend their score
    guided: float = 0.5  # share of a guiding article's score the article it guides gets
    pages_per_doc: int = 2  # pages of one paged text (precedent, handbook) among the best
    guide_window: int = 5  # a guide first: its law's best record among this many goes first
    special_regime: float = 0.7  # factor for an article of a special regime not asked about
    dossier: float = 0.5  # factor for a dossier article (`Hồ sơ …`) when no papers are asked for
    procedure: float = 0.25  # factor for a code of procedure's article when no court case is asked
    penalty_other: float = 0.1  # factor for an article setting no sanction when one is asked
    general_law: float = 0.3  # the general law's records, for a question in everyday words
    order_share: float = 0.9  # an earlier article of the same law this close goes first …
    order_extra: int = 1  # … if its title holds as many query syllables, and at most 1 other more
    order_max: int = 8  # syllables a search may have for drafting_order (a topic, not a question)
    order_depth: int = 10  # documents of the best this many candidates are looked at
    same_title_share: float = 0.5  # an earlier article of the same title this close goes first
    parallel_share: float = 0.45  # … and an earlier sanction article of the same template
    doc_title: float = 1.0  # topic searches: relative bonus for (share of the query's phrases in
    # the title of the record's document)² (a law about the topic, not one restating it)
    legal_title: float = 1.0  # relative bonus for an article whose title is the legal wording
    # of an everyday phrase the query used (`cho vay lấy lãi` -> `Lãi suất`) …
    legal_extra: int = 1  # … and at most this many syllables more
    part_topic: float = 1000.0  # topic searches: the articles of a part (Chương, Mục) whose
    # heading is the topic go first, × (1 + part_topic), unless replaced by a text held here


class Records(Protocol):
    """What stages may read about the records of one index."""

    tiebreak: np.ndarray  # per record number: its place among equal scores

    def records_of(self, doc_ids: Collection[str]) -> np.ndarray: ...  # bool per record

    def not_in_force(self) -> np.ndarray: ...  # bool per record, from the documents' status now

    replacements: dict[int, np.ndarray]  # unit -> units of the index replacing it
    successors: dict[int, np.ndarray]  # unit replaced by none here -> newer units of its field

    def units(self, docs: np.ndarray) -> np.ndarray: ...  # unit (document) code per record

    def unlisted(self, docs: np.ndarray) -> np.ndarray: ...  # bool: replaced in part, unlisted

    def unit_codes(self, doc_ids: Collection[str]) -> set[int]: ...

    def not_replaced(self, units: set[int]) -> set[int]: ...  # those no other of them replaces

    def units_numbered(self, terms: Collection[str]) -> set[int]: ...  # by `num` terms

    def allowed(self, filters: SearchFilters) -> np.ndarray | None: ...  # bool per record

    def title_words(self, doc: int) -> str: ...  # title_words() of the record's article title

    def title_conjuncts(self, doc: int) -> str: ...  # a coordinated title's conjuncts, or ""

    def parts(self, doc: int) -> str: ...  # part_words() of the headings it sits under

    def scope_records(self) -> np.ndarray: ...  # bool per record: a scope article (is_scope)

    def title_phrases(self, unit: int) -> frozenset[str]: ...  # bigrams of a document's title

    def general_units(self) -> frozenset[int]: ...  # documents that say they are a general law

    def holding(self, pairs: Collection[str]) -> np.ndarray: ...  # bool: text holds a pair

    def defined_by(self, terms: Collection[str], max_share: float = 1.0) -> set[int]: ...

    def stored(self, doc: int) -> dict: ...  # stored fields: text, article_title, …

    citing: dict[int, np.ndarray]  # Q&A record -> records of the articles it cites

    def guides(self, doc: int, title: str) -> np.ndarray: ...  # articles its title guides

    def guided_units(self, unit: int) -> set[int]: ...  # documents its title implements


@dataclass
class Query:
    """What the stages know about the search."""

    terms: va.QueryTerms
    weights: Weights
    named: frozenset[str] = frozenset()  # doc_ids of documents the query names by title
    filters: SearchFilters = NO_FILTERS
    limit: int = 10

    @cached_property
    def topic(self) -> frozenset[str]:
        """The query's content syllables as the title signals compare them
        (article_titles.topic_words), worked out once per search."""
        return frozenset(topic_words(self.terms.unigrams))

    @cached_property
    def typed(self) -> int:
        """Content syllables the resident typed (the thesaurus's legal words not counted)."""
        return sum(len(run) for run in self.terms.typed)


@dataclass
class Candidates:
    docs: np.ndarray  # record numbers (int64)
    scores: np.ndarray  # float64, aligned with docs
    records: Records
    coverage: np.ndarray | None = None  # share of query concepts per candidate (BM25F stage)
    _stored: dict[int, dict] = field(default_factory=dict)

    def stored(self, i: int) -> dict:
        d = int(self.docs[i])
        if d not in self._stored:
            self._stored[d] = self.records.stored(d)
        return self._stored[d]

    def title_text(self, i: int) -> str:
        s = self.stored(i)
        return f"{s.get('article_title') or ''} {s.get('text') or ''}"

    def body_text(self, i: int) -> str:
        """An article's text after its heading line (`Điều 4. Sở hữu đất đai`, index_units);
        any other record's title_text."""
        s = self.stored(i)
        title, text = s.get("article_title") or "", s.get("text") or ""
        first, _, rest = text.partition("\n")
        if s.get("hit_type") == "article" and title and first.endswith(title):
            return rest
        return self.title_text(i)

    def rescored(self, factors: list[float] | np.ndarray) -> Candidates:
        """Scores multiplied by per-candidate factors, sorted again (equal scores keep order)."""
        scores = self.scores * np.asarray(factors, dtype=np.float64)
        order = np.argsort(-scores, kind="stable")
        return self._take(order, scores[order])

    def _take(self, index: np.ndarray, scores: np.ndarray) -> Candidates:
        cov = None if self.coverage is None else self.coverage[index]
        return Candidates(self.docs[index], scores, self.records, cov, self._stored)

    def where(self, mask: np.ndarray) -> Candidates:
        return self._take(np.flatnonzero(mask), self.scores[mask])


Stage = Callable[[Query, Candidates], Candidates]


def stage(reads_text: bool = False) -> Callable[[Stage], Stage]:
    """Mark a ranking stage; those reading stored text are skipped once a deadline passes."""

    def mark(fn: Stage) -> Stage:
        fn.reads_text = reads_text  # type: ignore[attr-defined]
        return fn

    return mark


# ---------------------------------------------------------------- stages on every match


@stage()
def coverage(q: Query, c: Candidates) -> Candidates:
    """× (share of the query's concepts the record contains) ** coord."""
    if c.coverage is None or not q.weights.coord:
        return c
    return Candidates(c.docs, c.scores * c.coverage**q.weights.coord, c.records, None, c._stored)


@stage()
def named_document(q: Query, c: Candidates) -> Candidates:
    """× (1 + named_doc) for the records of a document the query names by title."""
    if not q.named or q.terms.number_only:
        return c
    inside = c.records.records_of(q.named)[c.docs]
    scores = np.where(inside, c.scores * (1 + q.weights.named_doc), c.scores)
    return Candidates(c.docs, scores, c.records, c.coverage, c._stored)


@stage()
def law_in_force(q: Query, c: Candidates) -> Candidates:
    """× not_in_force for records no longer in force, unless the query asks for their
    document (number, year, or a title its replacement does not share): the law in force
    comes before the one it replaced.

    A text replaced in part without a list of articles: its records count as replaced when
    a document replacing it also answers the query (some record of it matches).
    """
    if not c.docs.size or q.weights.not_in_force == 1:
        return c
    demote = superseded(q, c)
    scores = np.where(demote, c.scores * q.weights.not_in_force, c.scores)
    return Candidates(c.docs, scores, c.records, c.coverage, c._stored)


def superseded(q: Query, c: Candidates) -> np.ndarray:
    """Per candidate: no longer in force (see law_in_force), and not asked for."""
    r = c.records
    units = r.units(c.docs)
    out = r.not_in_force()[c.docs].copy()
    maybe = r.unlisted(c.docs)
    for u in np.unique(units[maybe]).tolist():
        if np.isin(units, r.replacements[u]).any():
            out |= units == u
    asked = asked_for(q, r)
    if asked:
        out &= ~np.isin(units, list(asked))
    return out


@stage()
def in_force_first(q: Query, c: Candidates) -> Candidates:
    """Among the best few, a record replaced by a document in the library comes after the
    record in force that answers nearly as well (× in_force_answers of its score), whatever
    the stages in between did: its replacement's best record, and the best record in force
    of any document (a dog bite is the Civil Code's, not the old road decree's). A record
    replaced by a document the library lacks comes after the best record of a newer text in
    force of its field (Records.successors) that answers nearly as well: `đi ngược chiều` opens
    Nghị định 168/2024's fine, not the repealed road law's rule."""
    w, r = q.weights, c.records
    if not w.in_force_answers or not (r.replacements or r.successors) or not c.docs.size:
        return c
    units = r.units(c.docs)
    gone = superseded(q, c)
    old = gone & np.isin(units, list(r.replacements) + list(r.successors))
    if not old.any():
        return c
    scores, current = c.scores.copy(), np.flatnonzero(~gone)
    for i in np.flatnonzero(old).tolist():
        for mine in _standing_in(r, int(units[i]), units, current):
            if mine.size:
                j = mine[np.argmax(scores[mine])]
                if w.in_force_answers * scores[i] <= scores[j] < scores[i]:
                    scores[j] = scores[i] * 1.0001  # just above: the order of the rest stands
    order = np.argsort(-scores, kind="stable")
    return c._take(order, scores[order])


def _standing_in(
    r: Records, unit: int, units: np.ndarray, current: np.ndarray
) -> tuple[np.ndarray, ...]:
    """The candidates that go above an old text's record if they answer nearly as well: its
    replacement's, then any in force; or, its replacement not here, its field's newer ones."""
    if unit in r.replacements:
        return np.flatnonzero(np.isin(units, r.replacements[unit])), current
    return (np.flatnonzero(np.isin(units, r.successors[unit])),)


def asked_for(q: Query, r: Records) -> set[int]:
    """Units the query asks for by official number or year, or by a title that a document
    replacing them does not share ("Luật Doanh nghiệp" names the 2014 and the 2020 law)."""
    asked = r.units_numbered(q.terms.numbers.terms)
    return asked | r.not_replaced(r.unit_codes(q.named))


@stage()
def document_relevance(q: Query, c: Candidates) -> Candidates:
    """× (1 + doc_rel × the record's document relevance over the best document's).

    A document's relevance is the sum of the scores of its best doc_rel_top records, plus
    doc_scope × its scope article's (`Phạm vi điều chỉnh`) when that matches: a topic a law
    is about ("ly hôn" in the Marriage and Family Law) runs through several of its articles
    and its scope; one that another law mentions once does not.
    """
    w = q.weights
    if not w.doc_rel or c.docs.size < 2:
        return c
    units = c.records.units(c.docs).astype(np.int64)
    own = units < 0  # records of no document (Q&A, notices) stand alone
    units = np.where(own, units.max() + 1 + np.arange(units.size), units)
    rel = top_sums(units, c.scores, w.doc_rel_top)  # offline_index/scoring.py
    if w.doc_scope:
        scope = np.flatnonzero(c.records.scope_records()[c.docs])
        rel += w.doc_scope * np.bincount(units[scope], c.scores[scope], minlength=rel.size)
    share = rel[units] / max(rel.max(), 1e-12)
    return Candidates(c.docs, c.scores * (1 + w.doc_rel * share), c.records, c.coverage, c._stored)


@stage()
def document_defines(q: Query, c: Candidates) -> Candidates:
    """Topic searches: × (1 + doc_defines) for the records of a law whose glossary (`Giải
    thích từ ngữ`) defines a term the query names (two or more of its syllables in a row),
    a term used by at most defines_share of the library's documents.

    A law defines the terms it governs in its own sense: Luật Hôn nhân và gia đình defines
    `cấp dưỡng`, so `tiền cấp dưỡng nuôi con` is its topic before Luật Nuôi con nuôi's. A
    word most laws use says nothing of the one that happens to define it (Luật Đấu thầu
    defines `hợp đồng`, which 6 in 10 documents use).
    """
    w, words = q.weights, q.terms.unigrams
    if not w.doc_defines or q.terms.question or not 1 < len(words) <= w.order_max:
        return c
    runs = {" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 2, len(words) + 1)}
    units = c.records.defined_by(runs, w.defines_share)
    if not units or c.docs.size < 2:
        return c
    hit = np.isin(c.records.units(c.docs), np.fromiter(units, dtype=np.int64))
    factor = np.where(hit, 1 + w.doc_defines, 1.0)
    return Candidates(c.docs, c.scores * factor, c.records, c.coverage, c._stored)


@stage()
def cited_by_answers(q: Query, c: Candidates) -> Candidates:
    """+ cited × a Q&A answer's score for each article it cites (`Căn cứ: …`), and + guided ×
    a guiding article's score for the article it guides, when the answer (guidance) is among
    the cited_depth best candidates and the article is a candidate too.

    A legal-aid officer's answer to the resident's question names the articles it rests on;
    those answer the search even when they share fewer of its words. So does the article of
    a guiding text whose title names the article it guides (`… quy định tại Điều 601 của Bộ
    luật Dân sự`): the guidance answers, and so does the law it explains. The bonus is
    bounded by the citing record's own score, and only articles that matched the query and
    passed the filters get it (nothing repealed is pulled in: law_in_force has already run).
    """
    w = q.weights
    if not (w.cited or w.guided) or c.docs.size < 2:
        return c
    n = min(w.cited_depth, c.docs.size)
    scores = c.scores.copy()
    for i in np.argpartition(-c.scores, n - 1)[:n].tolist():
        d = int(c.docs[i])
        if d in c.records.citing:
            cites, share = c.records.citing[d], w.cited
        elif w.guided:
            cites, share = c.records.guides(d, c.stored(i).get("article_title") or ""), w.guided
        else:
            continue
        scores[np.isin(c.docs, cites)] += share * c.scores[i]
    return Candidates(c.docs, scores, c.records, c.coverage, c._stored)


@stage()
def filters(q: Query, c: Candidates) -> Candidates:
    """Only records with the filters' values (kind, scope, field, validity, year)."""
    allowed = c.records.allowed(q.filters)
    return c if allowed is None else c.where(allowed[c.docs])


def best(c: Candidates, n: int) -> Candidates:
    """The n best, best first; equal scores in the records' tie-break order."""
    if c.docs.size > n:
        part = np.argpartition(-c.scores, n - 1)[:n]
        cut = c.scores[part].min()
        keep = np.flatnonzero(c.scores >= cut)  # every record tied with the n-th stays in
    else:
        keep = np.arange(c.docs.size)
    order = keep[np.lexsort((c.records.tiebreak[c.docs[keep]], -c.scores[keep]))][:n]
    return c._take(order, c.scores[order])


# The stages on every record the query matches, in order (docs/search.md, "Ranking");
# SearchResult.total counts what is left after them. BM25F (offline_index.scoring) comes first;
# offline_index.reranking holds the stages on the best few and the whole PIPELINE.
MATCH_STAGES: list[Stage] = [
    coverage,
    named_document,
    law_in_force,
    document_relevance,
    document_defines,
    filters,
    cited_by_answers,
]
