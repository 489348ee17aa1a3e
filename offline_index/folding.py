"""Folding and syllables: the text keys that indexing, querying and the thesaurus share.

Folding (NFC, lower case, diacritics stripped, đ -> d) makes `luat dat dai` find `Luật Đất
đai`; `accent_lower` is the key of an exact-diacritics match. The lowest layer of the search
code: it imports nothing of ours (offline_index/analysis.py builds queries on it).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np


def _build_tables() -> tuple[dict[int, str | None], dict[int, str]]:
    """Per-character fold tables: one that deletes stray combining marks, one 1:1."""
    delete: dict[int, str | None] = {}
    aligned: dict[int, str] = {}
    for code in range(0x41, 0x2000):
        ch = chr(code)
        if unicodedata.combining(ch):
            delete[code] = None
            continue
        low = ch.lower()
        base = "".join(c for c in unicodedata.normalize("NFD", low) if not unicodedata.combining(c))
        base = base.replace("đ", "d")
        if len(base) == 1 and base != ch:
            delete[code] = aligned[code] = base
    for ch in ("đ", "Đ", "ð", "Ð"):
        delete[ord(ch)] = aligned[ord(ch)] = "d"
    return delete, aligned


_FOLD, _FOLD_ALIGNED = _build_tables()
_WORD = re.compile(r"\w+")

# str.translate looks each character up in a dict: about 35 ns a character, so folding the 30
# long articles that proximity and snippets read took 10 ms of a search at 10x. A long text is
# folded instead as an array of UTF-16 code units through a 65,536-entry table (same mapping,
# 0 for a deleted mark): about 10x faster. Surrogates map to themselves, so characters beyond
# the BMP come back as they were.
ARRAY_FOLD_MIN = 512  # shorter texts: the dict is as fast as the array's set-up


def _array_table(table: dict[int, str | None]) -> np.ndarray:
    out = np.arange(0x10000, dtype=np.uint16)
    for code, ch in table.items():
        out[code] = 0 if ch is None else ord(ch)
    return out


_FOLD_ARRAY, _FOLD_ALIGNED_ARRAY = _array_table(_FOLD), _array_table(_FOLD_ALIGNED)


def _translate(text: str, table: dict[int, str | None], array: np.ndarray) -> str:
    """text.translate(table), through the array for a long text without NUL characters: a
    NUL in the result is then a deleted mark (none in the aligned table)."""
    if len(text) < ARRAY_FOLD_MIN or "\x00" in text:
        return text.translate(table)
    units = np.frombuffer(text.encode("utf-16-le", "surrogatepass"), dtype=np.uint16)
    return array[units].tobytes().decode("utf-16-le", "surrogatepass").replace("\x00", "")


@functools.lru_cache(maxsize=256)
def words_pattern(words: frozenset[str]) -> re.Pattern[str]:
    """The whole words of a text that are one of these (\\w+ runs, as _WORD splits a text).

    Finding only these is the same as splitting the text into words and keeping these, without
    a Python step per word of a long article (proximity and snippets read 30 and 10 of them)."""
    either = "|".join(
        re.escape(w) for w in sorted(words, key=len, reverse=True) if _WORD.fullmatch(w)
    )
    return re.compile(rf"(?<!\w)(?:{either})(?!\w)" if either else r"(?!)")


@functools.cache
def _word_units() -> np.ndarray:
    """Per UTF-16 code unit: whether re's \\w matches it (letters, digits, `_`)."""
    return np.fromiter((chr(c).isalnum() or c == 0x5F for c in range(0x10000)), bool, 0x10000)


_PACKED = 8  # letters a word key holds: a syllable has at most 7
KEYED_MIN = 4096  # characters: a shorter text is searched faster with the regex
_LOW_BYTES = np.array([(1 << 8 * n) - 1 for n in range(_PACKED + 1)], dtype=np.uint64)


@functools.lru_cache(maxsize=256)
def _word_keys(words: frozenset[str]) -> tuple[np.ndarray, dict[int, str]] | None:
    """Each whole word as its ASCII bytes packed into an integer, or None if one of them is
    longer than _PACKED or not ASCII (the regex then finds them)."""
    whole = [w for w in words if _WORD.fullmatch(w)]
    if any(len(w) > _PACKED or not w.isascii() for w in whole):
        return None
    keys = {int.from_bytes(w.encode("ascii"), "little"): w for w in whole}
    return np.array(sorted(keys), dtype=np.uint64), keys


