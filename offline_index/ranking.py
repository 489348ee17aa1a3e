"""Search records and hits, ranking parameters and the Whoosh-free re-scoring steps.

IndexRecord, Hit and SearchResult are imported by users from offline_index.search_engine.

BM25F alone favours a record that repeats one rare word; the coverage factor favours the
record that contains most of the question. Exact diacritics then break ties among the
best candidates. Figures behind every default are in docs/search.md and docs/benchmarks.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from offline_index import analysis as va

_WORD = re.compile(r"\w+")


@dataclass
class IndexRecord:
    """One searchable unit: an article, a PDF page, a Q&A entry or a notice."""

    key: str
    hit_type: str
    doc_id: str
    doc_number: str = ""
    doc_title: str = ""
    kind: str = ""
    scope: str = ""
    validity: str = ""
    fields: list[str] = field(default_factory=list)
    year: int | None = None
    article: str | None = None
    article_title: str = ""
    page: int | None = None
    text: str = ""


@dataclass
class Hit:
    """One search result, ready to show: snippet is HTML-escaped with <mark> highlights."""

    key: str
    hit_type: str
    doc_id: str
    doc_number: str
    doc_title: str
    kind: str
    validity: str
    article: str | None
    article_title: str
    page: int | None
    score: float
    snippet: str


@dataclass
class SearchResult:
    hits: list[Hit]
    did_you_mean: str | None
    total: int


@dataclass
class Weights:
    """Ranking parameters: per-field boosts, BM25 K1 and B (length normalisation)."""

    body: float = 1.0  # folded bigrams of the text
    body1: float = 0.35  # folded single syllables of the text
    dtitle: float = 0.6  # document kind, title, number, year
    atitle: float = 1.2  # article title
    number: float = 25.0  # official number in any loose form: puts that document first
    article: float = 10.0  # "Điều 12"
    year: float = 2.0  # a year in the query: "luật đất đai 2024"
    definition: float = 1.0  # "Giải thích từ ngữ" articles for "... là gì?"
    k1: float = 1.2
    b: float = 0.75
    title_b: float = 0.3
    coord: float = 2.0  # exponent of the share of query concepts a record contains
    coord_idf: float = 0.0  # weight concepts by idf in that share (0: count them)
    concept_min_idf: float = 0.0  # only terms at least this rare count as concepts
    accent: float = 0.25  # relative bonus for query bigrams found with the same diacritics
    max_df: float = 0.12  # single syllables in more than this share of records are ignored
    phrase: float = 0.0  # relative bonus for query trigrams found in the record
    rerank: int = 15  # candidates re-ranked with the accent bonus (30: same quality, slower)
    proximity: float = 2.0  # relative bonus for query syllables close together in the text
    proximity_window: int = 24  # syllables
    proximity_depth: int = 30  # candidates re-ranked by proximity
    proximity_min_terms: int = 6  # distinct query syllables needed for the proximity re-rank
    named_doc: float = 1.0  # relative bonus for records of a document the query names by title
    defines: float = 1.0  # relative bonus for a record defining the asked term ("X là ...")
    defines_depth: int = 60  # candidates checked for such a definition
    title_all: float = 1.0  # relative bonus for an article title made only of query words
    title_all_depth: int = 50  # candidates checked for it
    scope: float = 1.0  # relative bonus for the scope articles of a named law "áp dụng cho ai?"
    not_in_force: float = 0.5  # factor for documents no longer in force, unless asked for by name


def coverage(
    acc: dict[int, float], hit: dict[int, int], idf: list[float], w: Weights
) -> dict[int, float]:
    """Scale each score by (share of query concepts the record contains) ** coord.

    `hit` holds one bit per concept; idf gives each concept's weight when coord_idf is set.
    """
    if not idf or not w.coord:
        return acc
    weights = idf if w.coord_idf else [1.0] * len(idf)
    total = sum(weights)
    tables = []  # per 8 concepts: the weight of every bit pattern, so no per-bit loop
    for base in range(0, len(weights), 8):
        chunk = weights[base : base + 8]
        tables.append([sum(x for k, x in enumerate(chunk) if m >> k & 1) for m in range(256)])
    out = {}
    for d, v in acc.items():
        h, cov = hit[d], 0.0
        for t in tables:
            cov += t[h & 255]
            h >>= 8
        out[d] = v * (cov / total) ** w.coord
    return out


def accent_rerank(
    scored: list[tuple[float, dict]], accented_bigrams: list[str], weight: float
) -> list[tuple[float, dict]]:
    """Prefer records that contain the query's bigrams with the same diacritics."""
    if not accented_bigrams:
        return scored
    wanted = [f" {b} " for b in accented_bigrams]
    out = []
    for score, stored in scored:
        text = f"{stored.get('article_title') or ''} {stored.get('text') or ''}"
        hay = " " + " ".join(_WORD.findall(va.accent_lower(text))) + " "
        found = sum(1 for b in wanted if b in hay)
        out.append((score * (1 + weight * found / len(wanted)), stored))
    out.sort(key=lambda x: -x[0])
    return out


