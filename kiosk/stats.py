"""Usage counters and the librarian's usage report.

Only daily counts are kept: no session ids, no times of day, nothing about a person.
Search topics are kept as normalised text per day and are only ever shown, exported
or uploaded when counted at least `stats_min_count` times (k-anonymity), so a rare
query (which could name a person) never leaves the counter table.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlite_utils

from offline_index.errors import LawShelfError
from offline_index.fsutil import atomic_write_bytes

log = logging.getLogger(__name__)

EVENTS = ("session", "search", "document_open", "contest_attempt", "question", "media_play")
EVENT_LABELS_VI = {
    "session": "Lượt sử dụng",
    "search": "Lượt tìm kiếm",
    "document_open": "Văn bản được mở",
    "contest_attempt": "Lượt dự thi",
    "question": "Câu hỏi đã gửi",
    "media_play": "Lượt phát video, đồ họa",  # scans-signage: public screens (kiosk/signage.py)
}
TOPIC_MAX = 60
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/noto/NotoSans-{w}.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans{d}.ttf",
)


class StatsError(LawShelfError):
    message_vi = "Không tạo được báo cáo sử dụng."


# ---------------------------------------------------------------- counting


def normalise_topic(text: str) -> str:
    """Lower-case NFC with single spaces, cut to TOPIC_MAX: 'Ly  Hôn' and 'ly hôn' count together."""
    text = unicodedata.normalize("NFC", text or "").lower()
    text = re.sub(r"\s+", " ", text).strip()
    return text[:TOPIC_MAX].strip()


def record(
    db: sqlite_utils.Database, event: str, topic: str | None = None, *, day: date | None = None
) -> None:
    """Count one event for today (local date); a search may carry its topic text."""
    if event not in EVENTS:
        raise StatsError(f"unknown usage event {event!r}; expected one of {', '.join(EVENTS)}")
    key = (day or date.today()).isoformat()
    topic = normalise_topic(topic) if topic else ""
    with db.atomic():
        db.execute(
            "INSERT INTO usage_daily (day, event, count) VALUES (?, ?, 1)"
            " ON CONFLICT (day, event) DO UPDATE SET count = count + 1",
            [key, event],
        )
        if topic:
            db.execute(
                "INSERT INTO usage_topics (day, topic, count) VALUES (?, ?, 1)"
                " ON CONFLICT (day, topic) DO UPDATE SET count = count + 1",
                [key, topic],
            )


# ---------------------------------------------------------------- the report


@dataclass
class UsageReport:
    start: date
    end: date
    min_count: int
    ward_name: str = ""
    days: list[tuple[str, dict[str, int]]] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)
    topics: list[tuple[str, int]] = field(default_factory=list)  # only those >= min_count
    hidden_topics: int = 0  # how many distinct topics were withheld (never their text)

    def buckets(self) -> list[tuple[str, dict[str, int]]]:
        """Per day for up to 62 days, else per month: what a chart can show."""
        if len(self.days) <= 62:
            return [(d[5:], c) for d, c in self.days]
        months: dict[str, dict[str, int]] = {}
        for day, counts in self.days:
            m = months.setdefault(day[:7], dict.fromkeys(EVENTS, 0))
            for e in EVENTS:
                m[e] += counts[e]
        return list(months.items())


def usage_report(
    db: sqlite_utils.Database,
    start: date | None = None,
    end: date | None = None,
    *,
    min_count: int = 5,
    ward_name: str = "",
) -> UsageReport:
    """Counts per day for [start, end] (default: the last 30 days) and k-anonymous topics."""
    end = end or date.today()
    start = start or end - timedelta(days=29)
    if start > end:
        raise StatsError(f"the report starts ({start}) after it ends ({end})")
    rep = UsageReport(start, end, max(1, min_count), ward_name)
    rows = db.execute(
        "SELECT day, event, count FROM usage_daily WHERE day BETWEEN ? AND ?",
        [start.isoformat(), end.isoformat()],
    ).fetchall()
    by_day: dict[str, dict[str, int]] = {}
    for day, event, count in rows:
        by_day.setdefault(day, dict.fromkeys(EVENTS, 0))[event] = count
    d = start
    while d <= end:
        rep.days.append((d.isoformat(), by_day.get(d.isoformat(), dict.fromkeys(EVENTS, 0))))
        d += timedelta(days=1)
    rep.totals = {e: sum(c[e] for _, c in rep.days) for e in EVENTS}
    rep.topics, rep.hidden_topics = _topics(db, start, end, rep.min_count)
    return rep


def _topics(db: sqlite_utils.Database, start: date, end: date, k: int) -> tuple[list, int]:
    rows = db.execute(
        "SELECT topic, SUM(count) AS n FROM usage_topics WHERE day BETWEEN ? AND ?"
        " GROUP BY topic ORDER BY n DESC, topic",
        [start.isoformat(), end.isoformat()],
    ).fetchall()
    shown = [(t, n) for t, n in rows if n >= k]
    return shown, len(rows) - len(shown)


def report_from_settings(
    db: sqlite_utils.Database, home: Path, start: date | None = None, end: date | None = None
) -> UsageReport:
    from kiosk import settings

    values = settings.load(home, db)
    return usage_report(
        db, start, end, min_count=values["stats_min_count"], ward_name=values["ward_name"]
    )


# ---------------------------------------------------------------- exports

# Exports stay private to the kiosk user (as they were when written via tempfile.mkstemp).
EXPORT_MODE = 0o600


def report_csv(rep: UsageReport) -> str:
    """One row per day, then the k-anonymous topics under their own header row."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["date", *EVENTS])
    for day, counts in rep.days:
        w.writerow([day, *(counts[e] for e in EVENTS)])
    w.writerow(["total", *(rep.totals[e] for e in EVENTS)])
    w.writerow([])
    w.writerow(["topic", f"searches (only topics counted >= {rep.min_count})"])
    for topic, n in rep.topics:
        w.writerow([topic, n])
    return buf.getvalue()


