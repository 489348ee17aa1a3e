"""What the Library API gives out about a legal document: frozen, typed, read by attribute.

`Library.documents()` lists `DocumentInfo`; `Library.document()` returns a `DocumentView`
(the same metadata, plus its relations, its status in force with the sentence that says so,
its Chương/Điều tree, page texts and OCR summary); `Library.article()` returns an
`ArticleView`. Every layer above reads these instead of string keys. `to_dict()` gives the
JSON the `lawshelf show --json` command prints (keys and order kept from the dict API these
replace; docs/library-api.md).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from offline_index.ocr.scan import ScanSummary

Json = dict[str, object]

RELATION_VI = {
    "replaces": "Thay thế",
    "replaced_by": "Được thay thế bởi",
    "amends": "Sửa đổi",
    "amended_by": "Được sửa đổi bởi",
    "consolidated_in": "Được hợp nhất tại",
    "consolidates": "Hợp nhất",
}
# The parts a law is divided into above its articles, outermost first, as the text names them.
PART_VI = {"phan": "Phần", "chuong": "Chương", "muc": "Mục", "tieu_muc": "Tiểu mục"}


# Names a heading printed in capitals keeps capitalised once it is written in sentence case.
_PROPER = {n.lower(): n for n in (
    "Việt Nam", "Hà Nội", "Quốc hội", "Chính phủ", "Nhà nước", "Mặt trận Tổ quốc",
    "Ủy ban nhân dân", "Hội đồng nhân dân", "Tòa án nhân dân", "Viện kiểm sát nhân dân",
    "Công an nhân dân", "Quân đội nhân dân", "Đảng Cộng sản Việt Nam",
    "Cộng hòa xã hội chủ nghĩa Việt Nam")}  # fmt: skip
_PROPER_RE = re.compile(
    r"(?<!\w)(" + "|".join(map(re.escape, sorted(_PROPER, key=len, reverse=True))) + r")(?!\w)",
    re.I,
)


# A Vietnamese syllable, folded: what a word of a heading in capitals is unless it is an
# abbreviation (`HIV/AIDS`, `PPP`, `ODA`), which keeps its capitals.
_SYLLABLE = re.compile(r"(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?[aeiouy]+"
                       r"(ch|ng|nh|[cmnptiouy])?")  # fmt: skip


def _lower_word(m: re.Match[str]) -> str:
    word = m.group(0).lower()  # `A1` (a licence class) has a digit: kept as printed
    bare = "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))
    return word if _SYLLABLE.fullmatch(bare.replace("đ", "d")) else m.group(0)


def readable_title(title: str) -> str:
    """A heading printed in capitals (`BẢO HIỂM XÃ HỘI TỰ NGUYỆN`) in sentence case, which
    reads faster (`Bảo hiểm xã hội tự nguyện`); any other title as it is."""
    if not title or title != title.upper() or title == title.lower():
        return title
    text = re.sub(r"\w+", _lower_word, title)
    text = text[0].upper() + text[1:]
    return _PROPER_RE.sub(lambda m: _PROPER[m.group(0).lower()], text)


def part_heading(level: str, number: str | None, title: str | None) -> str:
    """`Chương IV. Bảo hiểm xã hội tự nguyện`: a part's heading, its title readable."""
    head = " ".join(x for x in (PART_VI[level], number or "") if x)
    return head + (f". {readable_title(title)}" if title else "")


def part_path(parts: list[tuple[str, str | None, str | None]]) -> str:
    """The headings an article sits under (outermost first), from its Phần or Chương down,
    joined by ` · `: the line the reader's contents and a search result show."""
    start = max((i for i, p in enumerate(parts) if p[0] in ("phan", "chuong")), default=0)
    return " · ".join(part_heading(*p) for p in parts[start:])


