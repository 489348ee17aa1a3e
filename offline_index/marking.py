"""Which words of a text a search marks: the query's syllables, as the reading the resident
typed when they typed one.

Search matches on folded syllables, so `do` finds `độ`, `đỗ`, `do` and `đo` alike, and a
query typed without diacritics marks all of them. A resident who typed `đỗ xe` asked for
`đỗ`: marking every `tốc độ` and `do` in a decree of fines buries the one word asked for, so a
syllable typed with diacritics marks only that reading (`hoà` and `hòa` are one). Typed
without, a syllable the text holds beside another of the query's marks alone only in the
readings it has there (`ly hon`: `ly hôn`, not the `lý` of `thụ lý`). A single
letter marks only beside another marked word: `o tô` is `ô tô`, but the list letter `o)` is
not. Words a search added (the law's wording of a resident's everyday words) mark only beside
another marked word: `không chấp hành hiệu lệnh` is the act asked about, a lone `không` or
`của` elsewhere in a decree is not; nor is a clause word typed plain (`thi`, `hoac`: a
resident's `… thi vo co duoc ly hon` means `thì`, which every law writes). Snippets and the
reader mark through these rules
(offline_index/snippets.py, ui/render.py), and so does the PDF viewer (ui/screens/pdf.py).
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from offline_index.everyday import CLAUSE_WORDS_FOLDED
from offline_index.folding import (
    accent_lower,
    accent_lower_for,
    fold,
    fold_aligned,
    has_diacritics,
    nfc_words,
    word_spans,
)

Span = tuple[int, int, str]  # start, end, folded word


@functools.lru_cache(maxsize=8192)
def _word_lower(word: str) -> str:
    """accent_lower of one word, kept: a decree's snippet reads the same few words hundreds
    of times (15 % of a keyword search at 10x)."""
    return accent_lower(word)


# Clause words typed without diacritics (`thi`, `hoac`) stay search words, since folded they
# are also `thi hành`, but a resident's `... thi vo co duoc ly hon` means `thì`: marked alone
# they lit every `thì` of a law. Marked, like the law's added words, only beside another mark.
_CLAUSE_PLAIN = frozenset(CLAUSE_WORDS_FOLDED.split("|"))
_PUNCT = ".,;:()[]\"'«»!?"
_BREAKS = tuple(_PUNCT)


@dataclass(frozen=True)
class Marks:
    """The folded syllables to mark, for those typed with diacritics the readings typed
    (accent_lower), and those marked only beside another marked word (`joined`)."""

    words: frozenset[str]
    typed: Mapping[str, frozenset[str]] = field(default_factory=dict)
    joined: frozenset[str] = frozenset()

    @classmethod
    def of(cls, words: Iterable[str], typed_text: str = "", joined: Iterable[str] = ()) -> Marks:
        """Marks for these folded words; those that `typed_text` (the query as typed) holds
        typed with diacritics are marked as typed; `joined` ones only beside another."""
        wanted = frozenset(words)
        readings: dict[str, set[str]] = {}
        for word in nfc_words(typed_text):
            if has_diacritics(word) and fold(word) in wanted:
                readings.setdefault(fold(word), set()).add(accent_lower(word))
        typed = {w: frozenset(r) for w, r in readings.items()}
        clause = _CLAUSE_PLAIN & wanted - typed.keys()  # `thi` typed plain: mostly `thì`
        return cls(wanted, typed, (frozenset(joined) | clause) & wanted)

    def takes(self, word: str) -> bool:
        """Whether one word, as written, is marked (a PDF page's words come one by one)."""
        key = fold(word)
        readings = self.typed.get(key)
        return key in self.words and (readings is None or _word_lower(word) in readings)

    def takes_each(self, raw: list[str]) -> list[bool]:
        """Which of a run of words as printed (`lệnh;`), in reading order, are marked: a
        single letter or a word the search added only beside another marked word, with no
        punctuation between (a PDF page's words)."""
        words = [w.strip(_PUNCT) for w in raw]
        took = [self.takes(w) for w in words]
        # touching[i]: words i and i + 1 stand side by side, no punctuation between
        touching = [
            not a.endswith(_BREAKS) and not b.startswith(_BREAKS)
            for a, b in zip(raw, raw[1:], strict=False)
        ]

        def near(i: int) -> bool:
            before = i > 0 and touching[i - 1] and took[i - 1]
            return before or (i + 1 < len(raw) and touching[i] and took[i + 1])

        marked = [
            t and (not self._needs_neighbour(w) or near(i))
            for i, (w, t) in enumerate(zip(words, took, strict=True))
        ]
        keys = [fold(w) for w in words]
        found = [
            (keys[i], _word_lower(w), _pair(keys, marked, touching, i))
            for i, w in enumerate(words)
            if marked[i]
        ]
        keep = iter(_as_paired(found))
        return [t and next(keep) for t in marked]

    def _needs_neighbour(self, word: str) -> bool:
        return len(word) <= 1 or fold(word) in self.joined

    def spans(self, text: str, folded: str, start: int = 0, end: int | None = None) -> list[Span]:
        """The words to mark in text[start:end] (`folded` is fold_aligned(text))."""
        stop = len(text) if end is None else end
        as_typed = [r for typed in self.typed.values() for r in typed]
        low = accent_lower_for(text[start:stop], as_typed) if as_typed else ""
        aligned = len(low) == stop - start  # one character per character (nearly always)
        found: list[Span] = []
        for s, e, word in word_spans(folded, self.words, start, end):
            readings = self.typed.get(word)
            if readings is not None:
                typed = low[s - start : e - start] if aligned else _word_lower(text[s:e])
                if typed not in readings:
                    continue
            found.append((s, e, word))
        found = [
            x
            for i, x in enumerate(found)
            if (x[1] - x[0] > 1 and x[2] not in self.joined) or _beside(found, i, text)
        ]
        touching = _touching(found, text)
        seen = [
            (w, _word_lower(text[s:e]), t) for (s, e, w), t in zip(found, touching, strict=True)
        ]
        return [x for x, keep in zip(found, _as_paired(seen), strict=True) if keep]


def as_marks(terms: Marks | Iterable[str]) -> Marks:
    """Marks as given, or for plain words (folded here), none typed with diacritics: what
    the snippets, the reader and the PDF viewer accept."""
    return terms if isinstance(terms, Marks) else Marks.of(fold(t) for t in terms)


def _beside(found: list[Span], i: int, text: str) -> bool:
    """Whether the i-th span has a span of a longer word right before or after it (spaces
    only between)."""
    s, e, _ = found[i]
    before = (
        i > 0 and found[i - 1][1] - found[i - 1][0] > 1 and not text[found[i - 1][1] : s].strip()
    )
    after = (
        i + 1 < len(found)
        and found[i + 1][1] - found[i + 1][0] > 1
        and not text[e : found[i + 1][0]].strip()
    )
    return before or after


def _pair(keys: list[str], marked: list[bool], touching: list[bool], i: int) -> bool:
    """Whether word i of a page has a marked word of another key beside it (takes_each)."""
    before = i > 0 and touching[i - 1] and marked[i - 1] and keys[i - 1] != keys[i]
    after = i + 1 < len(keys) and touching[i] and marked[i + 1] and keys[i + 1] != keys[i]
    return before or after


def _touching(found: list[Span], text: str) -> list[bool]:
    """Per span: whether one of another word stands right before or after it (spaces only
    between): `quan` beside `quản` is no pair. Each gap is read once (a decree's article
    of fines has hundreds of spans)."""
    pairs = [
        a[2] != b[2] and not text[a[1] : b[0]].strip()
        for a, b in zip(found, found[1:], strict=False)
    ]
    return [(i > 0 and pairs[i - 1]) or (i < len(pairs) and pairs[i]) for i in range(len(found))]


def _as_paired(found: list[tuple[str, str, bool]]) -> list[bool]:
    """Which of the words found (folded, as written, beside another found word) are marked: a
    word that stands beside another of the query's somewhere in the text is marked alone only
    in a reading it has there. Typed `ly hon`, the text's `ly hôn` is what was asked; the
    `lý` of `thụ lý` and the `quan` of `cơ quan` (for `quan ly`, read `quản lý`) are
    look-alikes only folded. A word never found beside another keeps every reading."""
    paired: dict[str, set[str]] = {}
    for word, reading, beside in found:
        if beside:
            paired.setdefault(word, set()).add(reading)
    return [
        beside or word not in paired or reading in paired[word] for word, reading, beside in found
    ]


@dataclass(frozen=True)
class Lack:
    """What telling the words a hit lacks needs from the search (lacking)."""

    query: str  # as typed: a word typed with diacritics is held only in that reading
    runs: list[list[tuple[str, str]]]  # QueryTerms.typed: content words, folded and as typed
    read: list[tuple[str, str]]  # the thesaurus's readings: (meant, legal wording folded)
    common: frozenset[str] = frozenset()  # syllables in most records: never called missing


def lacking(lack: Lack, text: str) -> list[str]:
    """The resident's words a hit's text does not hold, as typed, neighbours joined: the
    results say `Kết quả đầu không có từ: rác bừa bãi` where the library matched only part
    of a search, as web search says "Missing", so a resident is not handed the Criminal
    Code's `vứt bỏ con mới đẻ` for `vứt rác bừa bãi` as if it answered.

    An everyday phrase the thesaurus read is held where the hit holds at least half of its
    legal wording's syllables (`sổ đỏ` in an article on `giấy chứng nhận quyền sử dụng
    đất`). Syllables, not words: Vietnamese writes no word boundaries, and joining a held
    syllable to a missing neighbour would guess them (`chia thừa` of `chia thừa kế`)."""
    held = _held(lack, text)
    out: list[str] = []
    for run in lack.runs:
        out += _groups(run, [f not in held for f, _ in run])
    return list(dict.fromkeys(out))


def _held(lack: Lack, text: str) -> set[str]:
    """The query's syllables the text holds, read as marks are (`sổ` is not `số`), the
    common ones, and those of everyday phrases whose legal wording it holds."""
    legal = [(set(fold(m).split()), set(law.split())) for m, law in lack.read]
    wanted = {f for run in lack.runs for f, _ in run} | {w for _, law in legal for w in law}
    typed = " ".join([lack.query, *(m for m, _ in lack.read)])
    nfc = unicodedata.normalize("NFC", text)
    found = {w for _, _, w in Marks.of(wanted, typed).spans(nfc, fold_aligned(nfc))}
    read = {w for words, law in legal if law and 2 * len(law & found) >= len(law) for w in words}
    return found | read | lack.common | _CLAUSE_PLAIN  # a missing `thì` says nothing


def _groups(run: list[tuple[str, str]], shown: list[bool]) -> list[str]:
    out: list[str] = []
    group: list[str] = []
    for (_, typed), show in zip([*run, ("", "")], [*shown, False], strict=True):
        if show:
            group.append(typed)
        elif group:
            out.append(" ".join(group))
            group = []
    return out
