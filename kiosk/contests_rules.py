"""Contest rules without state: clocks, open/closed, participants, draws, scoring.

Split from kiosk/contests.py (the attempt lifecycle) to keep both small. Everything here is
pure or touches only HOME/keys (the kiosk's key for keyed hashes of participants).
"""

from __future__ import annotations

import hashlib
import hmac
import random
import secrets
import time
import unicodedata
import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from offline_index.analysis import fold_phrase
from offline_index.errors import LawShelfError
from offline_index.fsutil import atomic_write_text
from offline_index.home import keys_dir
from offline_index.model import Choice, Citation, Contest, ContestQuestion

CONSENT_VERSION = "nd13-2023-v1"
CONSENT_TEXT = (
    "Tôi đồng ý để {organiser} xử lý dữ liệu cá nhân của tôi (họ tên, năm sinh, xã/phường"
    "{phone}) chỉ nhằm mục đích tổ chức, chấm điểm và trao giải {contest}, theo Nghị"
    " định 13/2023/NĐ-CP về bảo vệ dữ liệu cá nhân. Dữ liệu được mã hóa ngay trên máy, chỉ"
    " Ban tổ chức giải mã được, và được xóa sau {days} ngày kể từ khi cuộc thi kết thúc. Tôi có"
    " quyền rút lại sự đồng ý, yêu cầu xem, sửa hoặc xóa dữ liệu bằng cách liên hệ Ban tổ chức."
)
# What CONSENT_TEXT says, for a resident who reads English; the Vietnamese text is the one
# agreed to and stored with the entry.
CONSENT_TEXT_EN = (
    "I agree that {organiser} may process my personal data (full name, year of birth,"
    " commune/ward{phone}) only to organise, mark and award the prizes of the contest"
    ' "{title}", under Decree 13/2023/NĐ-CP on personal data protection. The data is'
    " encrypted on this machine, only the organisers can decrypt it, and it is deleted"
    " {days} days after the contest ends. I may withdraw my consent, or ask to see, correct"
    " or delete my data, by contacting the organisers."
)


class ContestError(LawShelfError):
    message_vi = "Không thể tham gia cuộc thi lúc này."


class ContestClosed(ContestError):
    message_vi = "Cuộc thi đã kết thúc."


class ContestNotOpen(ContestError):
    message_vi = "Cuộc thi chưa bắt đầu."


class ParticipantInvalid(ContestError):
    message_vi = "Thông tin người dự thi chưa đầy đủ."


class AttemptLimitReached(ContestError):
    message_vi = "Bạn đã dự thi đủ số lần cho phép."


class TimeUp(ContestError):
    message_vi = "Đã hết thời gian làm bài."


class AttemptGone(ContestError):
    message_vi = "Bài thi không còn (đã nộp hoặc đã hủy)."


# ---------------------------------------------------------------- clock


class Clock:
    """Wall clock, boot-time clock (counts suspend) and the kernel boot id."""

    def wall(self) -> float:
        return time.time()

    def boot(self) -> float:
        return time.clock_gettime(time.CLOCK_BOOTTIME)

    def boot_id(self) -> str:
        try:
            return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
        except (
            OSError
        ):  # not Linux: fall back to a per-process id (a crash then counts as a reboot)
            return _PROCESS_BOOT_ID


_PROCESS_BOOT_ID = uuid.uuid4().hex
SYSTEM_CLOCK = Clock()


def trusted_now(db: sqlite_utils.Database | None, clock: Clock = SYSTEM_CLOCK) -> float:
    """Wall clock, but never earlier than the sync time floor (a clock set back can't reopen)."""
    now = clock.wall()
    try:
        from sync.status import read_status  # noqa: PLC0415 - optional until sync lands

        floor = read_status(db).get("time_floor") if db is not None else None
    except Exception:  # noqa: BLE001 - status missing or unreadable: no floor
        floor = None
    if isinstance(floor, str) and floor:
        try:
            floor = datetime.fromisoformat(floor).timestamp()
        except ValueError:
            floor = None
    return max(now, float(floor)) if isinstance(floor, int | float) else now


