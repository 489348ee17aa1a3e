"""Did-you-mean for misspelt query words, from the index's own syllable vocabulary.

Vietnamese has only a few thousand distinct syllables (3,131 folded forms in the shared
corpus), so the vocabulary is small. Candidates within two edits are found with a
symmetric-delete index (SymSpell's idea): every vocabulary word is filed under the strings
left by deleting up to two of its letters, and a query word looks up its own deletes. The
cost of one word is then bounded by its length (at most 1 + n + n(n-1)/2 lookups), where
generating every two-edit variant (Norvig) grew with n² · 26² and took 30 s for a 200-letter
word (issue 18). Words longer than MAX_WORD are never corrected, and one query's corrections
stop at a time budget and a bound on the candidates compared.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from offline_index import analysis as va

_ALPHA = re.compile(r"^[a-z]+$")
RARE_DF = 1  # a syllable seen in at most this many records may be a typo itself
COMMON_RATIO = 200  # ... if a one-edit neighbour is this many times more frequent
MAX_EDITS = 2
# A Vietnamese syllable has at most 7 letters (nghiêng); loan words of the legal vocabulary
# reach 15 (methamphetamine). Longer "words" are pasted text, not typos.
MAX_WORD = 16
BUDGET_S = 0.05  # one query's corrections; what is left after it stays as typed
MAX_CHECKS = 20_000  # candidate comparisons in one query


def _deletes(word: str, depth: int = MAX_EDITS) -> set[str]:
    """The word and every string left by deleting up to `depth` of its letters."""
    out, frontier = {word}, {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        out |= frontier
    return out


def distance(a: str, b: str, limit: int = MAX_EDITS) -> int:
    """Damerau-Levenshtein distance (deletes, inserts, replaces and adjacent swaps, in any
    order: what two rounds of single edits reach), or limit + 1 if it is larger."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    inf = len(a) + len(b)
    d = [[inf] * (len(b) + 2)] + [[inf] + [0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i + 1][1] = i
    for j in range(len(b) + 1):
        d[1][j + 1] = j
    last_row: dict[str, int] = {}
    for i in range(1, len(a) + 1):
        last_col = 0
        for j in range(1, len(b) + 1):
            i1, j1 = last_row.get(b[j - 1], 0), last_col
            same = a[i - 1] == b[j - 1]
            last_col = j if same else last_col
            d[i + 1][j + 1] = min(
                d[i][j] + (not same),
                d[i + 1][j] + 1,
                d[i][j + 1] + 1,
                d[i1][j1] + (i - i1 - 1) + 1 + (j - j1 - 1),
            )
        last_row[a[i - 1]] = i
    return min(d[len(a) + 1][len(b) + 1], limit + 1)


@dataclass
class Budget:
    """What one query may spend on corrections: a deadline and a number of comparisons."""

    deadline: float
    checks_left: int = MAX_CHECKS
    checks: int = 0  # comparisons made (for tests and logs)

    def spent(self, clock: Callable[[], float]) -> bool:
        return self.checks_left <= 0 or clock() > self.deadline


class Speller:
    """Corrects folded syllables against {syllable: record frequency}."""

    def __init__(self, vocab: dict[str, int], clock: Callable[[], float] = time.monotonic) -> None:
        self.vocab = vocab
        self._clock = clock
        self._index: dict[str, tuple[str, ...]] | None = None
        self.last_checks = 0  # comparisons made by the last did_you_mean()

    def _lookup(self) -> dict[str, tuple[str, ...]]:
        """The symmetric-delete index, built on the first word that needs it (~0.1 s)."""
        if self._index is None:
            index: dict[str, list[str]] = {}
            for word in self.vocab:
                if _ALPHA.match(word) and len(word) <= MAX_WORD:
                    for key in _deletes(word):
                        index.setdefault(key, []).append(word)
            self._index = {k: tuple(v) for k, v in index.items()}
        return self._index

    def _neighbours(self, word: str, budget: Budget) -> Iterator[tuple[str, int]]:
        """(vocabulary word, distance) for words within MAX_EDITS of `word`, not itself."""
        index, seen = self._lookup(), {word}
        for key in _deletes(word):
            for cand in index.get(key, ()):
                if cand in seen:
                    continue
                if budget.checks_left <= 0:
                    return
                seen.add(cand)
                budget.checks_left -= 1
                budget.checks += 1
                d = distance(word, cand)
                if d <= MAX_EDITS:
                    yield cand, d

    def correct(self, word: str, budget: Budget | None = None) -> str | None:
        """The most frequent known syllable within one edit (two for unknown words of 4+
        letters), or None if none is better."""
        if not _ALPHA.match(word) or not 2 <= len(word) <= MAX_WORD or not self.vocab:
            return None
        df = self.vocab.get(word, 0)
        if df > RARE_DF:
            return None
        budget = budget or Budget(self._clock() + BUDGET_S)
        near = list(self._neighbours(word, budget))
        known = [w for w, d in near if d == 1]
        if not known and df == 0 and len(word) >= 4:
            known = [w for w, _ in near]
        if not known:
            return None
        best = max(known, key=lambda w: (self.vocab[w], w))
        if df and self.vocab[best] < COMMON_RATIO * df:
            return None
        return best

    def did_you_mean(self, text: str, qt: va.QueryTerms) -> str | None:
        """The query with misspelt syllables replaced, or None if nothing looks misspelt.

        Reads only what the analyser reads (analysis.cap_query) and stops correcting when
        the budget is spent (the rest of the words stay as typed). A word typed with
        diacritics is left as typed: an input method composed it, so it is a word, and one
        the library lacks is not a typo of another it holds (`bừa` in `vứt rác bừa bãi` is
        not `của`, which the demo's small vocabulary offered).
        """
        if not self.vocab:
            return None
        budget = Budget(self._clock() + BUDGET_S)
        wanted, fixes = set(qt.unigrams), {}
        out = []
        for w in va.cap_query(text).split():
            parts = va.syllables(w)
            typed = len(parts) == 1 and parts[0] in wanted and not va.has_diacritics(w)
            key = parts[0] if typed else None
            if key is not None and key not in fixes:
                fixes[key] = None if budget.spent(self._clock) else self.correct(key, budget)
            fixed = fixes.get(key) if key is not None else None
            out.append(fixed or w)
        self.last_checks = budget.checks
        return " ".join(out) if any(fixes.values()) else None
