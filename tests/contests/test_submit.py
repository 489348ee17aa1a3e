"""Submission into the real outbox: sealed personal data, attempt limits, double submit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from contest_helpers import FakeClock, make_contest, right_choice

from kiosk import contests as C
from kiosk.contests import Participant

ANA = Participant("Nguyễn Thị An", 1970, "Phường Láng Hạ", "0912345678")


def _take(db, home, clock, contest, who=ANA):  # noqa: ANN001, ANN202
    attempt = C.begin(db, home, contest, who, consent_accepted=True, clock=clock)
    for i, q in enumerate(attempt.questions):
        C.answer(db, attempt, i, right_choice(q), clock)
        clock.advance(10)
    C.set_prediction(db, attempt, 1234)
    return attempt, C.submit(db, home, attempt, who, clock)


def test_submit_goes_to_outbox_sealed(db, home: Path, clock: FakeClock, publisher_key) -> None:
    attempt, result = _take(db, home, clock, make_contest())
    assert result.correct == result.total == 5 and result.passed
    assert result.time_used_s == pytest.approx(50)
    rows = list(db.query("SELECT * FROM outbox WHERE kind = 'contest_entry'"))
    assert len(rows) == 1 and rows[0]["uuid"] == result.entry_id
    payload = json.loads(rows[0]["payload"])
    assert payload["attempt_id"] == attempt.id and payload["prediction"] == 1234
    assert payload["consent"]["text"] == attempt.consent
    assert "Nguyễn" not in rows[0]["payload"] and "0912345678" not in rows[0]["payload"]
    from sync.sealing import open_sealed

    personal = open_sealed(publisher_key, rows[0]["sealed"], record_id=rows[0]["uuid"])
    assert personal == {
        "name": ANA.name,
        "birth_year": 1970,
        "ward": ANA.ward,
        "phone": "0912345678",
    }
    assert db["contest_attempts"].count == 0  # attempt gone with the submit


def test_double_submit_refused(db, home: Path, clock: FakeClock, publisher_key) -> None:
    attempt, _ = _take(db, home, clock, make_contest())
    with pytest.raises(C.AttemptGone):
        C.submit(db, home, attempt, ANA, clock)
    assert db["outbox"].count == 1


def test_attempt_limit_by_keyed_hash(db, home: Path, clock: FakeClock, publisher_key) -> None:
    contest = make_contest(max_attempts=2)
    _take(db, home, clock, contest)
    _take(db, home, clock, contest)
    with pytest.raises(C.AttemptLimitReached):
        C.begin(
            db,
            home,
            contest,
            Participant("nguyen thi an", 1970, "X"),
            consent_accepted=True,
            clock=clock,
        )
    # someone else may still take part
    C.begin(
        db,
        home,
        contest,
        Participant("Lê Văn Cường", 1990, "X"),
        consent_accepted=True,
        clock=clock,
    )


def test_submit_by_other_person_refused(db, home: Path, clock: FakeClock, publisher_key) -> None:
    attempt = C.begin(db, home, make_contest(), ANA, consent_accepted=True, clock=clock)
    with pytest.raises(C.ParticipantInvalid):
        C.submit(db, home, attempt, Participant("Lê Văn Cường", 1990, "X"), clock)


def test_submit_after_grace_refused(db, home: Path, clock: FakeClock, publisher_key) -> None:
    attempt = C.begin(db, home, make_contest(), ANA, consent_accepted=True, clock=clock)
    clock.advance(600 + C.SUBMIT_GRACE_S + 1)
    with pytest.raises(C.TimeUp):
        C.submit(db, home, attempt, ANA, clock)
    assert db["outbox"].count == 0


def test_submit_within_grace_uses_frozen_answers(
    db, home: Path, clock: FakeClock, publisher_key
) -> None:
    attempt = C.begin(db, home, make_contest(), ANA, consent_accepted=True, clock=clock)
    C.answer(db, attempt, 0, right_choice(attempt.questions[0]), clock)
    clock.advance(650)
    result = C.submit(db, home, attempt, ANA, clock)
    assert result.time_used_s == 600 and result.rows[0].is_correct
    assert [r.chosen for r in result.rows[1:]] == [None] * 4


def test_attempt_survives_contest_withdrawal(
    db, home: Path, clock: FakeClock, publisher_key
) -> None:
    """The attempt uses its snapshot; the contest object (library content) is not needed."""
    contest = make_contest()
    attempt = C.begin(db, home, contest, ANA, consent_accepted=True, clock=clock)
    contest.questions.clear()  # a sync replaced the content: nothing refers to it any more
    clock.reboot(off_s=5)
    resumed = C.begin(
        db, home, make_contest(n=8, critical=1, draw=3), ANA, consent_accepted=True, clock=clock
    )
    assert [q.id for q in resumed.questions] == [q.id for q in attempt.questions]
    assert len(resumed.questions) == 5
    C.submit(db, home, resumed, ANA, clock)
