"""Folding and syllables: the text keys that indexing, querying and the thesaurus share.

Folding (NFC, lower case, diacritics stripped, đ -> d) makes `luat dat dai` find `Luật Đất
đai`; `accent_lower` is the key of an exact-diacritics match. The lowest layer of the search
code: it imports nothing of ours (offline_index/analysis.py builds queries on it).
"""

from __future__ import annotations

import functools
import re
import unicodedata

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


def word_positions(text: str, words: frozenset[str]) -> list[tuple[int, str]]:
    """(word number, word) of each whole word of the text that is one of these, in order: the
    same as enumerating _WORD.findall(text) and keeping these."""
    found = list(words_pattern(words).finditer(text))
    if not found:
        return []
    units = np.frombuffer(text.encode("utf-16-le", "surrogatepass"), dtype=np.uint16)
    if units.size != len(text):  # characters beyond the BMP: count word by word
        return [(j, w) for j, w in enumerate(_WORD.findall(text)) if w in words]
    is_word = _word_units()[units]
    starts = is_word.copy()
    starts[1:] &= ~is_word[:-1]
    number = np.cumsum(starts)
    return [(int(number[m.start()]) - 1, m.group()) for m in found]


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
