"""Ask a question (-> outbox, ticket shown large, as QR, printable) and read a ticket's answer.

The ticket is shown once and never stored on the kiosk; only its hash leaves in the outbox.
"""

from __future__ import annotations

import contextlib
import logging
from typing import TYPE_CHECKING

from kiosk import questions as Q
from kiosk.state import open_state
from ui.i18n import N_, error_message, tr
from ui.pictures import QrCode
from ui.qt import (
    QGuiApplication,
    QLabel,
    QLineEdit,
    Qt,
    QTextCursor,
    QTimer,
    QtWidgets,
    printsupport,
)
from ui.screens.citations import cited_names
from ui.screens.qa import SessionBound
from ui.screens.registry import register_screen
from ui.scrolling import scroller
from ui.tools import qr_image
from ui.widgets import OPTIONAL, Screen, button, chip_row, clear_layout, label, labelled

if TYPE_CHECKING:
    from pathlib import Path

    from offline_index.library import Library
    from offline_index.model import QAEntry
    from ui.shell import Shell

log = logging.getLogger(__name__)

FIELDS = (
    N_("Đất đai"),
    N_("Hôn nhân và gia đình"),
    N_("Cư trú"),
    N_("Lao động"),
    N_("Giao thông"),
    N_("Thừa kế"),
    N_("Hành chính"),
    N_("Khác"),
)