def export_csv(rep: UsageReport, path: Path) -> Path:
    # UTF-8 with BOM so spreadsheet programs on Windows show Vietnamese correctly.
    data = ("\ufeff" + report_csv(rep)).encode("utf-8")
    atomic_write_bytes(path, data, mode=EXPORT_MODE)
    return Path(path)


def _font(weight: str) -> str | None:
    for pattern in FONT_CANDIDATES:
        p = Path(pattern.format(w=weight, d="-Bold" if weight == "Bold" else ""))
        if p.exists():
            return str(p)
    return None


def export_pdf(rep: UsageReport, path: Path) -> Path:
    """A one-page A4 report for the annual report to the Department of Justice."""
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    fonts = {}
    for name, weight in (("reg", "Regular"), ("bold", "Bold")):
        file = _font(weight)
        if file:
            page.insert_font(fontname=name, fontfile=file)
            fonts[name] = name
        else:
            fonts[name] = "helv"
    _pdf_body(page, rep, fonts)
    try:  # embed only the glyphs used: ~50 KB instead of ~550 KB of full fonts
        doc.subset_fonts()
    except Exception:  # noqa: BLE001 - an unsubset PDF is still a correct report
        log.info("font subsetting unavailable; the PDF keeps whole fonts")
    data = doc.tobytes(garbage=3, deflate=True)
    doc.close()
    atomic_write_bytes(path, data, mode=EXPORT_MODE)
    return Path(path)


def _pdf_body(page, rep: UsageReport, f: dict[str, str]) -> None:  # noqa: ANN001 - pymupdf Page
    y = 60.0
    page.insert_text(
        (50, y), "BÁO CÁO SỬ DỤNG MÁY TRA CỨU PHÁP LUẬT", fontname=f["bold"], fontsize=16
    )
    y += 24
    page.insert_text((50, y), rep.ward_name or "", fontname=f["bold"], fontsize=13)
    y += 20
    period = f"Thời gian: {rep.start:%d/%m/%Y} – {rep.end:%d/%m/%Y}"
    made = f"Lập ngày {datetime.now().astimezone():%d/%m/%Y}"
    page.insert_text((50, y), f"{period}    {made}", fontname=f["reg"], fontsize=10)
    y += 30
    for event in EVENTS:
        page.insert_text((60, y), EVENT_LABELS_VI[event], fontname=f["reg"], fontsize=11)
        page.insert_text(
            (330, y), f"{rep.totals[event]:>10,}".replace(",", "."), fontname=f["bold"], fontsize=11
        )
        y += 18
    y = _pdf_chart(page, rep, f, y + 20)
    _pdf_topics(page, rep, f, y + 20)


