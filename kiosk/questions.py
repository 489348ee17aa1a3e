"""Ask a question, get a ticket, read the answer later; send an opinion (Qt-free).

The ticket is the resident's secret: the kiosk stores only its hash in the outbox and
releases carry answers keyed by that hash, so neither the kiosk disk, the inbox nor a
release ever holds a ticket. The hash is slow (scrypt) so that enumerating the ~52-bit
ticket space against published hashes is out of reach.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import sqlite_utils

from offline_index.analysis import fold_phrase
from offline_index.errors import LawShelfError
from offline_index.migrations import writing

if TYPE_CHECKING:
    from offline_index.library import Library
    from offline_index.model import QAEntry

log = logging.getLogger(__name__)

# One of each look-alike pair (0/O, 1/I/L, 2/Z, 5/S, 6/G, 8/B, U/V) and no letters whose
# Vietnamese names rhyme ("bê, đê, pê, vê, xê, gờ, en-nờ"): digits 2-9 + A E F H K M R T W X Y.
TICKET_ALPHABET = "23456789AEFHKMRTWXY"
TICKET_LENGTH = 12  # 12 * log2(19) = 51 bits
TICKET_GROUP = 4
_SALT = b"lawshelf-ticket-v1"
MAX_QUESTION_CHARS = 2000

# What a resident's own details look like in a question: a phone number (0 or +84, then 2, 3, 5,
# 7, 8 or 9, and 8 or 9 more digits, in groups or not), an email, a 12-digit citizen ID (from
# 0). A law's numbers are not: `100/2019/NĐ-CP`, `4.000.000 đồng`, `Điều 123`, a tax code.
# The text goes out unsealed, to be answered in public; the contact field is sealed on this
# machine (Decree 13/2023 on personal data).
_PHONE = re.compile(r"(?<![\d.,/])(?:\+?84[ .-]?|0)[235789](?:[ .-]?\d){8,9}(?![\d/])")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_CITIZEN_ID = re.compile(r"(?<![\d.,/])0\d{11}(?![\d/])")
_PERSONAL = (
    (_EMAIL, "email"),
    (_CITIZEN_ID, "số căn cước"),
    (_PHONE, "số điện thoại"),
)
PERSONAL_VI = (
    "Câu hỏi có số điện thoại, email hoặc số giấy tờ. Để giữ bí mật, xin xóa khỏi câu hỏi:"
    " câu trả lời được xem bằng mã phiếu."
)


def personal_details(text: str) -> list[str]:
    """What of the resident's own details a text holds, named as the kiosk says them."""
    return [name for pattern, name in _PERSONAL if pattern.search(text)]


def _no_personal_details(text: str, what: str) -> None:
    found = personal_details(text)
    if found:
        raise QuestionError(
            f"{what} holds personal details ({', '.join(found)})",
            message_vi=PERSONAL_VI,
        )


class QuestionError(LawShelfError):
    message_vi = "Không gửi được câu hỏi."


class TicketInvalid(LawShelfError):
    message_vi = "Mã phiếu không đúng. Vui lòng kiểm tra lại."


def ticket_bits() -> float:
    import math  # noqa: PLC0415

    return TICKET_LENGTH * math.log2(len(TICKET_ALPHABET))


def new_ticket() -> str:
    """A random ticket, grouped for reading aloud: `K7MX-3RAH-Y94T`."""
    raw = "".join(secrets.choice(TICKET_ALPHABET) for _ in range(TICKET_LENGTH))
    return format_ticket(raw)


def format_ticket(raw: str) -> str:
    return "-".join(raw[i : i + TICKET_GROUP] for i in range(0, len(raw), TICKET_GROUP))


def normalise_ticket(text: str) -> str:
    """What a resident typed -> the canonical 12 characters, or TicketInvalid.

    Spaces, dashes and case don't matter; a look-alike outside the alphabet is read as its
    twin inside it (S->5, G->6, B->8, Z->2).
    """
    cleaned = "".join(c for c in text.upper() if c.isalnum())
    cleaned = cleaned.translate(str.maketrans({"S": "5", "G": "6", "B": "8", "Z": "2"}))
    if len(cleaned) != TICKET_LENGTH or any(c not in TICKET_ALPHABET for c in cleaned):
        raise TicketInvalid(f"not a ticket code: {text!r}")
    return cleaned


