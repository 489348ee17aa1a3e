"""Usage counters and the librarian's usage report.

Only daily counts are kept: no session ids, no times of day, nothing about a person.
Some counts carry a label, and each kind of count has its own (ITEM_KINDS): a search is
counted under the library document (or Q&A field) that answered it first, never under
what the resident typed (issue 18 found a name and a phone number stored word for word);
a document opened under its number or title; a contest attempt under the contest; a
question under its field. Long digit runs (phone, ID numbers) never reach a label. A
label is only ever shown, exported or uploaded when counted at least `stats_min_count`
times (k-anonymity).

The report is built from plain rows (kiosk.stats_report.build_report, re-exported here),
so the centre's report across kiosks reuses it and its exports (CSV, one-page PDF).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import unicodedata
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Protocol

import sqlite_utils

from kiosk.stats_pdf import report_pdf
from kiosk.stats_report import (
    EVENT_LABELS_VI,
    EVENTS,
    ITEM_KIND,
    ITEM_KINDS,
    ItemKind,
    StatsError,
    UsageReport,
    build_report,
    report_csv,
)
from offline_index.fsutil import atomic_write_bytes
from offline_index.migrations import writing
from sync import outbox

__all__ = [
    "EVENTS",
    "EVENT_LABELS_VI",
    "ITEM_KINDS",
    "ItemKind",
    "StatsError",
    "UsageReport",
    "build_report",
    "export_csv",
    "export_pdf",
    "export_files",
    "record",
    "report_csv",
    "search_topic",
    "usage_report",
]

log = logging.getLogger(__name__)

TOPIC_MAX = 60
NO_RESULT_VI = "(không tìm thấy kết quả)"  # the label of a search that found nothing


# ---------------------------------------------------------------- labels

# Seven or more digits, spaces, dots or dashes allowed between them: phone numbers
# (0912 000 111), ID card numbers (9 or 12 digits). Official numbers (100/2019/NĐ-CP) and
# dates have shorter runs.
_DIGIT_RUN = re.compile(r"\d(?:[ .\-]?\d){6,}")


def normalise_label(text: str) -> str:
    """NFC with single spaces, no long digit runs, cut to TOPIC_MAX. Labels are library
    content, so their case is kept ("Luật Cư trú (68/2020/QH14)")."""
    text = unicodedata.normalize("NFC", text or "")
    text = _DIGIT_RUN.sub(" ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return text[:TOPIC_MAX].strip()


class TopHit(Protocol):
    """What search_topic reads of a search hit (offline_index.search_engine.Hit)."""

    hit_type: str
    doc_number: str
    doc_title: str
    kind: str


def search_topic(hits: Sequence[TopHit], qa_field: str | None = None) -> str:
    """What a search was about, in the library's own words: the document of its top hit
    ("Luật Cư trú (68/2020/QH14)", "Nghị định 100/2019/NĐ-CP"), the field of a Q&A
    answer, or NO_RESULT_VI. Nothing of the typed text."""
    if not hits:
        return NO_RESULT_VI
    top = hits[0]
    if top.hit_type == "qa":
        return f"Hỏi đáp: {qa_field}" if qa_field else "Hỏi đáp"
    if top.hit_type == "notice":
        return "Thông báo"
    title, number = top.doc_title.strip(), top.doc_number.strip()
    if number and len(title) > 40:
        return f"{top.kind} {number}".strip()
    return f"{title} ({number})" if number else title


# ---------------------------------------------------------------- counting


def record(
    db: sqlite_utils.Database, event: str, label: str | None = None, *, day: date | None = None
) -> None:
    """Count one event for today (local date), under a label of library content if any."""
    if event not in EVENTS:
        raise StatsError(f"unknown usage event {event!r}; expected one of {', '.join(EVENTS)}")
    key = (day or date.today()).isoformat()
    label = normalise_label(label) if label and event in ITEM_KIND else ""
    with writing(db):
        db.execute(
            "INSERT INTO usage_daily (day, event, count) VALUES (?, ?, 1)"
            " ON CONFLICT (day, event) DO UPDATE SET count = count + 1",
            [key, event],
        )
        if label:
            db.execute(
                "INSERT INTO usage_items (day, event, label, count) VALUES (?, ?, ?, 1)"
                " ON CONFLICT (day, event, label) DO UPDATE SET count = count + 1",
                [key, event, label],
            )


def usage_report(
    db: sqlite_utils.Database,
    start: date | None = None,
    end: date | None = None,
    *,
    min_count: int = 5,
    ward_name: str = "",
) -> UsageReport:
    """Counts per day for [start, end] (default: the last 30 days) and k-anonymous labels."""
    end = end or date.today()
    start = start or end - timedelta(days=29)
    span = [start.isoformat(), end.isoformat()]
    daily = db.execute(
        "SELECT day, event, count FROM usage_daily WHERE day BETWEEN ? AND ?", span
    ).fetchall()
    items = db.execute(
        "SELECT day, event, label, count FROM usage_items WHERE day BETWEEN ? AND ?", span
    ).fetchall()
    return build_report(start, end, daily, items, min_count=min_count, ward_name=ward_name)


def report_from_settings(
    db: sqlite_utils.Database, home: Path, start: date | None = None, end: date | None = None
) -> UsageReport:
    from kiosk import settings

    values = settings.load(home, db)
    return usage_report(
        db, start, end, min_count=values.stats_min_count, ward_name=values.ward_name
    )


# ---------------------------------------------------------------- exports

# Exports stay private to the kiosk user (as they were when written via tempfile.mkstemp).
EXPORT_MODE = 0o600


def export_csv(rep: UsageReport, path: Path) -> Path:
    # UTF-8 with BOM so spreadsheet programs on Windows show Vietnamese correctly.
    data = ("\ufeff" + report_csv(rep)).encode("utf-8")
    atomic_write_bytes(path, data, mode=EXPORT_MODE)
    return Path(path)


def export_pdf(rep: UsageReport, path: Path) -> Path:
    """A one-page A4 report for the annual report to the Department of Justice."""
    atomic_write_bytes(path, report_pdf(rep), mode=EXPORT_MODE)
    return Path(path)


def export_files(
    rep: UsageReport, csv_path: Path | None, pdf_path: Path | None
) -> list[tuple[Path, bool]]:
    """Write the report as CSV and/or PDF; returns (path, whether a file was replaced) each.

    A missing folder is refused before anything is written. Why: an export names a folder
    on a USB stick; when the stick is not mounted that folder is missing, and creating it
    would leave the report on the kiosk's own disk, unseen."""
    targets = [(Path(p), fn) for p, fn in ((csv_path, export_csv), (pdf_path, export_pdf)) if p]
    for path, _ in targets:
        if not path.parent.is_dir():
            raise StatsError(
                f"no folder {path.parent} (is the USB stick plugged in?); nothing written"
            )
        if path.exists() and not path.is_file():  # `/dev/sdb1` typed for the mount point
            raise StatsError(f"{path} is not a file (a device or a folder); nothing written")
    done = []
    for path, fn in targets:
        existed = path.exists()
        done.append((fn(rep, path), existed))
    return done


