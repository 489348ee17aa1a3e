"""What a public screen plays: the schedule at its clock, the last verified playlist when the
library or the clock is lost, and plays counted into the usage report."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import pytest

from kiosk import stats
from kiosk.signage import Screen, Signage, plays, record_play
from kiosk.state import open_state
from offline_index.library import Library
from tests.signage.helpers import home_with_library


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return home_with_library(tmp_path)


def signage_at(home: Path, moment: str) -> Signage:
    return Signage(home, Screen("Phường Láng"), clock=lambda: datetime.fromisoformat(moment))


def test_the_screen_follows_the_schedule_across_midnight(home: Path) -> None:
    with Library.open(home) as lib:
        evening = signage_at(home, "2026-11-09T21:00").plan(lib)
        night = signage_at(home, "2026-11-10T01:00").plan(lib)
        morning = signage_at(home, "2026-11-10T06:00").plan(lib)
    assert (evening.source, evening.ids()) == ("schedule", ["video", "info-den-do"])
    assert (night.source, night.playlists, night.ids()) == ("schedule", ["dem"], ["info-ruou-bia"])
    assert morning.ids() == ["video", "info-den-do"]
    assert evening.content_date == "2026-11-01"


def test_a_playing_plan_is_kept_by_hash_beside_the_library(home: Path) -> None:
    with Library.open(home) as lib:
        plan = signage_at(home, "2026-11-09T21:00").plan(lib)
        sha = lib.manifest["files"]["files/media/video.mp4"]["sha256"]
    stored = home / "signage" / "media" / f"{sha}.mp4"
    assert stored.is_file() and (home / "signage" / "last.json").is_file()
    assert plan.items[0].sha256 == sha
    # A hard link: the generation's garbage collection cannot take it away.
    assert stored.stat().st_ino == Path(plan.items[0].path).stat().st_ino


def test_a_lost_library_keeps_the_last_verified_playlist(home: Path) -> None:
    with Library.open(home) as lib:
        signage_at(home, "2026-11-09T21:00").plan(lib)
    shutil.rmtree(home / "library")
    plan = signage_at(home, "2026-11-20T12:00").plan(None)
    assert (plan.source, plan.ids()) == ("last_verified", ["video", "info-den-do"])
    assert all(Path(i.path).is_file() for i in plan.items) and plan.content_date == "2026-11-01"
    # A kept file that no longer matches its hash is not played.
    Path(plan.items[0].path).write_bytes(b"not the video")
    assert signage_at(home, "2026-11-20T12:00").plan(None).ids() == ["info-den-do"]


def test_a_lost_clock_keeps_the_last_verified_playlist(home: Path) -> None:
    with Library.open(home) as lib:
        signage_at(home, "2026-11-10T01:00").plan(lib)  # the night playlist plays
        reset = signage_at(home, "2000-01-01T00:00").plan(lib)  # RTC battery dead
        floor = datetime.fromisoformat("2026-12-01T00:00+00:00")  # the newest release
        behind = signage_at(home, "2026-11-20T12:00").plan(lib, floor)
        ok = signage_at(home, "2026-12-02T23:00").plan(lib, floor)
    assert (reset.source, reset.ids()) == ("last_verified", ["info-ruou-bia"])
    assert "the clock says 2000-01-01" in reset.reason
    assert behind.source == "last_verified"
    assert ok.source == "default" and ok.ids() == ["info-den-do", "info-ruou-bia", "video"]


def test_a_new_screen_with_a_dead_clock_plays_the_schedule_of_its_content_date(home: Path) -> None:
    with Library.open(home) as lib:
        plan = signage_at(home, "1970-01-01T00:00").plan(lib)
    assert plan.source == "default" and plan.ids() == ["info-den-do", "info-ruou-bia", "video"]


def test_a_new_screen_without_anything_has_nothing_to_play(tmp_path: Path) -> None:
    plan = signage_at(tmp_path, "2026-11-20T12:00").plan(None)
    assert (plan.source, plan.items) == ("none", [])


def test_plays_count_into_the_usage_report(tmp_path: Path) -> None:
    db = open_state(tmp_path)
    day = date(2026, 11, 9)
    for media_id in ("video", "info-den-do", "video"):
        record_play(db, media_id, day)
    report = stats.usage_report(db, day, day)
    assert report.totals["media_play"] == 3
    assert plays(db, day, day) == [("video", 2), ("info-den-do", 1)]
    assert "media_play" in stats.report_csv(report).splitlines()[0]
