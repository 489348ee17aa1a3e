"""Admin actions with progress bars: sync now, import from a USB stick, export to a stick.

Sticks are found by polling the automount folders (kiosk.admin_ops.find_sticks) every
two seconds while a USB screen is open, so plugging one in is enough. An import is
verified first exactly like a sync (signed metadata, a tampered tree is refused) and the
librarian sees what would change before applying it. A sync or an import can be stopped
with the "Dừng" button under the progress bar: the job (sync.run.SyncJob) stops at its next
check and the library on the kiosk stays as it was; the next run resumes the download.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kiosk import admin_ops
from offline_index.errors import LawShelfError
from sync.errors import Cancelled
from ui import events
from ui.i18n import N_, day, error_message, tr
from ui.ops import logged_only
from ui.qt import QListWidget, QObject, QTimer, QtWidgets, Signal
from ui.screens.admin import register_admin
from ui.widgets import Screen, button, label

if TYPE_CHECKING:
    from pathlib import Path

    from kiosk.admin_ops import Progress
    from sync.run import SyncReport
    from ui.shell import Shell

log = logging.getLogger(__name__)
POLL_MS = 2000
STEP_VI = {
    "metadata": N_("Kiểm tra chữ ký"),
    "download": N_("Chép dữ liệu"),
    "build": N_("Dựng thư viện"),
    "ocr": N_("Nhận dạng chữ trên bản quét"),  # scans-signage: OCR of a scanned local PDF
    "export": N_("Xuất tệp"),
}
CANCELLED_TEXT = N_("Đã dừng. Thư viện trên máy vẫn giữ nguyên; lần sau sẽ tải tiếp phần còn lại.")


class _Bridge(QObject):
    """Carries progress from the worker thread to the GUI thread (queued signal)."""

    progressed = Signal(str, int, int)


def error_text(exc: BaseException) -> str:
    if isinstance(exc, LawShelfError):
        shown = error_message(exc, exc.message)  # the detail beside it, for the librarian
        return shown if shown == exc.message else f"{shown} ({exc.message})"
    # A bug: said to be one, with the line a technician needs (also in the log and under
    # recent errors on the status screen).
    return tr(
        "Lỗi không mong đợi (lỗi của phần mềm, không phải do thao tác). "
        "Hãy báo kỹ thuật viên, kèm dòng sau: {e}"
    ).format(e=f"{type(exc).__name__}: {exc}")


class ActionScreen(Screen):
    """A screen with one long action at a time: a progress bar and a result line."""

    def __init__(self, shell: Shell, title: str) -> None:
        super().__init__(shell, title)
        self.bar = QtWidgets.QProgressBar()
        self.bar.setObjectName("progress")
        self.bar.setMinimumHeight(self.theme.mm(8))
        self.bar.hide()
        self.step = label("", "small", name="step")
        self.result = label("", "notice", name="result")
        self.result.hide()
        self._bridge = _Bridge()
        self._bridge.progressed.connect(self._progress)
        self.busy = False
        self._cancel: threading.Event | None = None
        self.stop = button(tr("Dừng"), self.cancel, name="action_stop")
        self.stop.hide()
        self.locked_while_busy: list[QtWidgets.QWidget] = []  # a second run would only wait

    def add_progress(self) -> None:
        self.layout_.addWidget(self.step)
        self.layout_.addWidget(self.bar)
        self.layout_.addWidget(self.stop)
        self.layout_.addWidget(self.result)

    def start(
        self,
        fn: Callable[..., Any],
        *args: Any,
        done: Callable[[Any], None],
        source: str,
        cancellable: bool = False,
    ) -> None:
        """Run fn(*args, progress[, cancel]) on a worker; done(value) or an error line after.

        With `cancellable`, fn also gets a threading.Event that the Dừng button sets."""
        self.busy = True
        self.result.hide()
        self.bar.setRange(0, 0)  # busy until the first progress report
        self.bar.show()
        self._cancel = threading.Event() if cancellable else None
        extra = (self._cancel,) if self._cancel is not None else ()
        self.stop.setEnabled(True)
        self.stop.setVisible(cancellable)
        for widget in self.locked_while_busy:
            widget.setEnabled(False)

        def failed(exc: BaseException) -> None:
            self._finish()
            self.bar.hide()  # a full bar would say it finished
            if isinstance(exc, Cancelled):  # asked for: not an error to report
                self.show_result(tr(CANCELLED_TEXT))
                events.emit("admin_action_cancelled", source=source)
                return
            self.show_result(error_text(exc), ok=False)
            self.shell.ctx.ops.run(
                _record_error,
                self.shell.ctx.home,
                source,
                exc,
                pool="state",
                on_error=logged_only("problem not recorded"),
            )
            events.emit("admin_action_failed", source=source, error=repr(exc))

        def finished(value: Any) -> None:
            self._finish()
            done(value)
            events.emit("admin_action_done", source=source)

        self.shell.ctx.ops.run(
            fn,
            *args,
            self._bridge.progressed.emit,
            *extra,
            on_done=finished,
            on_error=failed,
            owner=self,
            pool="general",
        )

    def _progress(self, what: str, done: int, total: int) -> None:
        self.step.setText(tr(STEP_VI.get(what, what)))
        if total > 0:
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(1000 * min(done, total) / total))

    def cancel(self) -> None:
        """The Dừng button: the job stops at its next check; the live library is untouched."""
        if self._cancel is not None and self.busy:
            self._cancel.set()
            self.stop.setEnabled(False)
            self.step.setText(tr("Đang dừng…"))

    def _finish(self) -> None:
        self.busy = False
        self.stop.hide()
        for widget in self.locked_while_busy:
            widget.setEnabled(True)
        self.bar.setRange(0, 1000)
        self.bar.setValue(1000)
        self.step.setText("")

    def show_result(self, text: str, ok: bool = True) -> None:
        self.result.setProperty("role", "notice" if ok else "banner")
        self.result.style().polish(self.result)
        self.result.setText(text)
        self.result.show()

    def library_changed(self) -> None:
        """Switch the kiosk to the new generation now, not only after the next resident."""
        self.shell.ctx.refresh_library(lambda changed: self.shell.update_freshness())


def _record_error(home: Path, source: str, exc: BaseException) -> None:
    from kiosk.state import open_state

    db = open_state(home)
    try:
        admin_ops.record_error(db, source, exc)
    finally:
        db.conn.close()


def _sync(home: Path, progress: Progress, cancel: threading.Event) -> SyncReport:
    from kiosk.state import open_state

    db = open_state(home)
    try:
        return admin_ops.sync_now(home, db, progress, cancel)
    finally:
        db.conn.close()


def report_text(report: SyncReport) -> str:
    if report.outcome == "up_to_date":
        return tr("Dữ liệu đã là mới nhất (bản {v}).").format(v=report.version)
    return tr("Đã cập nhật lên bản {v}, dữ liệu ngày {d}.").format(
        v=report.version, d=report.content_date or "—"
    )


class SyncScreen(ActionScreen):
    def __init__(self, shell: Shell) -> None:
        super().__init__(shell, tr("Cập nhật ngay"))
        self.setObjectName("admin_sync")
        source = shell.ctx.settings.sync_source or tr("(chưa đặt nguồn cập nhật)")
        self.layout_.addWidget(label(tr("Nguồn cập nhật: {s}").format(s=source)))
        self.go = button(tr("Cập nhật ngay"), self.run, role="primary", name="sync_go")
        self.locked_while_busy.append(self.go)
        self.layout_.addWidget(self.go)
        if not shell.ctx.settings.sync_source:  # a tap could only fail: say what to do instead
            self.go.setEnabled(False)
            hint = tr("Đặt nguồn cập nhật trong Cài đặt, hoặc dùng Nạp dữ liệu từ USB.")
            self.layout_.addWidget(label(hint, "notice", name="sync_no_source"))
        self.add_progress()
        self.layout_.addStretch(1)

    def run(self) -> None:
        self.start(_sync, self.shell.ctx.home, done=self._done, source="sync", cancellable=True)

    def _done(self, report: SyncReport) -> None:
        self.show_result(report_text(report))
        self.library_changed()


class StickScreen(ActionScreen):
    """Lists sticks found under the automount folders, refreshed while the screen is open."""

    want_release = False

    def __init__(self, shell: Shell, title: str) -> None:
        super().__init__(shell, title)
        self.sticks: list[admin_ops.Stick] = []
        self.hint = label(tr("Hãy cắm USB vào máy…"), name="stick_hint")
        self.list = QListWidget()
        self.list.setObjectName("sticks")
        self.list.setMaximumHeight(self.theme.target * 2 + 8)
        self.list.currentRowChanged.connect(self._selected)
        self.layout_.addWidget(self.hint)
        self.layout_.addWidget(self.list)
        self._poll = QTimer(self)
        self._poll.timeout.connect(self.scan)
        self._poll.start(POLL_MS)
        QTimer.singleShot(0, self.scan)  # after the subclass has built its widgets

    def scan(self) -> None:
        if self.busy:
            return
        found = [s for s in admin_ops.find_sticks() if s.release or not self.want_release]
        if [s.path for s in found] == [s.path for s in self.sticks]:
            return
        self.sticks = found
        self.list.clear()
        for s in found:
            self.list.addItem(f"{s.name}  ({s.path})")
        self.hint.setText(tr("Chọn USB:") if found else tr("Hãy cắm USB vào máy…"))
        if found:
            self.list.setCurrentRow(0)
            events.emit("admin_sticks", count=len(found))

    def _selected(self, row: int) -> None:
        if 0 <= row < len(self.sticks):
            self.stick_chosen(self.sticks[row])

    def stick_chosen(self, stick: admin_ops.Stick) -> None:
        """Subclasses react to the selection."""

    def current_stick(self) -> admin_ops.Stick | None:
        row = self.list.currentRow()
        return self.sticks[row] if 0 <= row < len(self.sticks) else None


def changes_text(summary: dict[str, Any]) -> str:
    parts = [
        tr("Bản {v}, dữ liệu ngày {d}.").format(
            v=summary["version"], d=summary.get("content_date") or "—"
        ),
        tr("Sẽ thêm {a}, thay {c}, bỏ {r} tệp.").format(
            a=len(summary["added"]), c=len(summary["changed"]), r=len(summary["removed"])
        ),
    ]
    shown = [f"+ {p}" for p in summary["added"][:5]] + [f"~ {p}" for p in summary["changed"][:5]]
    shown += [f"- {p}" for p in summary["removed"][:5]]
    return "\n".join(parts + shown)


class UsbImportScreen(StickScreen):
    want_release = True

    def __init__(self, shell: Shell) -> None:
        super().__init__(shell, tr("Nạp dữ liệu từ USB"))
        self.setObjectName("admin_usb_import")
        self.summary = label("", "notice", name="import_summary")
        self.summary.hide()
        self.apply_button = button(tr("Áp dụng"), self.apply, role="primary", name="import_apply")
        self.apply_button.setEnabled(False)
        self.layout_.addWidget(self.summary)
        self.layout_.addWidget(self.apply_button)
        self.add_progress()
        self.layout_.addStretch(1)
        self.pending: dict[str, Any] | None = None

    def stick_chosen(self, stick: admin_ops.Stick) -> None:
        self.pending = None
        self.apply_button.setEnabled(False)
        self.summary.hide()
        self.start(
            lambda home, rel, _p, cancel: admin_ops.usb_changes(home, rel, cancel),
            self.shell.ctx.home,
            stick.release,
            done=self._verified,
            source="usb",
            cancellable=True,
        )

    def _verified(self, summary: dict[str, Any]) -> None:
        self.pending = summary
        self.summary.setText(changes_text(summary))
        self.summary.show()
        self.apply_button.setEnabled(True)
        self.show_result(tr("Dữ liệu trên USB đã được kiểm tra chữ ký. Chạm Áp dụng để nạp."))

    def apply(self) -> None:
        stick = self.current_stick()
        if stick is None or self.pending is None:
            return
        self.apply_button.setEnabled(False)
        self.start(
            admin_ops.usb_import,
            self.shell.ctx.home,
            stick.release,
            done=self._applied,
            source="usb",
            cancellable=True,
        )

    def _applied(self, report: Any) -> None:
        self.pending = None
        self.show_result(report_text(report))
        self.library_changed()


class UsbExportScreen(StickScreen):
    def __init__(self, shell: Shell) -> None:
        super().__init__(shell, tr("Xuất dữ liệu ra USB"))
        self.setObjectName("admin_usb_export")
        self.layout_.addWidget(
            label(
                tr(
                    "Chép bản dữ liệu đã kiểm tra của máy này ra USB (thư mục lawshelf) để nạp cho "
                    "máy ở xã, phường bên cạnh."
                ),
                "small",
            )
        )
        self.go = button(tr("Xuất ra USB"), self.export, role="primary", name="export_go")
        self.layout_.addWidget(self.go)
        self.add_progress()
        self.layout_.addStretch(1)

    def export(self) -> None:
        stick = self.current_stick()
        if stick is None:
            self.show_result(tr("Chưa thấy USB nào."), ok=False)
            return
        self.start(
            lambda home, path, _p: admin_ops.usb_export(home, path),
            self.shell.ctx.home,
            stick.path,
            done=self._done,
            source="usb_export",
        )

    def _done(self, out: dict[str, Any]) -> None:
        done = tr("Đã xuất bản {v} ({n} tệp) ra USB.").format(v=out["version"], n=out["files"])
        until = tr("Máy khác nạp được USB này đến ngày {d}.").format(d=day(out["expires"]))
        self.show_result(f"{done} {until}")


register_admin("admin_sync", lambda shell, **kw: SyncScreen(shell))
register_admin("admin_usb_import", lambda shell, **kw: UsbImportScreen(shell))
register_admin("admin_usb_export", lambda shell, **kw: UsbExportScreen(shell))
