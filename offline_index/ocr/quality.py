"""Character and word accuracy of recognised text against a reference text.

Accuracy is 1 - (edit distance / reference length), on lower-cased NFC words (punctuation
and layout ignored: search ignores them too); characters are compared over the words
joined by single spaces. The edit distance is Myers' bit-parallel algorithm (Hyyrö's
formulation) on Python integers, so a whole page compares in milliseconds.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Hashable, Sequence

from offline_index.ocr.lexicon import normalise

_WORD = re.compile(r"[^\W_]+")  # words: letters and digits (not ____ rulers)


def words(text: str) -> list[str]:
    return _WORD.findall(normalise(text).lower())


def levenshtein(a: Sequence[Hashable], b: Sequence[Hashable]) -> int:
    """Edit distance (insert, delete, substitute; each costs 1)."""
    if not a:
        return len(b)
    if not b:
        return len(a)
    m = len(a)
    mask, high = (1 << m) - 1, 1 << (m - 1)
    peq: dict[Hashable, int] = {}
    for i, item in enumerate(a):
        peq[item] = peq.get(item, 0) | (1 << i)
    pv, mv, score = mask, 0, m
    for item in b:
        eq = peq.get(item, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = (mv | ~(xh | pv)) & mask
        mh = pv & xh
        if ph & high:
            score += 1
        elif mh & high:
            score -= 1
        ph = ((ph << 1) | 1) & mask
        mh = (mh << 1) & mask
        pv = (mh | ~(xv | ph)) & mask
        mv = ph & xv
    return score


def word_accuracy(reference: str, text: str) -> float:
    ref = words(reference)
    return 1.0 - levenshtein(ref, words(text)) / len(ref) if ref else 1.0


def char_accuracy(reference: str, text: str) -> float:
    ref = " ".join(words(reference))
    return 1.0 - levenshtein(ref, " ".join(words(text))) / len(ref) if ref else 1.0


def word_recall(reference: str, text: str) -> float:
    """Share of the reference's words found in the text (as a bag): what search sees."""
    ref = Counter(words(reference))
    got = Counter(words(text))
    total = sum(ref.values())
    return sum((ref & got).values()) / total if total else 1.0
