"""A citation on a screen (a Q&A answer's basis, a notice's law, a contest answer's text):
its words, naming the law as the library names it, and the reader opened where it points."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from offline_index.model import doc_id_for
from ui.i18n import tr

if TYPE_CHECKING:
    from offline_index.library import Library
    from offline_index.model import Citation
    from ui.shell import Shell


def citation_text(c: Citation, names: Mapping[str, str] | None = None) -> str:
    """`Điều 7 Luật Trợ giúp pháp lý 11/2017/QH14`: where in the text, then which text, named
    as the library names it (`names`: cited_names); the number alone for a text it lacks.
    Written as laws and answers cite (`điểm c khoản 7 Điều 7`): only Điều takes a capital."""
    parts = [
        tr("điểm {p}").format(p=c.point) if c.point else "",
        tr("khoản {k}").format(k=c.clause) if c.clause else "",
        tr("Điều {n}").format(n=c.article) if c.article else "",
        (names or {}).get(c.doc_number) or c.doc_number,
    ]
    return " ".join(p for p in parts if p)


def cited_names(lib: Library, citations: Iterable[Citation]) -> dict[str, str]:
    """On the library thread: the name of each cited text this library holds, by its number
    as cited (one primary-key read per text), for citation_text on the GUI thread."""
    numbers = dict.fromkeys(c.doc_number for c in citations)
    return {n: name for n in numbers if (name := lib.document_name(n))}


def open_citation(shell: Shell, c: Citation) -> None:
    """Open the reader where a citation points (`điểm c khoản 7 Điều 7 Nghị định 168/2024`):
    at its article and clause, the point marked. Q&A answers and contest questions cite so."""
    shell.navigate(
        "reader",
        doc_id=doc_id_for(c.doc_number),
        article=c.article or None,
        clause=c.clause,
        point=c.point,
        number=c.doc_number,
    )