def _pdf_chart(page, rep: UsageReport, f: dict[str, str], top: float) -> float:  # noqa: ANN001
    """Bars of sessions (dark) and searches (light) per day or month."""
    import pymupdf

    buckets = rep.buckets()
    page.insert_text(
        (50, top),
        "Lượt sử dụng và tìm kiếm theo " + ("ngày" if len(rep.days) <= 62 else "tháng"),
        fontname=f["bold"],
        fontsize=11,
    )
    left, width, height, base = 60.0, 480.0, 200.0, top + 230
    peak = max([1] + [max(c["session"], c["search"]) for _, c in buckets])
    slot = width / max(1, len(buckets))
    bar = max(1.0, slot * 0.4)
    for i, (label, c) in enumerate(buckets):
        x = left + i * slot
        for j, (event, colour) in enumerate(
            (("session", (0.1, 0.3, 0.6)), ("search", (0.5, 0.7, 0.9)))
        ):
            h = height * c[event] / peak
            if h > 0:
                page.draw_rect(
                    pymupdf.Rect(x + j * bar, base - h, x + (j + 1) * bar, base),
                    color=None,
                    fill=colour,
                )
        if len(buckets) <= 16 or i % max(1, len(buckets) // 12) == 0:
            page.insert_text((x, base + 12), label, fontname=f["reg"], fontsize=7)
    page.draw_line((left, base), (left + width, base), color=(0, 0, 0), width=0.5)
    page.insert_text((left, top + 18), f"cao nhất: {peak}", fontname=f["reg"], fontsize=8)
    page.draw_rect(pymupdf.Rect(400, top + 10, 408, top + 18), color=None, fill=(0.1, 0.3, 0.6))
    page.insert_text((412, top + 18), "sử dụng", fontname=f["reg"], fontsize=8)
    page.draw_rect(pymupdf.Rect(460, top + 10, 468, top + 18), color=None, fill=(0.5, 0.7, 0.9))
    page.insert_text((472, top + 18), "tìm kiếm", fontname=f["reg"], fontsize=8)
    return base + 20


def _pdf_topics(page, rep: UsageReport, f: dict[str, str], y: float) -> None:  # noqa: ANN001
    page.insert_text((50, y), "Chủ đề được tìm nhiều nhất", fontname=f["bold"], fontsize=11)
    y += 18
    for topic, n in rep.topics[:12]:
        page.insert_text((60, y), topic, fontname=f["reg"], fontsize=10)
        page.insert_text((400, y), str(n), fontname=f["reg"], fontsize=10)
        y += 15
    if not rep.topics:
        page.insert_text(
            (60, y), "(chưa có chủ đề nào đủ số lượt để báo cáo)", fontname=f["reg"], fontsize=10
        )
        y += 15
    note = (
        f"Báo cáo không chứa dữ liệu cá nhân. Chủ đề tìm kiếm dưới {rep.min_count} lượt "
        f"không được liệt kê ({rep.hidden_topics} chủ đề)."
    )
    page.insert_text((50, 800), note, fontname=f["reg"], fontsize=8)


# ---------------------------------------------------------------- upload via the outbox


def daily_totals(db: sqlite_utils.Database, day: str, min_count: int) -> dict:
    """The upload payload for one day: counts and only the topics at or above min_count."""
    counts = dict.fromkeys(EVENTS, 0)
    for event, n in db.execute("SELECT event, count FROM usage_daily WHERE day = ?", [day]):
        counts[event] = n
    # A list of pairs, not a dict: topic text must never be mistaken for a payload key.
    topics = [
        [t, n]
        for t, n in db.execute(
            "SELECT topic, count FROM usage_topics WHERE day = ? AND count >= ? ORDER BY topic",
            [day, max(1, min_count)],
        )
    ]
    return {"day": day, "counts": counts, "topics": topics, "upsert_key": f"usage_daily/{day}"}


def queue_daily_totals(
    db: sqlite_utils.Database, home: Path, *, today: date | None = None, min_count: int = 5
) -> int:
    """Put each finished day's totals into the outbox once (again only if they changed).

    The payload carries `upsert_key` so the centre replaces rather than adds: a re-sent
    day never double-counts. Returns the number of records queued.
    """
    try:
        from sync import outbox
    except ModuleNotFoundError:
        log.info("no outbox yet; usage totals stay local")
        return 0
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
