"""Effect clauses: what a legal text says about when it applies and which texts it changes.

Vietnamese texts state this themselves, in their last articles (`Hiệu lực thi hành`,
`Điều khoản thi hành`) and in amending articles (`Sửa đổi, bổ sung một số điều của …`):

* `Luật này có hiệu lực thi hành từ ngày 01 tháng 01 năm 2021.`: its own effective date;
* `Luật Doanh nghiệp số 68/2014/QH13 hết hiệu lực kể từ ngày Luật này có hiệu lực thi hành.`:
  a whole repeal, perhaps `…, trừ …` with exceptions;
* `Bãi bỏ khoản 3 Điều 28, các điều 31, 33 của Luật Thương mại số 36/2005/QH11.`: a partial one;
* `Sửa đổi, bổ sung một số điều của Luật X số … như sau:` followed by instructions
  (`Điều 51 được sửa đổi, bổ sung như sau:`, `Bãi bỏ Điều 5, Điều 6;`) that name the parts;
* `Nghị định này thay thế Nghị định số 46/2016/NĐ-CP …`: a replacement;
* a consolidated text (VBHN) names the law it consolidates and the laws that amended it; its
  number is not the law's, and the effect clauses it repeats are that law's.

`statements(doc)` returns each such statement with the sentence and where it stands (Điều,
khoản, điểm). Which document a reference means is decided later, against the library
(offline_index/currency.py), because numbers in the texts are written loosely.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from offline_index.model import Document, Node
from offline_index.parsers.effects_refs import (
    AMENDING,
    KIND,
    SELF_RE,
    Part,
    Ref,
    blank_quotes,
    find_refs,
    iso_date,
    location,
    own_chunk,
    parse_parts,
)
from offline_index.parsers.structure import CLAUSE_RE, POINT_RE

ACTIONS = ("effective", "repeal", "amend", "replace", "consolidates")
_CUE = re.compile(
    r"hiệu lực|[Bb]ãi bỏ|[Ss]ửa đổi|[Bb]ổ sung|[Tt]hay thế|[Bb]ỏ cụm từ|[Tt]hay cụm từ"
)
_REPEALED = "hết hiệu lực"
_OWN_EFFECTIVE = re.compile(
    rf"(?:{KIND}|Văn bản hợp nhất) này có hiệu lực(?: thi hành)?(?: kể)? từ ngày\s*\d"
)
_VERB = re.compile(
    r"^(?:(?P<repeal>Bãi bỏ)(?!,?\s*sửa đổi)|Bãi bỏ|Sửa đổi|Bổ sung|Thay thế cụm từ|Thay cụm từ|Bỏ (?:các )?cụm từ"
    r"|Sửa|Thay thế)\b"
)
# "Điều 51 được sửa đổi, bổ sung như sau:": a passive instruction names the parts first.
_PASSIVE = re.compile(
    r"^(?:[Cc]ác\s+)?(?:Điều|Khoản|Điểm|khoản|điểm|điều|Mục|Chương)\s.{0,200}?"
    r"\s(?:được|bị)\s+(?:(?P<repeal>bãi bỏ)|sửa đổi|bổ sung|thay thế)\b[^:]{0,40}(?:như sau|:|\.?$)"
)
_THIS_REPLACES = re.compile(rf"(?:{KIND}) này thay thế\s+")
_LIST_SUBJECT = re.compile(r"^(?:Các|Những)\s+(?:\S+\s+){0,3}sau đây\s*$")
# A chunk before a reference that names part of it, or a topic of it ("các quy định về …").
_PARTIAL = re.compile(
    r"quy định về|một số|\bđiều\s+\d|khoản|điểm|Mục|Chương|Phần|Phụ lục|cụm từ|nội dung"
)
_NORMATIVE = r"Bộ luật|Luật|Pháp lệnh|Nghị định|Nghị quyết|Thông tư"
_EXCEPT = re.compile(r"(?:^|[,;]\s*|\s)trừ\s+(.*)$")
_KEPT = re.compile(r"tiếp tục có hiệu lực|có hiệu lực (?:thi hành )?đến")
_UNTIL = re.compile(r"đến (?:hết )?ngày")
_SINCE = re.compile(r"từ ngày\s*\d")


@dataclass
class Statement:
    """One effect statement of a text, with the sentence it was read from."""

    action: str  # one of ACTIONS
    target: Ref | None  # the document it changes; None: the text itself
    whole: bool = True  # the whole target, or only `parts` (or a topic) of it
    parts: list[Part] = field(default_factory=list)
    kept: list[Part] = field(default_factory=list)  # parts of the target that stay in force
    exception: str = ""  # the stated exception as written (`trừ …`)
    until: str | None = None  # `kept` stays in force up to this day (inclusive)
    effective: str | None = None  # stated date; None: when the text itself takes effect
    article: str = ""  # where the statement stands in the text
    clause: str = ""
    point: str = ""
    sentence: str = ""
    consolidated: bool = False  # read from a consolidated text (VBHN): it is the law's

    @property
    def where(self) -> str:
        return location(self.article, self.clause, self.point)


def is_consolidated(doc: Document) -> bool:
    return doc.kind == "Văn bản hợp nhất" or "/VBHN-" in doc.number.upper()


def statements(doc: Document) -> list[Statement]:
    """Every effect statement of `doc`, in text order (see the module docstring)."""
    out: list[Statement] = []
    consolidated = is_consolidated(doc)
    if consolidated:
        out += _consolidation(doc)
    for art in doc.articles():
        if _CUE.search(art.title) or _CUE.search(art.full_text()):
            _read_article(art, out)
    for st in out:
        st.consolidated = consolidated and st.action != "consolidates"
    return _unique(out)


def _unique(found: list[Statement]) -> list[Statement]:
    seen: set[tuple] = set()
    out = []
    for st in found:
        t = st.target
        target = (t.number or t.name, t.date or t.year) if t else ("", None)
        key = (st.action, *target, tuple(st.parts), st.article)
        if key not in seen:
            seen.add(key)
            out.append(st)
    return out


# ---------------------------------------------------------------- walking the articles


def _read_article(art: Node, out: list[Statement]) -> None:
    """The title may be a heading (`Sửa đổi, bổ sung … của Luật X`) whose body instructs."""
    title = art.title
    first = art.text.split("\n", 1)[0] if art.text else ""
    if _VERB.match(title) and not find_refs(title) and first and not first.startswith("“"):
        title = f"{title} {first}"  # "Sửa đổi, bổ sung" + "Điều 21 của Luật … như sau:"
    heading = None
    if title and _VERB.match(title):  # the title announces what the body's instructions change
        found, _ = _classify(title, None, art)
        _place(found, art.number, "", "", out)
        heading = next((st.target for st in found if st.target), None)
    _Walk(art, heading, out).run()


class _Walk:
    """The article's nodes in order, with the quoting state carried across them.

    Amending articles quote the new wording (`“Điều 54. …`), and the structure parser reads
    the quoted `2.`/`b)` lines as clauses and points of the amending article. Text inside
    quotes is never a statement, and its numbers are not the amending article's: after the
    quote closes, `b) Sửa đổi, bổ sung Điều 55 như sau:` is point b of the last real clause.
    """

    def __init__(self, art: Node, heading: Ref | None, out: list[Statement]) -> None:
        self.art, self.out = art, out
        self.depth = 0
        self.clause = self.point = ""
        self.headings: dict[str, Ref | None] = {
            "title": heading,  # `Sửa đổi, bổ sung … của Luật X` as the article's title
            "dieu": None,
            "khoan": None,
            "diem": None,
        }

    def run(self) -> None:
        for node in self.art.walk():
            self.node(node)

    def node(self, node: Node) -> None:
        if self.depth == 0 and node.level in ("khoan", "diem"):
            if node.level == "khoan":
                self.clause, self.point = node.number, ""
                self.headings["khoan"] = None
            else:
                self.point = node.number
            self.headings["diem"] = None
        for line in self._lines(node.text):
            level = "diem" if self.point else ("khoan" if self.clause else "dieu")
            inherited = self._inherited(level)
            for sentence in re.split(r"(?<=\.)\s+(?=[A-ZĐ])", line):
                found, intro = _classify(sentence, inherited, node)
                _place(found, self.art.number, self.clause, self.point, self.out)
                if intro is not None and self.headings[level] is None:
                    self.headings[level] = intro

    def _inherited(self, level: str) -> Ref | None:
        order = ("title", "dieu", "khoan", "diem")
        above = order[: order.index(level)]
        return next((self.headings[k] for k in reversed(above) if self.headings[k]), None)

    def _lines(self, text: str) -> Iterator[str]:
        """Lines outside quotes (new wording of amendments is quoted). A numbered line the
        structure parser left in the text (its numbers were taken by quoted clauses) still
        starts a clause or point of this article."""
        for line in text.split("\n"):
            line = line.strip()
            quoted = self.depth > 0 or line.startswith(("“", "”"))
            self.depth = max(0, self.depth + line.count("“") - line.count("”"))
            if not line or quoted:
                continue
            if m := CLAUSE_RE.match(line):
                self.clause, self.point, line = m.group(1), "", m.group(2)
                self.headings["khoan"] = self.headings["diem"] = None
            elif m := POINT_RE.match(line):
                self.point, line = m.group(1), m.group(2)
                self.headings["diem"] = None
            yield line  # the caller reads the location as each line comes


def _place(found: list[Statement], article: str, clause: str, point: str, out: list) -> None:
    for st in found:
        st.article, st.clause, st.point = article, clause, point
        out.append(st)


def _classify(s: str, inherited: Ref | None, node: Node) -> tuple[list[Statement], Ref | None]:
    """Statements of one sentence, and the reference it introduces for its children."""
    if _REPEALED in s:
        return _repeal(s, node), None
    if _OWN_EFFECTIVE.search(s):
        return _own_effective(s), None
    m = _THIS_REPLACES.search(s)
    if m:
        rest = s[m.end() :].rstrip(" :")
        if _LIST_SUBJECT.match(rest[:1].upper() + rest[1:]) and node.children:
            return _listed(node, "replace", s), None  # "… thay thế các luật sau đây:"
        return _with_refs(rest, "replace", s, keep_whole=True), None
    verb, passive = _VERB.match(s), _PASSIVE.search(_blank_refs(s))
    if verb or passive:
        return _instruction(s, inherited, bool((verb or passive)["repeal"]), bool(verb))
    return [], None


# ---------------------------------------------------------------- kinds of sentence


def _instruction(
    s: str, inherited: Ref | None, repeal: bool, active: bool
) -> tuple[list[Statement], Ref | None]:
    """`Bãi bỏ …`, `Sửa đổi, bổ sung … của Luật X …`, `Điều 51 được sửa đổi …`."""
    action = "repeal" if repeal else "amend"
    core = re.split(r"\bnhư sau\b", s, maxsplit=1)[0]
    intro = s.rstrip().endswith(":")
    if find_refs(core):
        found = _with_refs(core, action, s)
        heads = [st.target for st in found if st.target]
        return found, (heads[0] if intro and heads else None)
    if inherited is None:
        return [], None
    if not active:  # "Điều 51 được sửa đổi …": the parts come before the verb
        core = re.split(r"\s(?:được|bị)\s", core, maxsplit=1)[0]
    parts = parse_parts(core)
    if not parts:
        return [], inherited if intro else None
    return [Statement(action, inherited, False, parts, sentence=s)], None


def _blank_refs(s: str) -> str:
    """The sentence with references blanked (their `đã được sửa đổi …` is not a verb)."""
    for start, end, _ in find_refs(s):
        s = s[:start] + " " * (end - start) + s[end:]
    return s


def _with_refs(text: str, action: str, sentence: str, keep_whole: bool = False) -> list:
    """One statement per reference; the words before each name its parts (if any)."""
    out, prev = [], 0
    for start, end, ref in find_refs(text):
        chunk = text[prev:start]
        if ref.amending:  # "… và Luật sửa đổi, bổ sung một số điều của": the ref's own name
            chunk = AMENDING.sub("", chunk)
        chunk = own_chunk(chunk) if prev else chunk
        parts = parse_parts(chunk)
        whole = not parts and not _PARTIAL.search(blank_quotes(chunk))
        if action == "amend" and not keep_whole:
            whole = False
        out.append(Statement(action, ref, whole, parts, sentence=sentence))
        prev = end
    return out


def _repeal(s: str, node: Node) -> list[Statement]:
    """`<texts> hết hiệu lực kể từ …[, trừ …]`."""
    i = s.index(_REPEALED)
    subject, pred = s[:i], s[i + len(_REPEALED) :]
    subject = re.sub(r"^Kể từ ngày[^,]*,\s*", "", subject.strip())
    m = _EXCEPT.search(pred)
    exception = m.group(1).strip() if m else ""
    when = pred[: m.start()] if m else pred
    effective = iso_date(when) if _SINCE.search(when) else None
    if SELF_RE.match(subject) and not find_refs(subject):
        return [Statement("repeal", None, sentence=s, effective=effective)] if effective else []
    if _LIST_SUBJECT.match(subject) and node.children:  # "Các pháp lệnh sau đây …:"
        found = _listed(node, "repeal", s)
    else:
        found = _with_refs(subject, "repeal", s) or _name_only(subject, when, s)
    segments = [exception]
    listed = _LIST_SUBJECT.match(subject) and node.children
    if exception.endswith(":") and not listed:
        segments = [c.text for c in node.children]
        exception = " ".join([exception, *segments])
    for st in found:
        st.effective, st.exception = effective, exception
        _kept(st, segments)
    return found


def _listed(node: Node, action: str, sentence: str) -> list[Statement]:
    """The texts listed in the points under `… các luật sau đây:`, one per point."""
    return [
        Statement(action, ref, sentence=sentence)
        for child in node.children
        for _, _, ref in find_refs(child.text)[:1] or _name_refs(child.text)
    ]


def _name_refs(text: str) -> list[tuple[int, int, Ref]]:
    m = re.match(rf"^({_NORMATIVE})\s+(\S.{{2,150}}?)[;.]?\s*$", text.strip())
    return [(0, len(text), Ref(m.group().strip(" ;."), m.group(1), m.group(2)))] if m else []


def _name_only(subject: str, when: str, sentence: str) -> list[Statement]:
    """`Pháp lệnh về tổ chức và hoạt động hòa giải ở cơ sở hết hiệu lực kể từ ngày Luật này có
    hiệu lực`: named without number or year. A text repeals other normative texts as of its own
    effect, so the date must be this text's (decisions and permits also "hết hiệu lực")."""
    m = re.match(rf"^({_NORMATIVE})\s+(\S.{{2,150}}?)\s*$", subject.strip())
    if not m or SELF_RE.match(subject.strip()) or _PARTIAL.search(subject):
        return []
    if not SELF_RE.search(when):
        return []
    ref = Ref(m.group().strip(), m.group(1), m.group(2))
    return [Statement("repeal", ref, sentence=sentence)]


