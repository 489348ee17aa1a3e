"""What the reader says of a text's currency, in words: per article, the sentence saying it
was repealed or amended and by which text, and the one tap that opens that text.

Plain functions of a DocumentView, no widgets: the reader (reader.py) shows what they say.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from ui.i18n import N_, day, tr
from ui.render import amended_articles

if TYPE_CHECKING:
    from offline_index.document_view import DocumentView, Source


_ARTICLE_NOTES = {
    ("repealed", True): N_("Điều này hết hiệu lực từ {d}, theo {cite}."),
    ("partly_repealed", True): N_("Một phần Điều này hết hiệu lực từ {d}, theo {cite}."),
    ("amended", True): N_("Điều này được sửa đổi, bổ sung từ {d}, theo {cite}."),
    ("repealed", False): N_("Điều này sẽ hết hiệu lực từ {d}, theo {cite}."),
    ("partly_repealed", False): N_("Một phần Điều này sẽ hết hiệu lực từ {d}, theo {cite}."),
    ("amended", False): N_("Điều này sẽ được sửa đổi, bổ sung từ {d}, theo {cite}."),
}
Target = tuple[str, dict[str, str | None]]  # ("open", doc_id/article/label) | ("search", ...)


class Note(NamedTuple):
    """What the reader says under an article's title, the tap it offers, and whether it
    says the article still applies (shown calm) rather than that it changed (a warning)."""

    text: str
    target: Target | None = None
    in_force: bool = False


NO_NOTE = Note("")


def open_target(source: Source) -> Target:
    """Open the text that says so, at its article: `Mở Điều 217 Luật Doanh nghiệp 59/2020/QH14`."""
    label = tr("Mở Điều {a} {doc}").format(a=source.article, doc=source.document)
    return ("open", {"doc_id": source.doc_id, "article": source.article, "label": label})


def currency_target(doc: DocumentView) -> Target | None:
    source = doc.currency.source if doc.currency else None
    return open_target(source) if source and source.article else None


def relation_targets(doc: DocumentView) -> list[Target]:
    """The replacing texts the publisher named, each its own tap: open it when held, else
    search by its number. A road law of 2008 was replaced by two laws of 2024 (the roads, and
    traffic order and safety); offering only the first sent a resident reading its overtaking
    article to the wrong one."""
    if doc.in_force:
        return []
    targets: list[Target] = []
    for r in doc.relations:
        if r.type != "replaced_by" or not (r.target_doc_id or r.target):
            continue
        if r.target_doc_id:
            label = tr("Xem văn bản thay thế: {n}").format(n=r.target)
            targets.append(("open", {"doc_id": r.target_doc_id, "article": None, "label": label}))
        else:  # not in this library: search by its number (a publication, a newer library)
            label = tr("Tìm văn bản thay thế: {n}").format(n=r.target)
            targets.append(("search", {"query": r.target, "label": label}))
    return targets


def article_notes(doc: DocumentView) -> dict[str, Note]:
    """Per article: the sentence saying it was repealed or amended (and by which text, read
    from the texts), with the tap that opens that text; else the publisher's amendments."""
    notes: dict[str, Note] = {
        art: Note(tr("Điều này đã được sửa đổi, bổ sung bởi {by}.").format(by=by))
        for art, by in amended_articles(doc).items()
    }
    for art, st in doc.article_status.items():
        if st.source:
            text = tr(_ARTICLE_NOTES[(st.state, st.applied)])
            notes[art] = Note(
                text.format(d=day(st.since), cite=st.source.cite), open_target(st.source)
            )
    kept = doc.currency.kept if doc.currency else ()
    until = doc.currency.until if doc.currency else None
    for art in kept:
        text = tr("Điều này còn hiệu lực đến {d}.").format(d=day(until)) if until else ""
        notes[art] = Note(text or tr("Điều này còn hiệu lực."), None, in_force=True)
    return notes


def unnamed_note(doc: DocumentView, article: str) -> Note:
    """The note of an article the texts say nothing about: that it still applies, when a text
    replacing part of the document lists what it repeals and does not name this article
    (Nghị định 100/2019's railway articles under 168/2024 Điều 52); else none."""
    if not doc.unnamed_in_force or article in doc.article_status:
        return NO_NOTE
    return Note(tr("Điều này còn hiệu lực."), None, in_force=True)
