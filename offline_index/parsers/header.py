"""Header metadata of a Vietnamese legal text: number, kind, title, issuer, date, signer.

The header follows the state formatting rules (issuer top left, `Số: …` under it,
place and date top right, then the kind in capitals and the name), but real
files break lines differently, drop the number or put it in the title line of
old laws. Each field therefore has a first choice and documented fallbacks;
`Header.sources` records which one fired so the corpus report can say so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from offline_index.model import nfc

NUMBER_BODY = r"\d{1,4}(?:/\d{4})?[/-][A-ZĐa-z0-9](?:[A-ZĐa-z0-9.\-/]*[A-ZĐa-z0-9])?"
NUMBER_RE = re.compile(
    r"(?:^|\b)(?:Bộ luật|Luật|Pháp lệnh)?\s*(?:số|Số|SỐ)\s*:?\s*(" + NUMBER_BODY + ")"
)
AL_NUMBER_RE = re.compile(r"ÁN LỆ SỐ\s+(\d+/\d{4}/AL)|Án lệ số\s+(\d+/\d{4}/AL)")
DATE_RE = re.compile(r"ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})", re.I)
SHORT_DATE_RE = re.compile(r"NGÀY\s+(\d{1,2})[/-](\d{1,2})[/-](\d{4})", re.I)
ENACT_RE = re.compile(
    r"ban hành\s+((?:Bộ luật|Luật|Pháp lệnh|Nghị định|Nghị quyết|Thông tư|Hiến pháp)\s[^.]+)"
)

# Kind words as they appear in capitals on their own line (longest first).
KIND_LINES = (
    ("THÔNG TƯ LIÊN TỊCH", "Thông tư liên tịch"),
    ("BỘ LUẬT", "Bộ luật"),
    ("HIẾN PHÁP", "Hiến pháp"),
    ("PHÁP LỆNH", "Pháp lệnh"),
    ("NGHỊ QUYẾT", "Nghị quyết"),
    ("NGHỊ ĐỊNH", "Nghị định"),
    ("QUYẾT ĐỊNH", "Quyết định"),
    ("THÔNG TƯ", "Thông tư"),
    ("CHỈ THỊ", "Chỉ thị"),
    ("KẾ HOẠCH", "Kế hoạch"),
    ("ÁN LỆ", "Án lệ"),
    ("LUẬT", "Luật"),
)
# Kind from the number's suffix when no kind line is found.
SUFFIX_KINDS = (
    (r"/AL$", "Án lệ"),
    (r"NĐ-CP$", "Nghị định"),
    (r"NQ-", "Nghị quyết"),
    (r"/NQ", "Nghị quyết"),
    (r"TTLT-", "Thông tư liên tịch"),
    (r"/TT-", "Thông tư"),
    (r"QĐ-", "Quyết định"),
    (r"CT-", "Chỉ thị"),
    (r"KH-", "Kế hoạch"),
    (r"/QH\d+$", "Luật"),
    (r"^\d+-L", "Luật"),
)
ISSUERS = {
    "QUỐC HỘI": "Quốc hội",
    "CHÍNH PHỦ": "Chính phủ",
    "THỦ TƯỚNG CHÍNH PHỦ": "Thủ tướng Chính phủ",
    "ỦY BAN THƯỜNG VỤ QUỐC HỘI": "Ủy ban Thường vụ Quốc hội",
    "CHỦ TỊCH NƯỚC": "Chủ tịch nước",
    "HỘI ĐỒNG THẨM PHÁN TÒA ÁN NHÂN DÂN TỐI CAO": "Hội đồng Thẩm phán Tòa án nhân dân tối cao",
    "TÒA ÁN NHÂN DÂN TỐI CAO": "Tòa án nhân dân tối cao",
    "HỘI ĐỒNG NHÀ NƯỚC": "Hội đồng Nhà nước",
    "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI": "Ủy ban nhân dân thành phố Hà Nội",
}
# Issuer implied by the kind/number where the header names none (recorded as "inferred").
IMPLIED_ISSUERS = (
    (r"/QH\d+$|-L/CTN$|^\d+-L", "Quốc hội"),
    (r"NĐ-CP$", "Chính phủ"),
    (r"NQ-HĐTP$", "Hội đồng Thẩm phán Tòa án nhân dân tối cao"),
    (r"/AL$", "Tòa án nhân dân tối cao"),
    (r"HĐNN\d*$", "Hội đồng Nhà nước"),
)
STOP_TITLE = re.compile(
    r"^(Căn cứ|Để |Sức khoẻ|Chương|CHƯƠNG|Điều|PHẦN|Phần|QUỐC HỘI|Luật này|Nay|CHỦ TỊCH|RA SẮC)"
)
PROPER = (
    "Việt Nam",
    "Nhà nước",
    "Quốc hội",
    "Chính phủ",
    "Hà Nội",
    "Tòa án",
    "Viện kiểm sát",
    "Mặt trận Tổ quốc",
    "Công an",
    "Thủ đô",
    "Hội đồng nhân dân",
    "Ủy ban nhân dân",
)


@dataclass
class Header:
    number: str = ""
    kind: str = ""
    title: str = ""
    issuer: str = ""
    signer: str = ""
    issued: str | None = None
    sources: dict[str, str] = field(
        default_factory=dict
    )  # field -> "header"|"closing"|"inferred"...


def clean_number(raw: str) -> str:
    """Official spelling: NFC, no spaces (`QH 11` -> `QH11`), no footnote digit after `AL`."""
    number = re.sub(r"\s+", "", nfc(raw)).rstrip(".,;")
    return re.sub(r"/AL\d+$", "/AL", number)


def sentence_case(text: str) -> str:
    """`CƯ TRÚ` -> `Cư trú`, keeping the few proper names every law uses."""
    out = text[:1].upper() + text[1:].lower()
    for name in PROPER:
        out = re.sub(re.escape(name), name, out, flags=re.I)
    return out


def find_number(lines: list[str]) -> str:
    """`Số: 45/2019/QH14` (also split over two lines, or `ÁN LỆ SỐ …`) in the header."""
    for i, line in enumerate(lines):
        if re.search(r"(?:số|Số|SỐ)\s*:?\s*$", line) and i + 1 < len(lines):
            line = f"{line} {lines[i + 1]}"
        m = AL_NUMBER_RE.search(line)
        if m:
            return clean_number(m.group(1) or m.group(2))
        m = NUMBER_RE.search(line.replace("QH 1", "QH1"))
        if m and not line.startswith(("Căn cứ", "Theo")):
            return clean_number(m.group(1))
    return ""


def find_kind(lines: list[str], number: str) -> tuple[str, int]:
    """Kind and the index of its line (-1 when taken from the number)."""
    for i, line in enumerate(lines):
        upper = line.strip(" .")
        for word, kind in KIND_LINES:
            if upper == word or (upper.startswith(word + " ") and upper.isupper()):
                return kind, i
    for pattern, kind in SUFFIX_KINDS:
        if number and re.search(pattern, number):
            return kind, -1
    return "", -1


def _title_from_lines(lines: list[str], start: int, kind: str) -> str:
    """Name lines after the kind line, stopping at the preamble."""
    parts: list[str] = []
    first = lines[start].strip()
    rest = first[len(kind) :].strip() if first.upper().startswith(kind.upper()) else ""
    if rest:
        parts.append(rest)
    for line in lines[start + 1 : start + 4]:
        if STOP_TITLE.match(line) or line.startswith("-") or line.upper() in ISSUERS:
            break
        # Capitals, or a mixed-case name (resolutions) and its lower-case continuation.
        mixed_ok = (not parts and not rest) or (
            parts and not parts[-1].isupper() and line[0].islower()
        )
        if not (line.isupper() or mixed_ok):
            break
        parts.append(line)
    name = " ".join(parts).strip()
    m = re.search(r"\bVỀ\s+(.+)$", name)  # "CỦA QUỐC HỘI SỐ 21-LCT/HĐNN8 NGÀY ... VỀ BẢO VỆ ..."
    if m and re.search(r"SỐ\s+\d", name):
        name = m.group(1)
    # "SỐ 102-SL/L-004 NGÀY 20-5-1957 QUY ĐỊNH QUYỀN LẬP HỘI" -> "QUY ĐỊNH QUYỀN LẬP HỘI"
    name = re.sub(r"^SỐ\s+\S+\s+NGÀY\s+[\d/-]+\s+", "", name)
    name = re.split(r"\s+(?:SỐ\s+\d|CỦA QUỐC HỘI\b)", name)[0].strip(" ,.")
    if not name:
        return ""
    name = sentence_case(name) if name.isupper() else name
    # "Luật Cư trú" names a law; "Nghị quyết hướng dẫn …" describes a resolution.
    if kind not in ("Luật", "Bộ luật", "Pháp lệnh", "Hiến pháp"):
        name = name[:1].lower() + name[1:]
    return f"{kind} {name}"


def precedent_title(lines: list[str]) -> str:
    """`ÁN LỆ SỐ 43/2021/AL` + its subject lines up to `Được … thông qua` -> one title."""
    for i, line in enumerate(lines[:10]):
        m = AL_NUMBER_RE.search(line)
        if not m:
            continue
        parts = [line[m.end() :].lstrip("0123456789 ")]
        for nxt in lines[i + 1 : i + 6]:
            if nxt.startswith(("Được", "Nguồn")):
                break
            parts.append(nxt)
        subject = " ".join(p for p in parts if p).strip()
        subject = subject[:1].lower() + subject[1:]
        number = clean_number(m.group(1) or m.group(2))
        return f"Án lệ số {number} {subject}".strip()
    return ""


def find_title(lines: list[str], kind: str, kind_line: int) -> tuple[str, str]:
    """The title as the preamble spells it ("Quốc hội ban hành Luật Cư trú"), else from capitals."""
    if kind == "Án lệ":
        title = precedent_title(lines)
        return (title, "header") if title else ("", "")
    for line in lines:
        m = ENACT_RE.search(line)
        if m and (not kind or m.group(1).lower().startswith(kind.lower())):
            title = m.group(1).strip(" ,.;")
            if len(title) < 250:
                return title[:1].upper() + title[1:], "preamble"
    if kind_line >= 0 and kind:
        title = _title_from_lines(lines, kind_line, kind)
        if title:
            return title, "header"
    return "", ""


def find_issuer(lines: list[str], number: str) -> tuple[str, str]:
    heads = [re.sub(r"[-*_=]{2,}.*$", "", line).strip() for line in lines[:4]]
    candidates = [f"{a} {b}" for a, b in zip(heads, heads[1:], strict=False)] + heads
    for head in candidates:  # two-line issuers first ("HỘI ĐỒNG THẨM PHÁN" / "TÒA ÁN …")
        head = re.sub(r"\s+", " ", head).replace("HOÀ", "HÒA")
        for word, issuer in sorted(ISSUERS.items(), key=lambda kv: -len(kv[0])):
            if head.startswith(word):
                return issuer, "header"
    for pattern, issuer in IMPLIED_ISSUERS:
        if number and re.search(pattern, number):
            return issuer, "inferred"
    return "", ""


def find_date(lines: list[str]) -> str | None:
    """First plausible `ngày D tháng M năm Y` outside the legal bases ("Căn cứ …")."""
    for line in lines:
        if line.startswith(("Căn cứ", "Theo", "(Từ")):
            continue
        m = DATE_RE.search(line) or SHORT_DATE_RE.search(line)
        if m:
            day, month, year = (int(g) for g in m.groups())
            if 1 <= day <= 31 and 1 <= month <= 12 and 1900 < year < 2100:
                return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def find_signer(closing: list[str]) -> str:
    """The signer's name: the last line of the closing block that looks like a person's name."""
    for line in reversed(closing[-8:]):
        words = line.strip().split()
        if (
            2 <= len(words) <= 5
            and all(w[:1].isupper() and not w.isupper() for w in words)
            and not any(c.isdigit() for c in line)
            and len(line) < 40
        ):
            return line.strip()
    return ""
