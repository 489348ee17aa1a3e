"""Pure-Python rendering of documents to the reader's HTML, with search terms highlighted.

Kept free of Qt so it runs on the library thread (building HTML for a 700-article code
must not cost the GUI thread) and is easy to test.
"""

from __future__ import annotations

import html
import unicodedata
from dataclasses import dataclass, field, replace

from offline_index.analysis import analyse_query, fold_aligned, syllables
from offline_index.document_view import PART_VI, DocumentView, TextNode, part_path
from offline_index.marking import Marks, as_marks

STRUCT_LEVELS = tuple(PART_VI)


def terms_of(query: str) -> list[str]:
    """The query's syllables folded as the search folds them, less the function words the
    search leaves out (`có`, `được`, a closing `không`): a question's article is not marked
    at every `có` of the law, as its snippet is not. Numbers stay (`100/2019`)."""
    words = _shown(query)
    content = (
        {folded for run in analyse_query(query).typed for folded, _ in run} if words else set()
    )
    return sorted((w for w in words if w in content or w.isdigit()), key=len, reverse=True)


def _shown(text: str) -> set[str]:
    """Folded syllables worth a mark: single letters and digits alone are noise."""
    return {w for w in syllables(text or "") if len(w) >= 2}


def marks_of(query: str, law: str = "") -> Marks:
    """What the reader marks for a search: its syllables, a syllable typed with diacritics
    only as typed, and the `law` words the search added for everyday words (with the
    readings it meant; `của` of `hiệu lệnh của đèn` too) only beside another marked word
    (offline_index/marking.py)."""
    typed = terms_of(query)
    added = _shown(law) - set(typed)
    return Marks.of([*typed, *added], f"{query} {law}", joined=added)


def highlight(text: str, terms: Marks | list[str]) -> str:
    """HTML-escape `text` (made NFC) and wrap whole-word matches of the terms in <mark>."""
    text = unicodedata.normalize("NFC", text)
    marks = as_marks(terms)
    if not marks.words:
        return html.escape(text)
    out, pos = [], 0
    for start, end, _ in marks.spans(text, fold_aligned(text)):
        out.append(html.escape(text[pos:start]))
        out.append("<mark>" + html.escape(text[start:end]) + "</mark>")
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)


@dataclass
class Section:
    """One readable unit: an article (Điều), or a page when the text has no articles."""

    key: str  # article number or "p<N>"
    label: str  # "Điều 5. Title" / "Trang 3"
    chapter: str  # the Chương/Phần heading it sits under ("" if none)
    node: TextNode | None = None
    page_text: str = ""


@dataclass
class Outline:
    sections: list[Section] = field(default_factory=list)

    def index_of(self, key: str | None) -> int:
        if key:
            for i, s in enumerate(self.sections):
                if s.key == str(key):
                    return i
        return 0


def outline(doc: DocumentView) -> Outline:
    """Sections of a document in reading order, with their chapter headings for the TOC."""
    out = Outline()

    def walk(nodes: tuple[TextNode, ...], parts: list, path: str) -> None:
        for n in nodes:
            if n.level == "dieu":
                label = f"Điều {n.number}" + (f". {n.title}" if n.title else "")
                out.sections.append(Section(str(n.number), label, path, node=n))
            elif n.level in STRUCT_LEVELS:  # its path is read once, not once per article
                inner = [*parts, (n.level, n.number, n.title)]
                walk(n.children, inner, part_path(inner))
            else:
                walk(n.children, parts, path)

    walk(doc.tree, [], "")
    if not out.sections:
        for i, text in enumerate(doc.pages, start=1):
            out.sections.append(Section(f"p{i}", f"Trang {i}", "", page_text=text))
    return out


def amended_articles(doc: DocumentView) -> dict[str, str]:
    """Article number -> number of the document that amended it."""
    out: dict[str, str] = {}
    for rel in doc.relations:
        if rel.type == "amended_by":
            for art in rel.articles:
                out[str(art)] = rel.target
    return out