# ---------------------------------------------------------------- upload via the outbox


def daily_totals(db: sqlite_utils.Database, day: str, min_count: int) -> dict:
    """The upload payload for one day: counts, and per kind only labels at or above min_count."""
    counts = dict.fromkeys(EVENTS, 0)
    for event, n in db.execute("SELECT event, count FROM usage_daily WHERE day = ?", [day]):
        counts[event] = n
    # Lists of pairs, not dicts: label text must never be mistaken for a payload key.
    items: dict[str, list[list]] = {k.event: [] for k in ITEM_KINDS}
    for event, label, n in db.execute(
        "SELECT event, label, count FROM usage_items WHERE day = ? AND count >= ?"
        " ORDER BY event, label",
        [day, max(1, min_count)],
    ):
        if event in items:
            items[event].append([label, n])
    return {"day": day, "counts": counts, "items": items, "upsert_key": f"usage_daily/{day}"}


def payload_rows(
    payload: dict,
) -> tuple[list[tuple[str, str, int]], list[tuple[str, str, str, int]]]:
    """The rows of one uploaded day (the inverse of daily_totals), for build_report.

    Malformed entries are skipped. The `topics` of older kiosks are not read: they mixed
    search texts with contest ids and question fields, under one label (issue 13).
    """
    day = str(payload.get("day", ""))
    counts = payload.get("counts") if isinstance(payload.get("counts"), dict) else {}
    daily = [(day, e, n) for e, n in counts.items() if e in EVENTS and _count(n)]
    items: list[tuple[str, str, str, int]] = []
    given = payload.get("items") if isinstance(payload.get("items"), dict) else {}
    for event, pairs in given.items():
        for pair in pairs if event in ITEM_KIND and isinstance(pairs, list) else []:
            if isinstance(pair, list) and len(pair) == 2 and _count(pair[1]):
                items.append((day, event, str(pair[0]), pair[1]))
    return daily, items


def _count(n: object) -> bool:
    return isinstance(n, int) and not isinstance(n, bool) and n >= 0


def queue_daily_totals(
    db: sqlite_utils.Database, home: Path, *, today: date | None = None, min_count: int = 5
) -> int:
    """Put each finished day's totals into the outbox once (again only if they changed).

    The payload carries `upsert_key` so the centre replaces rather than adds: a re-sent
    day never double-counts. Returns the number of records queued.
    """
    today_s = (today or date.today()).isoformat()
    days = [
        r[0]
        for r in db.execute(
            "SELECT DISTINCT day FROM usage_daily WHERE day < ? ORDER BY day", [today_s]
        )
    ]
    queued = 0
    for day in days:
        payload = daily_totals(db, day, min_count)
        digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
        sent = db.execute("SELECT digest FROM usage_sent WHERE day = ?", [day]).fetchone()
        if sent and sent[0] == digest:
            continue
        with db.atomic():  # the outbox record and the "sent" mark commit together
            rid = outbox.append(db, "usage_daily", payload, home=home)
            db.execute(
                "INSERT OR REPLACE INTO usage_sent (day, digest, record_id, at)"
                " VALUES (?, ?, ?, ?)",
                [day, digest, rid, datetime.now(UTC).isoformat(timespec="seconds")],
            )
        queued += 1
    return queued
