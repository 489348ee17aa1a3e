"""Admin status: library version and date, last/next sync in plain words, disk, outbox, errors.

The data is kiosk.admin_ops.status_summary: the same sync status as `lawshelf status
--json`, read on the state worker thread each time the screen opens or Refresh is tapped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kiosk import admin_ops
from offline_index.dates import local_datetime
from ui.i18n import day, decimal, tr
from ui.screens.admin import register_admin
from ui.widgets import Screen, button, label

if TYPE_CHECKING:
    from pathlib import Path

    from ui.shell import Shell


def vn_time(value: Any) -> str:
    """ISO timestamp -> local 'HH:MM dd/mm/yyyy'; '—' when unknown."""
    if not value:
        return "—"
    t = local_datetime(value)
    return f"{t:%H:%M %d/%m/%Y}" if t else str(value)


def size_text(n: int | None) -> str:
    if not n:
        return "0 MB"
    return f"{decimal(n / 2**30)} GB" if n >= 2**30 else f"{n / 2**20:.0f} MB"


def _stale_text(sync: dict[str, Any]) -> str:
    if (days := sync.get("days_stale")) is None:
        return ""
    return " · ⚠ " + tr("đã {n} ngày chưa cập nhật: kiểm tra nguồn cập nhật hoặc nạp USB").format(
        n=days
    )


def status_lines(s: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) rows shown on the screen, in the order a librarian reads them."""
    lib, sync = s["library"], s["sync"]
    version = lib.get("version")
    lib_text = tr("bản {v}").format(v=version) if version is not None else tr("thư viện mẫu")
    dated = day(lib.get("content_date") or lib.get("built_at"))  # as the footer says it
    rows = [
        (tr("Thư viện"), f"{lib_text} · {tr('dữ liệu ngày')} {dated}"),
        (tr("Cập nhật lần cuối"), vn_time(sync.get("last_attempt"))),
        (tr("Thành công lần cuối"), vn_time(sync.get("last_success")) + _stale_text(sync)),
        (tr("Kết quả"), s["sync_text"]),
        (tr("Lần cập nhật tới"), vn_time(sync.get("next_sync"))),
        (tr("Dung lượng trống"), f"{size_text(s['disk_free'])} / {size_text(s['disk_total'])}"),
        (tr("Dữ liệu chờ gửi"), str(s["outbox"].get("pending", 0))),
    ]
    rows.append((tr("Phần mềm"), app_text(s.get("app") or {})))
    if s["maintenance"]:
        rows.append((tr("Bảo trì"), tr("đang bật (đến khi khởi động lại)")))
    rows.append((tr("Dự thi, liên hệ"), sealing_text(s.get("sealing") or {})))
    return rows


# Outcomes of an app update that a librarian should hear about (sync/app_sync, app_guard).
FAILED_UPDATES = {
    "refused",
    "fetch_failed",
    "failed_install",
    "failed_check",
    "failed_activation",
    "rolled_back",
}


def app_text(app: dict[str, Any]) -> str:
    """The running version, the one waiting to start, and a failed update in words."""
    running = app.get("running") or app.get("version") or "?"
    parts = [tr("phiên bản {v}").format(v=running)]
    if app.get("pending") and app["pending"] != running:
        parts.append(tr("phiên bản {v} sẽ chạy khi máy nghỉ").format(v=app["pending"]))
    last = app.get("last_update") or {}
    if last.get("outcome") in FAILED_UPDATES:
        parts.append(tr("lần cập nhật {v} không thành công").format(v=last.get("version") or ""))
    return " · ".join(parts)


def sealing_text(sealing: dict[str, Any]) -> str:
    """Whether contests and questions' contact details are open to residents, and if not,
    why and what fixes it."""
    if sealing.get("ready"):
        return tr("nhận được (khóa niêm phong {k})").format(k=sealing.get("key_id", ""))
    return tr(
        "CHƯA NHẬN: máy chưa có khóa niêm phong dữ liệu cá nhân của đơn vị phát hành, nên"
        " không mở cuộc thi và không hỏi số liên lạc. Cài khóa: lawshelf seal-keys install"
        " publisher_seal.pub"
    )


class StatusScreen(Screen):
    def __init__(self, shell: Shell) -> None:
        super().__init__(shell, tr("Tình trạng máy"))
        self.setObjectName("admin_status")
        self.body = label(tr("Đang đọc…"), rich=True, name="status_body")
        self.errors = label("", "small", name="status_errors")
        self.layout_.addWidget(self.body)
        self.layout_.addWidget(label(tr("Lỗi gần đây"), "title"))
        self.layout_.addWidget(self.errors)
        self.layout_.addStretch(1)
        self.layout_.addWidget(button(tr("Làm mới"), self.refresh, name="status_refresh"))
        self.summary: dict[str, Any] | None = None
        self.refresh()

    def refresh(self) -> None:
        home = self.shell.ctx.home
        self.shell.ctx.ops.run(
            _read_summary, home, on_done=self.show_summary, pool="state", owner=self
        )

    def show_summary(self, s: dict[str, Any]) -> None:
        import html

        if s["library"].get("generation") is None:  # the built-in demo: what the kiosk opened
            s["library"] |= {k: self.shell.ctx.info.get(k) for k in ("content_date", "built_at")}
        self.summary = s
        rows = "".join(
            f"<tr><td><b>{html.escape(k)}</b>&nbsp;&nbsp;</td><td>{html.escape(v)}</td></tr>"
            for k, v in status_lines(s)
        )
        self.body.setText(f"<table cellpadding='4'>{rows}</table>")
        errs = [f"{vn_time(e['at'])} · {e['source']}: {e['message']}" for e in s["errors"]]
        self.errors.setText("\n".join(errs) if errs else tr("Không có lỗi."))


def _read_summary(home: Path) -> dict[str, Any]:
    from kiosk.state import open_state

    db = open_state(home)
    try:
        return admin_ops.status_summary(home, db)
    finally:
        db.conn.close()


register_admin("admin_status", lambda shell, **kw: StatusScreen(shell))
