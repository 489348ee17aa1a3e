"""Test helpers for contests: a controllable clock and small real contests."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from kiosk.contests import Clock
from offline_index.model import Contest


class FakeClock(Clock):
    """Wall clock, boot-time clock and boot id that a test moves by hand."""

    def __init__(self, wall: float | None = None) -> None:
        self.w = wall if wall is not None else datetime(2026, 6, 15, 3, 0, tzinfo=UTC).timestamp()
        self.b = 1000.0
        self.bid = "boot-1"

    def wall(self) -> float:
        return self.w

    def boot(self) -> float:
        return self.b

    def boot_id(self) -> str:
        return self.bid

    def advance(self, seconds: float) -> None:
        self.w += seconds
        self.b += seconds

    def reboot(self, off_s: float, uptime_s: float = 20.0) -> None:
        """Power cut lasting off_s, then the machine has been up uptime_s."""
        self.w += off_s + uptime_s
        self.b = uptime_s
        self.bid = f"boot-{self.bid}-x"


def contest_dict(n: int = 12, *, critical: int = 2, draw: int = 5, **over: object) -> dict:
    questions = []
    for i in range(n):
        questions.append(
            {
                "id": f"q{i:03d}",
                "text": f"Câu hỏi số {i}?",
                "choices": [
                    {"id": "1", "text": "Đúng", "correct": i % 2 == 0},
                    {"id": "2", "text": "Sai", "correct": i % 2 == 1},
                ],
                "critical": i < critical,
                "image": "quiz/q1.png" if i == 3 else "",
                "citation": {"doc_number": "52/2014/QH13", "article": "8"},
            }
        )
    data = {
        "id": "test-contest",
        "title": "Cuộc thi thử",
        "organiser": "Sở Tư pháp",
        "opens": "2026-06-01T00:00:00+07:00",
        "closes": "2026-07-01T00:00:00+07:00",
        "rules": "Luật chơi",
        "questions": questions,
        "draw": draw,
        "time_limit_s": 600,
        "pass_mark": 3,
        "prediction_question": "Bao nhiêu người dự thi?",
        "required_fields": ["name", "birth_year", "ward"],
        "max_attempts": 2,
    }
    data.update(over)
    return data


def make_contest(**kw: object) -> Contest:
    return Contest.from_dict(contest_dict(**kw), "test.json")


def right_choice(q) -> str:  # noqa: ANN001
    return next(c.id for c in q.choices if c.correct)


def wrong_choice(q) -> str:  # noqa: ANN001
    return next(c.id for c in q.choices if not c.correct)


def install_publisher_key(home: Path, keydir: Path) -> Path:
    """Generate a publisher sealing key pair (test-time) and install the public half."""
    from sync.sealing import generate_keypair, install_public

    priv, pub = generate_keypair(keydir)
    install_public(home, pub)
    return priv
