"""The contest engine on a real state DB: draws, timing, critical questions, resume, wipe."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from contest_helpers import FakeClock, make_contest, right_choice, wrong_choice

from kiosk import contests as C
from kiosk.contests import Participant

ANA = Participant("Nguyễn Thị An", 1970, "Phường Láng Hạ", "")


def test_draw_is_reproducible_from_seed() -> None:
    contest = make_contest(n=40, draw=10)
    a = [q.id for q in C.draw_questions(contest, 12345)]
    b = [q.id for q in C.draw_questions(contest, 12345)]
    c = [q.id for q in C.draw_questions(contest, 54321)]
    assert a == b and a != c
    assert len(set(a)) == 10


def test_draw_includes_exactly_one_critical() -> None:
    contest = make_contest(n=40, critical=3, draw=10)
    for seed in range(50):
        assert sum(q.critical for q in C.draw_questions(contest, seed)) == 1


def test_begin_records_seed_and_snapshot(db, home: Path, clock: FakeClock) -> None:
    contest = make_contest()
    attempt = C.begin(db, home, contest, ANA, consent_accepted=True, clock=clock, seed=77)
    row = db["contest_attempts"].get(attempt.id)
    assert row["seed"] == 77
    snap = json.loads(row["snapshot"])
    assert [q["id"] for q in snap["questions"]] == [q.id for q in C.draw_questions(contest, 77)]
    assert "Nguyễn" not in json.dumps(row, ensure_ascii=False)  # only a keyed hash of the person
    assert "13/2023/NĐ-CP" in snap["consent"]


def test_closed_and_not_yet_open_refused(db, home: Path, clock: FakeClock) -> None:
    closed = make_contest(opens="2026-01-01T00:00:00+07:00", closes="2026-02-01T00:00:00+07:00")
    with pytest.raises(C.ContestClosed):
        C.begin(db, home, closed, ANA, consent_accepted=True, clock=clock)
    later = make_contest(opens="2026-09-01T08:00:00+07:00", closes="2026-10-01T00:00:00+07:00")
    with pytest.raises(C.ContestNotOpen) as info:
        C.begin(db, home, later, ANA, consent_accepted=True, clock=clock)
    assert "01/09/2026" in info.value.message_vi
    assert C.contest_state(later, clock.wall()) == "not_yet_open"


def test_participant_and_consent_checked(db, home: Path, clock: FakeClock) -> None:
    contest = make_contest()
    with pytest.raises(C.ParticipantInvalid):
        C.begin(db, home, contest, ANA, consent_accepted=False, clock=clock)
    with pytest.raises(C.ParticipantInvalid):
        C.begin(db, home, contest, Participant("An", 1970, ""), consent_accepted=True, clock=clock)
    with pytest.raises(C.ParticipantInvalid):
        C.begin(db, home, contest, Participant("An", 2090, "X"), consent_accepted=True, clock=clock)
    with pytest.raises(C.ParticipantInvalid):
        bad_phone = Participant("An Bình", 1970, "X", "12")
        C.begin(db, home, contest, bad_phone, consent_accepted=True, clock=clock)


def test_scoring_and_critical_question_fails() -> None:
    contest = make_contest(n=6, critical=1, draw=6)
    qs = C.draw_questions(contest, 1)
    all_right = {i: right_choice(q) for i, q in enumerate(qs)}
    res = C.score(qs, all_right, pass_mark=5)
    assert (res.correct, res.total, res.passed, res.critical_failed) == (6, 6, True, False)
    crit = next(i for i, q in enumerate(qs) if q.critical)
    one_wrong = {**all_right, crit: wrong_choice(qs[crit])}
    res = C.score(qs, one_wrong, pass_mark=5)
    assert res.correct == 5 and res.critical_failed and not res.passed
    missing = {i: c for i, c in all_right.items() if i != crit}
    assert C.score(qs, missing, pass_mark=1).critical_failed  # unanswered critical fails too
    other = next(i for i, q in enumerate(qs) if not q.critical)
    res = C.score(qs, {**all_right, other: wrong_choice(qs[other])}, pass_mark=5)
    assert res.passed and res.correct == 5


def test_every_answer_is_durable(db, home: Path, clock: FakeClock) -> None:
    attempt = C.begin(db, home, make_contest(), ANA, consent_accepted=True, clock=clock)
    C.answer(db, attempt, 0, "1", clock)
    C.answer(db, attempt, 0, "2", clock)  # a changed answer replaces the first
    C.answer(db, attempt, 1, "1", clock)
    # a second connection (as after a crash) sees both answers committed
    from kiosk.state import open_state

    other = open_state(home)
    rows = list(other.query("SELECT q_index, choice_id FROM contest_answers ORDER BY q_index"))
    assert rows == [{"q_index": 0, "choice_id": "2"}, {"q_index": 1, "choice_id": "1"}]
    with pytest.raises(C.ContestError):
        C.answer(db, attempt, 2, "9", clock)


def test_time_limit_freezes_answers(db, home: Path, clock: FakeClock) -> None:
    attempt = C.begin(db, home, make_contest(), ANA, consent_accepted=True, clock=clock)
    clock.advance(300)
    assert C.remaining(db, attempt, clock) == pytest.approx(300)
    clock.advance(301)
    with pytest.raises(C.TimeUp):
        C.answer(db, attempt, 0, "1", clock)


def test_wall_clock_jump_back_grants_no_time(db, home: Path, clock: FakeClock) -> None:
    attempt = C.begin(db, home, make_contest(), ANA, consent_accepted=True, clock=clock)
    clock.advance(500)
    clock.w -= 3600  # someone sets the clock back an hour while the kiosk runs
    assert C.remaining(db, attempt, clock) == pytest.approx(100)
    clock.w += 7200  # and forward: the boot clock still rules within one boot
    assert C.remaining(db, attempt, clock) == pytest.approx(100)


def test_resume_after_crash_same_person(db, home: Path, clock: FakeClock) -> None:
    contest = make_contest()
    first = C.begin(db, home, contest, ANA, consent_accepted=True, clock=clock)
    C.answer(db, first, 0, "1", clock)
    clock.reboot(off_s=60)  # power cut for a minute
    again = Participant("NGUYEN THI AN", 1970, "Láng Hạ")  # typed without diacritics
    resumed = C.begin(db, home, contest, again, consent_accepted=True, clock=clock)
    assert resumed.resumed and resumed.id == first.id
    assert [q.id for q in resumed.questions] == [q.id for q in first.questions]
    assert resumed.answers == {0: "1"}
    assert C.remaining(db, resumed, clock) == pytest.approx(600 - 80)


def test_resume_refused_for_another_person(db, home: Path, clock: FakeClock) -> None:
    contest = make_contest()
    first = C.begin(db, home, contest, ANA, consent_accepted=True, clock=clock)
    C.answer(db, first, 0, "1", clock)
    clock.reboot(off_s=5)
    other = C.begin(
        db,
        home,
        contest,
        Participant("Trần Văn Bình", 1980, "X"),
        consent_accepted=True,
        clock=clock,
    )
    assert not other.resumed and other.id != first.id and other.answers == {}


def test_resume_after_time_limit_discards(db, home: Path, clock: FakeClock) -> None:
    contest = make_contest()
    first = C.begin(db, home, contest, ANA, consent_accepted=True, clock=clock)
    clock.reboot(off_s=700)
    again = C.begin(db, home, contest, ANA, consent_accepted=True, clock=clock)
    assert not again.resumed and again.id != first.id
    assert db["contest_attempts"].count == 1


def test_reboot_with_clock_set_back_voids_attempt(db, home: Path, clock: FakeClock) -> None:
    contest = make_contest()
    first = C.begin(db, home, contest, ANA, consent_accepted=True, clock=clock)
    clock.advance(100)
    C.answer(db, first, 0, "1", clock)
    clock.reboot(off_s=10)
    clock.w -= 86400  # the clock came back a day early
    again = C.begin(db, home, contest, ANA, consent_accepted=True, clock=clock)
    assert not again.resumed


def test_reboot_uptime_is_a_lower_bound(db, home: Path, clock: FakeClock) -> None:
    contest = make_contest()
    first = C.begin(db, home, contest, ANA, consent_accepted=True, clock=clock)
    clock.reboot(off_s=0, uptime_s=200)
    clock.w -= 150  # wall clock only shows 50 s passing, but the machine is up 200 s
    resumed = C.begin(db, home, contest, ANA, consent_accepted=True, clock=clock)
    assert resumed.id == first.id
    assert C.remaining(db, resumed, clock) == pytest.approx(400)


def test_abandon_wipes_everything(db, home: Path, clock: FakeClock, tmp_path: Path) -> None:
    img = tmp_path / "q1.png"
    img.write_bytes(b"\x89PNG fake")
    contest = make_contest(n=4, draw=4)
    attempt = C.begin(
        db, home, contest, ANA, consent_accepted=True, clock=clock, files=lambda name: img
    )
    idx = next(i for i, q in enumerate(attempt.questions) if q.image)
    assert attempt.image_path(idx).read_bytes() == img.read_bytes()
    C.answer(db, attempt, 0, "1", clock)
    C.abandon(db, home, attempt.id)
    assert db["contest_attempts"].count == 0 and db["contest_answers"].count == 0
    assert not (home / "contest_media" / attempt.id).exists()
    assert img.exists()  # the library's file is untouched


def test_sweep_discards_expired(db, home: Path, clock: FakeClock) -> None:
    C.begin(db, home, make_contest(), ANA, consent_accepted=True, clock=clock)
    clock.advance(600 + C.SUBMIT_GRACE_S + 1)
    assert C.sweep(db, home, clock) == 1
    assert db["contest_attempts"].count == 0


def test_time_floor_keeps_closed_contest_closed(db, home: Path, clock: FakeClock) -> None:
    """A kiosk clock set back cannot reopen a contest the sync has seen closed."""
    from sync import status

    contest = make_contest()
    C.begin(db, home, contest, ANA, consent_accepted=True, clock=clock)  # open by the clock
    status.update(db, time_floor="2026-08-01T00:00:00+00:00")  # verified metadata seen later
    with pytest.raises(C.ContestClosed):
        C.begin(
            db,
            home,
            contest,
            Participant("Lê Văn Cường", 1990, "X"),
            consent_accepted=True,
            clock=clock,
        )


def test_vn_time_reads_as_vietnam_time() -> None:
    assert C.vn_time("2026-09-01T08:00:00+07:00") == "08:00 ngày 01/09/2026"
    assert C.vn_time("2026-09-01T08:00:00") == "08:00 ngày 01/09/2026"  # naive = UTC+7


@pytest.mark.parametrize(
    ("title", "named"),
    [
        (
            'Cuộc thi "Pháp luật trong đời sống hằng ngày" năm 2026',
            'trao giải cuộc thi "Pháp luật trong đời sống hằng ngày" năm 2026, theo',
        ),
        (
            "Cuộc thi tìm hiểu pháp luật về trật tự, an toàn giao thông đường bộ",
            "trao giải cuộc thi tìm hiểu pháp luật về trật tự, an toàn giao thông đường bộ, theo",
        ),
        ("HỘI THI hòa giải viên giỏi", "trao giải hội thi hòa giải viên giỏi, theo"),
        ("Pháp luật với thanh niên", 'trao giải cuộc thi "Pháp luật với thanh niên", theo'),
        ("“Pháp luật với thanh niên”", 'trao giải cuộc thi "Pháp luật với thanh niên", theo'),
        ("Cuộc thiết kế áp phích", 'trao giải cuộc thi "Cuộc thiết kế áp phích", theo'),
    ],
)
def test_consent_names_the_contest_without_nested_quotes(title: str, named: str) -> None:
    from kiosk.contests_rules import consent_text

    text = consent_text(make_contest(title=title))
    assert named in text
    assert text.count('"') in (0, 2, 4)  # quotes paired, never one pair inside another


def test_begin_refused_without_sealing_key(db, home: Path, clock: FakeClock) -> None:
    """An entry that could never be submitted is not started (checked before, not at submit)."""
    from sync.sealing import SealError

    (home / "keys" / "publisher_seal.pub").unlink()
    with pytest.raises(SealError) as err:
        C.begin(db, home, make_contest(), ANA, consent_accepted=True, clock=clock)
    assert "khóa" in err.value.message_vi
    assert db["contest_attempts"].count == 0


def test_a_full_disk_refuses_a_new_attempt_plainly(db, home: Path, clock: FakeClock) -> None:
    """The state database full (SQLite capped at the pages it has): the attempt that does not
    fit raises StorageFull, which the form shows in plain words; those before it are whole."""
    from offline_index.errors import StorageFull

    contest = make_contest()
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages}")
    begun = 0
    with pytest.raises(StorageFull):
        for i in range(200):  # each attempt keeps its questions' snapshot: pages fill fast
            given = "".join("abcdeghikl"[int(d)] for d in str(i)).capitalize()
            who = Participant(f"Nguyễn Thị {given}", 1970, "Phường Láng Hạ", "")
            C.begin(db, home, contest, who, consent_accepted=True, clock=clock)
            begun += 1
    assert begun and db["contest_attempts"].count == begun and not db.conn.in_transaction
