"""Playlists: which media a public screen plays, for which audience or place, and when.

A playlist is content (format v1, `playlists/*.json`, docs/content-format.md): items (media
ids), an optional date window, daily hours, weekdays, audiences and places, and a priority.
`scheduled` answers "what plays on this screen at this moment" from the playlists alone, so
a screen follows the schedule offline and tests drive it with any clock. Hours whose end
comes before their start run past midnight and belong to the day they start: `22:00-06:00`
on 9 November plays until 06:00 on the 10th, even when the playlist ends on the 9th.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from offline_index.analysis import fold_phrase
from offline_index.content_fields import FieldReader
from offline_index.errors import ContentError
from offline_index.migrations import Migration
from offline_index.model import Media

_HOURS = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")


@dataclass(frozen=True)
class PlaylistItem:
    media: str  # a Media id
    duration_s: int | None = None  # overrides the media's own (infographics)


@dataclass
class Playlist:
    id: str
    title: str
    items: list[PlaylistItem]
    starts: str | None = None  # first day (inclusive)
    ends: str | None = None  # last day (inclusive)
    hours: list[str] = field(default_factory=list)  # "HH:MM-HH:MM"; empty: all day
    weekdays: list[int] = field(default_factory=list)  # 1 = Monday … 7 = Sunday; empty: all
    audiences: list[str] = field(default_factory=list)  # screen audiences; empty: every screen
    places: list[str] = field(default_factory=list)  # screen places; empty: everywhere
    priority: int = 0  # the highest priority playing now wins

    @classmethod
    def from_dict(cls, data: Any, path: str) -> Playlist:
        r = FieldReader(data, path)
        items = [
            PlaylistItem(i.str("media"), i.int("duration_s", required=False, minimum=1) or None)
            for i in r.objlist("items", required=True)
        ]
        if not items:
            raise r.fail("items", "needs at least one item")
        playlist = cls(
            id=r.str("id"),
            title=r.str("title"),
            items=items,
            starts=r.date("starts"),
            ends=r.date("ends"),
            hours=_hours(r),
            weekdays=_weekdays(r),
            audiences=r.strlist("audiences"),
            places=r.strlist("places"),
            priority=_priority(r),
        )
        if playlist.starts and playlist.ends and playlist.ends < playlist.starts:
            raise r.fail("ends", "must not be before starts")
        return playlist

    def to_dict(self) -> dict[str, Any]:
        return {"type": "playlist", "format": 1, **asdict(self)}

    # ---------------------------------------------------------------- when and where

    def plays_on_day(self, day: date) -> bool:
        iso = day.isoformat()
        if (self.starts and iso < self.starts) or (self.ends and iso > self.ends):
            return False
        return not self.weekdays or day.isoweekday() in self.weekdays

    def plays_at(self, moment: datetime) -> bool:
        """On at `moment` (local time): today's windows, or last night's past midnight."""
        today = moment.date()
        if not self.hours:
            return self.plays_on_day(today)
        for start, end in (_window(h) for h in self.hours):
            if end > start:
                if self.plays_on_day(today) and start <= moment.time() < end:
                    return True
            else:  # runs past midnight: from `start` on one day to `end` on the next
                if self.plays_on_day(today) and moment.time() >= start:
                    return True
                if self.plays_on_day(today - timedelta(days=1)) and moment.time() < end:
                    return True
        return False

    def reaches(self, place: str, audiences: set[str]) -> bool:
        """For a screen at `place` that serves `audiences` (folded comparison)?"""
        if self.places and fold_phrase(place) not in {fold_phrase(p) for p in self.places}:
            return False
        return not self.audiences or bool({fold_phrase(a) for a in self.audiences} & audiences)


def _hours(r: FieldReader) -> list[str]:
    hours = [h.replace(" ", "") for h in r.strlist("hours")]
    for h in hours:
        m = _HOURS.match(h)
        if not m or (m.group(3) == "24" and m.group(4) != "00") or h[:5] == h[6:]:
            raise r.fail("hours", f"must be windows like '07:00-22:00'; got {h!r}")
    return hours


def _weekdays(r: FieldReader) -> list[int]:
    days = r.data.get("weekdays") or []
    if not isinstance(days, list) or not all(
        isinstance(d, int) and not isinstance(d, bool) and 1 <= d <= 7 for d in days
    ):
        raise r.fail("weekdays", "must be a list of 1 (Monday) to 7 (Sunday)")
    return sorted(set(days))


def _priority(r: FieldReader) -> int:
    value = r.data.get("priority", 0)
    if isinstance(value, bool) or not isinstance(value, int) or not -1000 <= value <= 1000:
        raise r.fail("priority", "must be an integer from -1000 to 1000")
    return value


def _window(hours: str) -> tuple[time, time]:
    start, end = hours.split("-")
    end_t = time(23, 59, 59, 999999) if end == "24:00" else time.fromisoformat(end)
    return time.fromisoformat(start), end_t


def screen_audiences(raw: str) -> set[str]:
    """A screen's audiences from a setting: 'chung cư, trường học' -> {'chung cu', 'truong hoc'}."""
    return {fold_phrase(a) for a in raw.split(",") if a.strip()}


