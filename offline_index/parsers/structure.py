"""The body parser: Phần / Chương / Mục / Điều / Khoản / Điểm from plain lines.

Vietnamese legal texts mark structure at the start of a line, so one pass over
the lines with a stack of open nodes is enough. The rules are deliberately
narrow (see docs/parsing.md) because a false article is worse for a resident
than a long one: `Điều N.` at the start of a line is ALWAYS an article; a bare
`Điều N` (old laws) only when it continues the numbering.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from offline_index.model import Node

# "Điều 12." / "Điều 12:" / "Điều 12a." — always an article (the rule).
ARTICLE_RE = re.compile(r"^Điều\s+(\d+[a-zđ]?)\s*[.:]\s*(.*)$")
# "Điều 41" alone, or "Điều 5 Chính sách ..." (no full stop; some old laws).
BARE_ARTICLE_RE = re.compile(r"^Điều\s+(\d+[a-zđ]?)(?:\s*$|\s+(?=[A-ZĐÀ-Ỹ])(.*)$)")
PART_RE = re.compile(r"^(?:PHẦN|Phần)\s+(THỨ\s+\S+|thứ\s+\S+|[IVXLC]+|\d+)\b[.:]?\s*(.*)$")
CHAPTER_RE = re.compile(r"^(?:Chương|CHƯƠNG)\s+([IVXLC]+|\d+)\b[.:]?\s*(.*)$")
SECTION_RE = re.compile(r"^(?:Mục|MỤC)\s+(\d+|[IVXLC]+)\b\s*(?:[.:]\s*(.*)|$|(?=[A-ZĐÀ-Ỹ])(.*))$")
SUBSECTION_RE = re.compile(r"^(?:Tiểu mục|TIỂU MỤC)\s+(\d+)\b[.:]?\s*(.*)$")
CLAUSE_RE = re.compile(r"^(\d{1,3})\.(?!\d)\s*(.*)$")
# Only letters of the Vietnamese alphabet name points: an `f)` (in OCR text) is text, not a point.
POINT_RE = re.compile(r"^([abcdđeghiklmnopqrstuvxy])\)\s*(.*)$")
# The closing formula ends the body: "Luật này đã được Quốc hội ... thông qua ngày ...".
CLOSING_RE = re.compile(
    r"^(?:Luật|Bộ luật|Hiến pháp|Pháp lệnh|Nghị quyết) này (?:đã )?được .*thông qua", re.I
)

POINT_ORDER = "abcdđeghiklmnopqrstuvxy"
RANK = {"phan": 0, "chuong": 1, "muc": 2, "tieu_muc": 3, "dieu": 4, "khoan": 5, "diem": 6}


@dataclass
class Body:
    """Result of the structural pass: tree plus what came before and after it."""

    nodes: list[Node] = field(default_factory=list)
    preamble: list[str] = field(default_factory=list)
    closing: list[str] = field(default_factory=list)


def _number_value(number: str) -> int:
    digits = re.match(r"\d+", number)
    return int(digits.group()) if digits else -1


def _is_heading_text(line: str) -> bool:
    """A title line under Phần/Chương/Mục: not itself structure, mostly upper case."""
    if not line or any(r.match(line) for r in (ARTICLE_RE, CHAPTER_RE, SECTION_RE, PART_RE)):
        return False
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.6 * len(letters)


class _Builder:
    """Keeps the stack of open nodes while lines stream in."""

    def __init__(self) -> None:
        self.body = Body()
        self.stack: list[Node] = []
        self.last_article = 0
        self.want_title: Node | None = None

    def open(self, node: Node) -> None:
        while self.stack and RANK[self.stack[-1].level] >= RANK[node.level]:
            self.stack.pop()
        (self.stack[-1].children if self.stack else self.body.nodes).append(node)
        self.stack.append(node)
        self.want_title = node if node.level in ("phan", "chuong", "muc", "tieu_muc") else None

    def current(self, level: str) -> Node | None:
        for node in reversed(self.stack):
            if node.level == level:
                return node
            if RANK[node.level] < RANK[level]:
                return None
        return None

    def add_text(self, line: str) -> None:
        if not self.stack:
            self.body.preamble.append(line)
            return
        top = self.stack[-1]
        top.text = f"{top.text}\n{line}" if top.text else line

    def feed(self, line: str) -> None:
        if self.want_title is not None:
            node, self.want_title = self.want_title, None
            if not node.title and _is_heading_text(line):
                node.title = line
                return
        if self._structure(line):
            return
        if self._clause_or_point(line):
            return
        self.add_text(line)

    def _structure(self, line: str) -> bool:
        m = ARTICLE_RE.match(line)
        if m is None:
            m = BARE_ARTICLE_RE.match(line)
            if m is None or (
                self.last_article and _number_value(m.group(1)) != self.last_article + 1
            ):
                m = None
        if m:
            self.last_article = _number_value(m.group(1))
            self.open(Node("dieu", m.group(1), (m.group(2) or "").strip()))
            return True
        for regex, level in (
            (PART_RE, "phan"),
            (CHAPTER_RE, "chuong"),
            (SUBSECTION_RE, "tieu_muc"),
            (SECTION_RE, "muc"),
        ):
            m = regex.match(line)
            if m:
                title = next((g for g in m.groups()[1:] if g), "").strip()
                if title[
                    :1
                ].islower():  # "Chương XX của Bộ luật …": a wrapped sentence, not a heading
                    return False
                self.open(Node(level, m.group(1).strip(), title))
                return True
        return False

    def _clause_or_point(self, line: str) -> bool:
        article = self.current("dieu")
        if article is None:
            return False
        m = CLAUSE_RE.match(line)
        if m:
            clauses = [c for c in article.children if c.level == "khoan"]
            last = int(clauses[-1].number) if clauses else 0
            # Next number, or one further when the source merged two clauses on one line.
            # A first clause may start at 2 or 3 when the source lost the "1." line.
            if last < int(m.group(1)) <= last + (3 if last == 0 else 2):
                self.open(Node("khoan", m.group(1), text=m.group(2).strip()))
                return True
            return False
        m = POINT_RE.match(line)
        if m:
            parent = self.current("khoan") or article
            points = [c for c in parent.children if c.level == "diem"]
            last = POINT_ORDER.index(points[-1].number) if points else -1
            # Next letter, or a little further when the source merged points on one line.
            # A first point may start late when the source lost the lines before it.
            if last < POINT_ORDER.index(m.group(1)) <= last + (6 if last < 0 else 3):
                self.open(Node("diem", m.group(1), text=m.group(2).strip()))
                return True
        return False


def parse_body(lines: list[str]) -> Body:
    """Build the tree from cleaned, NFC, non-empty lines."""
    builder = _Builder()
    for i, line in enumerate(lines):
        if builder.last_article and CLOSING_RE.match(line):
            builder.body.closing = lines[i:]
            break
        builder.feed(line)
    return builder.body
