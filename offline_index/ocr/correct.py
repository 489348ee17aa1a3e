"""Post-correction of Vietnamese OCR text with syllable and syllable-bigram counts.

Tesseract's `vie` model makes two kinds of mistakes this can undo:
- it glues a syllable to the next, mostly after a tone mark (`sởhữu`, `vịtrí`, `VỤÁN`);
- it misreads a tone or vowel mark (`quyên` for `quyền`, `chuyên` for `chuyển`, `đât`).

Each run of words (punctuation and numbers end a run) is decoded with Viterbi: every word
may stay as it is, become another known syllable with the same letters but other marks, or,
when it is not a known syllable, be split into two or three known ones. A path scores the
bigram log-probabilities of its syllables (Dirichlet-smoothed towards unigram frequencies)
minus a cost for every change, so a word only changes when its neighbours make the change
far more likely. Unknown words (names, codes, abbreviations) are kept as they are.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

from offline_index.analysis import fold
from offline_index.ocr.lexicon import Lexicon, normalise

TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")  # huyền sắc ngã hỏi nặng
VOWEL_MARKS = frozenset("\u0302\u0306\u031b")  # â ê ô, ă, ơ ư
_LETTERS = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Costs:
    """Log-probability costs of changes; tuned on rendered precedent pages (bench/ocr_bench.py)."""

    tone: float = 10.0  # a tone mark changes on a plain vowel (tesseract rarely errs there)
    stacked_add: float = 1.5  # a tone added over â ê ô ă ơ ư (tesseract often drops it)
    stacked_change: float = 3.0  # another tone over â ê ô ă ơ ư
    vowel: float = 6.0  # per letter whose vowel mark (â ă ê ô ơ ư) or đ changes
    known: float = 2.5  # added when the word as read is itself a known syllable
    name: float = 4.0  # a capitalised known word inside a run is likely a name
    unknown_variant: float = 2.0  # a word that is no syllable at all is likely misread
    split: float = 1.5  # per split of an unknown word
    unknown: float = 16.0  # -log P of a word the lexicon does not know
    after_unknown: float = 3.0  # the next word's lost context (it backs off to its unigram)
    prior: float = 20.0  # added to a syllable's distinct followers in the backoff weight
    min_piece: int = 3  # a split piece must be a syllable seen at least this often
    variants: int = 6  # most frequent variants considered per word


def skeleton(word: str) -> str:
    """Letters without any mark: `quyền` -> `quyen`, `đất` -> `dat`."""
    return fold(word)


def _marks(word: str) -> tuple[frozenset[str], list[frozenset[str]]]:
    """(tone marks of the word, vowel marks per letter)."""
    tones: set[str] = set()
    per_letter: list[frozenset[str]] = []
    for ch in word:
        parts = unicodedata.normalize("NFD", ch)
        tones |= {c for c in parts if c in TONES}
        vowel = {c for c in parts if c in VOWEL_MARKS} | ({"đ"} if ch == "đ" else set())
        per_letter.append(frozenset(vowel))
    return frozenset(tones), per_letter


class Corrector:
    """Decodes OCR word runs against a Lexicon; build once, use for many pages."""

    def __init__(self, lexicon: Lexicon, costs: Costs | None = None) -> None:
        self.lex = lexicon
        self.costs = costs or Costs()
        n, v = lexicon.total, max(1, len(lexicon.syllables))
        self._log_norm = math.log(n + 0.5 * v)
        self._variants: dict[str, list[str]] = {}
        by_skel: dict[str, list[str]] = {}
        for syl in lexicon.syllables:
            by_skel.setdefault(skeleton(syl), []).append(syl)
        for key, syls in by_skel.items():
            syls.sort(key=lambda s: -lexicon.syllables[s])
            self._variants[key] = syls[: self.costs.variants]
        self._cands: dict[tuple[str, bool], list[tuple[tuple[str, ...], float]]] = {}
        self._followers: dict[str, int] = {}  # distinct next syllables (Witten-Bell backoff)
        for pair in lexicon.bigrams:
            first = pair.split(" ", 1)[0]
            self._followers[first] = self._followers.get(first, 0) + 1

    # ---------------------------------------------------------------- language model

    def known(self, syl: str) -> bool:
        return syl in self.lex.syllables

    def logp(self, prev: str | None, syl: str) -> float:
        """log P(syl | prev), Witten-Bell smoothed towards the unigram (a syllable followed by
        many different ones backs off more); unknown words cost a constant."""
        c = self.lex.syllables.get(syl)
        if not c:
            return -self.costs.unknown
        p_uni = (c + 0.5) / math.exp(self._log_norm)
        c_prev = self.lex.syllables.get(prev, 0) if prev else 0
        if not c_prev:
            return math.log(p_uni)
        t = self._followers.get(prev, 0) + self.costs.prior  # type: ignore[arg-type]
        return math.log((self.lex.pair(prev, syl) + t * p_uni) / (c_prev + t))  # type: ignore[arg-type]

    # ---------------------------------------------------------------- candidates

    def change_cost(self, original: str, variant: str) -> float:
        """Cost of reading `original` as `variant`: tesseract drops tones over stacked marks."""
        if original == variant:
            return 0.0
        t1, v1 = _marks(original)
        t2, v2 = _marks(variant)
        c = self.costs
        cost = c.vowel * sum(1 for a, b in zip(v1, v2, strict=False) if a != b)
        if t1 != t2:
            stacked = any(v - {"đ"} for v in v1)
            cost += c.tone if not stacked else c.stacked_add if not t1 else c.stacked_change
        return cost

    def variants(self, word: str) -> list[tuple[str, float]]:
        """Known syllables with the same letters (the word itself first if known)."""
        out = [(word, 0.0)] if self.known(word) else []
        extra = self.costs.known if out else self.costs.unknown_variant
        for syl in self._variants.get(skeleton(word), []):
            if syl != word and len(syl) == len(word):
                out.append((syl, self.change_cost(word, syl) + extra))
        return out

    def candidates(self, word: str, upper_initials: bool) -> list[tuple[tuple[str, ...], float]]:
        """(syllables, cost) readings of one lower-cased OCR word."""
        key = (word, upper_initials)
        if key not in self._cands:
            cands = [((v,), c) for v, c in self.variants(word)]
            if not self.known(word):
                cands.append(((word,), 0.0))  # kept as written: a name, a code
                cands.extend(self._splits(word, upper_initials))
            self._cands[key] = cands
        return self._cands[key]

    def _pieces(self, piece: str, single_ok: bool) -> list[tuple[str, float]]:
        if len(piece) == 1 and not single_ok:
            return []
        return [
            (v, c)
            for v, c in self.variants(piece)
            if self.lex.syllables.get(v, 0) >= self.costs.min_piece
        ][:3]

    def _splits(self, word: str, upper: bool) -> list[tuple[tuple[str, ...], float]]:
        out: list[tuple[tuple[str, ...], float]] = []
        for i in range(1, len(word)):
            for left, c1 in self._pieces(word[:i], upper):
                for right, c2 in self._pieces(word[i:], upper):
                    out.append(((left, right), c1 + c2 + self.costs.split))
                if len(word) - i >= 4:
                    for j in range(i + 1, len(word)):
                        for mid, c2 in self._pieces(word[i:j], upper):
                            for right, c3 in self._pieces(word[j:], upper):
                                cost = c1 + c2 + c3 + 2 * self.costs.split
                                out.append(((left, mid, right), cost))
        return out

    # ---------------------------------------------------------------- decoding

    def decode(self, words: list[str]) -> list[tuple[str, ...]]:
        """The best reading of a run of lower-cased words (Viterbi over candidates)."""
        # state: last syllable -> (score, back-pointer list of choices)
        states: dict[str | None, tuple[float, list[tuple[str, ...]]]] = {None: (0.0, [])}
        for i, word in enumerate(words):
            low = word.lower()
            # A single-letter piece only from mixed case (`ThịL`: a name's initial), never
            # from an all-capitals code (`UB` stays `UB`).
            single_ok = word != word.upper() and word != low
            name = self.costs.name if i and word[:1].isupper() and self.known(low) else 0.0
            nxt: dict[str | None, tuple[float, list[tuple[str, ...]]]] = {}
            for pieces, cost in self.candidates(low, single_ok):
                cost += name if pieces != (low,) else 0.0
                best: tuple[float, list[tuple[str, ...]]] | None = None
                for prev, (score, path) in states.items():
                    s = score - cost + self._score(prev, pieces)
                    if best is None or s > best[0]:
                        best = (s, path)
                assert best is not None
                last = pieces[-1] if self.known(pieces[-1]) else ""
                if last not in nxt or best[0] > nxt[last][0]:
                    nxt[last] = (best[0], [*best[1], pieces])
            states = nxt
        return max(states.values(), key=lambda st: st[0])[1]

    def _score(self, prev: str | None, pieces: tuple[str, ...]) -> float:
        """Log-probability of pieces after `prev` ("" after an unknown word, None at a run's
        start): a word after an unknown one pays for the context it lost."""
        total = 0.0
        for syl in pieces:
            total += self.logp(prev or None, syl) - (self.costs.after_unknown if prev == "" else 0)
            prev = syl if self.known(syl) else ""
        return total

    def correct_text(self, text: str) -> tuple[str, int]:
        """Corrected text and the number of words changed; layout and punctuation kept."""
        changed = 0
        lines = []
        for line in normalise(text).split("\n"):
            new, n = self._correct_line(line)
            lines.append(new)
            changed += n
        return "\n".join(lines), changed

    def _correct_line(self, line: str) -> tuple[str, int]:
        tokens = list(_LETTERS.finditer(line))
        if not tokens:
            return line, 0
        out: list[str] = []
        changed = 0
        pos = 0
        for run in _runs(line, tokens):
            words = [m.group(0) for m in run]
            for m, pieces in zip(run, self.decode(words), strict=True):
                out.append(line[pos : m.start()])
                fixed = _with_case(m.group(0), pieces)
                changed += fixed != m.group(0)
                out.append(fixed)
                pos = m.end()
        out.append(line[pos:])
        return "".join(out), changed


def _runs(line: str, tokens: list[re.Match[str]]) -> list[list[re.Match[str]]]:
    """Group word matches into runs: only whitespace may separate words of one run."""
    runs: list[list[re.Match[str]]] = []
    for m in tokens:
        if runs and not line[runs[-1][-1].end() : m.start()].strip():
            runs[-1].append(m)
        else:
            runs.append([m])
    return runs


def _with_case(original: str, pieces: tuple[str, ...]) -> str:
    """Pieces written with the original's capitals letter by letter (`VỤÁN` -> `VỤ ÁN`)."""
    joined = "".join(pieces)
    if joined == original.lower() and len(pieces) == 1:
        return original
    chars = []
    for i, ch in enumerate(joined):
        src = original[i] if i < len(original) else original[-1]
        chars.append(ch.upper() if src.isupper() else ch)
    out, i = [], 0
    for p in pieces:
        out.append("".join(chars[i : i + len(p)]))
        i += len(p)
    return " ".join(out)


