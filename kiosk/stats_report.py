"""The usage report as data: kinds of count, the report built from plain rows, its CSV.

Free of storage (kiosk.stats reads the kiosk's counters, kiosk.central_fleet the centre's
uploads) and of rendering (kiosk.stats_pdf), so both reports share one builder.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from offline_index.errors import LawShelfError

EVENTS = ("session", "search", "document_open", "contest_attempt", "question", "media_play")
EVENT_LABELS_VI = {
    "session": "Lượt sử dụng",
    "search": "Lượt tìm kiếm",
    "document_open": "Văn bản được mở",
    "contest_attempt": "Lượt dự thi",
    "question": "Câu hỏi đã gửi",
    "media_play": "Lượt phát video, đồ họa",  # public screens (kiosk/signage.py)
}


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
        """Per day for up to 62 days, else per month: what a chart can show, labelled as
        Vietnamese dates are written (`27/11`, `11/2026`; not ISO's `11-27`)."""
        if len(self.days) <= 62:
            return [(f"{d[8:10]}/{d[5:7]}", c) for d, c in self.days]
        months: dict[str, dict[str, int]] = {}
        for day, counts in self.days:
            m = months.setdefault(f"{day[5:7]}/{day[:4]}", dict.fromkeys(EVENTS, 0))
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
