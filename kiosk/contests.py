"""The contest engine: draw, timing, answers, scoring, resume, submit (Qt-free).

Rules that matter (see docs/contests.md):
- A draw is reproducible from its recorded seed; the drawn questions are snapshotted into
  the attempt, so a sync that replaces or withdraws the contest cannot break it.
- Every answer is committed in its own transaction as it is given.
- Personal data never touches the disk in clear: the participant is matched by a keyed
  hash (key in HOME/keys) and the form data is sealed into the outbox at submission.
- Time is honest: inside one boot the boot-time clock counts (wall-clock jumps change
  nothing); across a reboot the wall clock must not have gone backwards since the last
  checkpoint, and the time since boot is a lower bound. No rule ever grants extra time.
- An abandoned attempt is wiped (secure_delete), never submitted.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import secrets
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from kiosk.contests_rules import (  # noqa: F401 - re-exported: the public contest API
    CONSENT_VERSION,
    SYSTEM_CLOCK,
    VN_OFFSET,
    AttemptGone,
    AttemptLimitReached,
    Clock,
    ContestClosed,
    ContestError,
    ContestNotOpen,
    Participant,
    ParticipantInvalid,
    Result,
    ResultRow,
    TimeUp,
    consent_text,
    consent_text_en,
    contest_state,
    draw_questions,
    epoch,
    person_hash,
    question_from_dict,
    question_to_dict,
    score,
    trusted_now,
    validate_participant,
    vn_clock,
    vn_time,
)
from kiosk.questions import sealing_problem
from offline_index.errors import LawShelfError
from offline_index.home import contest_media_dir
from offline_index.migrations import writing
from offline_index.model import Contest, ContestQuestion

log = logging.getLogger(__name__)

SUBMIT_GRACE_S = 120  # after time is up, answers are frozen but submit stays possible this long


@dataclass
class Attempt:
    """An attempt in progress, rebuilt from the state DB (snapshot) and memory."""

    id: str
    contest_id: str
    title: str
    seed: int
    questions: list[ContestQuestion]
    time_limit_s: int
    pass_mark: int
    prediction_question: str
    closes: str
    media_dir: Path | None
    consent: str
    answers: dict[int, str] = field(default_factory=dict)
    prediction: int | None = None
    resumed: bool = False

    def image_path(self, index: int) -> Path | None:
        """The question's image, hard-linked into the attempt so a sync can't remove it."""
        name = self.questions[index].image
        if not name or self.media_dir is None:
            return None
        path = self.media_dir / _flat(name)
        return path if path.exists() else None


def _flat(name: str) -> str:
    return name.replace("/", "__")


def _link_media(
    home: Path,
    attempt_id: str,
    questions: list[ContestQuestion],
    files: Callable[[str], Path] | None,
) -> Path | None:
    if files is None or not any(q.image for q in questions):
        return None
    folder = contest_media_dir(home) / attempt_id
    folder.mkdir(parents=True, exist_ok=True)
    for q in questions:
        dest = folder / _flat(q.image)
        if not q.image or dest.exists():  # no image, or shared with another drawn question
            continue
        try:
            src = files(q.image)
            try:
                os.link(src, dest)
            except OSError:  # another file system: copy
                shutil.copyfile(src, dest)
        except (OSError, LawShelfError) as exc:
            log.warning("contest image %s unavailable: %s", q.image, exc)
    return folder


# ---------------------------------------------------------------- timing


def _used(row: dict, clock: Clock) -> float | None:
    """Seconds used so far, or None when time can't be established honestly.

    Same boot: the boot-time clock, immune to wall-clock jumps. After a reboot: the wall
    clock since the last checkpoint, at least the time since boot; a wall clock that went
    backwards would grant time, so the attempt is then void.
    """
    if row["boot_id"] == clock.boot_id():
        return max(clock.boot() - row["started_boot"], row["used_s"])
    wall_delta = clock.wall() - row["last_wall"]
    if wall_delta < 0:
        return None
    return row["used_s"] + max(wall_delta, clock.boot())


def _row(db: sqlite_utils.Database, attempt_id: str) -> dict:
    rows = list(db.query("SELECT * FROM contest_attempts WHERE id = ?", [attempt_id]))
    if not rows:
        raise AttemptGone(f"attempt {attempt_id} no longer exists")
    return rows[0]


def _checkpoint(db: sqlite_utils.Database, attempt_id: str, used: float, clock: Clock) -> None:
    """Re-anchor the attempt on this boot so later readings use this boot's clock."""
    db.execute(
        "UPDATE contest_attempts SET boot_id = ?, started_boot = ?, last_wall = ?, used_s = ?"
        " WHERE id = ?",
        [clock.boot_id(), clock.boot() - used, clock.wall(), used, attempt_id],
    )


