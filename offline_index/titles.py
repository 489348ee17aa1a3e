"""Document titles: suggestions while typing, and documents a query names by title.

Both compare folded syllables, so lower case and missing diacritics still match. The titles
come from the index's titles.json sidecar (one entry per document).
"""

from __future__ import annotations

import re

from offline_index import analysis as va

_WORD = re.compile(r"\w+")


def match_titles(titles: list[dict], prefix: str, limit: int) -> list[tuple[str, str]]:
    """Titles (or numbers) starting with the typed prefix first, then any word match."""
    key = " ".join(va.syllables(prefix))
    if not key:
        return []
    ranked = []
    for t in titles:
        f = t.setdefault("_f", " ".join(va.syllables(f"{t['title']} {t.get('number') or ''}")))
        if f.startswith(key):
            rank = 0
        elif f" {key}" in f" {f}":
            rank = 1
        else:
            continue
        ranked.append((rank, len(f), t["title"], t["doc_id"]))
    ranked.sort()
    return [(doc_id, title) for _, _, title, doc_id in ranked[:limit]]


def _without_year(sylls: tuple[str, ...]) -> tuple[str, ...]:
    """A title without the year it may end with: "Bộ luật Dân sự 2015" is named by "Bộ luật
    Dân sự", as laws cite it (the year, or "năm 2015", may follow in the text and still
    matches, the name being a prefix of it)."""
    if len(sylls) > 2 and re.fullmatch(r"(19|20)\d\d", sylls[-1]):
        sylls = sylls[:-2] if sylls[-2] == "nam" else sylls[:-1]
    return sylls


# Words that make "luật" part of another word: "pháp luật", "kỷ luật", "quy luật", "điều luật".
_LUAT_COMPOUNDS = frozenset({"phap", "ky", "quy", "dieu", "du", "luat"})


class TitleMatcher:
    """Finds documents a query names by title ("theo Luật Hôn nhân và gia đình").

    Titles and query are compared as folded syllables (so lower case and missing
    diacritics still match); "Bộ luật Dân sự" is also named by "Luật Dân sự", the
    Constitution by "Hiến pháp" and by "hiến định" ("quyền hiến định"). Longest
    title first, so "Luật Đất đai" does not also name a shorter title inside it.
    """

    def __init__(self, titles: list[dict]) -> None:
        self.keys: dict[str, list[tuple[tuple[str, ...], set[str]]]] = {}
        by_key: dict[tuple[str, ...], set[str]] = {}
        for t in titles:
            sylls = _without_year(tuple(va.syllables(t.get("title") or "")))
            if sylls[:2] == ("bo", "luat"):
                sylls = sylls[1:]
            elif sylls[:2] == ("hien", "phap"):  # "Hiến pháp nước Cộng hòa …" is "Hiến pháp"
                sylls = sylls[:2]
            if len(sylls) >= 2:
                by_key.setdefault(sylls, set()).add(t["doc_id"])
        for key, ids in sorted(by_key.items(), key=lambda kv: -len(kv[0])):
            self.keys.setdefault(key[0], []).append((key, ids))

    def named(self, text: str) -> tuple[set[str], list[tuple[int, int]]]:
        """doc_ids of the documents whose title the text names, and the spans naming them.

        Spans are character offsets in `analysis.accent_lower(text)`.
        """
        words = [(m.span(), va.fold_word(m.group())) for m in _WORD.finditer(va.accent_lower(text))]
        sylls = [w for _, w in words]
        for i in range(1, len(sylls)):  # "quyền hiến định": set by the Constitution
            if sylls[i - 1 : i + 1] == ["hien", "dinh"]:
                sylls[i] = "phap"
        out: set[str] = set()
        spans: list[tuple[int, int]] = []
        i = 0
        while i < len(sylls):
            step = 1
            for key, ids in self.keys.get(sylls[i], ()):
                if key[0] == "luat" and i and sylls[i - 1] in _LUAT_COMPOUNDS:
                    break
                if tuple(sylls[i : i + len(key)]) == key:
                    out |= ids
                    step = len(key)
                    spans.append((words[i][0][0], words[i + step - 1][0][1]))
                    break
            i += step
        return out, spans
