"""Usage report: totals, bar charts per day or month, each kind of labelled count under its
own heading (k-anonymous), CSV/PDF export.

The chart is drawn with QPainter (no chart library needed). Exports go to the first USB
stick found (none: the screen asks for one), and are the same files as `lawshelf stats
export`.
"""

from __future__ import annotations

from datetime import date, timedelta
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk import admin_ops, stats
from ui.i18n import N_, tr
from ui.qt import QColor, QPainter, QRect, Qt, QWidget
from ui.screens.admin import register_admin
from ui.screens.admin_actions import ActionScreen
from ui.widgets import button, chip_row, label

if TYPE_CHECKING:
    from ui.shell import Shell

PERIODS = (("7", N_("7 ngày")), ("30", N_("30 ngày")), ("year", N_("Năm nay")))


class BarChart(QWidget):
    """Grouped bars for sessions and searches per bucket, with a small legend."""

    SERIES = (("session", "#0b5cad"), ("search", "#7fb0e0"))
    SERIES_CONTRAST = (("session", "#ffff00"), ("search", "#00ffff"))  # on black, told apart

    @property
    def series(self) -> tuple[tuple[str, str], ...]:
        return self.SERIES_CONTRAST if self.theme.high_contrast else self.SERIES

    def __init__(self, theme: Any) -> None:
        super().__init__()
        self.setObjectName("usage_chart")
        self.theme = theme
        self.buckets: list[tuple[str, dict[str, int]]] = []
        self.setFixedHeight(theme.mm(55))

    def set_buckets(self, buckets: list[tuple[str, dict[str, int]]]) -> None:
        self.buckets = buckets
        self.update()

    def paintEvent(self, ev: Any) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fg = QColor(self.theme.colors.fg)
        p.setPen(fg)
        font = p.font()
        font.setPixelSize(self.theme.small_px)
        p.setFont(font)
        w, h, pad = self.width(), self.height(), self.theme.small_px * 2
        base = h - pad
        peak = max([1] + [max(c["session"], c["search"]) for _, c in self.buckets])
        slot = (w - pad) / max(1, len(self.buckets))
        bar = max(1.0, slot * 0.4)
        every = max(1, len(self.buckets) // 12)
        for i, (lab, counts) in enumerate(self.buckets):
            x = pad + i * slot
            for j, (event, colour) in enumerate(self.series):
                bh = int((base - pad) * counts[event] / peak)
                p.fillRect(QRect(int(x + j * bar), base - bh, max(1, int(bar)), bh), QColor(colour))
            if i % every == 0:
                p.drawText(
                    QRect(int(x), base + 2, int(slot * every), pad), Qt.AlignmentFlag.AlignLeft, lab
                )
        p.drawLine(pad, base, w, base)
        p.drawText(
            QRect(pad, 0, w - pad, pad),
            Qt.AlignmentFlag.AlignLeft,
            tr("cao nhất: {n}").format(n=peak),
        )
        fm = p.fontMetrics()
        texts = [tr(stats.EVENT_LABELS_VI[e]) for e, _ in self.series]
        widths = [pad + fm.horizontalAdvance(t) + pad // 2 for t in texts]
        x = w - sum(widths)
        for (_event, colour), text, width in zip(self.series, texts, widths, strict=True):
            p.fillRect(QRect(x, pad // 4, pad // 2, pad // 2), QColor(colour))
            p.drawText(QRect(x + pad * 3 // 4, 0, width, pad), Qt.AlignmentFlag.AlignLeft, text)
            x += width
        p.end()


def items_html(rep: stats.UsageReport, shown: int = 8) -> str:
    """One paragraph per kind of labelled count (kiosk.stats.ITEM_KINDS): its own heading,
    its most counted labels, and how many it withheld (k-anonymity)."""
    out = []
    for kind in stats.ITEM_KINDS:
        items = rep.items.get(kind.event, [])[:shown]
        text = ", ".join(f"{escape(t)} ({n})" for t, n in items) or "—"
        hidden = rep.hidden.get(kind.event, 0)
        if hidden:
            text += " · " + tr("{n} {item} dưới {k} lượt không hiển thị").format(
                n=hidden, item=tr(kind.item_vi), k=rep.min_count
            )
        out.append(f"<b>{escape(tr(kind.heading_vi))}:</b> {text}")
    return "<br>".join(out)


def period_dates(key: str, today: date | None = None) -> tuple[date, date]:
    today = today or date.today()
    if key == "year":
        return date(today.year, 1, 1), today
    return today - timedelta(days=int(key) - 1), today


def export_dir() -> Path | None:
    """The first stick found; None without one. Not HOME/exports: nothing on the screen or the
    stick would ever bring the files from there to the Department of Justice."""
    sticks = admin_ops.find_sticks()
    return sticks[0].path if sticks else None


def _report(home: Path, start: date, end: date) -> stats.UsageReport:
    from kiosk.state import open_state

    db = open_state(home)
    try:
        return stats.report_from_settings(db, home, start, end)
    finally:
        db.conn.close()


def _export(folder: Path, rep: stats.UsageReport, progress: Any) -> list[Path]:
    stem = f"bao-cao-su-dung-{rep.start:%Y%m%d}-{rep.end:%Y%m%d}"
    progress("export", 0, 2)
    out = [stats.export_csv(rep, folder / f"{stem}.csv")]
    progress("export", 1, 2)
    out.append(stats.export_pdf(rep, folder / f"{stem}.pdf"))
    progress("export", 2, 2)
    return out


class ReportScreen(ActionScreen):
    def __init__(self, shell: Shell) -> None:
        super().__init__(shell, tr("Báo cáo sử dụng"))
        self.setObjectName("admin_report")
        self.report: stats.UsageReport | None = None
        chips, self.period_buttons = chip_row(
            [(tr(text), lambda k=key: self.load(k)) for key, text in PERIODS],
            checkable=True,
            name="report_periods",
        )
        self.layout_.addWidget(chips)
        self.totals = label("", rich=True, name="report_totals")
        self.chart = BarChart(self.theme)
        self.topics = label("", "small", rich=True, name="report_topics")
        self.layout_.addWidget(self.totals)
        self.layout_.addWidget(self.chart)
        self.layout_.addWidget(self.topics)
        self.layout_.addWidget(
            button(
                tr("Xuất báo cáo (CSV và PDF)"), self.export, role="primary", name="report_export"
            )
        )
        self.add_progress()
        self.layout_.addStretch(1)
        self.load("30")

    def load(self, key: str) -> None:
        for (k, _text), b in zip(PERIODS, self.period_buttons, strict=True):
            b.setChecked(k == key)
        start, end = period_dates(key)
        self.shell.ctx.ops.run(
            _report,
            self.shell.ctx.home,
            start,
            end,
            on_done=self.show_report,
            on_error=lambda exc: self.show_result(repr(exc), ok=False),
            pool="state",
            owner=self,
        )

    def show_report(self, rep: stats.UsageReport) -> None:
        self.report = rep
        cells = "".join(
            f"<td>{tr(stats.EVENT_LABELS_VI[e])}<br><b>{rep.totals[e]}</b></td>"
            for e in stats.EVENTS
        )
        self.totals.setText(
            f"{rep.start:%d/%m/%Y} – {rep.end:%d/%m/%Y}"
            f"<table cellpadding='6'><tr>{cells}</tr></table>"
        )
        self.chart.set_buckets(rep.buckets())
        self.topics.setText(items_html(rep))

    def export(self) -> None:
        if self.report is None:
            return
        if (stick := export_dir()) is None:
            self.show_result(tr("Chưa thấy USB nào. Cắm USB rồi bấm lại."), ok=False)
            return
        self.start(_export, stick, self.report, done=self._exported, source="report")

    def _exported(self, paths: list[Path]) -> None:
        self.exported = paths
        text = tr("Đã xuất: {p}").format(p=", ".join(str(p) for p in paths))
        if self.report is not None and not self.report.ward_name:  # whose report is it?
            text += " " + tr("Báo cáo chưa có tên xã/phường: hãy điền tên trong Cài đặt.")
        self.show_result(text)


register_admin("admin_report", lambda shell, **kw: ReportScreen(shell))