def ticket_hash(ticket: str) -> str:
    """The public key under which a release carries the answer (never the ticket itself)."""
    digest = hashlib.scrypt(
        normalise_ticket(ticket).encode(), salt=_SALT, n=2**14, r=8, p=1, dklen=32
    )
    return digest.hex()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def sealing_problem(home: Path) -> LawShelfError | None:
    """Why this kiosk cannot take residents' personal data now, or None when it can.

    Contest entries (always) and a question's contact details are sealed to the publisher's
    public key (`lawshelf seal-keys install`). Without a readable key they could be typed in
    but never submitted, so the kiosk checks before it offers such a form, not at submit."""
    from sync.sealing import SealError, kiosk_public_key  # noqa: PLC0415 - sync layer below

    try:
        kiosk_public_key(home)
    except SealError as exc:
        return exc
    return None


def ask(
    db: sqlite_utils.Database,
    text: str,
    field: str = "",
    contact: str = "",
    *,
    home: Path | None = None,
) -> str:
    """Queue a question in the outbox; return the ticket to show the resident (only once)."""
    from sync import outbox  # noqa: PLC0415 - sync layer below kiosk

    text = " ".join(text.split())
    if len(text) < 10:
        raise QuestionError(
            "question too short", message_vi="Câu hỏi quá ngắn: xin viết ít nhất 10 chữ."
        )
    if len(text) > MAX_QUESTION_CHARS:
        raise QuestionError("question too long", message_vi="Câu hỏi quá dài.")
    _no_personal_details(text, "the question")
    ticket = new_ticket()
    payload = {"ticket_hash": ticket_hash(ticket), "text": text, "field": field, "asked_at": _now()}
    personal = {"contact": contact.strip()} if contact.strip() else None
    with writing(db):
        outbox.append(db, "question", payload, personal=personal, home=home)
    log.info("question queued (field %r)", field)
    return ticket


def send_opinion(
    db: sqlite_utils.Database,
    notice_id: str,
    text: str,
    contact: str = "",
    *,
    home: Path | None = None,
) -> str:
    """A resident's opinion on a policy-dialogue notice, into the outbox."""
    from sync import outbox  # noqa: PLC0415

    text = " ".join(text.split())
    if len(text) < 5:
        raise QuestionError("opinion too short", message_vi="Ý kiến quá ngắn.")
    _no_personal_details(text, "the opinion")
    payload = {"notice_id": notice_id, "text": text[:MAX_QUESTION_CHARS], "sent_at": _now()}
    personal = {"contact": contact.strip()} if contact.strip() else None
    with writing(db):
        return outbox.append(db, "opinion", payload, personal=personal, home=home)


# How residents say it -> how Decree 168/2024/NĐ-CP words it (matched without diacritics).
# Domain phrasing shared by every traffic question, not tuned to any test question.
COLLOQUIAL = {
    "vuot den do": "không chấp hành hiệu lệnh của đèn tín hiệu giao thông",
    "vuot den vang": "không chấp hành hiệu lệnh của đèn tín hiệu giao thông",
    "khong doi mu bao hiem": "không đội mũ bảo hiểm",
    "uong ruou": "nồng độ cồn",
    "ruou bia": "nồng độ cồn",
    "say ruou": "nồng độ cồn",
    "nghe dien thoai": "sử dụng điện thoại di động",
    "goi dien thoai": "sử dụng điện thoại di động",
    "chay qua toc do": "chạy quá tốc độ quy định",
    "phong nhanh": "chạy quá tốc độ quy định",
    "cho ba": "chở theo từ 02 người trở lên",
    "bang lai": "giấy phép lái xe",
}


def qa_query(text: str) -> str:
    """The resident's words plus the legal wording they stand for, for the Q&A search."""
    folded = fold_phrase(text)
    extra = [formal for said, formal in COLLOQUIAL.items() if said in folded]
    return " ".join([text, *dict.fromkeys(extra)])


def lookup_answer(library: Library, ticket: str, home: Path | None = None) -> QAEntry | None:
    """The QAEntry answering this ticket, or None (not answered yet).

    Looked for in `library`, the one the resident is reading, then in HOME's newest verified
    generation: a sync may have brought the answer a minute ago, while the kiosk keeps the
    older library until the session ends (it is not swapped under a reader). The newer
    generation is opened only for this look-up and closed again."""
    from offline_index.errors import LawShelfError  # noqa: PLC0415
    from offline_index.generations import live_generation  # noqa: PLC0415
    from offline_index.home import library_root  # noqa: PLC0415
    from offline_index.library import Library  # noqa: PLC0415

    key = ticket_hash(ticket)
    entry = library.qa_by_ticket_hash(key)
    if entry is not None or home is None:
        return entry
    newest = live_generation(library_root(home))
    if newest is None or newest.resolve() == Path(library.path).resolve():
        return None
    try:
        with Library.open(newest) as latest:  # checked against its manifest, as every open
            return latest.qa_by_ticket_hash(key)
    except LawShelfError as exc:
        log.warning("newest generation unusable for a ticket look-up: %s", exc.message)
        return None