@dataclass(frozen=True)
class _Found:
    """The text's words that are one of the wanted, in order: each one's number among the
    text's words, start, length and key (`names` names it)."""

    numbers: np.ndarray
    at: np.ndarray
    size: np.ndarray
    keys: np.ndarray
    table: np.ndarray  # the wanted words' keys, sorted
    names: dict[int, str]
    starts: np.ndarray  # where each word of the text starts

    def words(self) -> list[str]:
        return [self.names[k] for k in self.keys.tolist()]


def _find_words(text: str, words: frozenset[str]) -> _Found | None:
    """The whole words of a text that are one of these, found by key; None where the keys
    cannot (a word not ASCII or long, a character beyond the BMP): the regex then does.

    A regex over a long text tries every alternative at every position (8 ms for the 30
    articles proximity reads at 10x). Each word of the text read as a uint64 of its letters
    at its start, cut to its length, and looked up among the keys is the same, faster."""
    if (ready := _keyable(text, words)) is None:
        return None
    keyed, units = ready
    return _keyed(np.minimum(units, 255).astype(np.uint8), _word_units()[units], keyed)


def _find_folded(text: str, words: frozenset[str]) -> _Found | None:
    """_find_words(fold(text), words) for an NFC text, read through one table from its
    characters to their folded letters: folding it first costs two more passes over every
    character and a copy. None also where fold() would delete a mark (its words join)."""
    if (ready := _keyable(text, words)) is None:
        return None
    keyed, units = ready
    letters = _folded_letters()[units]
    if (letters == _DROPPED).any():
        return None
    return _keyed(letters, letters != 0, keyed)


def _keyable(
    text: str, words: frozenset[str]
) -> tuple[tuple[np.ndarray, dict[int, str]], np.ndarray] | None:
    """The words' keys and the text's UTF-16 code units, or None where keys cannot find
    them: a word not ASCII or long, a short text, a character beyond the BMP."""
    keyed = _word_keys(words)
    if keyed is None or len(text) < KEYED_MIN:
        return None
    units = np.frombuffer(text.encode("utf-16-le", "surrogatepass"), dtype=np.uint16)
    return (keyed, units) if units.size == len(text) else None


_DROPPED = 1  # _folded_letters: a mark fold() deletes


@functools.cache
def _folded_letters() -> np.ndarray:
    """Per UTF-16 code unit: its folded character as an ASCII byte if it is a word
    character, 0x80 for any other word character, 0 for the rest, _DROPPED for a mark."""
    folded = _FOLD_ARRAY
    word = _word_units()[folded]
    out = np.where(word, np.minimum(folded, 0x80), 0).astype(np.uint8)
    out[(folded == 0) & (np.arange(0x10000) != 0)] = _DROPPED
    return out


def _keyed(
    letters: np.ndarray, is_word: np.ndarray, keyed: tuple[np.ndarray, dict[int, str]]
) -> _Found:
    """The words (runs of is_word) whose letters (a byte each) are one of the keys."""
    edges = np.diff(is_word.astype(np.int8), prepend=np.int8(0), append=np.int8(0))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    number = np.flatnonzero(ends - starts <= _PACKED)
    at, size = starts[number], (ends - starts)[number]
    padded = np.zeros(letters.size + _PACKED, np.uint8)  # a non-ASCII letter: no key's byte
    padded[: letters.size] = letters
    wide = np.ndarray((letters.size,), "<u8", padded, 0, (1,))
    key = wide[at] & _LOW_BYTES[size]
    hit = np.isin(key, keyed[0])
    return _Found(number[hit], at[hit], size[hit], key[hit], keyed[0], keyed[1], starts)


@functools.lru_cache(maxsize=256)
def run_pattern(run: str) -> re.Pattern[str]:
    """The words of a run (`đèn đỏ`) one after another, only non-word characters between,
    the last a whole word (find_run checks the first). It opens with its first word as
    written, so re finds that first (0.15 ms through 270,000 characters, against 4.5 ms for a
    pattern opening with a look-behind), and stops at the first that holds, where splitting
    the text into its words read all of every long article."""
    words = _WORD.findall(run)  # a legal wording's comma (`bất động sản, động sản`) too
    if not words:
        return re.compile(r"(?!)")
    return re.compile(r"\W+".join(map(re.escape, words)) + r"(?!\w)")


