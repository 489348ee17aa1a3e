"""Usage counters and the librarian's usage report.

Only daily counts are kept: no session ids, no times of day, nothing about a person.
Some counts carry a label, and each kind of count has its own (ITEM_KINDS): a search is
counted under the library document (or Q&A field) that answered it first, never under
what the resident typed (issue 18 found a name and a phone number stored word for word);
a document opened under its number or title; a contest attempt under the contest; a
question under its field. Long digit runs (phone, ID numbers) never reach a label. A
label is only ever shown, exported or uploaded when counted at least `stats_min_count`
times (k-anonymity).

The report is built from plain rows (`build_report`), so the centre's report across
kiosks reuses it and its exports (CSV, one-page PDF).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

import sqlite_utils

from offline_index.errors import LawShelfError
from offline_index.fsutil import atomic_write_bytes

log = logging.getLogger(__name__)

EVENTS = ("session", "search", "document_open", "contest_attempt", "question")
EVENT_LABELS_VI = {
    "session": "Lượt sử dụng",
    "search": "Lượt tìm kiếm",
    "document_open": "Văn bản được mở",
    "contest_attempt": "Lượt dự thi",
    "question": "Câu hỏi đã gửi",
}
TOPIC_MAX = 60
NO_RESULT_VI = "(không tìm thấy kết quả)"  # the label of a search that found nothing


@dataclass(frozen=True)
class ItemKind:
    """One kind of labelled count, and what the report calls its labels and its number."""

    event: str
    heading_vi: str  # section heading ("Chủ đề tìm kiếm")
    item_vi: str  # what one label is ("chủ đề"), for "... (3 chủ đề)"
    count_vi: str  # what the number counts ("lượt tìm")
    csv_item: str  # CSV header of the label column
    csv_count: str  # CSV header of the count column


ITEM_KINDS = (
    ItemKind(
        "search",
        "Chủ đề tìm kiếm (văn bản trả lời đầu tiên)",
        "chủ đề",
        "lượt tìm",
        "search_topic",
        "searches",
    ),
    ItemKind(
        "document_open", "Văn bản, tài liệu được mở", "văn bản", "lượt mở", "document", "opens"
    ),
    ItemKind("contest_attempt", "Cuộc thi", "cuộc thi", "lượt dự thi", "contest", "attempts"),
    ItemKind(
        "question",
        "Lĩnh vực câu hỏi gửi cán bộ",
        "lĩnh vực",
        "câu hỏi",
        "question_field",
        "questions",
    ),
)
ITEM_KIND = {k.event: k for k in ITEM_KINDS}


class StatsError(LawShelfError):
    message_vi = "Không tạo được báo cáo sử dụng."


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
    with db.atomic():
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


# ---------------------------------------------------------------- the report


@dataclass
class UsageReport:
    start: date
    end: date
    min_count: int
    ward_name: str = ""
    days: list[tuple[str, dict[str, int]]] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)
    # per labelled event (ITEM_KINDS): the labels counted >= min_count, most counted first
    items: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    hidden: dict[str, int] = field(default_factory=dict)  # per event: labels withheld

    @property
    def topics(self) -> list[tuple[str, int]]:
        """The search topics (the report's first list)."""
        return self.items.get("search", [])

    @property
    def hidden_topics(self) -> int:
        return self.hidden.get("search", 0)

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

    def withheld_vi(self) -> str:
        """The k-anonymity note, one clause per kind that withheld something."""
        parts = [
            f"{k.heading_vi.split(' (')[0]}: {self.hidden[k.event]} {k.item_vi}"
            for k in ITEM_KINDS
            if self.hidden.get(k.event)
        ]
        rule = f"Mục được đếm dưới {self.min_count} lượt không được liệt kê"
        return f"{rule} ({'; '.join(parts)})." if parts else f"{rule}."


def build_report(
    start: date,
    end: date,
    daily: Iterable[tuple[str, str, int]],
    items: Iterable[tuple[str, str, str, int]],
    *,
    min_count: int = 5,
    ward_name: str = "",
) -> UsageReport:
    """The report from plain rows: (day, event, count) and (day, event, label, count).

    Rows of several kiosks add up (the centre's report across kiosks).
    """
    if start > end:
        raise StatsError(f"the report starts ({start}) after it ends ({end})")
    rep = UsageReport(start, end, max(1, min_count), ward_name)
    by_day: dict[str, dict[str, int]] = {}
    for day, event, count in daily:
        if event in EVENTS and start.isoformat() <= day <= end.isoformat():
            counts = by_day.setdefault(day, dict.fromkeys(EVENTS, 0))
            counts[event] += count
    d = start
    while d <= end:
        rep.days.append((d.isoformat(), by_day.get(d.isoformat(), dict.fromkeys(EVENTS, 0))))
        d += timedelta(days=1)
    rep.totals = {e: sum(c[e] for _, c in rep.days) for e in EVENTS}
    summed: dict[str, dict[str, int]] = {k.event: {} for k in ITEM_KINDS}
    for day, event, label, count in items:
        if event in summed and start.isoformat() <= day <= end.isoformat():
            summed[event][label] = summed[event].get(label, 0) + count
    for event, labels in summed.items():
        ranked = sorted(labels.items(), key=lambda kv: (-kv[1], kv[0]))
        rep.items[event] = [(t, n) for t, n in ranked if n >= rep.min_count]
        rep.hidden[event] = len(ranked) - len(rep.items[event])
    return rep


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
        db, start, end, min_count=values["stats_min_count"], ward_name=values["ward_name"]
    )