def proximity_rerank(
    scored: list[tuple[float, dict]], unigrams: list[str], w: Weights
) -> list[tuple[float, dict]]:
    """Prefer records where many of the query's syllables occur close together.

    Coverage counts the query words a record holds anywhere; an article that answers
    the question usually holds them within one sentence or clause.
    """
    wanted = set(unigrams)
    out = []
    for score, stored in scored:
        text = f"{stored.get('article_title') or ''} {stored.get('text') or ''}"
        hits = [(i, s) for i, s in enumerate(_WORD.findall(va.fold(text))) if s in wanted]
        best = _best_window_count(hits, w.proximity_window)
        out.append((score * (1 + w.proximity * best / len(wanted)), stored))
    out.sort(key=lambda x: -x[0])
    return out


def _best_window_count(hits: list[tuple[int, str]], window: int) -> int:
    """Most distinct syllables within `window` consecutive positions."""
    best, j, counts = 0, 0, {}
    for pos, s in hits:
        counts[s] = counts.get(s, 0) + 1
        while pos - hits[j][0] >= window:
            old = hits[j][1]
            counts[old] -= 1
            if not counts[old]:
                del counts[old]
            j += 1
        best = max(best, len(counts))
    return best


def title_words(article_title: str) -> str:
    """An article title's content syllables, folded: what title_share compares.

    A closing "sau đây" ("X có những nhiệm vụ và quyền hạn sau đây:") only announces a list.
    """
    words = [s for s in va.syllables(article_title) if s not in va.STOP_PLAIN]
    if words[-2:] == ["sau", "day"]:
        del words[-2:]
    return " ".join(words)


SCOPE_TITLES = ("pham vi dieu chinh", "doi tuong ap dung")


def is_scope(words: str) -> bool:
    """Whether an article title (rk.title_words) is a law's scope article."""
    return any(t in words for t in SCOPE_TITLES)


# Laws name powers and duties together: "Nhiệm vụ, quyền hạn của X", "Quyền và nghĩa vụ của X".
_ROLES = ("quyen", "quyen han", "nhiem vu", "nghia vu", "trach nhiem")
_ROLE_SYLLABLES = frozenset(" ".join(_ROLES).split())


def title_vocabulary(unigrams: list[str], bigrams: list[str]) -> frozenset[str]:
    """The words an article title may use to count as the query's topic (title_share).

    A question about X's rights or powers ("quyền hạn của chính phủ") is answered by the
    article that lists them, whatever roles its title names beside the asked one.
    """
    words = frozenset(unigrams)
    if "quyen" in words or any(r in bigrams for r in _ROLES[2:]):
        return words | _ROLE_SYLLABLES
    return words


def title_share(words: str, wanted: set[str], vocabulary: frozenset[str] = frozenset()) -> float:
    """How closely an article title made only of query words matches the query (else 0).

    Shared syllables over those of title and query together, so extra title words dilute it.

    "Điều nào sau đây không đúng về quyền của hành khách?" asks about the article titled
    "Quyền của hành khách"; a one-word title says too little to count. `vocabulary`
    (title_vocabulary) may allow a few words more than the query's.
    """
    title = set(words.split())
    if len(title) < 2 or not wanted or not title <= (vocabulary or wanted):
        return 0.0
    return len(title & wanted) / len(title | wanted)


# A definition in a Vietnamese law: a line "2. Tiếp cận thông tin là việc ...", folded.
_DEFINED = re.compile(r"^\s*(?:\d+\.\s*)?((?:\w+ ){1,8}?)la ", re.M)


def definition_rerank(
    scored: list[tuple[float, dict]], unigrams: list[str], weight: float
) -> list[tuple[float, dict]]:
    """For "... là gì?", prefer records with a line defining a term made of the query's words.

    Laws define their terms one per clause, the term first and then "là"; the article
    that does so for the asked term is the answer, however often other articles use it.
    """
    wanted = set(unigrams)
    out = []
    for score, stored in scored:
        best = 0
        for m in _DEFINED.finditer(va.fold(stored.get("text") or "")):
            term = m.group(1).split()
            if set(term) <= wanted:
                best = max(best, len(term))
        share = min(1.0, best / min(2, len(wanted))) if wanted else 0.0
        out.append((score * (1 + weight * share), stored))
    out.sort(key=lambda x: -x[0])
    return out


def phrase_rerank(
    scored: list[tuple[float, dict]], trigrams: list[str], weight: float
) -> list[tuple[float, dict]]:
    """Prefer records that contain three-syllable runs of the query (phrase proximity)."""
    if not trigrams or not weight:
        return scored
    wanted = [f" {t} " for t in trigrams]
    out = []
    for score, stored in scored:
        text = f"{stored.get('article_title') or ''} {stored.get('text') or ''}"
        hay = " " + " ".join(va.syllables(text)) + " "
        found = sum(1 for t in wanted if t in hay)
        out.append((score * (1 + weight * found / len(wanted)), stored))
    out.sort(key=lambda x: -x[0])
    return out


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
            sylls = tuple(va.syllables(t.get("title") or ""))
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
