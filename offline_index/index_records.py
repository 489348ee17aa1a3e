"""What the ranking stages read about an index's records at query time (ranking.Records).

The documents' current attributes are applied here, not in the index: a repeal changes a
record's validity at open, and the library sets it again when its table changes. Filters,
document titles and citations are read from the index once, when first asked.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Collection, Mapping

import numpy as np

from offline_index import analysis as va
from offline_index import citations, scoring
from offline_index import whoosh_adapter as wa
from offline_index.article_titles import is_scope, phrases
from offline_index.search_types import DocAttributes, SearchFilters
from offline_index.titles import TitleMatcher

_NONE = np.zeros(0, dtype=np.int64)
# What a guiding text's title says before the law it implements (Luật Ban hành văn bản quy phạm
# pháp luật: a decree `quy định chi tiết` a law; the Supreme Court's council `hướng dẫn áp dụng`).
IMPLEMENTS = re.compile(r"\b(?:thi hành|hướng dẫn|quy định chi tiết)\b", re.IGNORECASE)


class IndexRecords:
    """What the ranking stages read about the records (rk.Records), with the documents'
    current attributes applied: a repeal changes validity here, not in the index."""

    def __init__(
        self, corpus: scoring.Corpus, searcher: object, titles: Callable[[], list[dict]]
    ) -> None:
        self.corpus = corpus
        self.searcher = searcher
        self._titles = titles  # titles.json, read when first needed
        self._phrases: dict[int, frozenset[str]] | None = None
        self.tiebreak = corpus.tiebreak
        self.unit_code = {u: i for i, u in enumerate(corpus.units)}
        self._masks: OrderedDict[tuple, np.ndarray] = OrderedDict()
        self._scope: np.ndarray | None = None  # scope articles, read once when first asked
        self.citing: dict[int, np.ndarray] = {}  # Q&A record -> cited articles (citations.py)
        self._guided: dict[int, np.ndarray] = {}  # record -> articles its title guides
        self._matcher: TitleMatcher | None = None
        self._implements: dict[int, set[int]] | None = None  # guide -> laws (titles.json)
        self._defines: dict[str, set[int]] | None = None  # glossary term -> units (titles.json)
        self._shares: dict[str, float] = {}  # phrase -> share of documents using it
        self._general: frozenset[int] | None = None  # units that are a general law (titles.json)
        self.set_attributes({})

    def set_attributes(self, attrs: Mapping[str, DocAttributes]) -> None:
        """Each record's validity: its document's current status where the library gave one
        (an article it lists as repealed, or not among those a replaced text keeps, is not in
        force), else the value indexed with it; and which documents of the index replace it."""
        self.validities = list(self.corpus.validities)
        code = {v: i for i, v in enumerate(self.validities)}
        per_unit = np.full(len(self.corpus.units) + 1, -1, dtype=np.int32)  # last: no unit
        self.replacements: dict[int, np.ndarray] = {}
        self._unlisted = np.zeros(len(self.corpus.units) + 1, dtype=bool)
        for doc_id, a in attrs.items():
            u = self.unit_code.get(doc_id)
            if u is None:
                continue
            per_unit[u] = code.setdefault(a.validity, len(code))
            held = [self.unit_code[d] for d in a.replaced_by if d in self.unit_code]
            if held:
                self.replacements[u] = np.array(held, dtype=np.int64)
                self._unlisted[u] = a.unlisted
        self.successors = successors(attrs, self.unit_code, self.replacements)
        unit_val = per_unit[self.corpus.unit]
        self.validity = np.where(unit_val >= 0, unit_val, self.corpus.validity)
        self._gone = code.setdefault("not_in_force", len(code))
        self._in_force = code.setdefault("in_force", len(code))
        self.validities = list(code)
        for doc_id, a in attrs.items():
            if doc_id in self.unit_code and (
                a.repealed_articles or a.kept_articles or a.listed_in_part
            ):
                self._article_status(self.unit_code[doc_id], a)
        self._masks.clear()
        self._guided.clear()  # which of two texts of one name is in force may have changed
        self._implements = None

    def _article_status(self, unit: int, a: DocAttributes) -> None:
        """Each article's own status, as DocAttributes.record_validity gives it for one:
        not in force the articles a replacement names whole, or those it does not keep; in
        force those it keeps, or does not name at all."""
        mine = np.flatnonzero(self.corpus.unit == unit)
        kept = self._articles(mine, a.kept_articles)
        gone = self._articles(mine, a.repealed_articles) | (~kept if a.kept_articles else False)
        if a.kept_articles:
            self.validity[mine[kept & ~gone]] = self._in_force
        elif a.listed_in_part:
            untouched = ~(gone | self._articles(mine, a.partly_articles))
            self.validity[mine[untouched]] = self._in_force
        self.validity[mine[gone]] = self._gone

    def _articles(self, mine: np.ndarray, articles: Collection[str]) -> np.ndarray:
        """Which of the records `mine` (in record order) hold one of these articles (by
        number). A common number's postings span the whole library (`a:5` in every text at
        10x): each record is looked up in them, not the other way round."""
        out = np.zeros(mine.size, dtype=bool)
        pairs = [("num", f"a:{va.fold(art)}") for art in articles]
        for hits in self.corpus.postings_many(pairs) if pairs else ():
            if hits.docs.size:
                at = np.minimum(np.searchsorted(hits.docs, mine), hits.docs.size - 1)
                out |= hits.docs[at] == mine
        return out

    def record_validity(self, doc: int) -> str:
        v = int(self.validity[doc])
        return self.validities[v] if v >= 0 else ""

    def _cached(self, key: tuple, make: Callable[[], np.ndarray]) -> np.ndarray:
        if key in self._masks:
            self._masks.move_to_end(key)
        else:
            self._masks[key] = make()
            if len(self._masks) > 16:
                self._masks.popitem(last=False)
        return self._masks[key]

    def records_of(self, doc_ids: Collection[str]) -> np.ndarray:
        codes = sorted(self.unit_code[d] for d in doc_ids if d in self.unit_code)
        return self._cached(("of", *codes), lambda: np.isin(self.corpus.unit, codes))

    def not_in_force(self) -> np.ndarray:
        return self._cached(("gone",), lambda: self.validity == self._gone)

    def units(self, docs: np.ndarray) -> np.ndarray:
        return self.corpus.unit[docs]

    def unlisted(self, docs: np.ndarray) -> np.ndarray:
        return self._unlisted[self.corpus.unit[docs]]

    def unit_codes(self, doc_ids: Collection[str]) -> set[int]:
        return {self.unit_code[d] for d in doc_ids if d in self.unit_code}

    def units_numbered(self, terms: Collection[str]) -> set[int]:
        """Units whose records carry one of these `num` terms (official number, year)."""
        out: set[int] = set()
        for t in terms:
            if not t.startswith("a:"):
                out.update(
                    np.unique(self.corpus.unit[self.corpus.postings("num", t).docs]).tolist()
                )
        return out

    def allowed(self, filters: SearchFilters) -> np.ndarray | None:
        if not filters:
            return None
        return self._cached(("filters", *filters.items()), lambda: self._allowed(filters))

    def _allowed(self, filters: SearchFilters) -> np.ndarray:
        mask = self.corpus.live.copy()
        terms = [
            ("fields" if k == "field" else k, v) for k, v in filters.items() if k != "validity"
        ]
        if terms:
            inside = np.zeros(self.corpus.size, dtype=bool)
            inside[wa.docs_matching(self.searcher, terms)] = True
            mask &= inside
        if filters.validity:
            wanted = (
                self.validities.index(filters.validity)
                if filters.validity in self.validities
                else -2
            )
            mask &= self.validity == wanted
        return mask

    def title_words(self, doc: int) -> str:
        return self.corpus.title_words(doc)

    def title_conjuncts(self, doc: int) -> str:
        return self.corpus.title_conjuncts(doc)

    def parts(self, doc: int) -> str:
        return self.corpus.parts(doc)

    def scope_records(self) -> np.ndarray:
        if self._scope is None:
            self._scope = self.corpus.titles_where(is_scope)
        return self._scope

    def title_phrases(self, unit: int) -> frozenset[str]:
        if self._phrases is None:
            code = self.unit_code
            self._phrases = {
                code[t["doc_id"]]: phrases(t.get("title") or "")
                for t in self._titles()
                if t.get("doc_id") in code
            }
        return self._phrases.get(unit, frozenset())

    def defined_by(self, terms: Collection[str], max_share: float = 1.0) -> set[int]:
        """Units whose glossary (`Giải thích từ ngữ`) defines one of these folded terms, of
        the terms used by at most max_share of the library's documents."""
        if self._defines is None:
            self._defines = {}
            for t in self._titles():
                unit = self.unit_code.get(t.get("doc_id"))
                for term in t.get("defines", ()) if unit is not None else ():
                    self._defines.setdefault(term, set()).add(unit)
        found = [t for t in terms if t in self._defines]
        return set().union(
            *(self._defines[t] for t in found if self.document_share(t) <= max_share)
        )

    def general_units(self) -> frozenset[int]:
        """Units that say they are the general law of their relations (titles.json)."""
        if self._general is None:
            code = self.unit_code
            self._general = frozenset(
                code[t["doc_id"]]
                for t in self._titles()
                if t.get("general") and t["doc_id"] in code
            )
        return self._general

    def holding(self, pairs: Collection[str]) -> np.ndarray:
        """Bool per record: its text holds one of these folded syllable pairs (`phat tien`),
        from the body postings, not the stored text."""

        def make() -> np.ndarray:
            mask = np.zeros(self.corpus.size, dtype=bool)
            for hits in self.corpus.postings_many([("body", p) for p in sorted(pairs)]):
                mask[hits.docs] = True
            return mask

        return self._cached(("holding", *sorted(pairs)), make)

    def document_share(self, phrase: str) -> float:
        """Share of the library's documents whose text holds a phrase of two syllables or
        more (its rarest pair of syllables: an upper bound for longer phrases)."""
        if phrase not in self._shares:
            words = phrase.split()
            pairs = [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
            hits = self.corpus.postings_many([("body", p) for p in pairs])
            used = min(np.unique(self.corpus.unit[h.docs]).size for h in hits)
            self._shares[phrase] = used / max(len(self.corpus.units), 1)
        return self._shares[phrase]

    def stored(self, doc: int) -> dict:
        return wa.stored_fields(self.searcher.reader(), doc)

    def title_matcher(self) -> TitleMatcher:
        if self._matcher is None:
            self._matcher = TitleMatcher(self._titles())
        return self._matcher

    def guides(self, doc: int, title: str) -> np.ndarray:
        """The articles of other documents a record's title says it guides (citations.guided).

        A title names a law by name (`Bộ luật Dân sự`), and a library may hold an old and a new
        text of that name: the one the other replaces is not the one guided now."""
        if "điều" not in title.lower():
            return _NONE
        if doc not in self._guided:
            own = self.corpus.units[int(self.corpus.unit[doc])]
            pairs = citations.guided(title, lambda text: self._named_now(text) - {own})
            self._guided[doc] = citations.articles(self.corpus, self.unit_code, pairs)
        return self._guided[doc]

    def guided_units(self, unit: int) -> set[int]:
        """The documents a document's title says it implements or guides: the law named after
        `thi hành`, `hướng dẫn` or `quy định chi tiết` (`Nghị định quy định thi hành Bộ luật
        Dân sự về …`, `Nghị quyết hướng dẫn áp dụng một số quy định của Bộ luật Dân sự …`).
        `Luật Thi hành án dân sự` names nothing after its `thi hành`."""
        if self._implements is None:
            self._implements = {}
            for t in self._titles():
                u = self.unit_code.get(t.get("doc_id"))
                laws = self._implemented(t.get("title") or "") - {u}
                if u is not None and laws:
                    self._implements[u] = laws
        return self._implements.get(unit, set())

    def _implemented(self, title: str) -> set[int]:
        found = IMPLEMENTS.search(title)
        return self.unit_codes(self._named_now(title[found.end() :])) if found else set()

    def _named_now(self, text: str) -> set[str]:
        """The documents a text names by title, without those another of them replaces."""
        named = self.unit_codes(self.title_matcher().named(text)[0])
        return {self.corpus.units[u] for u in self.not_replaced(named)}

    def not_replaced(self, units: set[int]) -> set[int]:
        """Of these units, those no other of them replaces: of Luật Doanh nghiệp 2014 and
        2020, both named by `Luật Doanh nghiệp`, the 2020 law."""
        return {u for u in units if not units & set(self.replacements.get(u, _NONE).tolist())}


def successors(
    attrs: Mapping[str, DocAttributes], codes: Mapping[str, int], held: Mapping[int, np.ndarray]
) -> dict[int, np.ndarray]:
    """Of each text out of force whose replacement this index lacks: the texts in force of
    one of its fields, issued after it, that stand in for that replacement (ranking.in_force_first).

    The publisher may say a law was replaced and not ship the new one: the demo marks Luật
    Giao thông đường bộ 2008 replaced by the 2024 road laws, and ships Nghị định 168/2024 (the
    fines in force, of the same field) without them. A newer text in force of the old one's
    field is the law as it stands after the change; an older one, or one of another field
    (a precedent on inheritance for a land law), is not."""
    by_field: dict[str, list[tuple[str, int]]] = {}
    for doc_id, a in attrs.items():
        if a.validity == "in_force" and a.issued and doc_id in codes:
            for f in a.fields:
                by_field.setdefault(f, []).append((a.issued, codes[doc_id]))
    out: dict[int, np.ndarray] = {}
    for doc_id, a in attrs.items():
        u = codes.get(doc_id)
        if u is None or u in held or a.validity != "not_in_force" or not a.issued:
            continue
        later = {v for f in a.fields for issued, v in by_field.get(f, ()) if issued > a.issued}
        if later:
            out[u] = np.array(sorted(later), dtype=np.int64)
    return out
