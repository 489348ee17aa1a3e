"""How Vietnamese legal texts name other documents and parts of them.

A reference to a document is its kind, perhaps a name, and then its number (`Luật Doanh
nghiệp số 68/2014/QH13`), its date (`Luật báo chí ngày 28 tháng 12 năm 1989`) or its year
(`Bộ luật hàng hải Việt Nam năm 2005`). A reference may be followed by the laws that amended
it (`… đã được sửa đổi, bổ sung một số điều theo Luật số 31/2009/QH12 và Luật số 35/2018/QH14`):
those are not further targets, they describe the first. Parts are named from the smallest up
(`điểm b khoản 1 và điểm a khoản 2 Điều 86`, `các điều 104, 105 và 117`, `Mục 3 Chương III`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from offline_index.parsers.header import NUMBER_BODY, clean_number

KIND = (
    r"(?:Bộ [Ll]uật|Luật|Pháp lệnh|Nghị định|Nghị quyết|Thông tư liên tịch|Thông tư"
    r"|Quyết định|Sắc lệnh|Hiến pháp)"
)
DATE = r"ngày\s*\d{1,2}\s*(?:tháng\s*|[/-])\s*\d{1,2}\s*(?:năm\s*|[/-])\s*\d{4}"
DATE_RE = re.compile(
    r"ngày\s*(\d{1,2})\s*(?:tháng\s*|[/-])\s*(\d{1,2})\s*(?:năm\s*|[/-])\s*(\d{4})"
)
# Words that end a name: the number, date or year follow, or the sentence's verb begins.
_NAME_WORD = r"(?!(?:số|Số|năm|ngày|này|hết|đã|được|kể từ|có hiệu lực)\b)[^\s;:“”\"(]+"
REF_RE = re.compile(
    rf"(?<![\w])(?P<kind>{KIND})(?P<name>(?:\s+{_NAME_WORD}){{0,30}}?)\s*"
    rf"(?:(?:số|Số)\s*:?\s*(?P<number>{NUMBER_BODY})(?:\s*,?\s*(?P<ndate>{DATE}))?"
    rf"|(?P<date>{DATE})|năm\s+(?P<year>(?:19|20)\d\d)\b)"
)
# "… đã được sửa đổi, bổ sung một số điều theo <references>": who amended the reference.
AMENDED_RE = re.compile(
    r"\s*,?\s*(?:đã\s+)?(?:được\s+)?sửa\s+đổi,?\s*(?:bổ\s+sung\s+)?(?:một\s+số\s+[đĐ]iều\s+)?"
    r"(?:theo|bởi|tại)\s+"
)
# A reference right after this names the amended text, while its number or date is the
# amending one's: "Luật sửa đổi, bổ sung một số điều của Luật khoáng sản số 46/2005/QH11".
AMENDING = re.compile(rf"{KIND}\s+sửa đổi,?\s*(?:bổ sung\s+)?(?:một số\s+\S+\s+)?(?:của\s+)?$")
_AMENDED_TAIL = re.compile(AMENDED_RE.pattern + r"$")
_LISTED = re.compile(r"(?:[,;]|\bvà(?:\s+các)?)\s*$")
PARTS_WORD = re.compile(r"(?:[Đđ]iều|[Kk]hoản|Mục|Chương)\s+[\dIVXLC]|[Đđ]iểm\s+[a-zđ]\b")
_LIST_SEP = re.compile(r"\s*(?:,|và|;)\s*")
SELF_RE = re.compile(rf"{KIND} này\b|Văn bản hợp nhất này\b")


@dataclass
class Ref:
    """A document named in a text."""

    text: str
    kind: str
    name: str = ""
    number: str = ""
    year: int | None = None
    date: str | None = None
    amended_by: list[str] = field(default_factory=list)  # numbers of the amending texts
    amending: bool = False  # "Luật sửa đổi, bổ sung … của Luật X số …": the name is X's


@dataclass(frozen=True)
class Part:
    """A part of a document: an article, clause or point, or a chapter or section."""

    article: str = ""
    clause: str = ""
    point: str = ""
    chapter: str = ""
    section: str = ""

    def label(self) -> str:
        """`điểm b khoản 1 Điều 86`, `Mục 3 Chương III`, as a text would write it."""
        words = [
            f"điểm {self.point}" if self.point else "",
            f"khoản {self.clause}" if self.clause else "",
            f"Điều {self.article}" if self.article else "",
            f"Mục {self.section}" if self.section else "",
            f"Chương {self.chapter}" if self.chapter else "",
        ]
        return " ".join(w for w in words if w)


def iso_date(text: str) -> str | None:
    """The first `ngày D tháng M năm Y` of a text as YYYY-MM-DD."""
    m = DATE_RE.search(text)
    if not m:
        return None
    day, month, year = (int(g) for g in m.groups())
    if not (1 <= day <= 31 and 1 <= month <= 12 and 1900 < year < 2100):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def blank_quotes(text: str) -> str:
    """Quoted words (`cụm từ “doanh nghiệp nhà nước”`) blanked, offsets kept."""
    return re.sub(r"“[^”]*”|\"[^\"]*\"", lambda m: " " * len(m.group()), text)


def _ref(m: re.Match[str]) -> Ref:
    number = clean_number(m["number"]) if m["number"] else ""
    date = iso_date(m["ndate"] or m["date"] or "")
    year = None
    if number:
        y = re.search(r"/((?:19|20)\d\d)(?:/|$)", number)
        year = int(y.group(1)) if y else None
    year = year or (int(date[:4]) if date else None) or (int(m["year"]) if m["year"] else None)
    kind = m["kind"].replace("Bộ Luật", "Bộ luật")
    return Ref(m.group().strip(), kind, m["name"].strip(" ,"), number, year, date)


def find_refs(text: str) -> list[tuple[int, int, Ref]]:
    """References in `text` with their spans; amending texts are attached to the one they amend.

    A reference inside the description of the previous one (`Nghị quyết số 03/2006/NQ-HĐTP …
    hướng dẫn áp dụng một số quy định của Bộ luật Dân sự năm 2005`) is not listed: a listed
    one follows a separator (`,` `;` `và`) or names parts of itself.
    """
    text = blank_quotes(text)
    out: list[tuple[int, int, Ref]] = []
    pos = 0
    while m := REF_RE.search(text, pos):
        ref, end = _ref(m), m.end()
        ref.amending = bool(AMENDING.search(text, max(0, m.start() - 80), m.start()))
        gap = AMENDING.sub("", text[out[-1][1] : m.start()]) if out else ""
        listed = not out or _LISTED.search(gap) or PARTS_WORD.search(gap)
        listed = listed or bool(re.match(r"\s*[,;].*quy định", gap))  # ", quy định về … tại"
        end = _amended_by(text, end, ref)
        if listed:
            out.append((m.start(), end, ref))
        pos = end
    return out


def _amended_by(text: str, end: int, ref: Ref) -> int:
    """`… [của Chính phủ quy định …] đã được sửa đổi, bổ sung … theo <list>` after a reference."""
    nxt = REF_RE.search(text, end)
    window = text[end : nxt.start() if nxt else len(text)]
    am = AMENDED_RE.match(window) or _AMENDED_TAIL.search(window)
    if am is None or ";" in window[: am.start()]:
        return end
    return _amending_list(text, end + am.end(), ref)


def own_chunk(chunk: str) -> str:
    """The words naming parts of the next reference, after the previous one's description."""
    if ";" in chunk:
        chunk = chunk.rsplit(";", 1)[1]
    m = PARTS_WORD.search(chunk)
    return chunk[m.start() :] if m else re.split(r",|\svà\s", chunk)[-1]