# Headings the structure parser needs, as tesseract misreads their numbers in bold type:
# `Chương ]`, `Chương l` (I), `Mục l` (1), `Điều l2.` (12), `Điều 1O.` (10).
_CHAPTER = re.compile(
    r"^(\s*(?:Chương|CHƯƠNG|Phần|PHẦN)\s+)([IVXl1|\]\[!]{1,7})(\s*[.:]?(?:\s*$|\s+(?=\w)))", re.M
)
_SECTION = re.compile(r"^(\s*(?:Mục|MỤC)\s+)([0-9Il|\]!]{1,3})(\s*[.:]?\s*(?:$|\s))", re.M)
_ARTICLE = re.compile(r"^(\s*Điều\s+)([0-9OoIl|]{1,4})([a-zđ]?\s*[.:])", re.M)


def fix_headings(text: str) -> str:
    """Numbers of Chương/Mục/Điều headings read back from look-alike characters."""

    def chapter(m: re.Match[str]) -> str:
        token = m.group(2)
        if token.isdigit():
            return m.group(0)  # `Chương 1`: a law that numbers its chapters in digits
        return m.group(1) + re.sub(r"[l1|\]\[!]", "I", token) + m.group(3)

    def digits(m: re.Match[str]) -> str:
        number = m.group(2).translate(str.maketrans("OoIl|]!", "0011111"))
        return m.group(1) + number + m.group(3)

    text = _CHAPTER.sub(chapter, text)
    text = _SECTION.sub(digits, text)
    return _ARTICLE.sub(digits, text)
