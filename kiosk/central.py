"""Centre side of contests, over the central store that `inbox collect` fills.

- rank: verified entries, one per attempt (a retried upload or a double submit ranks once),
  re-scored against the contest when it is given (a tampered score is refused), ordered by
  score, then time used, then closeness of the prediction. Entries from a kiosk revoked as
  compromised are left out (listed under `excluded`), or ranked and marked on request.
- CSV export carries personal data only when the publisher's private sealing key is given,
  and that opening is written to the access log first (kiosk.central_privacy).
- purge: drops the sealed personal data of a contest after its retention period, from the
  database and from every archived batch file.
Questions and opinions: kiosk/central_questions.py; the fleet view: kiosk/central_fleet.py.
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

from kiosk import central_privacy as privacy
from kiosk.contests_rules import epoch, score
from offline_index.errors import LawShelfError
from offline_index.fsutil import atomic_write_text
from offline_index.model import Contest
from sync.central_store import CentralStore

log = logging.getLogger(__name__)


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
    flag: str = ""  # why this entry is doubtful (its kiosk was revoked), "" when fine


@dataclass
class RankReport:
    contest_id: str
    actual: int  # the participation figure the prediction is compared with
    ranked: list[Ranked] = field(default_factory=list)
    duplicates: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)  # (uuid, reason)
    excluded: list[tuple[str, str]] = field(default_factory=list)  # (uuid, why): revoked kiosk


def _entries(store: CentralStore, contest_id: str, contest: Contest | None) -> list[dict]:
    """The contest's entries; an id nobody sent and no content defines is an error."""
    rows = store.contest_entries(contest_id)
    if not rows and contest is None:
        known = ", ".join(store.contest_ids()) or "none yet; run `lawshelf inbox collect`"
        raise CentralError(f"unknown contest {contest_id!r}: no entries collected (known: {known})")
    return rows


def compromised_kiosks(store: CentralStore) -> dict[str, str]:
    """kiosk id -> why its entries are doubtful, for kiosks revoked as compromised."""
    return {
        k["kiosk_id"]: f"kiosk {k['kiosk_id']} revoked as compromised at {k['revoked_at']}"
        for k in store.kiosks()
        if k["revoked_at"] and (k.get("revoked_reason") or "compromised") == "compromised"
    }


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
    store: CentralStore,
    contest_id: str,
    *,
    contest: Contest | None = None,
    actual: int | None = None,
    include_revoked: bool = False,
) -> RankReport:
    """Rank one contest's collected entries (see module docstring for the order)."""
    seen: set[str] = set()
    valid: list[dict] = []
    report = RankReport(contest_id, 0)
    doubtful = compromised_kiosks(store)
    for row in _entries(store, contest_id, contest):
        payload = json.loads(row["payload"])
        reason = check_entry(payload, contest)
        if reason:
            report.refused.append((row["uuid"], reason))
            continue
        if row["kiosk_id"] in doubtful and not include_revoked:
            report.excluded.append((row["uuid"], doubtful[row["kiosk_id"]]))
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
                doubtful.get(r["kiosk_id"], ""),
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
    "flag",
]
PERSONAL_FIELDS = ["name", "birth_year", "ward", "phone"]


def export_csv(
    store: CentralStore,
    report: RankReport,
    path: Path,
    private_key: Any = None,
    *,
    who: str | None = None,
) -> int:
    """Write the ranking; personal columns are filled only with the private sealing key,
    and only after the opening is in the access log."""
    personal: dict[str, dict] = {}
    if private_key is not None:
        rows = [{"uuid": r.uuid, "sealed": r.sealed} for r in report.ranked]
        personal = privacy.open_logged(
            store,
            private_key,
            rows,
            who=privacy.who_am_i(who),
            action="export_csv",
            subject=f"contest {report.contest_id} -> {path}",
        )
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
            "flag": r.flag,
        }
        if r.uuid in personal:
            row.update({k: personal[r.uuid].get(k, "") for k in PERSONAL_FIELDS})
        out.writerow(row)
    # With personal data in clear, only the publisher's account may read the file.
    atomic_write_text(path, buf.getvalue(), mode=0o600 if private_key is not None else None)
    return len(report.ranked)


def purge(
    store: CentralStore,
    contest_id: str,
    *,
    closes: str,
    retention_days: int,
    now: datetime | None = None,
    force: bool = False,
    who: str | None = None,
    inbox: Path | None = None,
) -> int:
    """Delete the sealed personal data of a contest once its retention period has passed:
    from the database (VACUUMed) and every batch file the centre keeps (`inbox` too)."""
    now = now or datetime.now(UTC)
    due = datetime.fromtimestamp(epoch(closes), UTC) + timedelta(days=retention_days)
    if now < due and not force:
        raise CentralError(f"contest {contest_id} keeps personal data until {due.date()}")
    rows = store.contest_entries(contest_id)  # files may hold copies the DB no longer has
    n, files = privacy.purge(
        store,
        "contest_entries",
        rows,
        who=privacy.who_am_i(who),
        subject=f"contest {contest_id}",
        inbox=inbox,
    )
    log.info("contest %s: purged personal data of %d entries, %d files", contest_id, n, files)
    return n
