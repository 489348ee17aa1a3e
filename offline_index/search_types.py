"""The values that cross the search seam: records in, filters and document attributes at
query time, hits and results out. No Whoosh, no numpy: the UI and CLI use these."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import NamedTuple


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
    # The headings of the Phần / Chương / Mục an article sits in, as part_words() gives them
    # ("quyen bon phan tre|quyen tre"): what the part-topic stage compares with a query.
    parts: str = ""


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
    clause: str | None = None  # the clause (khoản) the snippet shows: the reader opens there
    # For a hit no longer in force, the official numbers of the texts that replaced it
    # (held in this library or not; Library.search): the card says what applies now.
    replaced_by: str = ""
    # For an article, the parts of its law it sits in (`Chương IV. … · Mục 2. …`, as the
    # reader's contents show them; Library.search): which regime a result belongs to.
    part: str = ""


@dataclass
class SearchResult:
    """`partial`: the deadline passed or the search was cancelled before every stage ran;
    the hits are the best found by then."""

    hits: list[Hit]
    did_you_mean: str | None
    total: int
    partial: bool = False
    # The folded words the snippets mark, the everyday words' legal wording included
    # (`sổ đỏ` marks `giấy chứng nhận quyền sử dụng đất`), so the reader marks the same.
    marks: list[str] = field(default_factory=list)
    # The everyday phrases read and their legal wording, with diacritics (QueryTerms.meant):
    # the reader marks `den` as the `đèn` the thesaurus read, as the snippets do.
    meant: list[str] = field(default_factory=list)
    # The words of a topic search the best hit does not hold, as typed (marking.lacking):
    # the results say so, so a partial match is not read as the answer.
    missing: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SearchFilters:
    """Exact values a hit must have; None lets everything through."""

    kind: str | None = None  # "Luật", "Nghị định", …
    scope: str | None = None  # "central", "hanoi", "local"
    field: str | None = None  # one of the record's fields of state management
    validity: str | None = None  # "in_force", … (the document's status now, see DocAttributes)
    year: int | None = None  # issued

    def items(self) -> list[tuple[str, str]]:
        """(name, value) of the filters that are set, as the index stores them."""
        return [(f.name, str(v)) for f in fields(self) if (v := getattr(self, f.name))]

    def __bool__(self) -> bool:
        return bool(self.items())


NO_FILTERS = SearchFilters()


class Suggestion(NamedTuple):
    """A document title offered as the resident types, with what a chip must say of it: a
    repealed law is named with its number and status, never as if it applied."""

    doc_id: str
    title: str
    number: str = ""
    validity: str = "unknown"


@dataclass(frozen=True)
class DocAttributes:
    """What can change about a document without its text changing, read at query time.

    A new law can repeal an old one (or some of its articles) without a re-index: the
    library supplies these from content.sqlite when it opens the engine (the publisher's
    status first, then what newer texts in the library say: currency_view.doc_attributes).
    """

    validity: str = "unknown"
    replaced_by: tuple[str, ...] = ()  # doc_ids of the documents replacing it, wholly or in part
    repealed_articles: frozenset[str] = frozenset()  # article numbers no longer in force
    kept_articles: frozenset[str] = frozenset()  # of a replaced text, the articles still in force
    partly_articles: frozenset[str] = frozenset()  # articles repealed in part (a clause, a point)
    # Replaced in part, and nothing says which articles: an article its replacement also
    # answers is taken as replaced (ranking.law_in_force).
    unlisted: bool = False
    # Its fields of state management and date of issue: of a text out of force whose
    # replacement the library lacks, the newer texts in force of its field stand in
    # (IndexRecords.successors).
    fields: frozenset[str] = frozenset()
    issued: str = ""

    def record_validity(self, article: str | None) -> str:
        """The status of one record (article) of the document. Of a text replaced in part
        by a list of its provisions (`Bãi bỏ Điều 5, …; khoản 1 Điều 12`), an article the
        list does not name is in force: Nghị định 100/2019's railway articles still apply."""
        if article is None:
            return self.validity
        if article in self.repealed_articles:
            return "not_in_force"
        if self.kept_articles:
            return "in_force" if article in self.kept_articles else "not_in_force"
        if self.listed_in_part and article not in self.partly_articles:
            return "in_force"
        return self.validity

    @property
    def listed_in_part(self) -> bool:
        """Replaced in part, and the replacement names the articles it repeals."""
        named = self.repealed_articles or self.partly_articles
        return self.validity == "partly_in_force" and bool(named)


# Checked between stages and between query terms: a search that overruns returns its best
# hits so far with partial=True (docs/search.md, "Deadline and cancel").
Cancel = Callable[[], bool]