def remaining(db: sqlite_utils.Database, attempt: Attempt, clock: Clock = SYSTEM_CLOCK) -> float:
    """Seconds left to answer (<= 0 when time is up); also records a checkpoint."""
    row = _row(db, attempt.id)
    used = _used(row, clock)
    if used is None:
        return float("-inf")
    with writing(db):
        _checkpoint(db, attempt.id, used, clock)
    left_by_close = epoch(attempt.closes) - trusted_now(db, clock)
    return min(attempt.time_limit_s - used, left_by_close)


# ---------------------------------------------------------------- lifecycle


def begin(
    db: sqlite_utils.Database,
    home: Path,
    contest: Contest,
    p: Participant,
    *,
    consent_accepted: bool,
    clock: Clock = SYSTEM_CLOCK,
    files: Callable[[str], Path] | None = None,
    seed: int | None = None,
) -> Attempt:
    """Start an attempt, or resume this person's unfinished one if its time is not up."""
    now = trusted_now(db, clock)
    state = contest_state(contest, now)
    if state == "closed":
        raise ContestClosed(f"contest {contest.id} closed at {contest.closes}")
    if state == "not_yet_open":
        raise ContestNotOpen(
            f"contest {contest.id} opens at {contest.opens}",
            message_vi=f"Cuộc thi bắt đầu từ {vn_time(contest.opens)}.",
        )
    blocked = sealing_problem(home)
    if blocked is not None:  # the entry could never be submitted: do not start it
        raise blocked
    validate_participant(contest, p, datetime.fromtimestamp(now, UTC).year)
    if not consent_accepted:
        raise ParticipantInvalid(
            "consent is required", message_vi="Cần đồng ý xử lý dữ liệu cá nhân."
        )
    sweep(db, home, clock)
    who = person_hash(home, p)
    resumed = _resume(db, home, contest.id, who, clock)
    if resumed is not None:
        return resumed
    _check_limit(db, contest, who)
    return _new_attempt(
        db, home, contest, who, clock, files, secrets.randbits(63) if seed is None else seed
    )


def _check_limit(db: sqlite_utils.Database, contest: Contest, who: str) -> None:
    if not contest.max_attempts:
        return
    rows = list(
        db.query(
            "SELECT attempts FROM contest_participation WHERE contest_id = ? AND person_hash = ?",
            [contest.id, who],
        )
    )
    if rows and rows[0]["attempts"] >= contest.max_attempts:
        raise AttemptLimitReached(
            f"{rows[0]['attempts']} attempts already made for contest {contest.id}",
            message_vi=f"Mỗi người được dự thi tối đa {contest.max_attempts} lần.",
        )


