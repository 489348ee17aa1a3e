"""Did-you-mean for misspelt query words, from the index's own syllable vocabulary.

Vietnamese has only a few thousand distinct syllables, so a Norvig-style edit search
over the folded vocabulary is small and fast, and needs no extra dependency.
"""

from __future__ import annotations

import re

from offline_index import analysis as va

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_ALPHA = re.compile(r"^[a-z]+$")
RARE_DF = 1  # a syllable seen in at most this many records may be a typo itself
COMMON_RATIO = 200  # ... if a one-edit neighbour is this many times more frequent


def _edits1(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    inserts = {a + c + b for a, b in splits for c in _LETTERS}
    return deletes | swaps | replaces | inserts


class Speller:
    """Corrects folded syllables against {syllable: record frequency}."""

    def __init__(self, vocab: dict[str, int]) -> None:
        self.vocab = vocab

    def correct(self, word: str) -> str | None:
        """The most frequent known syllable within two edits, or None if none is better."""
        if not _ALPHA.match(word) or len(word) < 2 or not self.vocab:
            return None
        df = self.vocab.get(word, 0)
        if df > RARE_DF:
            return None
        known = [w for w in _edits1(word) if w in self.vocab]
        if not known and df == 0 and len(word) >= 4:
            known = [w2 for w1 in _edits1(word) for w2 in _edits1(w1) if w2 in self.vocab]
        if not known:
            return None
        best = max(known, key=lambda w: (self.vocab[w], w))
        if df and self.vocab[best] < COMMON_RATIO * df:
            return None
        return best

    def did_you_mean(self, text: str, qt: va.QueryTerms) -> str | None:
        """The query with misspelt syllables replaced, or None if nothing looks misspelt."""
        if not self.vocab:
            return None
        words = text.split()
        changed = False
        out = []
        for w in words:
            parts = va.syllables(w)
            fixed = self.correct(parts[0]) if len(parts) == 1 and parts[0] in qt.unigrams else None
            if fixed:
                changed = True
                out.append(fixed)
            else:
                out.append(w)
        return " ".join(out) if changed else None
