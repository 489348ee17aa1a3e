"""Content model v1: the data structure standard for LawShelf content.

Every input is validated here, and errors name the file, the field and the reason
(see docs/content-format.md). Objects are plain dataclasses so every layer can use
them without a database or a display.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from offline_index.analysis import fold
from offline_index.content_fields import FieldReader, nfc
from offline_index.errors import ContentError

FORMAT_VERSION = 1

KINDS = (
    "Hiến pháp",
    "Bộ luật",
    "Luật",
    "Pháp lệnh",
    "Nghị quyết",
    "Nghị định",
    "Quyết định",
    "Chỉ thị",
    "Thông tư",
    "Thông tư liên tịch",
    "Án lệ",
    "Kế hoạch",
    "Công văn",
    "Thông báo",
    "Văn bản hợp nhất",
    "Khác",
)
SCOPES = ("central", "hanoi", "local")
VALIDITY = ("in_force", "partly_in_force", "not_in_force", "not_yet_in_force", "unknown")
RELATION_TYPES = ("replaces", "replaced_by", "amends", "amended_by", "consolidated_in")
LEVELS = ("phan", "chuong", "muc", "tieu_muc", "dieu", "khoan", "diem")
PUBLICATION_CATEGORIES = (
    "book",
    "handbook",
    "leaflet",
    "story",
    "outline",
    "video_skit",
    "video_lecture",
)
MEDIA_TYPES = ("video", "infographic")
NOTICE_TYPES = ("news", "policy_dialogue", "legal_aid")


def doc_id_for(number: str) -> str:
    """Stable id from an official number: `100/2019/NĐ-CP` -> `100-2019-nd-cp`."""
    return re.sub(r"[^a-z0-9]+", "-", fold(number)).strip("-")


def number_key(number: str) -> str:
    """Official number reduced for lookup: `100/2019/NĐ-CP` -> `100/2019/nd-cp`."""
    return "/".join(doc_id_for(part) for part in number.split("/"))


def year_of(issued: str | None) -> int | None:
    """The year of an ISO date (`2019-12-30` -> 2019), None without one."""
    return int(issued[:4]) if issued else None


# ---------------------------------------------------------------- legal documents


@dataclass
class Node:
    """One unit of the body: Phần / Chương / Mục / Điều / Khoản / Điểm."""

    level: str
    number: str = ""
    title: str = ""
    text: str = ""
    children: list[Node] = field(default_factory=list)

    @classmethod
    def from_reader(cls, r: FieldReader) -> Node:
        return cls(
            level=r.choice("level", LEVELS),
            number=r.str("number", required=False),
            title=r.str("title", required=False),
            text=r.str("text", required=False),
            children=[cls.from_reader(c) for c in r.objlist("children")],
        )

    def walk(self) -> list[Node]:
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out

    def full_text(self) -> str:
        """Own text followed by every descendant's, as a reader would see it."""
        parts = [self.text] + [c.heading_line() + c.full_text() for c in self.children]
        return "\n".join(p for p in parts if p)

    def heading_line(self) -> str:
        if self.level == "khoan":
            return f"{self.number}. "
        if self.level == "diem":
            return f"{self.number}) "
        return ""


@dataclass
class Relation:
    type: str
    target: str  # official number of the other document
    articles: list[str] = field(default_factory=list)  # articles changed, where known
    effective: str | None = None
    note: str = ""

    @classmethod
    def from_reader(cls, r: FieldReader) -> Relation:
        return cls(
            type=r.choice("type", RELATION_TYPES),
            target=r.str("target"),
            articles=r.strlist("articles"),
            effective=r.date("effective"),
            note=r.str("note", required=False),
        )