def _new_attempt(
    db: sqlite_utils.Database,
    home: Path,
    contest: Contest,
    who: str,
    clock: Clock,
    files: Callable[[str], Path] | None,
    seed: int,
) -> Attempt:
    questions = draw_questions(contest, seed)
    attempt_id = str(uuid.uuid4())
    attempt = Attempt(
        id=attempt_id,
        contest_id=contest.id,
        title=contest.title,
        seed=seed,
        questions=questions,
        time_limit_s=contest.time_limit_s,
        pass_mark=contest.pass_mark,
        prediction_question=contest.prediction_question,
        closes=contest.closes,
        media_dir=_link_media(home, attempt_id, questions, files),
        consent=consent_text(contest),
    )
    snapshot = {k: getattr(attempt, k) for k in _SNAPSHOT_KEYS}
    snapshot["questions"] = [question_to_dict(q) for q in questions]
    with writing(db):
        db["contest_attempts"].insert(
            {
                "id": attempt_id,
                "contest_id": contest.id,
                "person_hash": who,
                "seed": seed,
                "snapshot": json.dumps(snapshot, ensure_ascii=False),
                "started_wall": clock.wall(),
                "started_boot": clock.boot(),
                "boot_id": clock.boot_id(),
                "last_wall": clock.wall(),
                "used_s": 0.0,
                "media_dir": str(attempt.media_dir or ""),
            }
        )
    log.info("contest %s: attempt %s started (seed %d)", contest.id, attempt_id, seed)
    return attempt


_SNAPSHOT_KEYS = ("title", "time_limit_s", "pass_mark", "prediction_question", "closes", "consent")


def _resume(
    db: sqlite_utils.Database, home: Path, contest_id: str, who: str, clock: Clock
) -> Attempt | None:
    rows = list(
        db.query(
            "SELECT * FROM contest_attempts WHERE contest_id = ? AND person_hash = ?",
            [contest_id, who],
        )
    )
    for row in rows:
        snap = json.loads(row["snapshot"])
        used = _used(row, clock)
        if used is None or used >= snap["time_limit_s"]:
            _discard(db, home, row)
            continue
        with writing(db):
            _checkpoint(db, row["id"], used, clock)
        answers = {
            r["q_index"]: r["choice_id"]
            for r in db.query(
                "SELECT q_index, choice_id FROM contest_answers WHERE attempt_id = ?", [row["id"]]
            )
        }
        return Attempt(
            id=row["id"],
            contest_id=contest_id,
            seed=row["seed"],
            questions=[question_from_dict(q) for q in snap["questions"]],
            media_dir=Path(row["media_dir"]) if row["media_dir"] else None,
            answers=answers,
            prediction=row["prediction"],
            resumed=True,
            **{k: snap[k] for k in _SNAPSHOT_KEYS},
        )
    return None


def answer(
    db: sqlite_utils.Database,
    attempt: Attempt,
    index: int,
    choice_id: str,
    clock: Clock = SYSTEM_CLOCK,
) -> None:
    """Record one answer durably (its own transaction) before the screen moves on."""
    question = attempt.questions[index]
    if choice_id not in {c.id for c in question.choices}:
        raise ContestError(f"choice {choice_id!r} is not an answer to question {question.id}")
    row = _row(db, attempt.id)
    used = _used(row, clock)
    if used is None or used >= attempt.time_limit_s:
        raise TimeUp("time is up; answers are frozen", message_vi="Đã hết giờ làm bài.")
    with writing(db):
        db.execute(
            "INSERT OR REPLACE INTO contest_answers VALUES (?, ?, ?, ?, ?)",
            [attempt.id, index, question.id, choice_id, used],
        )
        _checkpoint(db, attempt.id, used, clock)
    attempt.answers[index] = choice_id


def set_prediction(db: sqlite_utils.Database, attempt: Attempt, value: int) -> None:
    if value < 0:
        raise ContestError("prediction must not be negative", message_vi="Số dự đoán không hợp lệ.")
    with writing(db):
        db.execute("UPDATE contest_attempts SET prediction = ? WHERE id = ?", [value, attempt.id])
    attempt.prediction = value


