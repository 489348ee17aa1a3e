"""The order of notices and sessions held (kiosk.notices)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from kiosk.contests_rules import Clock
from kiosk.notices import arrange, today_here
from kiosk.state import open_state
from offline_index.model import Notice
from sync import status

NEWS = Notice("tin-1", "news", "Luật mới có hiệu lực", date="2026-11-20")
DIALOGUE_DEC = Notice("dt-12", "policy_dialogue", "Đối thoại về cư trú", date="2026-12-12")
DIALOGUE_JAN = Notice("dt-01", "policy_dialogue", "Đối thoại về đất đai", date="2027-01-15")
AID_EVENT = Notice("tv-12", "legal_aid", "Tư vấn lưu động", date="2026-12-20")
AID_DESK = Notice("tgpl", "legal_aid", "Trung tâm Trợ giúp pháp lý")


def _shown(notices: list[Notice], today: date) -> list[tuple[str, bool]]:
    return [(s.notice.id, s.held) for s in arrange(notices, today)]


def test_sessions_to_come_go_first_the_soonest_first() -> None:
    given = [DIALOGUE_JAN, DIALOGUE_DEC, NEWS]  # as the library gives them: newest first
    assert _shown(given, date(2026, 12, 6)) == [
        ("dt-12", False),
        ("dt-01", False),
        ("tin-1", False),
    ]


def test_a_session_held_is_marked_and_goes_among_the_rest() -> None:
    given = [DIALOGUE_JAN, DIALOGUE_DEC, NEWS]
    assert _shown(given, date(2026, 12, 13)) == [
        ("dt-01", False),
        ("dt-12", True),
        ("tin-1", False),
    ]
    assert _shown(given, date(2026, 12, 12)) == [  # on its day it is still to come
        ("dt-12", False),
        ("dt-01", False),
        ("tin-1", False),
    ]


def test_a_legal_aid_session_held_is_left_out_and_a_standing_desk_stays() -> None:
    given = [AID_EVENT, AID_DESK]
    assert _shown(given, date(2026, 12, 6)) == [("tv-12", False), ("tgpl", False)]
    assert _shown(given, date(2026, 12, 21)) == [("tgpl", False)]


class _Clock(Clock):
    def __init__(self, wall: float) -> None:
        self._wall = wall

    def wall(self) -> float:
        return self._wall


def test_today_is_vietnams_and_never_before_the_sync_floor(tmp_path: Path) -> None:
    late_evening_utc = datetime(2026, 12, 11, 18, 30, tzinfo=UTC).timestamp()  # 01:30 on the 12th
    db = open_state(tmp_path)
    assert today_here(db, _Clock(late_evening_utc)) == date(2026, 12, 12)
    status.update(db, time_floor="2026-12-20T08:00:00+07:00")
    set_back = datetime(2000, 1, 1, tzinfo=UTC).timestamp()  # a clock lost in a power cut
    assert today_here(db, _Clock(set_back)) == date(2026, 12, 20)