def epoch(value: str) -> float:
    """Contest times are ISO; naive ones are Vietnam time (UTC+7)."""
    dt = datetime.fromisoformat(value)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC) - VN_OFFSET
    return dt.timestamp()


VN_OFFSET = datetime(2000, 1, 1, 7) - datetime(2000, 1, 1, 0)


def vn_time(iso: str) -> str:
    """A contest time as a resident reads it: `08:00 ngày 01/09/2026` (Vietnam time)."""
    clock, day = vn_clock(iso)
    return f"{clock} ngày {day}"


def vn_clock(iso: str) -> tuple[str, str]:
    """A contest time in Vietnam, as (`08:00`, `01/09/2026`): the UI joins them in its
    language (`08:00 ngày 01/09/2026`, `08:00 on 01/09/2026`)."""
    dt = vn_at(epoch(iso))
    return dt.strftime("%H:%M"), dt.strftime("%d/%m/%Y")


def vn_at(timestamp: float) -> datetime:
    """A moment (seconds since the epoch) as Vietnam's wall clock reads it (naive, UTC+7)."""
    return datetime.fromtimestamp(timestamp, UTC).replace(tzinfo=None) + VN_OFFSET


def contest_state(contest: Contest, now: float) -> str:
    """'not_yet_open', 'open' or 'closed' at `now` (epoch seconds)."""
    if now < epoch(contest.opens):
        return "not_yet_open"
    return "closed" if now >= epoch(contest.closes) else "open"


# ---------------------------------------------------------------- participants


@dataclass
class Participant:
    """The form data. Lives in memory only; sealed into the outbox at submission."""

    name: str
    birth_year: int
    ward: str
    phone: str = ""

    def personal(self) -> dict[str, object]:
        return asdict(self)


def validate_participant(contest: Contest, p: Participant, this_year: int) -> None:
    need = set(contest.required_fields) | {"name", "birth_year"}
    if "name" in need and len(p.name.strip()) < 2:
        raise ParticipantInvalid("name is required", message_vi="Vui lòng nhập họ và tên.")
    if not 1900 <= p.birth_year <= this_year:
        raise ParticipantInvalid("birth year is not plausible", message_vi="Năm sinh không hợp lệ.")
    if "ward" in need and not p.ward.strip():
        raise ParticipantInvalid("commune/ward is required", message_vi="Vui lòng nhập xã/phường.")
    digits = "".join(c for c in p.phone if c.isdigit())
    if ("phone" in need or p.phone.strip()) and not 9 <= len(digits) <= 11:
        raise ParticipantInvalid(
            "phone number is not valid", message_vi="Số điện thoại không hợp lệ."
        )


def _person_key(home: Path) -> bytes:
    """This kiosk's secret for keyed hashes, created once (0600) under HOME/keys."""
    path = keys_dir(home) / "contest_person.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        atomic_write_text(path, secrets.token_bytes(32).hex(), mode=0o600)
    return bytes.fromhex(path.read_text().strip())


def person_hash(home: Path, p: Participant) -> str:
    """Keyed hash of name + year of birth: matches a person without keeping who they are."""
    ident = f"v1|{fold_phrase(p.name)}|{p.birth_year}".encode()
    return hmac.new(_person_key(home), ident, hashlib.sha256).hexdigest()


def consent_text(contest: Contest) -> str:
    """The consent a participant agrees to, in Vietnamese: stored with the entry as shown."""
    phone = (
        ", số điện thoại nếu có" if "phone" not in contest.required_fields else ", số điện thoại"
    )
    return CONSENT_TEXT.format(
        organiser=contest.organiser,
        contest=contest_phrase(contest.title),
        phone=phone,
        days=contest.retention_days,
    )