def _amending_list(text: str, pos: int, ref: Ref) -> int:
    """Read `Luật số A, Luật số B và Luật số C` into ref.amended_by; return where it ends."""
    end = pos
    while (m := REF_RE.match(text, pos)) and not m["name"].strip():
        item = _ref(m)
        if item.number:
            ref.amended_by.append(item.number)
        end = m.end()
        sep = _LIST_SEP.match(text, end)
        if not sep:
            break
        pos = sep.end()
    return end


# ---------------------------------------------------------------- parts

_ART = r"\d+[a-zđ]?"
_CLAUSE = r"\d+[a-z]?"
_POINT = "[a-zđ]"


def _list_of(item: str) -> str:
    return rf"{item}(?:(?:\s*,\s*|\s+và\s+){item})*"


_PART_TOKEN = re.compile(
    rf"(?P<range>từ\s+[Đđ]iều\s+(?P<r1>\d+)\s+đến\s+[Đđ]iều\s+(?P<r2>\d+))"
    rf"|(?:[Cc]ác\s+)?[Đđ]iều\s+(?P<arts>{_list_of(_ART)})(?![\d/])"
    rf"|(?:[Cc]ác\s+)?[Kk]hoản\s+(?P<clauses>{_list_of(_CLAUSE)})(?![\d/])"
    rf"|(?:[Cc]ác\s+)?[Đđ]iểm\s+(?P<points>{_list_of(_POINT)})(?![\w.])"
    rf"|Mục\s+(?P<section>\d+|[IVXLC]+)\b"
    rf"|Chương\s+(?P<chapter>[IVXLC]+(?:-?[A-Z])?|\d+)\b"
)
_SPLIT = re.compile(r"\s*(?:,|và)\s*")


