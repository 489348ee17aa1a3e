"""Centre side of contests and questions, over the central SQLite that `inbox collect` fills.

- rank: verified entries, one per attempt (a retried upload or a double submit ranks once),
  re-scored against the contest when it is given (a tampered score is refused), ordered by
  score, then time used, then closeness of the prediction.
- CSV export carries personal data only when the publisher's private sealing key is given.
- purge: drops the sealed personal data of a contest after its retention period.
- questions: list, answer, and export answers as Q&A content (format v1) for the next
  release, keyed by the ticket hash; staff may also publish an answer as a public entry.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlite_utils

from kiosk.contests_rules import epoch, score
from offline_index.errors import LawShelfError
from offline_index.fsutil import atomic_write_text
from offline_index.model import Contest, QAEntry

log = logging.getLogger(__name__)

ANSWERS_TABLE = """CREATE TABLE IF NOT EXISTS question_answers (
    question_uuid TEXT PRIMARY KEY, ticket_hash TEXT NOT NULL, question TEXT NOT NULL,
    answer TEXT NOT NULL, fields TEXT NOT NULL, citations TEXT NOT NULL,
    public INTEGER NOT NULL DEFAULT 0, answered_at TEXT NOT NULL)"""


class CentralError(LawShelfError):
    message_vi = "Lỗi xử lý dữ liệu tại trung tâm."


@dataclass
class Ranked:
    rank: int
    uuid: str
    kiosk_id: str
    created_at: str
    payload: dict
    sealed: str | None
    closeness: int | None


@dataclass
class RankReport:
    contest_id: str
    actual: int  # the participation figure the prediction is compared with
    ranked: list[Ranked] = field(default_factory=list)
    duplicates: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)  # (uuid, reason)


def _entries(db: sqlite_utils.Database, contest_id: str) -> list[dict]:
    if "contest_entries" not in db.table_names():
        raise CentralError(f"{db.conn} has no contest_entries; run `lawshelf inbox collect` first")
    return list(
        db.query(
            "SELECT * FROM contest_entries WHERE contest_id = ? ORDER BY created_at, uuid",
            [contest_id],
        )
    )


def check_entry(payload: dict, contest: Contest | None) -> str | None:
    """Why an entry can't be ranked, or None. Re-scores against the contest when given."""
    answers = payload.get("answers")
    drawn = payload.get("questions")
    if not isinstance(answers, list) or not isinstance(drawn, list) or not drawn:
        return "malformed entry"
    if not all(isinstance(a, dict) and a.get("question_id") in drawn for a in answers):
        return "answer to a question that was not drawn"
    if not isinstance(payload.get("correct"), int) or not 0 <= payload["correct"] <= len(drawn):
        return "impossible score"
    if contest is None:
        return None
    bank = {q.id: q for q in contest.questions}
    if any(qid not in bank for qid in drawn) or len(drawn) != contest.draw:
        return "questions not from this contest's bank"
    chosen = {a["question_id"]: a.get("choice_id") for a in answers}
    questions = [bank[qid] for qid in drawn]
    result = score(
        questions,
        {i: chosen[q.id] for i, q in enumerate(questions) if q.id in chosen},
        contest.pass_mark,
    )
    if (result.correct, result.passed) != (payload["correct"], payload.get("passed")):
        return f"score does not match the answers ({payload['correct']} claimed, {result.correct})"
    if not 0 <= float(payload.get("time_used_s", -1)) <= contest.time_limit_s + 1:
        return "time used outside the time limit"
    return None


def rank(
    db: sqlite_utils.Database,
    contest_id: str,
    *,
    contest: Contest | None = None,
    actual: int | None = None,
) -> RankReport:
    """Rank one contest's collected entries (see module docstring for the order)."""
    seen: set[str] = set()
    valid: list[dict] = []
    report = RankReport(contest_id, 0)
    for row in _entries(db, contest_id):
        payload = json.loads(row["payload"])
        reason = check_entry(payload, contest)
        if reason:
            report.refused.append((row["uuid"], reason))
            continue
        if payload["attempt_id"] in seen:
            report.duplicates += 1
            continue
        seen.add(payload["attempt_id"])
        valid.append({**row, "payload": payload})
    report.actual = actual if actual is not None else len(valid)

    def closeness(p: dict) -> int | None:
        return (
            abs(p["prediction"] - report.actual) if isinstance(p.get("prediction"), int) else None
        )

    def key(r: dict) -> tuple:
        p = r["payload"]
        c = closeness(p)
        return (-p["correct"], float(p["time_used_s"]), c is None, c or 0, r["created_at"])

    for i, r in enumerate(sorted(valid, key=key), 1):
        report.ranked.append(
            Ranked(
                i,
                r["uuid"],
                r["kiosk_id"],
                r["created_at"],
                r["payload"],
                r["sealed"],
                closeness(r["payload"]),
            )
        )
    return report


CSV_FIELDS = [
    "rank",
    "entry",
    "kiosk",
    "correct",
    "total",
    "passed",
    "time_used_s",
    "prediction",
    "closeness",
    "submitted_at",
]
PERSONAL_FIELDS = ["name", "birth_year", "ward", "phone"]