# ---------------------------------------------------------------- exports

# Exports stay private to the kiosk user (as they were when written via tempfile.mkstemp).
EXPORT_MODE = 0o600


def report_csv(rep: UsageReport) -> str:
    """One row per day, then each kind of labelled count under its own header row."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["date", *EVENTS])
    for day, counts in rep.days:
        w.writerow([day, *(counts[e] for e in EVENTS)])
    w.writerow(["total", *(rep.totals[e] for e in EVENTS)])
    for kind in ITEM_KINDS:
        w.writerow([])
        w.writerow(
            [
                kind.csv_item,
                f"{kind.csv_count} (only those counted >= {rep.min_count};"
                f" {rep.hidden.get(kind.event, 0)} withheld)",
            ]
        )
        for label, n in rep.items.get(kind.event, []):
            w.writerow([label, n])
    return buf.getvalue()


def export_csv(rep: UsageReport, path: Path) -> Path:
    # UTF-8 with BOM so spreadsheet programs on Windows show Vietnamese correctly.
    data = ("\ufeff" + report_csv(rep)).encode("utf-8")
    atomic_write_bytes(path, data, mode=EXPORT_MODE)
    return Path(path)


def export_pdf(rep: UsageReport, path: Path) -> Path:
    """A one-page A4 report for the annual report to the Department of Justice."""
    atomic_write_bytes(path, report_pdf(rep), mode=EXPORT_MODE)
    return Path(path)


# ---------------------------------------------------------------- the PDF

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/noto/NotoSans-{w}.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans{d}.ttf",
)
ITEMS_PER_KIND = 6
COLUMN_PT = 245.0


def _font(weight: str) -> str | None:
    for pattern in FONT_CANDIDATES:
        p = Path(pattern.format(w=weight, d="-Bold" if weight == "Bold" else ""))
        if p.exists():
            return str(p)
    return None


class _Fonts:
    """Font names on the page and their metrics (to cut labels to a column)."""

    def __init__(self, page: Any) -> None:
        import pymupdf

        self.names: dict[str, str] = {}
        self.metrics: dict[str, Any] = {}
        for name, weight in (("reg", "Regular"), ("bold", "Bold")):
            file = _font(weight)
            if file:
                page.insert_font(fontname=name, fontfile=file)
                self.names[name], self.metrics[name] = name, pymupdf.Font(fontfile=file)
            else:
                self.names[name], self.metrics[name] = "helv", pymupdf.Font("helv")

    def __getitem__(self, key: str) -> str:
        return self.names[key]

    def fit(self, text: str, key: str, size: float, width: float) -> str:
        """The text, cut with '…' so that it fits `width` points."""
        font = self.metrics[key]
        if font.text_length(text, fontsize=size) <= width:
            return text
        while text and font.text_length(text + "…", fontsize=size) > width:
            text = text[:-1]
        return text.rstrip() + "…"


def report_pdf(rep: UsageReport) -> bytes:
    """Totals, a bar chart, then each kind of labelled count under its own heading."""
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    fonts = _Fonts(page)
    y = _pdf_head(page, rep, fonts)
    y = _pdf_chart(page, rep, fonts, y + 20)
    _pdf_items(page, rep, fonts, y + 20)
    try:  # embed only the glyphs used: ~50 KB instead of ~550 KB of full fonts
        doc.subset_fonts()
    except Exception:  # noqa: BLE001 - an unsubset PDF is still a correct report
        log.info("font subsetting unavailable; the PDF keeps whole fonts")
    data = doc.tobytes(garbage=3, deflate=True)
    doc.close()
    return data


def _pdf_head(page: Any, rep: UsageReport, f: _Fonts) -> float:
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
    return y


def _pdf_chart(page: Any, rep: UsageReport, f: _Fonts, top: float) -> float:
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


def _pdf_items(page: Any, rep: UsageReport, f: _Fonts, top: float) -> None:
    """Each kind of labelled count in its own box of a 2 x 2 grid, then the note."""
    import pymupdf

    for i, kind in enumerate(ITEM_KINDS):
        x = 50 + (i % 2) * (COLUMN_PT + 10)
        y = top + (i // 2) * (20 + 14 * (ITEMS_PER_KIND + 1))
        head = f.fit(kind.heading_vi, "bold", 10, COLUMN_PT)
        page.insert_text((x, y), head, fontname=f["bold"], fontsize=10)
        y += 16
        shown = rep.items.get(kind.event, [])[:ITEMS_PER_KIND]
        for label, n in shown:
            text = f.fit(label, "reg", 9, COLUMN_PT - 50)
            page.insert_text((x + 6, y), text, fontname=f["reg"], fontsize=9)
            page.insert_text((x + COLUMN_PT - 40, y), str(n), fontname=f["reg"], fontsize=9)
            y += 14
        if not shown:
            page.insert_text(
                (x + 6, y), "(chưa có mục nào đủ số lượt)", fontname=f["reg"], fontsize=9
            )
    note = "Báo cáo không chứa dữ liệu cá nhân. " + rep.withheld_vi()
    box = pymupdf.Rect(50, 790, 545, 822)
    page.insert_textbox(box, note, fontname=f["reg"], fontsize=8)


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
