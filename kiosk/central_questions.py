"""Centre side of residents' questions and opinions, over the central store.

- list, and open a question's sealed contact to call the resident back (logged first);
- answer: staff's answer goes into the next release keyed by the ticket hash; an earlier
  answer is replaced only when asked, and every citation must name an article (clause,
  point) that exists in the library the answer will be read beside;
- export answers as Q&A content (format v1); staff may also publish one as a public entry;
- purge: contacts of questions and opinions past their retention, everywhere the centre holds them.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from kiosk import central_privacy as privacy
from kiosk.central import CentralError
from offline_index import analysis
from offline_index.errors import LawShelfError
from offline_index.fsutil import atomic_write_text
from offline_index.library import Library
from offline_index.model import Citation, QAEntry
from sync.central_store import CentralStore

log = logging.getLogger(__name__)


def _question_dict(r: dict[str, Any]) -> dict[str, Any]:
    p = json.loads(r["payload"])
    return {
        "uuid": r["uuid"],
        "kiosk_id": r["kiosk_id"],
        "asked_at": p.get("asked_at"),
        "field": p.get("field", ""),
        "text": p.get("text", ""),
        "ticket_hash": p.get("ticket_hash", ""),
        "answered": bool(r["answer"]),
        "answered_at": r["answered_at"],
        "has_contact": bool(r["sealed"]),
    }


def list_questions(store: CentralStore, *, unanswered: bool = False) -> list[dict]:
    out = [_question_dict(r) for r in store.questions()]
    return [q for q in out if not (unanswered and q["answered"])]


def find_question(store: CentralStore, uuid_prefix: str) -> dict[str, Any]:
    """The one question whose id starts with `uuid_prefix` (plain words when none or many)."""
    return _one_by_prefix(list_questions(store), uuid_prefix, "question")


def _one_by_prefix(rows: list[dict[str, Any]], uuid_prefix: str, what: str) -> dict[str, Any]:
    prefix = uuid_prefix.strip().lower()
    matches = [r for r in rows if prefix and r["uuid"].startswith(prefix)]
    if not matches:
        raise CentralError(f"no {what} with an id starting {uuid_prefix!r}")
    if len(matches) > 1:
        raise CentralError(f"{len(matches)} {what}s match {uuid_prefix!r}; give more of the id")
    return matches[0]


def contacts(
    store: CentralStore, private_key: Any, ids: list[str], *, who: str | None = None
) -> dict[str, dict[str, Any]]:
    """question uuid -> its opened contact (logged before opening); questions without one
    are left out."""
    rows = [r for r in (store.question(i) for i in ids) if r]
    subject = "question " + ", ".join(i[:8] for i in ids[:20])
    return privacy.open_logged(
        store, private_key, rows, who=privacy.who_am_i(who), action="open_contact", subject=subject
    )


# ---------------------------------------------------------------- answers


def citation_problem(lib: Library, c: Citation) -> str | None:
    """Why a citation does not point into `lib`, or None when document, article, clause and
    point all exist. The number must be the document's own (loose spacing and case allowed)."""
    doc_id = lib.find_number(c.doc_number)
    doc = lib.document(doc_id) if doc_id else None
    if doc is None or _norm(doc.number) != _norm(c.doc_number):
        return f"{c.doc_number} is not in the library"
    if not c.article:
        return None
    try:
        article = lib.article(doc_id, c.article)
    except LawShelfError:
        return f"{c.doc_number} has no Điều {c.article}"
    children = article.children
    for level, number in (("khoan", c.clause), ("diem", c.point)):
        if not number:
            break
        found = [ch for ch in children if ch.number == number]
        if not found:
            name = "Khoản" if level == "khoan" else "Điểm"
            return f"Điều {c.article} of {c.doc_number} has no {name} {number}"
        children = found[0].children
    return None


def _norm(number: str) -> str:
    return "".join(analysis.fold(number).split())


def check_citations(citations: list[dict], library: Library | None) -> None:
    if not citations:
        return
    if library is None:
        raise CentralError("citations are checked against a library: give one (--library DIR)")
    problems = [p for c in citations if (p := citation_problem(library, Citation(**c))) is not None]
    if problems:
        raise CentralError("citation refused: " + "; ".join(problems))