def find_run(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """The first place the text holds the run (run_pattern), its first word whole: where
    ` đèn đỏ ` stands in the text's words joined by spaces."""
    at = 0
    while (m := pattern.search(text, at)) is not None:
        before = text[m.start() - 1] if m.start() else " "
        if not (before.isalnum() or before == "_"):
            return m
        at = m.start() + 1
    return None


def word_positions(text: str, words: frozenset[str]) -> list[tuple[int, str]]:
    """(word number, word) of each whole word of the text that is one of these, in order: the
    same as enumerating _WORD.findall(text) and keeping these."""
    found = _find_words(text, words)
    if found is not None:
        return list(zip(found.numbers.tolist(), found.words(), strict=True))
    units = np.frombuffer(text.encode("utf-16-le", "surrogatepass"), dtype=np.uint16)
    if units.size != len(text):  # characters beyond the BMP: count word by word
        return [(j, w) for j, w in enumerate(_WORD.findall(text)) if w in words]
    matches = list(words_pattern(words).finditer(text))
    if not matches:
        return []
    is_word = _word_units()[units]
    starts = is_word.copy()
    starts[1:] &= ~is_word[:-1]
    number = np.cumsum(starts)
    return [(int(number[m.start()]) - 1, m.group()) for m in matches]


_PASS_CHARS = 1 << 16  # a pass's arrays take some 10 bytes a character

Hits = tuple[np.ndarray, np.ndarray, np.ndarray]  # per hit: its text, its number there, its word


def word_hits_many(texts: Iterable[str], words: frozenset[str], *, raw: bool = False) -> Hits:
    """word_positions of every text as three arrays, a word given as its place in
    sorted(words); found a few texts a pass, with no Python object per hit: a common syllable
    (`do`, `xe`) stands thousands of times in the 30 articles of a proximity reading, and one
    pass costs some 15 array steps whatever its length. At most _PASS_CHARS a pass (unless one
    text is longer): all 30 in one pass raised the serving peak by 45 MB at 10x, where ten
    copies of a 247,000-character article can be among them. `raw`: the texts are not
    folded yet, and are folded on the way (as fold() would)."""
    index = {w: i for i, w in enumerate(sorted(words))}
    parts: list[Hits] = []
    batch: list[str] = []
    size = done = 0
    for text in texts:
        text = unicodedata.normalize("NFC", text) if raw else text
        if batch and size + len(text) > _PASS_CHARS:
            parts.append(_hits_in_one_pass(batch, words, index, done, raw))
            done, batch, size = done + len(batch), [], 0
        batch.append(text)
        size += len(text) + 1
    if batch:
        parts.append(_hits_in_one_pass(batch, words, index, done, raw))
    if not parts:
        return (np.zeros(0, np.intp),) * 3
    text, number, word = (np.concatenate(arrays) for arrays in zip(*parts, strict=True))
    return text, number, word


def _hits_in_one_pass(
    texts: list[str], words: frozenset[str], index: dict[str, int], first: int, raw: bool
) -> Hits:
    """The texts joined by a line break (not a word character), found once; each hit given
    back to its text (numbered from `first`), counted from that text's first word. `raw`:
    NFC texts not folded yet."""
    joined = "\n".join(texts)
    found = _find_folded(joined, words) if raw else _find_words(joined, words)
    if found is None and raw:
        return _hits_in_one_pass([fold(t) for t in texts], words, index, first, False)
    if found is None:
        lists = [word_positions(text, words) for text in texts]
        return (
            np.repeat(np.arange(first, first + len(texts)), [len(x) for x in lists]),
            np.array([n for x in lists for n, _ in x], dtype=np.intp),
            np.array([index[w] for x in lists for _, w in x], dtype=np.intp),
        )
    offsets = np.cumsum([0] + [len(text) + 1 for text in texts[:-1]])
    which = np.searchsorted(offsets, found.at, "right") - 1
    numbers = found.numbers - np.searchsorted(found.starts, offsets)[which]
    by_key = np.array([index[found.names[k]] for k in found.table.tolist()], dtype=np.intp)
    return which + first, numbers, by_key[np.searchsorted(found.table, found.keys)]


def word_spans(
    text: str, words: frozenset[str], start: int = 0, end: int | None = None
) -> list[tuple[int, int, str]]:
    """(start, end, word) of each whole word of the text that is one of these and lies within
    text[start:end], in order: what words_pattern finds there."""
    stop = len(text) if end is None else end
    found = _find_words(text, words) if start == 0 and stop == len(text) else None
    if found is None:
        out = []
        for m in words_pattern(words).finditer(text, start):
            s, e = m.span()
            if e > stop:
                break
            out.append((s, e, m.group()))
        return out
    spans = zip(found.at.tolist(), (found.at + found.size).tolist(), found.words(), strict=True)
    return list(spans)


def fold(text: str) -> str:
    """NFC, lower case, diacritics stripped, đ -> d: the search key of any text."""
    return _translate(unicodedata.normalize("NFC", text), _FOLD, _FOLD_ARRAY)


def fold_phrase(text: str) -> str:
    """fold() with white space runs made one space: the key of a name or phrase."""
    return " ".join(fold(text).split())


def fold_aligned(text: str) -> str:
    """Like fold() but exactly one output char per input char (for snippet offsets).

    The input must already be NFC.
    """
    return _translate(text, _FOLD_ALIGNED, _FOLD_ALIGNED_ARRAY)


# Two ways to place a tone on "oa", "oe", "uy" at the end of a syllable: keyboards and older
# texts write `hoà`, `thuỷ`, the newer style `hòa`, `thủy` (the Civil Code itself writes `huỷ`
# in some titles and `hủy` in others). One key for both: the tone on the first vowel. The
# swap keeps the length, so spans in the key are spans in the text.
_TONED = {"a": "àáảãạ", "e": "èéẻẽẹ", "y": "ỳýỷỹỵ"}
_FIRST = {"o": "òóỏõọ", "u": "ùúủũụ"}
_OLD_STYLE = re.compile(r"([ou])([àáảãạèéẻẽẹỳýỷỹỵ])(?!\w)")


def _tone_first(m: re.Match[str]) -> str:
    second = m.group(2)
    plain = next(v for v, marks in _TONED.items() if second in marks)
    tone = _TONED[plain].index(second)
    return _FIRST[m.group(1)][tone] + plain


def accent_lower(text: str) -> str:
    """NFC lower case with diacritics kept, old-style tones moved (`hoà` -> `hòa`): the key
    of an exact-diacritics match."""
    return _OLD_STYLE.sub(_tone_first, unicodedata.normalize("NFC", text).lower())


# A syllable as accent_lower writes it after moving an old-style tone (`hòa`, `thủy`).
_NEW_STYLE = re.compile(r"[òóỏõọùúủũụ][aey](?!\w)")


def accent_lower_for(text: str, keys: Sequence[str]) -> str:
    """What accent_lower(text) is for finding `keys` (accent_lower's own output) in it: the
    text in NFC lower case, its old-style tones moved only where a key holds a syllable the
    move writes. No other key can match a moved syllable either way, and lower case alone
    reads thirty decree articles' 300,000 characters in a quarter of the time."""
    if any(_NEW_STYLE.search(key) for key in keys):
        return accent_lower(text)
    return unicodedata.normalize("NFC", text).lower()


def has_diacritics(text: str) -> bool:
    """True if folding changes the text beyond case (the user typed accents)."""
    low = accent_lower(text)
    return fold(low) != low


def nfc_words(text: str) -> list[str]:
    """Words of a text in NFC, case and diacritics kept (the first analysis stage)."""
    return _WORD.findall(unicodedata.normalize("NFC", text))


def fold_word(word: str) -> str:
    """Fold one NFC word (the folding stage of the index pipeline)."""
    return word.translate(_FOLD)


# Combining marks that NFC leaves alone: folding deletes them, and they split words.
_STRAY_MARKS = re.compile("[" + "".join(chr(c) for c, r in _FOLD.items() if r is None) + "]")


def syllables(text: str) -> list[str]:
    """Folded syllables (and numbers) of a text, in order: the index pipeline's terms."""
    nfc = unicodedata.normalize("NFC", text)
    if _STRAY_MARKS.search(nfc):  # fold word by word, as the analyzer's stages do
        return [w.translate(_FOLD) for w in _WORD.findall(nfc)]
    return _WORD.findall(nfc.translate(_FOLD))  # the same words, folded in one pass


def bigrams(sylls: list[str]) -> list[str]:
    """Adjacent syllable pairs joined by a space (`dat dai`)."""
    return [f"{a} {b}" for a, b in zip(sylls, sylls[1:], strict=False)]
