"""Query expansion learnt from question -> answering-article pairs, shipped as plain data.

The publisher has pairs of a question and the article that answers it (benchmark questions
with their gold article, Q&A entries with the articles they cite). Across those pairs a
question word goes with article words the question itself does not use: residents write
`đền`, the law writes `bồi thường`. `train` counts, for each question term (folded syllable
or bigram), the article bigrams missing from the question that come with it in at least
`min_pairs` pairs, and keeps the few whose share among that term's pairs most exceeds their
share among all articles (a smoothed lift, as in PMI). At query time `Expansion.terms` adds
the best few such bigrams, weighted, as extra body terms that do not count as concepts.

The model is JSON (`{"format": 1, "type": "expansion", "terms": {term: [[bigram, weight],
…]}}`), never pickle: it is data a kiosk reads, not code.
"""

from __future__ import annotations

import functools
import json
import logging
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from offline_index import analysis as va
from offline_index import everyday, fsutil
from offline_index.errors import LibraryCorrupt

log = logging.getLogger(__name__)

FORMAT = 1
# The model the library searches with: trained at the publisher by bench/expansion_bench.py
# (--write-model) and shipped with the code as package data.
MODEL_FILE = Path(__file__).with_name("expansion_model.json")


@dataclass
class Expansion:
    """question term -> [(article bigram, weight)], best first."""

    terms: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    size: int = 10  # bigrams a query gets at most
    boost: float = 0.3  # body boost of the best expansion bigram (others in proportion)
    support: int = 2  # query terms that must propose a bigram (one alone drifts)

    def expand(self, qt: va.QueryTerms) -> list[tuple[str, float]]:
        """The query's expansion bigrams with their boosts, best first (none it already has)."""
        have = set(qt.bigrams)
        sums: Counter[str] = Counter()
        votes: Counter[str] = Counter()
        for t in (*qt.unigrams, *qt.bigrams):
            for bigram, weight in self.terms.get(t, ()):
                if bigram not in have:
                    sums[bigram] += weight
                    votes[bigram] += 1
        for b in [b for b, n in votes.items() if n < self.support]:
            del sums[b]
        best = sums.most_common(self.size)
        if not best:
            return []
        top = best[0][1]
        return [(b, self.boost * w / top) for b, w in best]

    def to_json(self) -> dict:
        return {
            "format": FORMAT,
            "type": "expansion",
            "terms": {t: [[b, round(w, 4)] for b, w in v] for t, v in sorted(self.terms.items())},
        }

    @classmethod
    def from_json(cls, data: object, source: str = "expansion model") -> Expansion:
        """Validate strictly: a malformed file is refused, never half-used."""
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise LibraryCorrupt(f"{source}: not an expansion model of format {FORMAT}")
        terms = data.get("terms")
        if not isinstance(terms, dict):
            raise LibraryCorrupt(f"{source}: no terms")
        out: dict[str, list[tuple[str, float]]] = {}
        for t, pairs in terms.items():
            if not isinstance(pairs, list) or not all(_pair(p) for p in pairs):
                raise LibraryCorrupt(f"{source}: bad entry for {t!r}")
            out[str(t)] = [(str(b), float(w)) for b, w in pairs]
        return cls(out)

    def save(self, path: Path) -> None:
        text = json.dumps(self.to_json(), ensure_ascii=False, separators=(",", ":"))
        fsutil.atomic_write_text(path, text + "\n")

    @classmethod
    def load(cls, path: Path) -> Expansion:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise LibraryCorrupt(f"{path}: unreadable expansion model: {exc}") from exc
        return cls.from_json(data, str(path))


@functools.cache
def default_model() -> Expansion | None:
    """The shipped model; None (no learnt expansion) when the file is not there."""
    if not MODEL_FILE.is_file():
        log.warning("no expansion model at %s: queries are not expanded", MODEL_FILE)
        return None
    return Expansion.load(MODEL_FILE)


def _pair(p: object) -> bool:
    return (
        isinstance(p, list)
        and len(p) == 2
        and isinstance(p[0], str)
        and isinstance(p[1], int | float)
        and math.isfinite(p[1])
    )


# ---------------------------------------------------------------- training (publisher side)


def question_terms(text: str) -> set[str]:
    """A question's folded content syllables and bigrams, without the thesaurus."""
    with everyday.using_everyday([]):
        qt = va.analyse_query(text)
    return {*qt.unigrams, *qt.bigrams}


def article_bigrams(text: str) -> set[str]:
    """An article's folded bigrams of two content syllables (as queries form them)."""
    sylls = va.syllables(text)
    return {
        f"{a} {b}"
        for a, b in zip(sylls, sylls[1:], strict=False)
        if a not in va.STOP_PLAIN and b not in va.STOP_PLAIN and not a.isdigit() and not b.isdigit()
    }


def train(
    pairs: Iterable[tuple[str, str]],
    background: Mapping[str, int],
    articles: int,
    *,
    min_pairs: int = 2,
    per_term: int = 5,
    smoothing: float = 2.0,
) -> Expansion:
    """Learn question term -> article bigrams from (question, answering article) texts.

    `background` holds each bigram's number of articles in the whole library (of `articles`):
    a bigram common everywhere (`quy định`) is no evidence. A pair's article bigrams that the
    question already has are left out: what is learnt is the vocabulary the question lacks.
    """
    with_term: Counter[str] = Counter()
    together: dict[str, Counter[str]] = {}
    for question, article in pairs:
        q = question_terms(question)
        a = article_bigrams(article) - q
        with_term.update(q)
        for t in q:
            together.setdefault(t, Counter()).update(a)
    out: dict[str, list[tuple[str, float]]] = {}
    for t, counts in together.items():
        n = with_term[t]
        if n < min_pairs:
            continue
        scored = []
        for b, k in counts.items():
            if k < min_pairs:
                continue
            lift = (k / (n + smoothing)) / ((background.get(b, 0) + 1) / (articles + 1))
            if lift > 1:
                scored.append((b, k / (n + smoothing) * math.log(lift)))
        scored.sort(key=lambda x: (-x[1], x[0]))
        if scored:
            out[t] = scored[:per_term]
    return Expansion(out)
