"""The search index's records, derived from content: one per article (a document's), per page
(a publication's), per public Q&A entry and per notice, grouped in units (the doc_id an
incremental build drops and re-adds together) with a hash of what the index holds of each.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import asdict
from typing import Any

from offline_index.article_titles import part_words
from offline_index.model import Document, QAEntry, year_of
from offline_index.search_types import IndexRecord
from offline_index.snippets import SEARCH_ONLY
from offline_index.source import Content


def article_heading(number: str, title: str) -> str:
    """The line an article's record text opens with, `Điều 4. Sở hữu đất đai`."""
    return f"Điều {number}. {title}"


def record_heading(stored: Mapping[str, object]) -> str:
    """The line a record's text opens with and its result shows as its title: an article's
    heading (when it has a title), a Q&A entry's question; "" otherwise. A snippet starts
    after it (snippets.hit_snippet)."""
    if stored.get("hit_type") == "article" and stored.get("article_title"):
        return article_heading(str(stored.get("article")), str(stored.get("article_title")))
    if stored.get("hit_type") == "qa":
        return str(stored.get("doc_title") or "")
    return ""


def index_units(content: Content) -> dict[str, list[IndexRecord]]:
    """Index records grouped by unit (the doc_id the index can drop and re-add together)."""
    units: dict[str, list[IndexRecord]] = {}
    for rec in index_records(content):
        units.setdefault(rec.doc_id, []).append(rec)
    return units


def unit_hash(records: list[IndexRecord]) -> str:
    """What the index holds of a unit. Validity is left out: search reads it at query time
    from the documents table (offline_index.currency_view.doc_attributes), so a repeal alone
    re-indexes nothing."""
    h = hashlib.sha256()
    for rec in records:
        h.update(json.dumps({**asdict(rec), "validity": ""}, ensure_ascii=False).encode())
    return h.hexdigest()


def index_records(content: Content) -> Iterator[IndexRecord]:
    """Article-level records for documents, page-level for PDFs/publications, plus Q&A/notices."""
    for doc in content.documents.values():
        yield from document_records(doc)
    yield from other_records(content)


def qa_text(q: QAEntry) -> str:
    """A Q&A entry's record text: the question, the answer, then the subject and the fine's
    fields again for search only, after a SEARCH_ONLY line (a hit shows the answer alone)."""
    extra = [x for x in (q.subject, q.fine, q.extra_penalties, q.remedial) if x]
    shown = [x for x in (q.question, q.answer) if x]
    return "\n".join([*shown, SEARCH_ONLY, *extra] if extra else shown)


def other_records(content: Content) -> Iterator[IndexRecord]:
    """Records of everything but documents (which a streaming build indexes as they load)."""
    for pub in content.publications.values():
        yield from publication_records(pub)
    for q in content.qa.values():
        if q.ticket_hash:  # a private answer to one resident's ticket: found by its ticket only
            continue
        yield _record(
            f"qa:{q.id}",
            "qa",
            f"qa:{q.id}",
            "",
            q.question,
            "Hỏi đáp",
            "central",
            "",
            q.fields,
            None,
            None,
            "",
            None,
            qa_text(q),
        )
    for n in content.notices.values():
        yield _record(
            f"notice:{n.id}",
            "notice",
            f"notice:{n.id}",
            "",
            n.title,
            "Thông báo",
            "local",
            "",
            [],
            year_of(n.date),
            None,
            "",
            None,
            "\n".join(x for x in (n.title, n.body, n.place, n.address) if x),
        )


def document_records(doc: Document) -> Iterator[IndexRecord]:
    """One record per Điều (text includes its khoản and điểm); pages when there are no articles."""
    base = (
        doc.id,
        doc.number,
        doc.title,
        doc.kind,
        doc.scope,
        doc.validity,
        doc.fields,
        year_of(doc.issued),
    )
    seen: dict[str, int] = {}
    for art, headings in doc.articles_in_parts():
        n = seen[art.number] = seen.get(art.number, 0) + 1
        key = f"{doc.id}#a{art.number}" + (f"~{n}" if n > 1 else "")
        text = art.full_text()
        record = _record(
            key,
            "article",
            *base,
            art.number,
            art.title,
            None,
            f"{article_heading(art.number, art.title)}\n{text}" if art.title else text,
        )
        record.parts = part_words(headings)
        yield record
    if seen:
        return
    if doc.pages:
        for i, text in enumerate(doc.pages, 1):
            if text.strip():
                yield _record(f"{doc.id}#p{i}", "page", *base, None, "", i, text)
    elif doc.body:
        text = "\n".join(n.full_text() for n in doc.body)
        yield _record(f"{doc.id}#body", "article", *base, None, "", None, text)


def publication_records(pub: Any) -> Iterator[IndexRecord]:
    base = (
        f"pub:{pub.id}",
        "",
        pub.title,
        pub.category,
        "central",
        "in_force",
        pub.fields,
        year_of(pub.published),
    )
    for i, text in enumerate(pub.pages, 1):
        if text.strip():
            yield _record(f"pub:{pub.id}#p{i}", "page", *base, None, "", i, text)
    if pub.transcript or not pub.pages:
        text = "\n".join(x for x in (pub.title, pub.summary, pub.transcript) if x)
        yield _record(f"pub:{pub.id}#t", "page", *base, None, "", None, text)


def _record(
    key: str,
    hit_type: str,
    doc_id: str,
    number: str,
    title: str,
    kind: str,
    scope: str,
    validity: str,
    fields: list[str],
    year: int | None,
    article: str | None,
    article_title: str,
    page: int | None,
    text: str,
) -> IndexRecord:
    return IndexRecord(
        key=key,
        hit_type=hit_type,
        doc_id=doc_id,
        doc_number=number,
        doc_title=title,
        kind=kind,
        scope=scope,
        validity=validity,
        fields=list(fields),
        year=year,
        article=article,
        article_title=article_title,
        page=page,
        text=text,
    )