@dataclass
class Document:
    """A legal document (`văn bản`)."""

    number: str
    kind: str
    title: str
    issuer: str = ""
    signer: str = ""
    issued: str | None = None
    effective: str | None = None
    validity: str = "unknown"
    scope: str = "central"
    fields: list[str] = field(default_factory=list)
    summary: str = ""
    source_url: str = ""
    relations: list[Relation] = field(default_factory=list)
    body: list[Node] = field(default_factory=list)
    pdf: str = ""  # file name relative to the content source's files/
    pages: list[str] = field(default_factory=list)  # page texts when the source was a PDF
    id: str = ""

    def __post_init__(self) -> None:
        self.number = nfc(self.number)
        if not self.id:
            self.id = doc_id_for(self.number)

    @classmethod
    def from_dict(cls, data: Any, path: str) -> Document:
        r = FieldReader(data, path)
        doc = cls(
            number=r.str("number"),
            kind=r.choice("kind", KINDS),
            title=r.str("title"),
            issuer=r.str("issuer", required=False),
            signer=r.str("signer", required=False),
            issued=r.date("issued"),
            effective=r.date("effective"),
            validity=r.choice("validity", VALIDITY, default="unknown"),
            scope=r.choice("scope", SCOPES, default="central"),
            fields=r.strlist("fields"),
            summary=r.str("summary", required=False),
            source_url=r.str("source_url", required=False),
            relations=[Relation.from_reader(x) for x in r.objlist("relations")],
            body=[Node.from_reader(x) for x in r.objlist("body")],
            pdf=r.str("pdf", required=False),
            pages=r.strlist("pages"),
            id=r.str("id", required=False),
        )
        if not doc.body and not doc.pages:
            raise ContentError(path, "a document needs a body or page texts", "body")
        return doc

    def articles(self) -> list[Node]:
        return [n for n, _ in self.articles_in_parts()]

    def articles_in_parts(self) -> Iterator[tuple[Node, list[str]]]:
        """Each Điều in reading order, with the headings of the Phần, Chương and Mục it sits
        in, outermost first (the index keeps them: article_titles.part_words)."""
        return _articles_in_parts(self.body, [])

    def to_dict(self) -> dict[str, Any]:
        return {"type": "document", "format": FORMAT_VERSION, **asdict(self)}


_PART_LEVELS = ("phan", "chuong", "muc")


def _articles_in_parts(nodes: list[Node], headings: list[str]) -> Iterator[tuple[Node, list[str]]]:
    for n in nodes:
        if n.level == "dieu":
            yield n, headings
        inner = [*headings, n.title] if n.level in _PART_LEVELS and n.title else headings
        yield from _articles_in_parts(n.children, inner)


# ---------------------------------------------------------------- other content


@dataclass
class Publication:
    """Book, handbook, leaflet, legal story, outline of a new law, or video."""

    id: str
    title: str
    category: str
    fields: list[str] = field(default_factory=list)
    file: str = ""
    summary: str = ""
    published: str | None = None
    pages: list[str] = field(default_factory=list)  # page texts (PDF) for search
    transcript: str = ""  # video transcript for search
    subtitles: str = ""  # .vtt/.srt file name, for videos

    @classmethod
    def from_dict(cls, data: Any, path: str) -> Publication:
        r = FieldReader(data, path)
        return cls(
            id=r.str("id"),
            title=r.str("title"),
            category=r.choice("category", PUBLICATION_CATEGORIES),
            fields=r.strlist("fields"),
            file=r.str("file", required=False),
            summary=r.str("summary", required=False),
            published=r.date("published"),
            pages=r.strlist("pages"),
            transcript=r.str("transcript", required=False),
            subtitles=r.str("subtitles", required=False),
        )


@dataclass
class Citation:
    doc_number: str
    article: str = ""
    clause: str = ""  # khoản
    point: str = ""  # điểm

    @classmethod
    def from_reader(cls, r: FieldReader) -> Citation:
        return cls(
            doc_number=r.str("doc_number"),
            article=r.str("article", required=False),
            clause=r.str("clause", required=False),
            point=r.str("point", required=False),
        )