def export_csv(report: RankReport, path: Path, private_key: Any = None) -> int:
    """Write the ranking; personal columns are filled only with the private sealing key."""
    from sync.sealing import open_sealed  # noqa: PLC0415 - centre-only dependency

    fields = CSV_FIELDS + (PERSONAL_FIELDS if private_key is not None else [])
    buf = io.StringIO(newline="")
    out = csv.DictWriter(buf, fieldnames=fields)
    out.writeheader()
    for r in report.ranked:
        p = r.payload
        row = {
            "rank": r.rank,
            "entry": r.uuid,
            "kiosk": r.kiosk_id,
            "correct": p["correct"],
            "total": p["total"],
            "passed": p.get("passed"),
            "time_used_s": p["time_used_s"],
            "prediction": p.get("prediction"),
            "closeness": r.closeness,
            "submitted_at": p.get("submitted_at", r.created_at),
        }
        if private_key is not None and r.sealed:
            personal = open_sealed(private_key, r.sealed, record_id=r.uuid)
            row.update({k: personal.get(k, "") for k in PERSONAL_FIELDS})
        out.writerow(row)
    # With personal data in clear, only the publisher's account may read the file.
    atomic_write_text(path, buf.getvalue(), mode=0o600 if private_key is not None else None)
    return len(report.ranked)


def purge(
    db: sqlite_utils.Database,
    contest_id: str,
    *,
    closes: str,
    retention_days: int,
    now: datetime | None = None,
    force: bool = False,
) -> int:
    """Delete the sealed personal data of a contest once its retention period has passed."""
    now = now or datetime.now(UTC)
    due = datetime.fromtimestamp(epoch(closes), UTC) + timedelta(days=retention_days)
    if now < due and not force:
        raise CentralError(f"contest {contest_id} keeps personal data until {due.date()}")
    with db.atomic():
        n = db.execute(
            "UPDATE contest_entries SET sealed = NULL WHERE contest_id = ? AND sealed IS NOT NULL",
            [contest_id],
        ).rowcount
    db.execute("VACUUM")  # the deleted blobs leave the file, not just the table
    log.info("contest %s: purged personal data of %d entries", contest_id, n)
    return n


# ---------------------------------------------------------------- questions


def _ensure(db: sqlite_utils.Database) -> None:
    db.execute(ANSWERS_TABLE)
    if "questions" not in db.table_names():
        raise CentralError("no questions collected; run `lawshelf inbox collect` first")


def list_questions(db: sqlite_utils.Database, *, unanswered: bool = False) -> list[dict]:
    _ensure(db)
    rows = db.query(
        "SELECT q.uuid, q.kiosk_id, q.created_at, q.payload, a.answer FROM questions q"
        " LEFT JOIN question_answers a ON a.question_uuid = q.uuid ORDER BY"
        " q.created_at, q.uuid"
    )
    out = []
    for r in rows:
        if unanswered and r["answer"]:
            continue
        p = json.loads(r["payload"])
        out.append(
            {
                "uuid": r["uuid"],
                "kiosk_id": r["kiosk_id"],
                "asked_at": p.get("asked_at"),
                "field": p.get("field", ""),
                "text": p.get("text", ""),
                "ticket_hash": p.get("ticket_hash", ""),
                "answered": bool(r["answer"]),
            }
        )
    return out


def answer_question(
    db: sqlite_utils.Database,
    uuid_prefix: str,
    answer: str,
    *,
    citations: list[dict] | None = None,
    public: bool = False,
    question: str | None = None,
) -> str:
    """Record staff's answer; it goes into the next release keyed by the ticket hash."""
    _ensure(db)
    matches = [q for q in list_questions(db) if q["uuid"].startswith(uuid_prefix)]
    if len(matches) != 1:
        raise CentralError(f"{len(matches)} questions match {uuid_prefix!r}; give more of the id")
    q = matches[0]
    if len(answer.strip()) < 5 or not q["ticket_hash"]:
        raise CentralError("an answer needs text and the question a ticket hash")
    with db.atomic():
        db["question_answers"].upsert(
            {
                "question_uuid": q["uuid"],
                "ticket_hash": q["ticket_hash"],
                "question": question or q["text"],
                "answer": answer.strip(),
                "fields": json.dumps([q["field"]] if q["field"] else [], ensure_ascii=False),
                "citations": json.dumps(citations or [], ensure_ascii=False),
                "public": int(public),
                "answered_at": datetime.now(UTC).isoformat(timespec="seconds"),
            },
            pk="question_uuid",
        )
    return q["uuid"]


def export_answers(db: sqlite_utils.Database, source: Path) -> Path:
    """Write qa/ticket-answers.json into a content source folder for the next publish.

    Each answer is an entry keyed by the ticket hash (found only by its ticket); answers
    marked public are also written as ordinary, searchable Q&A entries without the hash.
    """
    _ensure(db)
    entries = []
    for r in db.query("SELECT * FROM question_answers ORDER BY answered_at, question_uuid"):
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