# ---------------------------------------------------------------- the schedule


@dataclass(frozen=True)
class Slot:
    """One item of what plays now: the media and how long an infographic stays."""

    media: Media
    duration_s: int
    playlist: str  # playlist id ("" for the default loop)


def active(playlists: list[Playlist], moment: datetime, place: str, audiences: set[str]) -> list:
    """Playlists on now for this screen, highest priority only, newest campaign first."""
    on = [p for p in playlists if p.reaches(place, audiences) and p.plays_at(moment)]
    if not on:
        return []
    top = max(p.priority for p in on)
    on = [p for p in on if p.priority == top]
    on.sort(key=lambda p: (p.starts or "", p.id), reverse=True)
    return on


def scheduled(
    playlists: list[Playlist],
    media: dict[str, Media],
    moment: datetime,
    place: str = "",
    audiences: set[str] | None = None,
) -> list[Slot]:
    """What this screen plays at `moment`. No playlist on: every media item whose campaign
    window includes the day (the kiosk's idle loop), so content without playlists still plays."""
    slots: list[Slot] = []
    seen: set[str] = set()
    day = moment.date().isoformat()
    for playlist in active(playlists, moment, place, audiences or set()):
        for item in playlist.items:
            m = media.get(item.media)
            if m is None or item.media in seen or not _in_window(m, day):
                continue
            seen.add(item.media)
            slots.append(Slot(m, item.duration_s or m.duration_s, playlist.id))
    if slots:
        return slots
    return [Slot(m, m.duration_s, "") for m in media.values() if _in_window(m, day)]


def _in_window(media: Media, day: str) -> bool:
    """The media's own campaign window (a playlist cannot play an expired item)."""
    return (not media.starts or media.starts <= day) and (not media.ends or media.ends >= day)


def check_references(playlists: dict[str, Playlist], media: dict[str, Media]) -> list:
    """ContentErrors for playlists naming media the content does not have (they are dropped)."""
    errors = []
    for p in list(playlists.values()):
        for i, item in enumerate(p.items):
            if item.media not in media:
                errors.append(
                    ContentError(
                        f"playlists/{p.id}",
                        f"no media {item.media!r} in the content",
                        f"items[{i}]",
                    )
                )
                playlists.pop(p.id, None)
                break
    return errors


# ---------------------------------------------------------------- in content.sqlite


def _m0001(db: Any) -> None:
    db.execute(
        "CREATE TABLE playlists (id TEXT PRIMARY KEY, title TEXT, priority INTEGER, data TEXT)"
    )


MIGRATION = Migration("library", "0005_playlists", _m0001)


def write_rows(conn: Any, playlists: list[Playlist]) -> None:
    conn.executemany(
        "INSERT INTO playlists VALUES (?, ?, ?, ?)",
        [
            (p.id, p.title, p.priority, json.dumps(p.to_dict(), ensure_ascii=False))
            for p in playlists
        ],
    )


def read_rows(db: sqlite3.Connection) -> list[Playlist]:
    """Playlists of a generation; a generation built before playlists existed has none."""
    try:
        rows = db.execute("SELECT data FROM playlists ORDER BY id").fetchall()
    except sqlite3.OperationalError:
        return []
    return [Playlist.from_dict(json.loads(r[0]), "content.sqlite:playlists") for r in rows]
