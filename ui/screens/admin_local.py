"""Add a local document: pick a PDF from the USB stick in an in-app list, fill in its metadata.

No file dialog: a dialog would let anyone browse the machine. The list holds only PDFs
on mounted sticks (kiosk.admin_ops.find_sticks). Adding writes the overlay and rebuilds
the library (kiosk.local_docs), so the document is searchable at once and after syncs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk import local_docs
from offline_index.model import KINDS
from ui.i18n import tr
from ui.qt import QGridLayout, QLineEdit, QListWidget, QWidget
from ui.screens.admin import register_admin
from ui.screens.admin_actions import StickScreen
from ui.screens.scan_view import scan_result_text
from ui.widgets import button, choices, label

if TYPE_CHECKING:
    from ui.shell import Shell


def _add_and_rebuild(home: Path, pdf: Path, meta: dict[str, Any], progress: Any) -> Any:
    # A scan is read by OCR first, page by page ("ocr" progress), then the library rebuilt.
    ocr = lambda done, total: progress("ocr", done, total)  # noqa: E731
    doc = local_docs.add_local(home, pdf, on_progress=ocr, **meta)
    progress("build", 0, 1)
    local_docs.rebuild(home)
    progress("build", 1, 1)
    return doc, local_docs.scan_of(home, doc)


class LocalDocScreen(StickScreen):
    scrolls = True

    def __init__(self, shell: Shell) -> None:
        super().__init__(shell, tr("Thêm tài liệu địa phương"))
        self.setObjectName("admin_local")
        self.pdfs: list[Path] = []
        self.files = QListWidget()
        self.files.setObjectName("pdfs")
        self.files.setMaximumHeight(self.theme.target * 3)
        self.layout_.addWidget(label(tr("Tệp PDF trên USB:")))
        self.layout_.addWidget(self.files)
        self.layout_.addWidget(self._form())
        self.add_button = button(
            tr("Thêm vào thư viện"), self.add, role="primary", name="local_add"
        )
        self.layout_.addWidget(self.add_button)
        self.add_progress()
        self.existing = label("", "small", name="local_existing")
        self.layout_.addWidget(self.existing)
        self.layout_.addStretch(1)
        self._show_existing()

    def _form(self) -> QWidget:
        box = QWidget()
        grid = QGridLayout(box)
        self.number = QLineEdit(objectName="local_number", placeholderText="12/TB-UBND")
        self.doc_title = QLineEdit(objectName="local_title")
        self.kind = choices("local_kind", [(k, k) for k in KINDS])
        self.kind.setCurrentText("Thông báo")
        self.issuer = QLineEdit(objectName="local_issuer")
        self.issued = QLineEdit(objectName="local_issued", placeholderText="2026-12-01")
        self.fields = QLineEdit(
            objectName="local_fields", placeholderText=tr("Hành chính, Đất đai")
        )
        rows = (
            (tr("Số hiệu"), self.number),
            (tr("Tên tài liệu"), self.doc_title),
            (tr("Loại"), self.kind),
            (tr("Cơ quan ban hành"), self.issuer),
            (tr("Ngày ban hành"), self.issued),
            (tr("Lĩnh vực"), self.fields),
        )
        for i, (text, widget) in enumerate(rows):
            grid.addWidget(label(text), i, 0)
            grid.addWidget(widget, i, 1)
        return box

    def stick_chosen(self, stick: Any) -> None:
        self.pdfs = [p for s in self.sticks for p in s.pdfs]
        self.files.clear()
        for p in self.pdfs:
            self.files.addItem(p.name)
        if self.pdfs:
            self.files.setCurrentRow(0)

    def meta(self) -> dict[str, Any]:
        fields = [f.strip() for f in self.fields.text().split(",") if f.strip()]
        return {
            "number": self.number.text().strip(),
            "title": self.doc_title.text().strip(),
            "kind": self.kind.currentText(),
            "issuer": self.issuer.text().strip(),
            "issued": self.issued.text().strip() or None,
            "fields": fields,
        }

    def add(self) -> None:
        row = self.files.currentRow()
        meta = self.meta()
        if not (0 <= row < len(self.pdfs)):
            self.show_result(tr("Hãy chọn một tệp PDF."), ok=False)
            return
        if not meta["number"] or not meta["title"]:
            self.show_result(tr("Cần nhập số hiệu và tên tài liệu."), ok=False)
            return
        self.start(
            _add_and_rebuild,
            self.shell.ctx.home,
            self.pdfs[row],
            meta,
            done=self._done,
            source="local",
        )

    def _done(self, result: Any) -> None:
        doc, scan = result
        text = tr("Đã thêm {n}: {t}. Tài liệu đã tra cứu được.").format(n=doc.number, t=doc.title)
        self.show_result(
            text + scan_result_text(scan), ok=scan is None or scan.status != "unreadable"
        )
        self.library_changed()
        self._show_existing()

    def _show_existing(self) -> None:
        docs = local_docs.list_local(self.shell.ctx.home)
        lines = [f"{d.number} · {d.title}" for d in docs]
        self.existing.setText(
            tr("Tài liệu địa phương đã có:") + "\n" + "\n".join(lines)
            if lines
            else tr("Chưa có tài liệu địa phương.")
        )


register_admin("admin_local", lambda shell, **kw: LocalDocScreen(shell))
