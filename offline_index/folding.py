"""Folding and syllables: the text keys that indexing, querying and the thesaurus share.

Folding (NFC, lower case, diacritics stripped, đ -> d) makes `luat dat dai` find `Luật Đất
đai`; `accent_lower` is the key of an exact-diacritics match. The lowest layer of the search
code: it imports nothing of ours (offline_index/analysis.py builds queries on it).
"""

from __future__ import annotations

import re
import unicodedata


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


def fold(text: str) -> str:
    """NFC, lower case, diacritics stripped, đ -> d: the search key of any text."""
    return unicodedata.normalize("NFC", text).translate(_FOLD)


def fold_phrase(text: str) -> str:
    """fold() with white space runs made one space: the key of a name or phrase."""
    return " ".join(fold(text).split())


def fold_aligned(text: str) -> str:
    """Like fold() but exactly one output char per input char (for snippet offsets).

    The input must already be NFC.
    """
    return text.translate(_FOLD_ALIGNED)


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