@dataclass
class QAEntry:
    """A question with its answer; traffic-fine entries add fine and penalties."""

    id: str
    question: str
    answer: str
    fields: list[str] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    subject: str = ""  # who the rule applies to (e.g. "xe mô tô")
    fine: str = ""
    extra_penalties: str = ""
    remedial: str = ""
    ticket_hash: str = ""  # set when this answers a resident's ticket

    @classmethod
    def from_dict(cls, data: Any, path: str) -> QAEntry:
        r = FieldReader(data, path)
        return cls(
            id=r.str("id"),
            question=r.str("question"),
            answer=r.str("answer"),
            fields=r.strlist("fields"),
            citations=[Citation.from_reader(x) for x in r.objlist("citations")],
            subject=r.str("subject", required=False),
            fine=r.str("fine", required=False),
            extra_penalties=r.str("extra_penalties", required=False),
            remedial=r.str("remedial", required=False),
            ticket_hash=r.str("ticket_hash", required=False),
        )


@dataclass
class Choice:
    id: str
    text: str
    correct: bool = False


@dataclass
class ContestQuestion:
    id: str
    text: str
    choices: list[Choice]
    image: str = ""
    critical: bool = False
    explanation: str = ""
    citation: Citation | None = None

    @classmethod
    def from_reader(cls, r: FieldReader) -> ContestQuestion:
        choices = [
            Choice(id=c.str("id"), text=c.plain("text"), correct=c.bool("correct"))
            for c in r.objlist("choices", required=True)
        ]
        if len(choices) < 2:
            raise r.fail("choices", "needs at least two choices")
        if not any(c.correct for c in choices):
            raise r.fail("choices", "needs at least one correct choice")
        cite = r.data.get("citation")
        return cls(
            id=r.str("id"),
            text=r.plain("text"),
            choices=choices,
            image=r.str("image", required=False),
            critical=r.bool("critical"),
            explanation=r.plain("explanation", required=False),
            citation=Citation.from_reader(FieldReader(cite, r.path, "citation")) if cite else None,
        )


@dataclass
class Contest:
    id: str
    title: str
    organiser: str
    opens: str
    closes: str
    rules: str
    questions: list[ContestQuestion]
    draw: int  # questions drawn per attempt
    time_limit_s: int
    pass_mark: int = 0
    prediction_question: str = ""
    required_fields: list[str] = field(default_factory=lambda: ["name", "birth_year", "ward"])
    max_attempts: int = 0  # per person; 0 means unlimited
    retention_days: int = 365

    @classmethod
    def from_dict(cls, data: Any, path: str) -> Contest:
        r = FieldReader(data, path)
        questions = [ContestQuestion.from_reader(q) for q in r.objlist("questions", required=True)]
        contest = cls(
            id=r.str("id"),
            title=r.str("title"),
            organiser=r.str("organiser"),
            opens=r.datetime("opens", required=True) or "",
            closes=r.datetime("closes", required=True) or "",
            rules=r.str("rules", required=False),
            questions=questions,
            draw=r.int("draw", minimum=1),
            time_limit_s=r.int("time_limit_s", minimum=1),
            pass_mark=r.int("pass_mark", required=False),
            prediction_question=r.str("prediction_question", required=False),
            required_fields=r.strlist("required_fields") or ["name", "birth_year", "ward"],
            max_attempts=r.int("max_attempts", required=False),
            retention_days=r.int("retention_days", required=False, default=365),
        )
        if contest.draw > len(questions):
            raise r.fail("draw", f"draws {contest.draw} but the bank has {len(questions)}")
        if contest.closes <= contest.opens:
            raise r.fail("closes", "must be after opens")
        return contest