def elide(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word with `…`: a line that must stay short
    (the title bar, a result's headings); the screen it leads to shows the whole."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,.;:·") + "…"


# A search result's small line: the document in at most WHERE_CHARS characters, then each part
# of the law the article sits in (Chương, Mục) in at most PART_CHARS. A decree's title and
# chapter headings run to 200 characters; the reader shows them whole.
WHERE_CHARS = 90
PART_CHARS = 48


def where_line(document: str, part: str) -> str:
    """Where an article hit comes from, as the kiosk's result card and `lawshelf search` say
    it: `Luật Bảo hiểm xã hội · Chương IV. Bảo hiểm xã hội tự nguyện · Mục 2. Chế độ tử
    tuất`, each piece cut short. `part` is Hit.part (part_path's ` · `-joined headings)."""
    parts = [elide(p, PART_CHARS) for p in part.split(" · ") if p]
    if not parts:
        return document
    return " · ".join([elide(document, WHERE_CHARS), *parts])


# A title up to this long names its document in a sentence or on a button (`Luật Trợ giúp
# pháp lý`); a decree's title runs to 200 characters and gives way to its kind.
NAME_CHARS = 60


def document_name(title: str, kind: str, number: str) -> str:
    """`Luật Trợ giúp pháp lý 11/2017/QH14`, `Nghị định 168/2024/NĐ-CP`: the one way a status
    line or a citation's button names a document, so a resident sees which law it is, not a
    bare number, and the same name everywhere."""
    name = title if len(title) <= NAME_CHARS else kind
    return " ".join(x for x in (name, number) if x)


VALIDITY_VI = {
    "in_force": "Còn hiệu lực",
    "partly_in_force": "Hết hiệu lực một phần",
    "not_in_force": "Hết hiệu lực",
    "not_yet_in_force": "Chưa có hiệu lực",
    "unknown": "Chưa rõ hiệu lực",
}


@dataclass(frozen=True)
class TextNode:
    """One unit of a stored body: Phần / Chương / Mục / Điều / Khoản / Điểm."""

    level: str
    number: str
    title: str
    text: str
    children: tuple[TextNode, ...] = ()
    ordinal: int | None = None  # reading order in the document's tree; None in an article's

    def to_dict(self) -> Json:
        out: Json = {"level": self.level, "number": self.number, "title": self.title}
        out["text"] = self.text
        if self.ordinal is not None:
            out["ordinal"] = self.ordinal
        out["children"] = [c.to_dict() for c in self.children]
        return out


@dataclass(frozen=True)
class Source:
    """The sentence a status was read from, and where it stands."""

    doc_id: str
    number: str
    title: str
    kind: str
    article: str
    where: str  # "Khoản 2 Điều 217"
    sentence: str

    @property
    def cite(self) -> str:
        """`Khoản 2 Điều 217 Luật Doanh nghiệp 59/2020/QH14`; a decree's long title is left out
        (`Điều 52 Nghị định 168/2024/NĐ-CP`)."""
        return f"{self.where} {self.document}".strip()

    @property
    def document(self) -> str:
        """`Luật Doanh nghiệp 59/2020/QH14`, `Nghị định 168/2024/NĐ-CP`."""
        return document_name(self.title, self.kind, self.number)

    def to_dict(self) -> Json:
        own = {f.name: getattr(self, f.name) for f in fields(self)}
        return {**own, "cite": self.cite, "document": self.document}


def _source_dict(source: Source | None) -> Json | None:
    return source.to_dict() if source else None


@dataclass(frozen=True)
class TextStatus:
    """The texts' account of a document's status, when it is the status shown."""

    validity: str
    since: str | None
    until: str | None
    by_doc_id: str | None  # the text that changed it
    by_number: str
    by_title: str
    repealed: tuple[str, ...]  # its articles repealed as a whole
    kept: tuple[str, ...]  # articles of a repealed text still in force
    source: Source | None  # the sentence that says so

    def to_dict(self) -> Json:
        out: Json = {f.name: getattr(self, f.name) for f in fields(self)}
        out.update(repealed=list(self.repealed), kept=list(self.kept))
        out["source"] = _source_dict(self.source)
        return out


@dataclass(frozen=True)
class ArticleStatus:
    """One article repealed (as a whole or in part) or amended: when, and by which sentence."""

    state: str  # repealed | partly_repealed | amended
    since: str | None
    applied: bool  # False: the change takes effect later
    source: Source | None

    def to_dict(self) -> Json:
        out: Json = {"state": self.state, "since": self.since, "applied": self.applied}
        out["source"] = _source_dict(self.source)
        return out


@dataclass(frozen=True)
class RelationView:
    """A relation of the document, resolved to this library's document when it holds it.

    Three origins: the publisher's own (`derived` and `from_text` False), the inverse of
    another document's publisher relation (`derived`), read from the texts (`from_text`).
    """

    type: str  # replaces | replaced_by | amends | amended_by | consolidated_in | consolidates
    target: str  # official number of the other document
    label_vi: str
    articles: tuple[str, ...] = ()
    effective: str | None = None
    note: str = ""
    target_doc_id: str | None = None
    target_title: str | None = None
    target_validity: str | None = None
    derived: bool = False
    from_text: bool = False
    whole: bool = False  # from the texts: the whole document
    applied: bool = True  # from the texts: in effect today

    def to_dict(self) -> Json:
        out: Json = {"type": self.type, "target": self.target, "articles": list(self.articles)}
        out.update(effective=self.effective, note=self.note)
        target = {
            "target_doc_id": self.target_doc_id,
            "target_title": self.target_title,
            "target_validity": self.target_validity,
        }
        if self.from_text:
            extra = {"whole": self.whole, "applied": self.applied, "from_text": True}
            return {**out, **target, **extra, "label_vi": self.label_vi}
        return {**out, "label_vi": self.label_vi, "derived": self.derived, **target}


@dataclass(frozen=True)
class DocumentInfo:
    """A document's metadata, with its status in force (the publisher's, else the texts')."""

    id: str
    number: str
    kind: str
    title: str
    issuer: str
    signer: str
    issued: str | None
    effective: str | None
    year: int | None
    validity: str  # in force now: in_force | partly_in_force | not_in_force | ...
    scope: str  # central | hanoi | local
    summary: str
    source_url: str
    pdf: str
    page_count: int
    article_count: int
    publisher_validity: str  # what the publisher said
    validity_source: str  # publisher | text
    fields: tuple[str, ...]
    validity_vi: str

    def to_dict(self) -> Json:
        out: Json = {f.name: getattr(self, f.name) for f in fields(DocumentInfo)}
        out["fields"] = list(self.fields)
        return out


@dataclass(frozen=True)
class DocumentView(DocumentInfo):
    """Everything the reader shows about one document."""

    relations: tuple[RelationView, ...]
    currency: TextStatus | None  # the texts' account, when it is the status shown
    article_status: Mapping[str, ArticleStatus]  # article number -> what changed it
    in_force: bool
    status_notice: str  # plain words when not (fully) in force, English
    status_notice_vi: str
    tree: tuple[TextNode, ...]
    pages: tuple[str, ...]  # page texts, for a document with no articles
    scan: ScanSummary | None  # what OCR read, for a scan
    # Replaced in part by a text that lists what it repeals: an article of it that has no
    # `article_status` of its own still applies (search_types.DocAttributes.listed_in_part).
    unnamed_in_force: bool = False

    def to_dict(self) -> Json:
        out = super().to_dict()
        out["relations"] = [r.to_dict() for r in self.relations]
        out["currency"] = self.currency.to_dict() if self.currency else None
        out["article_status"] = {k: v.to_dict() for k, v in self.article_status.items()}
        out["in_force"] = self.in_force
        out["status_notice"], out["status_notice_vi"] = self.status_notice, self.status_notice_vi
        out["tree"] = [n.to_dict() for n in self.tree]
        out["pages"] = list(self.pages)
        out["scan"] = self.scan.to_dict() if self.scan else None
        out["unnamed_in_force"] = self.unnamed_in_force
        return out


@dataclass(frozen=True)
class StatusRow:
    """One document the texts say something about, as the librarian's list shows it."""

    number: str
    title: str
    validity: str  # shown
    source: str  # where the shown status comes from: publisher | text
    texts_say: str
    since: str | None
    cite: str  # the text that says so
    sentence: str  # its sentence ("" when many sentences say it)


@dataclass(frozen=True)
class ArticleView:
    """One Điều with its khoản/điểm, and the numbers of the articles before and after it."""

    doc_id: str
    number: str
    title: str
    text: str
    children: tuple[TextNode, ...]
    ordinal: int
    previous: str | None
    next: str | None

    def to_dict(self) -> Json:
        out: Json = {f.name: getattr(self, f.name) for f in fields(self)}
        out["children"] = [c.to_dict() for c in self.children]
        return out