def consent_text_en(contest: Contest) -> str:
    """CONSENT_TEXT_EN for this contest: shown under the Vietnamese text in English mode."""
    phone = ", phone number" + ("" if "phone" in contest.required_fields else " if given")
    title = " ".join(unicodedata.normalize("NFC", contest.title).split()).strip(_QUOTES)
    return CONSENT_TEXT_EN.format(
        organiser=contest.organiser, title=title, phone=phone, days=contest.retention_days
    )


_CONTEST_WORDS = ("cuộc thi", "hội thi")
_QUOTES = '"“”'


def contest_phrase(title: str) -> str:
    """The contest as named inside a sentence: `cuộc thi "Title"`, or the title itself when it
    already says what it is (`Cuộc thi "Pháp luật …" năm 2026` became `cuộc thi "Cuộc thi
    "Pháp luật …" năm 2026"`, quotes inside quotes)."""
    text = " ".join(unicodedata.normalize("NFC", title).split())
    quoted = len(text) > 1 and text[0] in _QUOTES and text[-1] in _QUOTES
    if quoted and not any(q in text[1:-1] for q in _QUOTES):
        text = text[1:-1].strip()  # a title given in quotes: quoted once, below
    head = text.casefold()
    for word in _CONTEST_WORDS:
        if head.startswith(word) and (len(head) == len(word) or not head[len(word)].isalnum()):
            return word + text[len(word) :]  # mid-sentence: "… trao giải cuộc thi …"
    return f'cuộc thi "{text}"'


# ---------------------------------------------------------------- draw and snapshot


def draw_questions(contest: Contest, seed: int) -> list[ContestQuestion]:
    """Reproducible draw: same contest + seed -> same questions in the same order.

    When the bank has critical questions, exactly one of them is drawn, as in the
    driving-licence theory test where each test carries one "điểm liệt" question.
    """
    rng = random.Random(seed)
    bank = sorted(contest.questions, key=lambda q: q.id)
    critical = [q for q in bank if q.critical]
    normal = [q for q in bank if not q.critical]
    chosen = [rng.choice(critical)] if critical else []
    if len(normal) < contest.draw - len(chosen):  # bank of mostly critical questions
        normal = [q for q in bank if q not in chosen]
    chosen += rng.sample(normal, contest.draw - len(chosen))
    rng.shuffle(chosen)
    return chosen


def question_to_dict(q: ContestQuestion) -> dict:
    return asdict(q)


def question_from_dict(d: dict) -> ContestQuestion:
    cite = d.get("citation")
    return ContestQuestion(
        id=d["id"],
        text=d["text"],
        choices=[Choice(**c) for c in d["choices"]],
        image=d.get("image", ""),
        critical=d.get("critical", False),
        explanation=d.get("explanation", ""),
        citation=Citation(**cite) if cite else None,
    )


# ---------------------------------------------------------------- scoring and submission


@dataclass
class ResultRow:
    index: int
    question: ContestQuestion
    chosen: str | None
    correct_ids: list[str]
    is_correct: bool


@dataclass
class Result:
    correct: int
    total: int
    passed: bool
    critical_failed: bool
    time_used_s: float
    rows: list[ResultRow]
    entry_id: str = ""


def score(
    questions: list[ContestQuestion],
    answers: dict[int, str],
    pass_mark: int,
    time_used_s: float = 0.0,
) -> Result:
    """Count correct answers; a wrong or missing answer to a critical question fails."""
    rows = []
    for i, q in enumerate(questions):
        right = [c.id for c in q.choices if c.correct]
        rows.append(ResultRow(i, q, answers.get(i), right, answers.get(i) in right))
    correct = sum(r.is_correct for r in rows)
    critical_failed = any(r.question.critical and not r.is_correct for r in rows)
    return Result(
        correct,
        len(rows),
        correct >= pass_mark and not critical_failed,
        critical_failed,
        round(time_used_s, 1),
        rows,
    )