class AskScreen(SessionBound, Screen):
    """mode="ask": the question form; mode="ticket": enter a ticket, see the answer."""

    def __init__(self, shell: Shell, mode: str = "ask", question: str = "") -> None:
        super().__init__(shell, tr("Đặt câu hỏi") if mode == "ask" else tr("Tra cứu mã phiếu"))
        self.home = shell.ctx.home
        self.ticket = ""
        self.field = ""
        self.inner = Screen(shell)
        self.area = scroller(self.inner, more_below=True)
        self.layout_.addWidget(self.area, 1)
        self.bind_session()
        if mode == "ask":
            self._build_form()
            self.text.setPlainText(question)  # what the resident typed in Q&A, not again
            self.text.moveCursor(QTextCursor.MoveOperation.End)
        else:
            self._build_lookup()

    # ------------------------------------------------------------ asking
    def _build_form(self) -> None:
        lay = self.inner.layout_
        self.text = QtWidgets.QPlainTextEdit(objectName="ask_text")
        self.text.setMinimumHeight(self.theme.target * 3)
        self.text.setPlaceholderText(tr("VD: Làm sổ đỏ cho đất thừa kế cần giấy tờ gì?"))
        lay.addWidget(labelled(tr("Câu hỏi của bạn"), self.text, required=True))
        lay.addWidget(label(tr("Lĩnh vực") + tr(OPTIONAL), "field"))
        box, self.chips = chip_row(
            [(tr(f), lambda f=f: self._pick(f)) for f in FIELDS], checkable=True, name="ask_fields"
        )
        lay.addWidget(box)
        self.contact = QLineEdit(objectName="ask_contact")
        self.contact.setPlaceholderText(tr("VD: 0912345678"))
        if Q.sealing_problem(self.home) is None:
            lay.addWidget(
                labelled(tr("Số điện thoại hoặc email để liên hệ"), self.contact, required=False)
            )
        else:  # contact details could not be sealed here: the form asks only for the question
            self.contact.setParent(self.inner)
            self.contact.hide()
            lay.addWidget(
                label(
                    tr(
                        "Máy này chưa nhận số điện thoại hay email để báo tin. Hãy giữ mã phiếu được"
                        " cấp sau khi gửi để xem câu trả lời."
                    ),
                    "notice",
                    name="ask_no_contact",
                )
            )
        lay.addWidget(
            label(
                tr(
                    "Đừng ghi họ tên, số giấy tờ hay thông tin riêng vào câu hỏi. Thông tin liên hệ được"
                    " mã hóa ngay trên máy, chỉ cán bộ trả lời đọc được (Nghị định 13/2023/NĐ-CP)."
                ),
                "small",
            )
        )
        self.error = label("", "banner", name="ask_error")
        self.error.hide()
        self.text.textChanged.connect(self.error.hide)  # said once, gone as it is put right
        lay.addWidget(self.error)
        lay.addWidget(button(tr("Gửi câu hỏi ▶"), self.send, role="primary", name="send"))
        lay.addStretch(1)

    def _pick(self, field: str) -> None:
        self.field = field
        for chip, f in zip(self.chips, FIELDS, strict=True):
            chip.setChecked(f == field)

    def send(self) -> None:
        db = open_state(self.home)
        try:
            self.ticket = Q.ask(
                db, self.text.toPlainText(), self.field, self.contact.text(), home=self.home
            )
        except Exception as exc:  # noqa: BLE001 - typed errors and a missing seal key alike
            log.warning("question not queued: %s", exc)
            self.error.setText(error_message(exc, tr("Không gửi được câu hỏi.")))
            self.error.show()
            return
        finally:
            db.close()
        self.shell.record("question", self.field or None)
        self._show_ticket()

    def _show_ticket(self) -> None:
        focus = QtWidgets.QApplication.focusWidget()
        if focus is not None and self.isAncestorOf(focus):
            focus.clearFocus()  # else the focus moves on to a widget below and is scrolled to
        self._clear()
        lay = self.inner.layout_
        lay.addWidget(label(tr("Câu hỏi đã được ghi nhận. Mã phiếu của bạn:"), "title"))
        big = QLabel(self.ticket, objectName="ticket_code")
        big.setStyleSheet(
            f"font-size: {self.theme.title_px * 2}px; font-weight: bold;"
            " letter-spacing: 6px; font-family: 'DejaVu Sans Mono', monospace;"
        )
        big.setAlignment(Qt.AlignmentFlag.AlignCenter)
        big.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        lay.addWidget(big)
        self.qr = QrCode("ticket_qr", preferred=self.theme.target * 4)
        self.qr.setFixedHeight(self.theme.target * 4)
        self.qr.set_data(self.ticket)
        lay.addWidget(self.qr)
        lay.addWidget(
            label(
                tr(
                    "Hãy chép lại mã, chụp mã QR hoặc in phiếu. Khi có câu trả lời (sau lần cập nhật dữ"
                    " liệu tới), nhập mã này ở mục Hỏi đáp → Xem trả lời theo mã phiếu, tại bất kỳ"
                    " ki-ốt nào. Máy không lưu mã này."
                ),
                "notice",
            )
        )
        lay.addWidget(button(tr("In phiếu"), self.print_ticket, name="print"))
        self.print_status = label("", "small", name="print_status")
        lay.addWidget(self.print_status)
        lay.addWidget(button(tr("⌂ Về trang chủ"), self.shell.go_home, role="primary"))
        lay.addStretch(1)
        self._ticket_first(big)

    def _ticket_first(self, code: QLabel) -> None:
        """Open the ticket page at its top, the code in view: the form below it was scrolled,
        and the room the keyboard kept comes back only after this page is laid out."""
        self.area.verticalScrollBar().setValue(0)
        QTimer.singleShot(0, lambda: self.area.ensureWidgetVisible(code, 0, self.theme.gap))

    def print_ticket(self) -> None:
        try:
            ps = printsupport()
            printer = ps.QPrinter()
            if not printer.isValid():
                raise RuntimeError("no printer")
            from ui.qt import QPainter, QRect  # noqa: PLC0415

            painter = QPainter(printer)
            painter.drawText(100, 100, tr("Mã phiếu hỏi đáp: {t}").format(t=self.ticket))
            painter.drawImage(QRect(100, 200, 600, 600), qr_image(self.ticket))
            painter.end()
            self.print_status.setText(tr("Đã gửi lệnh in."))
        except Exception as exc:  # noqa: BLE001 - no printer is an ordinary state
            log.info("ticket not printed: %s", exc)
            self.print_status.setText(tr("Máy in chưa sẵn sàng. Hãy chép lại mã hoặc chụp mã QR."))

    # ------------------------------------------------------------ lookup
    def _build_lookup(self) -> None:
        lay = self.inner.layout_
        self.code = QLineEdit(objectName="ticket_input")
        self.code.setPlaceholderText("VD: K7MX-3RAH-Y94T")
        lay.addWidget(
            labelled(tr("Nhập mã phiếu (12 ký tự, không cần dấu gạch)"), self.code, required=True)
        )
        lay.addWidget(button(tr("Xem câu trả lời"), self.lookup, role="primary", name="lookup"))
        self.code.returnPressed.connect(self._code_entered)  # the keyboard's Enter looks it up
        self.answer_box = Screen(self.shell)
        lay.addWidget(self.answer_box)
        lay.addStretch(1)

    def _code_entered(self) -> None:
        """Enter: done typing. The field gives up the focus so the on-screen keyboard goes
        and the answer shows (a focused field raised it again)."""
        self.code.clearFocus()
        QGuiApplication.inputMethod().hide()
        self.lookup()

    def lookup(self) -> None:
        code = self.code.text()
        try:
            Q.normalise_ticket(code)
        except Q.TicketInvalid as exc:
            self._answer_text(error_message(exc, exc.message))
            return
        # A kiosk following HOME's library also looks in a generation synced mid-session.
        home = None if self.shell.ctx.settings.library else self.home
        self.shell.with_library(lambda lib: _answer(lib, code, home), self._answered, owner=self)

    def _answered(self, found: tuple[QAEntry | None, dict[str, str]]) -> None:
        entry, names = found
        if entry is None:
            self._answer_text(
                tr(
                    "Chưa có câu trả lời. Câu trả lời sẽ có sau các lần cập nhật dữ"
                    " liệu tới; vui lòng quay lại sau."
                )
            )
            return
        self.shell.navigate("qa_entry", entry=entry, names=names)

    def _answer_text(self, text: str) -> None:
        lay = self.answer_box.layout_
        clear_layout(lay)
        lay.addWidget(label(text, "notice", name="answer_status"))

    # ------------------------------------------------------------ wiping
    def _clear(self) -> None:
        clear_layout(self.inner.layout_)

    def wipe(self) -> None:
        """Forget the ticket and everything typed."""
        self.ticket = ""
        for name in ("text", "contact", "code"):
            widget = self.__dict__.get(name)
            if widget is not None:
                with contextlib.suppress(RuntimeError):  # already deleted
                    widget.clear()
        if hasattr(self, "qr"):
            with contextlib.suppress(RuntimeError):
                self.qr.forget()


def _answer(lib: Library, code: str, home: Path | None) -> tuple[QAEntry | None, dict[str, str]]:
    """On the library thread: a ticket's answer and the names of the laws it cites, in the
    library the reader opens them from (the answer may come from a newer generation)."""
    entry = Q.lookup_answer(lib, code, home)
    return entry, cited_names(lib, entry.citations) if entry else {}


register_screen("ask", lambda shell, **kw: AskScreen(shell, **kw))