@dataclass
class Media:
    """A video or infographic for the idle loop (the "law staircase")."""

    id: str
    type: str
    title: str
    file: str
    starts: str | None = None
    ends: str | None = None
    duration_s: int = 15  # how long an infographic stays on screen

    @classmethod
    def from_dict(cls, data: Any, path: str) -> Media:
        r = FieldReader(data, path)
        return cls(
            id=r.str("id"),
            type=r.choice("type", MEDIA_TYPES),
            title=r.str("title"),
            file=r.str("file"),
            starts=r.date("starts"),
            ends=r.date("ends"),
            duration_s=r.int("duration_s", required=False, default=15, minimum=1),
        )


@dataclass
class Notice:
    """News, a policy-dialogue session, or a legal-aid contact."""

    id: str
    type: str
    title: str
    body: str = ""
    date: str | None = None
    place: str = ""
    phone: str = ""
    address: str = ""
    hours: str = ""
    citations: list[Citation] = field(default_factory=list)  # the law it rests on, to read

    @classmethod
    def from_dict(cls, data: Any, path: str) -> Notice:
        r = FieldReader(data, path)
        return cls(
            id=r.str("id"),
            type=r.choice("type", NOTICE_TYPES),
            title=r.str("title"),
            body=r.str("body", required=False),
            date=r.date("date"),
            place=r.str("place", required=False),
            phone=r.str("phone", required=False),
            address=r.str("address", required=False),
            hours=r.str("hours", required=False),
            citations=[Citation.from_reader(x) for x in r.objlist("citations")],
        )


@dataclass
class SearchTopic:
    """A topic the search screen offers as a chip (`Nhiều người tìm`), in the order given.

    The publisher chooses them for what its library answers with the law in force, and for
    the campaigns of the season (`phạt nồng độ cồn` before Tết); a later source replaces an
    entry of the same `id` (default: the folded text).
    """

    text: str
    id: str = ""
    field: str = ""  # the field of state management it belongs to, for the librarian
    order: int = 0  # smaller first; equal orders by text

    def __post_init__(self) -> None:
        if not self.id:
            self.id = doc_id_for(self.text)

    @classmethod
    def from_dict(cls, data: Any, path: str) -> SearchTopic:
        r = FieldReader(data, path)
        topic = cls(
            text=" ".join(r.str("text").split()),
            id=r.str("id", required=False),
            field=r.str("field", required=False),
            order=r.int("order", required=False),
        )
        r.words("text", topic.text, 8, chars=60)
        return topic


@dataclass
class ThesaurusEntry:
    """Everyday words residents use, and the words the law uses for the same thing.

    A search for `bằng lái` also searches `giấy phép lái xe`. The publisher ships and extends
    the table as content; `id` (default: the folded everyday words) lets a later source
    replace an entry of an earlier one.
    """

    everyday: str
    legal: str
    id: str = ""
    fields: list[str] = field(default_factory=list)
    note: str = ""
    # Only when the query is typed with diacritics: without them the words are another
    # common word (`chó` is `cho` folded, `ngoại tình` is `ngoài tỉnh`).
    accented_only: bool = False

    def __post_init__(self) -> None:
        if not self.id:
            self.id = doc_id_for(self.everyday)

    @classmethod
    def from_dict(cls, data: Any, path: str) -> ThesaurusEntry:
        r = FieldReader(data, path)
        entry = cls(
            everyday=r.str("everyday").strip().lower(),
            legal=r.str("legal").strip().lower(),
            id=r.str("id", required=False),
            fields=r.strlist("fields"),
            note=r.str("note", required=False),
            accented_only=r.bool("accented_only"),
        )
        r.words("everyday", entry.everyday, 6)
        r.words("legal", entry.legal, 24)
        if doc_id_for(entry.everyday) == doc_id_for(entry.legal):
            raise r.fail("legal", "is the same as the everyday words")
        return entry


CONTENT_TYPES: dict[str, type] = {
    "documents": Document,
    "publications": Publication,
    "qa": QAEntry,
    "contests": Contest,
    "media": Media,
    "notices": Notice,
    "thesaurus": ThesaurusEntry,
}