def _items(text: str) -> list[str]:
    return [x for x in _SPLIT.split(text.strip()) if x]


@dataclass
class _PartReader:
    """Clauses and points wait for the article that follows them (`khoản 3 và khoản 4 Điều 27`)."""

    parts: list[Part] = field(default_factory=list)
    points: list[str] = field(default_factory=list)
    clauses: list[tuple[str, list[str]]] = field(default_factory=list)
    section: str = ""
    locating: bool = False  # "các điều 223 … 234 Mục 5 Chương XIV": where they are, not parts

    def article(self, number: str) -> None:
        if not self.clauses and not self.points:
            self.parts.append(Part(article=number))
        for clause, points in self.clauses:
            self.parts += [Part(number, clause, p) for p in points] or [Part(number, clause)]
        self.parts += [Part(number, "", p) for p in self.points]
        self.clauses, self.points = [], []

    def token(self, m: re.Match[str], gap: str) -> None:
        locator = self.locating and not gap.strip()
        self.locating = False
        if m["range"]:
            lo, hi = int(m["r1"]), int(m["r2"])
            for n in range(lo, hi + 1) if 0 < hi - lo < 400 else (lo, hi):
                self.article(str(n))
            self.locating = True
        elif m["arts"]:
            for n in _items(m["arts"]):
                self.article(n)
            self.locating = True
        elif m["clauses"]:
            items = _items(m["clauses"])
            self.clauses += [(c, self.points if i == 0 else []) for i, c in enumerate(items)]
            self.points = []
        elif m["points"]:
            self.points += _items(m["points"])
        elif m["section"]:
            self.section, self.locating = ("", True) if locator else (m["section"], False)
        elif m["chapter"]:
            if not locator:
                self.parts.append(Part(chapter=m["chapter"], section=self.section))
            self.section = ""


def parse_parts(text: str) -> list[Part]:
    """Every article, clause, point, chapter or section named in `text`, in order, unique."""
    reader = _PartReader()
    pos = 0
    for m in _PART_TOKEN.finditer(blank_quotes(text)):
        reader.token(m, text[pos : m.start()])
        pos = m.end()
    return list(dict.fromkeys(reader.parts))


def location(article: str, clause: str = "", point: str = "") -> str:
    """Where a statement stands: `Điểm d Khoản 8 Điều 52`, `Khoản 2 Điều 217`, `Điều 84`."""
    words = [f"Điểm {point}" if point else "", f"Khoản {clause}" if clause else ""]
    words.append(f"Điều {article}" if article else "")
    return " ".join(w for w in words if w)
