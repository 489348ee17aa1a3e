"""Snippets: the window of a record's text that shows a hit, the query's syllables marked.

Matching is on folded syllables (analysis.fold_aligned keeps one character per character, so
the marks land on the text as written): `dat dai` marks `Đất đai`.
"""

from __future__ import annotations

import html
import itertools
import unicodedata

from offline_index.folding import fold_aligned, words_pattern

_MAX_MATCHES = 400


def make_snippet(text: str, words: list[str], width: int = 220) -> str:
    """HTML-escaped window of `text` with the most distinct query syllables, each <mark>ed.

    Matching is on folded syllables, so `dat dai` highlights `Đất đai`.
    """
    text = " ".join(unicodedata.normalize("NFC", text).split())
    folded = fold_aligned(text)
    found = words_pattern(frozenset(words)).finditer(folded)
    spans = [(m.start(), m.end(), m.group()) for m in itertools.islice(found, _MAX_MATCHES)]
    start = _best_window(spans, width)
    end = min(len(text), start + width)
    if end < len(text):
        cut = text.rfind(" ", start, end)
        end = cut if cut > start else end
    if start > 0:
        cut = text.find(" ", start)
        start = cut + 1 if 0 <= cut < end else start
    out = ["…" if start > 0 else ""]
    pos = start
    for s, e, _ in spans:
        if s < start or e > end:
            continue
        out += [html.escape(text[pos:s]), "<mark>", html.escape(text[s:e]), "</mark>"]
        pos = e
    out.append(html.escape(text[pos:end]))
    out.append("…" if end < len(text) else "")
    return "".join(out)


def _best_window(spans: list[tuple[int, int, str]], width: int) -> int:
    """Start offset of the window holding the most distinct matched syllables."""
    best, best_start = 0, 0
    j = 0
    for i, (s, _, _) in enumerate(spans):
        j = max(j, i)
        while j + 1 < len(spans) and spans[j + 1][1] - s <= width:
            j += 1
        distinct = len({w for _, _, w in spans[i : j + 1]})
        if distinct > best:
            best, best_start = distinct, s
    return max(0, best_start - 30) if best else 0
