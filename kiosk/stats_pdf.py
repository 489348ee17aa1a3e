"""The usage report as a one-page A4 PDF (pymupdf), for the annual report to the
Department of Justice: totals, a bar chart, then each kind of labelled count under its
own heading (kiosk.stats_report.ITEM_KINDS) and the k-anonymity note."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import Any

from kiosk.stats_report import EVENT_LABELS_VI, EVENTS, ITEM_KINDS, UsageReport

log = logging.getLogger(__name__)

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