def _kept(st: Statement, segments: list[str]) -> None:
    """Exceptions that keep parts of the repealed text in force (`trừ Điều 75 của Luật …`).

    An exception about the repealing text's own articles (`… của Luật này`) is a transitional
    case: it is kept as text, and the old law is still out of force.
    """
    number = st.target.number if st.target else ""
    for seg in segments:
        names_target = bool(number) and number in seg
        if not names_target and (SELF_RE.search(seg) or not _KEPT.search(seg)):
            continue
        head = re.split(r"\bcủa\b", seg, maxsplit=1)[0]
        st.kept += [p for p in parse_parts(head) if p not in st.kept]
        u = _UNTIL.search(seg)
        st.until = iso_date(seg[u.start() :]) if u else st.until


def _own_effective(s: str) -> list[Statement]:
    """`Luật này có hiệu lực thi hành từ ngày …`, or `Quy định tại … của Luật này có …`."""
    m = _OWN_EFFECTIVE.search(s)
    head = s[: m.start()]
    parts = parse_parts(head) if re.search(r"\bcủa\s*$|^Quy định", head.strip()) else []
    exc = _EXCEPT.search(s[m.end() :])
    return [
        Statement(
            "effective",
            None,
            whole=not parts,
            parts=parts,
            effective=iso_date(s[m.start() :]),
            exception=exc.group(1).strip() if exc else "",
            sentence=s,
        )
    ]


# ---------------------------------------------------------------- consolidated texts


def _consolidation(doc: Document) -> list[Statement]:
    """`Luật X số … có hiệu lực kể từ …, được sửa đổi, bổ sung bởi: 1. Luật số …`."""
    first = [n.text for n in doc.body[:1]]
    text = "\n".join([doc.summary, *doc.pages[:1], *first])
    m = re.search(r"được sửa đổi,? bổ sung (?:bởi|theo)", text)
    before = text[: m.start()] if m else text
    refs = [r for _, _, r in find_refs(before) if r.number and "VBHN" not in r.number.upper()]
    if not refs:
        return []
    base = refs[-1]
    if m:
        tail = re.split(r"\n(?:Căn cứ|Điều 1\b)", text[m.end() :], maxsplit=1)[0]
        base.amended_by = [r.number for _, _, r in find_refs(tail) if r.number]
    sentence = before.strip().rsplit("\n", 1)[-1][:400]
    return [Statement("consolidates", base, sentence=sentence)]