def submit(
    db: sqlite_utils.Database,
    home: Path,
    attempt: Attempt,
    p: Participant,
    clock: Clock = SYSTEM_CLOCK,
) -> Result:
    """Score and put the entry into the outbox, personal data sealed, in one transaction.

    The attempt row goes in the same transaction, so a second submit finds nothing.
    """
    from sync import outbox  # noqa: PLC0415 - sync layer below kiosk; imported when needed

    row = _row(db, attempt.id)
    used = _used(row, clock)
    if used is None or used >= attempt.time_limit_s + SUBMIT_GRACE_S:
        raise TimeUp("the attempt's time ran out", message_vi="Bài thi đã quá thời gian nộp.")
    if not hmac.compare_digest(person_hash(home, p), row["person_hash"]):
        raise ParticipantInvalid("participant does not match the attempt")
    if trusted_now(db, clock) >= epoch(attempt.closes) + SUBMIT_GRACE_S:
        raise ContestClosed(f"contest {attempt.contest_id} closed at {attempt.closes}")
    answers = {
        r["q_index"]: r["choice_id"]
        for r in db.query(
            "SELECT q_index, choice_id FROM contest_answers WHERE attempt_id = ?", [attempt.id]
        )
    }
    result = score(attempt.questions, answers, attempt.pass_mark, min(used, attempt.time_limit_s))
    payload = entry_payload(attempt, row, answers, result, clock)
    with writing(db):
        result.entry_id = outbox.append(
            db, "contest_entry", payload, personal=p.personal(), home=home
        )
        db.execute("DELETE FROM contest_attempts WHERE id = ?", [attempt.id])
        db.execute(
            "INSERT INTO contest_participation VALUES (?, ?, 1) ON CONFLICT (contest_id,"
            " person_hash) DO UPDATE SET attempts = attempts + 1",
            [attempt.contest_id, row["person_hash"]],
        )
    log.info("contest %s: attempt %s submitted", attempt.contest_id, attempt.id)
    return result


def entry_payload(
    attempt: Attempt, row: dict, answers: dict[int, str], result: Result, clock: Clock
) -> dict:
    """What the centre needs to rank, check and prove consent; nothing personal in clear."""
    return {
        "attempt_id": attempt.id,
        "contest_id": attempt.contest_id,
        "seed": attempt.seed,
        "questions": [q.id for q in attempt.questions],
        "answers": [
            {"question_id": attempt.questions[i].id, "choice_id": c}
            for i, c in sorted(answers.items())
        ],
        "correct": result.correct,
        "total": result.total,
        "passed": result.passed,
        "critical_failed": result.critical_failed,
        "time_used_s": result.time_used_s,
        "prediction": attempt.prediction,
        "consent": {
            "version": CONSENT_VERSION,
            "text": attempt.consent,
            "sha256": hashlib.sha256(attempt.consent.encode()).hexdigest(),
        },
        "started_at": _iso(row["started_wall"]),
        "submitted_at": _iso(clock.wall()),
    }


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds")


# ---------------------------------------------------------------- wiping


def _secure(db: sqlite_utils.Database) -> None:
    db.execute("PRAGMA secure_delete = ON")


def _discard(db: sqlite_utils.Database, home: Path, row: dict) -> None:
    _secure(db)
    with writing(db):
        db.execute("DELETE FROM contest_attempts WHERE id = ?", [row["id"]])
    if row.get("media_dir"):
        shutil.rmtree(row["media_dir"], ignore_errors=True)
    log.info("contest attempt %s discarded", row["id"])


def abandon(db: sqlite_utils.Database, home: Path, attempt_id: str) -> None:
    """Wipe an unsubmitted attempt (idle timeout, resident left): never submitted."""
    rows = list(db.query("SELECT * FROM contest_attempts WHERE id = ?", [attempt_id]))
    for row in rows:
        _discard(db, home, row)
    shutil.rmtree(contest_media_dir(home) / attempt_id, ignore_errors=True)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def sweep(db: sqlite_utils.Database, home: Path, clock: Clock = SYSTEM_CLOCK) -> int:
    """Discard attempts whose time is up and media folders without an attempt."""
    gone = 0
    for row in list(db.query("SELECT * FROM contest_attempts")):
        used = _used(row, clock)
        limit = json.loads(row["snapshot"])["time_limit_s"]
        if used is None or used >= limit + SUBMIT_GRACE_S:
            _discard(db, home, row)
            gone += 1
    live = {r["id"] for r in db.query("SELECT id FROM contest_attempts")}
    media = contest_media_dir(home)
    if media.is_dir():
        for folder in media.iterdir():
            if folder.name not in live:
                shutil.rmtree(folder, ignore_errors=True)
    return gone
