"""News and policy dialogue (with a way to send an opinion), and the legal-aid directory."""

from __future__ import annotations

import logging
from datetime import date
from typing import TYPE_CHECKING, Any

from kiosk import notices as N
from kiosk import questions as Q
from kiosk.state import open_state
from ui.i18n import day, error_message, tr
from ui.qt import QtWidgets
from ui.screens.citations import citation_text, cited_names, open_citation
from ui.screens.qa import SessionBound
from ui.screens.registry import register_screen
from ui.scrolling import scroller
from ui.widgets import Screen, button, label, labelled

if TYPE_CHECKING:
    from offline_index.library import Library
    from ui.shell import Shell

log = logging.getLogger(__name__)


class NoticesScreen(SessionBound, Screen):
    """types=("news", "policy_dialogue") or ("legal_aid",): sessions to come first, then the
    rest newest first (kiosk.notices.arrange); `today` for a test, else the kiosk's clock."""

    def __init__(
        self,
        shell: Shell,
        types: tuple[str, ...] = ("news", "policy_dialogue"),
        title: str = "",
        today: date | None = None,
    ) -> None:
        super().__init__(shell, title or tr("Tin tức & đối thoại chính sách"))
        self.types = types
        self.today = today
        self.inner = Screen(shell)
        self.layout_.addWidget(scroller(self.inner, more_below=True), 1)
        self.opinion_boxes: dict[str, Any] = {}
        self.bind_session()
        shell.with_library(self._arranged, self._show, owner=self)

    def _arranged(self, lib: Library) -> tuple[list[N.ShownNotice], dict[str, str]]:
        """On the worker thread: this page's notices in the order shown (reads the clock floor
        from the state database, off the GUI thread) and the names of the laws they cite."""
        notices = [n for n in lib.notices() if n.type in self.types]
        names = cited_names(lib, (c for n in notices for c in n.citations))
        return N.arrange(notices, self.today or self._today()), names

    def _show(self, loaded: tuple[list[N.ShownNotice], dict[str, str]]) -> None:
        shown, names = loaded
        lay = self.inner.layout_
        if not shown:
            lay.addWidget(label(tr("Chưa có thông tin."), "notice", name="empty"))
        for s in shown:
            n = s.notice
            lay.addWidget(label(n.title, "title", name=f"n_{n.id}"))
            when = tr("Đã diễn ra ngày {d}") if s.held else tr("Ngày: {d}")
            facts = [
                when.format(d=day(n.date)) if n.date else "",
                tr("Địa điểm: {p}").format(p=n.place) if n.place else "",
                tr("Điện thoại: {p}").format(p=n.phone) if n.phone else "",
                tr("Địa chỉ: {a}").format(a=n.address) if n.address else "",
                tr("Giờ làm việc: {h}").format(h=n.hours) if n.hours else "",
            ]
            if any(facts):  # plain lines: a bordered box reads as a field to tap
                lay.addWidget(label("\n".join(filter(None, facts)), name=f"facts_{n.id}"))
            if n.body:
                lay.addWidget(label(n.body))
            for i, c in enumerate(n.citations):
                lay.addWidget(
                    button(
                        tr("Đọc căn cứ: {c}").format(c=citation_text(c, names)),
                        lambda c=c: open_citation(self.shell, c),
                        name=f"cite_{n.id}_{i}",
                        wrap=True,
                    )
                )
            if n.type == "policy_dialogue" and not s.held:
                lay.addWidget(
                    button(
                        tr("Gửi ý kiến cho buổi đối thoại"),
                        lambda nid=n.id: self._open_opinion(nid),
                        name=f"op_{n.id}",
                    )
                )
                box = Screen(self.shell)
                box.hide()
                lay.addWidget(box)
                self.opinion_boxes[n.id] = box
        lay.addStretch(1)

    def _today(self) -> date:
        db = open_state(self.shell.ctx.home)
        try:
            return N.today_here(db)
        finally:
            db.close()

    def _open_opinion(self, notice_id: str) -> None:
        box = self.opinion_boxes[notice_id]
        if box.layout_.count() == 0:
            text = QtWidgets.QPlainTextEdit(objectName=f"op_text_{notice_id}")
            text.setMinimumHeight(self.theme.target * 2)
            status = label("", "notice", name=f"op_status_{notice_id}")
            text.setPlaceholderText(tr("VD: Đề nghị bố trí thêm giờ tiếp dân buổi tối."))
            box.layout_.addWidget(labelled(tr("Ý kiến của bạn"), text, required=True))
            box.layout_.addWidget(
                label(tr("Không ghi họ tên hay thông tin riêng vào ý kiến."), "small")
            )
            box.layout_.addWidget(
                button(
                    tr("Gửi ý kiến ▶"),
                    lambda: self.send(notice_id, text, status),
                    role="primary",
                    name=f"op_send_{notice_id}",
                )
            )
            box.layout_.addWidget(status)
        box.show()

    def send(self, notice_id: str, text: Any, status: Any) -> None:
        db = open_state(self.shell.ctx.home)
        try:
            Q.send_opinion(db, notice_id, text.toPlainText(), home=self.shell.ctx.home)
        except Exception as exc:  # noqa: BLE001 - shown in words, never a crash
            status.setText(error_message(exc, tr("Không gửi được ý kiến.")))
            return
        finally:
            db.close()
        text.clear()
        status.setText(tr("Cảm ơn bạn. Ý kiến đã được ghi nhận và sẽ gửi về cơ quan tổ chức."))

    def wipe(self) -> None:
        for box in self.opinion_boxes.values():
            try:
                for edit in box.findChildren(QtWidgets.QPlainTextEdit):
                    edit.clear()
            except RuntimeError:  # screen already gone
                pass


register_screen("notices", lambda shell, **kw: NoticesScreen(shell, **kw))
register_screen(
    "legal_aid",
    lambda shell, **kw: NoticesScreen(
        shell, types=("legal_aid",), title=tr("Trợ giúp pháp lý"), **kw
    ),
)