Cited = tuple[str, str]  # (khoản, điểm) a citation names; điểm "" for the whole clause


def section_html(
    section: Section,
    terms: Marks | list[str],
    amended_by: str | None,
    labels: dict[str, str],
    cited: Cited | None = None,
    in_force: bool = False,
) -> str:
    """HTML of one section. `labels` carries translated words ("amended", "Clause"); the
    lines of the clause or point a citation names are shown `cited` (`điểm c khoản 7`).
    An `in_force` note says the article still applies: shown calm, not as a warning."""
    terms = as_marks(terms)
    parts = []
    if section.chapter:
        parts.append(f"<p><i>{html.escape(section.chapter)}</i></p>")
    parts.append(f"<h2>{highlight(section.label, terms)}</h2>")
    if amended_by:
        text = html.escape(labels["amended"].format(by=amended_by))
        kind, sign = ("in_force", "✓") if in_force else ("amended", "⚠")
        parts.append(f'<p class="{kind}">{sign} {text}</p>')
    if section.node is not None:
        parts.append(_node_body(section.node, terms, cited=cited))
    else:
        for para in section.page_text.split("\n"):
            if para.strip():
                parts.append(f"<p>{highlight(para, terms)}</p>")
    return "\n".join(parts)


def _node_body(node: TextNode, terms: Marks, depth: int = 0, cited: Cited | None = None) -> str:
    parts = []
    for para in (node.text or "").split("\n"):
        if para.strip():
            parts.append(f"<p>{highlight(para, terms)}</p>")
    for child in node.children:
        lead = ""
        if child.level == "khoan":
            lead = f"{child.number}. "
        elif child.level == "diem":
            lead = f"{child.number}) "
        inner = cited if child.level == "khoan" and cited and cited[0] == child.number else None
        named = bool(inner and not inner[1]) or (
            child.level == "diem" and bool(cited and cited[1] == child.number)
        )
        style = f'style="margin-left:{1.2 * (depth + 1)}em"' + (' class="cited"' if named else "")
        name = html.escape(clause_anchor(child.number), quote=True)
        anchor = f'<a name="{name}"></a>' if child.level == "khoan" else ""
        text = (child.text or "").split("\n")
        parts.append(f"<p {style}>{anchor}{html.escape(lead)}{highlight(text[0], terms)}</p>")
        parts += [f"<p {style}>{highlight(p, terms)}</p>" for p in text[1:] if p.strip()]
        if child.children:
            parts.append(_node_body(replace(child, text=""), terms, depth + 1, inner))
    return "\n".join(parts)


def clause_anchor(number: str | None) -> str:
    """The name of a clause's anchor in section_html: the reader opens an article there."""
    return f"khoan-{number}"


def clause_onward(section: Section, clause: str | None) -> Section:
    """The section from one of its clauses (khoản) on, its label kept: what reading aloud and
    printing give when the reader was opened at a clause. The whole section when the clause
    is not one of its own."""
    node = section.node
    if not clause or node is None:
        return section
    at = next(
        (i for i, c in enumerate(node.children) if c.level == "khoan" and c.number == clause),
        None,
    )
    if at is None:
        return section
    return replace(section, node=replace(node, text="", children=node.children[at:]))


def plain_text(section: Section, from_clause: str | None = None) -> str:
    """Text for reading aloud and printing; from a clause on (after the article's label) when
    the reader was opened there: a resident who asked about clause 7 hears clause 7 first."""
    if section.node is None:
        return section.page_text
    section = clause_onward(section, from_clause)
    lines = [section.label]

    def walk(node: TextNode) -> None:
        if node.text:
            lines.append(node.text)
        for child in node.children:
            lead = {"khoan": f"{child.number}. ", "diem": f"{child.number}) "}.get(child.level, "")
            lines.append(lead + (child.text or ""))
            walk(replace(child, text=""))

    walk(section.node)
    return "\n".join(x for x in lines if x.strip())