def answer_question(
    store: CentralStore,
    uuid_prefix: str,
    answer: str,
    *,
    citations: list[dict] | None = None,
    public: bool = False,
    question: str | None = None,
    library: Library | None = None,
    replace: bool = False,
) -> dict[str, Any]:
    """Record staff's answer; it goes into the next release keyed by the ticket hash.

    Returns {"uuid", "replaced": the earlier answer's time or None}."""
    q = find_question(store, uuid_prefix)
    if len(answer.strip()) < 5 or not q["ticket_hash"]:
        raise CentralError("an answer needs text and the question a ticket hash")
    earlier = store.answer(q["uuid"])
    if earlier and not replace:
        raise CentralError(
            f"question {q['uuid'][:8]} was already answered at {earlier['answered_at']}; "
            "pass --replace to publish a new answer instead"
        )
    check_citations(citations or [], library)
    store.save_answer(
        {
            "question_uuid": q["uuid"],
            "ticket_hash": q["ticket_hash"],
            "question": question or q["text"],
            "answer": answer.strip(),
            "fields": json.dumps([q["field"]] if q["field"] else [], ensure_ascii=False),
            "citations": json.dumps(citations or [], ensure_ascii=False),
            "public": int(public),
            "answered_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "replaced": int(bool(earlier)),
        }
    )
    return {"uuid": q["uuid"], "replaced": earlier["answered_at"] if earlier else None}


def export_answers(store: CentralStore, source: Path) -> Path:
    """Write qa/ticket-answers.json into a content source folder for the next publish.

    Each answer is an entry keyed by the ticket hash (found only by its ticket); answers
    marked public are also written as ordinary, searchable Q&A entries without the hash.
    """
    entries = []
    for r in store.answers():
        common = {
            "question": r["question"],
            "answer": r["answer"],
            "fields": json.loads(r["fields"]),
            "citations": json.loads(r["citations"]),
        }
        entries.append(
            {"id": f"ticket-{r['ticket_hash'][:20]}", **common, "ticket_hash": r["ticket_hash"]}
        )
        if r["public"]:
            entries.append({"id": f"hoi-dap-{r['question_uuid'][:8]}", **common})
    for e in entries:
        QAEntry.from_dict(e, "qa/ticket-answers.json")  # validate what we publish
    path = source / "qa" / "ticket-answers.json"
    atomic_write_text(path, json.dumps({"entries": entries}, ensure_ascii=False, indent=1))
    return path


# ---------------------------------------------------------------- opinions and purges


def list_opinions(store: CentralStore) -> list[dict[str, Any]]:
    out = []
    for r in store.opinions():
        p = json.loads(r["payload"])
        out.append(
            {
                "uuid": r["uuid"],
                "kiosk_id": r["kiosk_id"],
                "created_at": r["created_at"],
                "notice_id": p.get("notice_id", ""),
                "text": p.get("text", ""),
                "has_contact": bool(r["sealed"]),
            }
        )
    return out


def purge_contacts(
    store: CentralStore,
    table: str,
    *,
    older_than_days: int | None = None,
    ids: list[str] | None = None,
    who: str | None = None,
    inbox: Path | None = None,
) -> tuple[int, int]:
    """Drop the sealed contacts of questions or opinions collected more than `older_than_days`
    ago (or of the given ids): (records, files)."""
    if (older_than_days is None) == (ids is None):
        raise CentralError("give either an age in days or question ids to purge")
    if ids is not None:
        known = list_questions(store) if table == "questions" else list_opinions(store)
        rows = [_one_by_prefix(known, i, table.rstrip("s")) for i in ids]
        subject = f"{table} " + ", ".join(r["uuid"][:8] for r in rows)
    else:
        cutoff = datetime.now(UTC) - timedelta(days=older_than_days or 0)
        rows = store.personal_rows(table, older_than=cutoff.isoformat(timespec="seconds"))
        subject = f"{table} collected before {cutoff.date()}"
    return privacy.purge(
        store, table, rows, who=privacy.who_am_i(who), subject=subject, inbox=inbox
    )
