"""Playlists: validation, and the schedule across day boundaries under a fake clock."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from offline_index.errors import ContentError
from offline_index.model import Media
from offline_index.playlists import Playlist, scheduled, screen_audiences
from offline_index.source import load_sources
from tests.signage.helpers import NIGHT, content


def media(*ids: str, starts: str | None = None, ends: str | None = None) -> dict[str, Media]:
    return {i: Media(i, "infographic", i, f"{i}.png", starts, ends) for i in ids}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def playing(playlists: list[Playlist], moment: str, **kw: object) -> list[str]:
    items = media("a", "b", "c", "d")
    return [s.media.id for s in scheduled(playlists, items, at(moment), **kw)]  # type: ignore[arg-type]


NIGHT_P = Playlist.from_dict({**NIGHT, "items": [{"media": "a"}]}, "dem.json")
DAY_P = Playlist.from_dict(
    {"id": "ngay", "title": "Ngày", "hours": ["06:00-22:00"], "items": [{"media": "b"}]}, "x"
)
LAW_DAY = Playlist.from_dict(
    {
        "id": "9-11",
        "title": "Ngày Pháp luật",
        "starts": "2026-11-09",
        "ends": "2026-11-09",
        "priority": 10,
        "items": [{"media": "c"}, {"media": "d", "duration_s": 30}],
    },
    "x",
)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        ("2026-11-09T21:59:59", ["b"]),
        ("2026-11-09T22:00:00", ["a"]),  # the night window opens on the 9th...
        ("2026-11-10T00:00:00", ["a"]),  # ...and runs past midnight, though the playlist ends
        ("2026-11-10T05:59:59", ["a"]),  # on the 9th: it belongs to the day it starts
        ("2026-11-10T06:00:00", ["b"]),
        ("2026-11-10T22:30:00", ["a", "b", "c", "d"]),  # no night on the 10th: all media
        ("2026-10-31T23:00:00", ["a", "b", "c", "d"]),  # ...nor before the 1st
        ("2026-11-01T05:00:00", ["a", "b", "c", "d"]),  # the night of 31 Oct is not in it
    ],
)
def test_schedule_across_the_day_boundary(moment: str, expected: list[str]) -> None:
    assert playing([NIGHT_P, DAY_P], moment) == expected


def test_a_campaign_day_wins_by_priority_and_ends_at_midnight() -> None:
    playlists = [NIGHT_P, DAY_P, LAW_DAY]
    assert playing(playlists, "2026-11-09T10:00") == ["c", "d"]
    assert playing(playlists, "2026-11-09T23:59") == ["c", "d"]
    assert playing(playlists, "2026-11-10T00:00") == ["a"]
    slots = scheduled(playlists, media("c", "d"), at("2026-11-09T10:00"))
    assert [s.duration_s for s in slots] == [15, 30]  # the playlist's duration wins


def test_audiences_places_weekdays_and_media_windows() -> None:
    flat = Playlist.from_dict(
        {
            "id": "cc",
            "title": "Chung cư",
            "audiences": ["Chung cư"],
            "places": ["Phường Láng"],
            "weekdays": [6, 7],
            "priority": 5,
            "items": [{"media": "a"}, {"media": "b"}],
        },
        "x",
    )
    saturday, monday = "2026-11-07T10:00", "2026-11-09T10:00"
    kw = {"place": "phuong lang", "audiences": screen_audiences("chung cu, truong hoc")}
    assert playing([flat, DAY_P], saturday, **kw) == ["a", "b"]
    assert playing([flat, DAY_P], monday, **kw) == ["b"]
    assert playing([flat, DAY_P], saturday, place="Phường Kim Mã", audiences=kw["audiences"]) == [
        "b"
    ]
    assert playing([flat, DAY_P], saturday, place="Phường Láng") == ["b"]  # not an apartment block
    expired = media("a", "b", ends="2026-11-01")
    assert [s.media.id for s in scheduled([flat], expired, at(saturday), **kw)] == []  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"hours": ["07:00-25:00"]}, "hours: must be windows like '07:00-22:00'"),
        ({"hours": ["07:00-07:00"]}, "hours: must be windows"),
        ({"weekdays": [0]}, "weekdays: must be a list of 1 (Monday) to 7 (Sunday)"),
        ({"starts": "2026-11-09", "ends": "2026-11-01"}, "ends: must not be before starts"),
        ({"priority": "high"}, "priority: must be an integer"),
        ({"items": []}, "items: needs at least one item"),
        ({"items": [{"duration_s": 5}]}, "items[0].media: is required"),
    ],
)
def test_invalid_playlists_name_file_field_and_reason(change: dict, message: str) -> None:
    data = {"id": "p", "title": "P", "items": [{"media": "a"}], **change}
    with pytest.raises(ContentError) as err:
        Playlist.from_dict(data, "playlists/p.json")
    assert err.value.message.startswith("playlists/p.json: ") and message in err.value.message


def test_a_playlist_naming_unknown_media_is_skipped_by_the_build(tmp_path: Path) -> None:
    bad = {"id": "sai", "title": "Sai", "items": [{"media": "info-den-do"}, {"media": "khong-co"}]}
    loaded = load_sources([content(tmp_path / "src", playlists=[NIGHT, bad])])
    assert sorted(loaded.playlists) == ["dem"]
    assert [e.message for e in loaded.skipped] == [
        "playlists/sai: items[1]: no media 'khong-co' in the content"
    ]
    assert loaded.counts()["playlists"] == 1
