"""A public screen (`lawshelf signage`), without Qt: what to play now, what to fall back on.

`Signage.plan(library)` follows the publisher's playlists (offline_index/playlists.py) at the
screen's clock, for its place and audiences, with files the library's manifest vouches for.
Every plan that plays is kept as the **last verified playlist**: `HOME/signage/last.json`
plus its media, hard-linked (else copied) into `HOME/signage/media/<sha256>`, so a later sync
or garbage collection cannot take them away. When the library cannot be opened or its files
are gone, or the clock is plainly wrong (earlier than the newest verified release, the
content date or the last plan), the screen keeps playing that last verified playlist, each
file checked against its hash first. Plays are counted per day into the usage report
(`media_play`) and per item (`signage_plays`).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlite_utils

from offline_index.fsutil import atomic_copy_file, atomic_write_text
from offline_index.generations import sha256_file
from offline_index.home import signage_dir
from offline_index.migrations import Migration
from offline_index.playlists import Slot, scheduled, screen_audiences

if TYPE_CHECKING:
    from kiosk.settings import Settings
    from offline_index.library import Library

log = logging.getLogger(__name__)

CLOCK_SLACK = timedelta(days=1)
LAST = "last.json"
Clock = Callable[[], datetime]


@dataclass
class Item:
    """One thing to show: plain data, from a library or from the last verified playlist."""

    id: str
    type: str  # video | infographic
    title: str
    path: str
    duration_s: int
    sha256: str
    subtitles: str = ""  # .vtt/.srt beside a video, if any
    playlist: str = ""


@dataclass
class Plan:
    items: list[Item]
    source: str  # schedule | default | last_verified | none
    content_date: str | None = None
    playlists: list[str] = field(default_factory=list)
    reason: str = ""  # why a fallback was needed (for the log and `signage schedule`)

    def ids(self) -> list[str]:
        return [i.id for i in self.items]


@dataclass(frozen=True)
class Screen:
    """Where this screen stands and whom it serves (settings signage_place, signage_audience)."""

    place: str = ""
    audiences: frozenset[str] = frozenset()

    @classmethod
    def from_settings(cls, values: Settings) -> Screen:
        place = values.signage_place or values.ward_name
        return cls(place, frozenset(screen_audiences(values.signage_audience)))


class Signage:
    def __init__(self, home: Path, screen: Screen, clock: Clock = datetime.now) -> None:
        self.home, self.screen, self.clock = home, screen, clock
        self.folder = signage_dir(home)

    # ---------------------------------------------------------------- planning

    def plan(
        self, library: Library | None, floor: datetime | None = None, *, preview: bool = False
    ) -> Plan:
        """What to play now (library: an open offline_index.Library, or None if it is lost).

        `preview`: what the schedule says at the clock's time, whatever that time is, and
        nothing kept (`lawshelf signage schedule --at`)."""
        if library is None:
            return self.last_verified("the library cannot be opened")
        now = self.clock()
        lowest = self._floor(library, floor)
        if not preview and lowest is not None and now < lowest - CLOCK_SLACK:
            why = f"the clock says {now:%Y-%m-%d %H:%M}, before {lowest:%Y-%m-%d}"
            last = self.last_verified(why)
            if last.items:
                return last
            now = lowest  # nothing kept yet (a new screen): the schedule as of the content date
        slots = scheduled(
            library.playlists(),
            {m.id: m for m in library.media()},
            now,
            self.screen.place,
            set(self.screen.audiences),
        )
        plan = Plan(
            [i for s in slots if (i := _item(library, s)) is not None],
            "schedule" if any(s.playlist for s in slots) else "default",
            library.info.get("content_date"),
            sorted({s.playlist for s in slots if s.playlist}),
        )
        if preview:
            return plan
        if not plan.items:  # no media left in the library: keep what played before
            return self.last_verified("nothing playable in the library")
        self.keep(plan)
        return plan

    def _floor(self, library: Library, floor: datetime | None) -> datetime | None:
        """The earliest the clock can plausibly say: the newest verified release's issue time
        (sync's time floor) and the content date, both signed by the publisher. A clock reset
        to 2000 or 1970 is below them. (A clock far ahead cannot be told from a late sync.)"""
        marks = [floor.astimezone().replace(tzinfo=None)] if floor and floor.tzinfo else []
        marks += [floor] if floor and not floor.tzinfo else []
        content = library.info.get("content_date")
        if content:
            marks.append(datetime.fromisoformat(str(content)[:10]))
        return max(marks) if marks else None

    # ---------------------------------------------------------------- the last verified plan

    def keep(self, plan: Plan) -> None:
        """Keep the media of a plan that plays, by hash, and the plan itself (durably)."""
        media = self.folder / "media"
        media.mkdir(parents=True, exist_ok=True)
        kept = []
        for item in plan.items:
            stored = _store(Path(item.path), media, item.sha256)
            if stored is None:
                continue
            subs = ""
            if item.subtitles:
                sub = Path(item.subtitles)
                subs = (_store(sub, media, sha256_file(sub)) or Path()).name
            kept.append({**asdict(item), "path": stored.name, "subtitles": subs})
        data = {"saved_at": self.clock().isoformat(timespec="seconds"), **asdict(plan)}
        data["items"] = kept
        old = self._read_last()
        if not kept or (old.get("items") == kept and old.get("content_date") == plan.content_date):
            return  # unchanged: no write (an SD card must not be written every 15 seconds)
        atomic_write_text(self.folder / LAST, json.dumps(data, ensure_ascii=False, indent=1))
        self._gc({i["path"] for i in kept} | {i["subtitles"] for i in kept if i["subtitles"]})

    def _gc(self, keep: set[str]) -> None:
        for path in (self.folder / "media").iterdir():
            if path.name not in keep:
                path.unlink(missing_ok=True)

    def _read_last(self) -> dict[str, Any]:
        try:
            data = json.loads((self.folder / LAST).read_text(encoding="utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def has_last(self) -> bool:
        return bool(self._read_last().get("items"))

    def last_verified(self, reason: str) -> Plan:
        """The last plan that played, with only the files whose hash still matches."""
        data = self._read_last()
        media = self.folder / "media"
        items = []
        for raw in data.get("items", []):
            try:
                item = Item(**raw)
            except TypeError:
                continue
            path = media / item.path
            if path.is_file() and sha256_file(path) == item.sha256:
                item.path = str(path)
                item.subtitles = str(media / item.subtitles) if item.subtitles else ""
                items.append(item)
        log.warning(
            "signage: %s; playing the last verified playlist (%d items)", reason, len(items)
        )
        source = "last_verified" if items else "none"
        return Plan(items, source, data.get("content_date"), data.get("playlists", []), reason)


def _item(library: Library, slot: Slot) -> Item | None:
    """A slot's file, if the generation has it with the size its manifest recorded."""
    m = slot.media
    try:
        path = library.file_path(m.file)
    except Exception:  # noqa: BLE001 - a missing file drops one item, never the loop
        log.warning("signage: media file missing: %s", m.file)
        return None
    entry = library.manifest.get("files", {}).get(f"files/{m.file}") or {}
    if not entry or entry.get("size") != path.stat().st_size:
        log.warning("signage: %s does not match the library's manifest", m.file)
        return None
    subs = next(
        (p for p in (path.with_suffix(".vtt"), path.with_suffix(".srt")) if p.is_file()), None
    )
    return Item(
        m.id,
        m.type,
        m.title,
        str(path),
        slot.duration_s,
        entry["sha256"],
        str(subs) if subs and m.type == "video" else "",
        slot.playlist,
    )


def _store(src: Path, folder: Path, digest: str) -> Path | None:
    """`folder/<sha256><suffix>`: a hard link to src (else a copy checked against the hash)."""
    dest = folder / f"{digest}{src.suffix.lower()}"
    if dest.is_file():
        return dest
    try:
        os.link(src, dest)
        return dest
    except OSError:
        pass
    try:
        atomic_copy_file(src, dest)
    except OSError as exc:
        log.warning("signage: cannot keep %s: %s", src, exc)
        return None
    if sha256_file(dest) != digest:
        dest.unlink(missing_ok=True)
        return None
    return dest


# ---------------------------------------------------------------- play counts


def _m0001(db: sqlite_utils.Database) -> None:
    db.execute(
        "CREATE TABLE IF NOT EXISTS signage_plays (day TEXT, media_id TEXT, count INTEGER,"
        " PRIMARY KEY (day, media_id))"
    )


MIGRATIONS = [Migration("signage", "0001_plays", _m0001)]


def record_play(db: sqlite_utils.Database, media_id: str, day: date | None = None) -> None:
    """One play: the day's `media_play` total (usage report) and the item's own count."""
    from kiosk import stats

    stats.record(db, "media_play", day=day)
    with db.atomic():
        db.execute(
            "INSERT INTO signage_plays (day, media_id, count) VALUES (?, ?, 1)"
            " ON CONFLICT (day, media_id) DO UPDATE SET count = count + 1",
            [(day or date.today()).isoformat(), media_id],
        )


def plays(db: sqlite_utils.Database, start: date, end: date) -> list[tuple[str, int]]:
    """(media id, plays) between two days, most played first."""
    rows = db.execute(
        "SELECT media_id, SUM(count) FROM signage_plays WHERE day BETWEEN ? AND ?"
        " GROUP BY media_id ORDER BY 2 DESC, 1",
        [start.isoformat(), end.isoformat()],
    ).fetchall()
    return [(r[0], r[1]) for r in rows]
