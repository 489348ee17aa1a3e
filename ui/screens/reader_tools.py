"""What the reader's tools say when they cannot work, and what they print or ask to copy.

Plain functions of a DocumentView and a Section, no widgets: the reader (reader.py) calls
them. Printing starts where reading aloud does, at the clause the reader was opened at.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ui.i18n import N_, tr
from ui.render import Section, clause_onward, section_html

if TYPE_CHECKING:
    from offline_index.document_view import DocumentView
    from ui.screens.reader_currency import Note

QR_STEP = N_("Quét mã QR bằng điện thoại để mở văn bản trên trang chính thức.")
COPY_STEP = N_("Chép lại số hiệu văn bản và số điều ghi dưới đây.")
ASK_STEP = N_("Nhờ cán bộ phường/xã giúp.")
# reason -> (title, what happened, what to do instead); shown by _tool_message.
TOOL_MESSAGES = {
    "no_printer": (
        N_("Máy in chưa sẵn sàng"),
        N_("Máy này chưa in được lúc này: máy in đang tắt, hết giấy hoặc chưa được lắp."),
        (QR_STEP, COPY_STEP, ASK_STEP),
    ),
    "print_limit": (
        N_("Đã in hết số trang"),
        N_("Bạn đã in hết số trang cho phép trong lượt này."),
        (QR_STEP, COPY_STEP),
    ),
    "no_audio": (
        N_("Chưa đọc to được"),
        N_("Máy này chưa có loa hoặc thiết bị âm thanh, nên chưa đọc to được."),
        (N_("Chạm « A+ Chữ to hơn » để đọc chữ to hơn."), QR_STEP, ASK_STEP),
    ),
    "no_tts": (
        N_("Chưa đọc to được"),
        N_("Máy này chưa cài bộ đọc tiếng Việt (espeak-ng)."),
        (N_("Chạm « A+ Chữ to hơn » để đọc chữ to hơn."), QR_STEP, ASK_STEP),
    ),
}


def printable_html(
    doc: DocumentView | None, sec: Section, note: Note, at_clause: str | None
) -> str:
    """The article shown, from the clause the reader was opened at (`Đang xem khoản 7`)
    when it was, headed by the document: Nghị định 168/2024 Điều 7 prints to seven pages
    whole, three from its clause 7."""
    head = f"<p>{doc.kind} {doc.number}: {doc.title}</p>" if doc else ""
    if at_clause:
        text = tr("Trích Điều {a}, từ khoản {k}").format(a=sec.key, k=at_clause)
        head += f"<p><i>{text}</i></p>"
    labels = {"amended": "{by}"}
    part = clause_onward(sec, at_clause)
    return head + section_html(part, [], note.text or None, labels, None, note.in_force)


def reference(doc: DocumentView | None, label: str, at_clause: str | None) -> str:
    """What to copy down to find this text again: the clause the reader was opened at, the
    article and the document."""
    where = (
        tr("Khoản {k}, {label}").format(k=at_clause, label=label) if label and at_clause else label
    )
    if doc is None:
        return where
    number = f"{doc.kind} {doc.number}".strip()
    return "\n".join(x for x in (where, f"{number}: {doc.title}") if x)
