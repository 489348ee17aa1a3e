"""Article titles as the ranking stages compare them with a query (offline_index/ranking.py).

A title's content syllables are indexed once per record (`atwords`, title_words), and so are
the headings of the parts the article sits in (`parts`, part_words); the stages ask whether a
title is the query's topic (title_share), a scope article (is_scope) or a glossary
(is_glossary, defined_terms), how many words it adds to the query's (covers), whether a
heading is the topic (is_part_topic), whether it belongs to a special regime
(special_regime) and whether it lists a procedure's papers (is_dossier). A coordinated title
is also read one matter at a time (indexed_title, topic_reading).
"""

from __future__ import annotations

import functools
import re

from offline_index import analysis as va


def title_words(article_title: str) -> str:
    """An article title's content syllables, folded: what title_share compares.

    A closing "sau đây" ("X có những nhiệm vụ và quyền hạn sau đây:") only announces a list.
    """
    words = [s for s in va.syllables(article_title) if s not in va.STOP_PLAIN]
    if words[-2:] == ["sau", "day"]:
        del words[-2:]
    return one_word_for_steps(" ".join(words))


# A law names the steps of a procedure `Trình tự …`, `Thủ tục …` or both (`Trình tự, thủ tục
# giải quyết tố cáo`, Luật Tố cáo Điều 42; `Trình tự khiếu nại`, Luật Khiếu nại Điều 7): one
# thing to a resident, who says `thủ tục`. Titles and a query's words say it with one word.
_STEPS = re.compile(r"\btrinh tu\b")
_TWICE = re.compile(r"\bthu tuc thu tuc\b")


# A title coordinates several matters that share a head or a complement: `Tạm ngừng, đình chỉ
# hoạt động, chấm dứt kinh doanh` (Luật Doanh nghiệp Điều 206) is `tạm ngừng kinh doanh`,
# `đình chỉ hoạt động kinh doanh` and `chấm dứt kinh doanh`; `Quyền chuyển đổi, chuyển
# nhượng, …, góp vốn quyền sử dụng đất` (Luật Đất đai Điều 167) is `quyền chuyển nhượng quyền
# sử dụng đất`, …. Indexed with the title words after a tab: `words\tconjunct|conjunct|…`.
_CONJUNCTS = re.compile(r"[,;]")


def indexed_title(article_title: str) -> str:
    """What the index keeps of an article title: its title_words and, for a coordinated
    title, the title_words of each conjunct (split on its commas and semicolons)."""
    words = title_words(article_title)
    parts = [w for w in map(title_words, _CONJUNCTS.split(article_title)) if w]
    return f"{words}\t{'|'.join(parts)}" if len(parts) > 1 and words else words


def split_indexed(value: str) -> tuple[str, str]:
    """(title_words, conjuncts) of an indexed_title value (an index from before has no tab)."""
    words, _, parts = value.partition("\t")
    return words, parts


def topic_reading(words: str, conjuncts: str, wanted: set[str], vocabulary: frozenset[str]) -> str:
    """A title's words (title_words), or the reading of the coordinated title (its
    `conjuncts`) that title_share scores higher: one conjunct with the head it shares with
    the first and the complement it shares with the last.

    Later conjuncts take a head from the first (`Hủy bỏ đăng ký thường trú, đăng ký tạm trú`
    is not `đăng ký tạm trú`); earlier ones a complement of two syllables or more from the
    last, or none when the last is one syllable (`Xác định cha, mẹ`), so no word is cut.
    """
    best, best_share = words, title_share(words, wanted, vocabulary)
    parts = [p.split() for p in conjuncts.split("|")] if conjuncts else []
    for reading in map(" ".join, _readings(parts, vocabulary or frozenset(wanted))):
        share = title_share(reading, wanted, vocabulary)
        if share > best_share:
            best, best_share = reading, share
    return best


def _readings(parts: list[list[str]], allowed: frozenset[str]) -> list[list[str]]:
    """The readings of conjuncts `parts` made only of `allowed` words."""
    if len(parts) < 2:
        return []
    first, last = parts[0], parts[-1]
    heads = [first[:p] for p in range(1, len(first)) if set(first[:p]) <= allowed]
    tails = [last[-k:] for k in range(2, len(last)) if set(last[-k:]) <= allowed]
    if len(last) <= 1:
        tails.append([])
    out = []
    for i, part in enumerate(parts):
        if not set(part) <= allowed:
            continue
        for head in heads if i else [[]]:
            out.extend(head + part + tail for tail in (tails if i < len(parts) - 1 else [[]]))
    return out


def one_word_for_steps(words: str) -> str:
    """Folded words with `trinh tu` read as `thu tuc`, said once."""
    if "trinh tu" not in words:
        return words
    return _TWICE.sub("thu tuc", _STEPS.sub("thu tuc", words))


def topic_words(unigrams: list[str]) -> set[str]:
    """A query's content syllables as the title signals compare them (one_word_for_steps)."""
    return set(one_word_for_steps(" ".join(unigrams)).split())


_GLOSSARY = title_words("Giải thích từ ngữ")


def part_words(headings: list[str]) -> str:
    """The headings of the parts an article sits in (Phần, Chương, Mục; outermost first), each
    as title_words gives it and read within the parts around it (in_context), joined by `|`:
    what is_part_topic compares with a query."""
    read = (in_context(title_words(h), headings[:i]) for i, h in enumerate(headings))
    return "|".join(w for w in read if w)


# A part's heading is read within the parts around it: Luật Năng lượng nguyên tử's `Chương 10.
# ỨNG PHÓ SỰ CỐ, BỒI THƯỜNG THIỆT HẠI BỨC XẠ, HẠT NHÂN` holds `Mục 2. BỒI THƯỜNG THIỆT HẠI`:
# the damage radiation causes, not damage in general. A heading that opens one of an outer
# heading's matters (split at `,`, `;` and `và`) that says more is that matter.
_MATTERS = re.compile(r"[,;]|\bvà\b", re.IGNORECASE)


def in_context(words: str, outer: list[str]) -> str:
    """A heading's title_words, or the longer matter of an outer heading that it opens."""
    for heading in outer:
        for matter in _matters(heading):
            if words and matter.startswith(words + " "):
                return matter
    return words


@functools.lru_cache(maxsize=1024)
def _matters(heading: str) -> tuple[str, ...]:
    """A heading's matters as title_words: read once for all the articles under it."""
    return tuple(map(title_words, _MATTERS.split(heading)))


# A part named for the regime of a matter or the liability for it is the part on that matter:
# `Mục 2. CHẾ ĐỘ THAI SẢN` (Luật Bảo hiểm xã hội), `Chương XX. TRÁCH NHIỆM BỒI THƯỜNG THIỆT HẠI
# NGOÀI HỢP ĐỒNG` (Bộ luật Dân sự). Other heads name an activity about the matter (`Quản lý …`,
# `Thủ tục …`, `Tổ chức …`), which a search naming the matter does not ask for.
PART_HEADS = ("che do ", "trach nhiem ")


def is_part_topic(parts: str, wanted: frozenset[str]) -> bool:
    """Whether one of these headings (part_words) is exactly the query's topic: the same
    content syllables, no more and no fewer (`quyền trẻ em` and `QUYỀN CỦA TRẺ EM`), after a
    head that names the matter's regime (PART_HEADS) the query does not itself say."""
    return bool(wanted) and any(_heading_topic(p, wanted) == wanted for p in parts.split("|"))


def _heading_topic(heading: str, wanted: frozenset[str]) -> frozenset[str]:
    for head in PART_HEADS:
        if heading.startswith(head) and not wanted & set(head.split()):
            return frozenset(heading[len(head) :].split())
    return frozenset(heading.split())


# A decree on administrative sanctions restates the same violations article by article for
# each kind of subject, under one title template, the commonest subject first: Nghị định
# 168/2024 `Xử phạt, trừ điểm giấy phép lái xe của người điều khiển xe ô tô, … vi phạm quy tắc
# giao thông đường bộ` (Điều 6), `… xe mô tô, xe gắn máy …` (7), `Xử phạt người điều khiển xe
# đạp, …` (9), `Xử phạt người đi bộ vi phạm quy tắc giao thông đường bộ` (10).
SANCTION_HEAD = ["xu", "phat"]


def parallel_sanctions(a: str, b: str) -> bool:
    """Whether two article titles (title_words) are sanction articles of one template: both
    open with `Xử phạt` and end with the same three syllables."""
    x, y = a.split(), b.split()
    return x[:2] == y[:2] == SANCTION_HEAD and x[-3:] == y[-3:]


def phrases(title: str) -> frozenset[str]:
    """A document title's folded bigrams (`giay phep`, `lai xe`): what document_title compares
    with a query's bigrams."""
    return frozenset(va.bigrams(va.syllables(title)))


SCOPE_TITLES = ("pham vi dieu chinh", "doi tuong ap dung")


def is_scope(words: str) -> bool:
    """Whether an article title (title_words) is a law's scope article."""
    return any(t in words for t in SCOPE_TITLES)


# A law sets out its general regime first and restates a matter for special regimes in an
# article or a part named by the qualifier: `Làm thêm giờ` (Điều 107 Bộ luật Lao động) and
# `Làm thêm giờ trong trường hợp đặc biệt` (Điều 108); `Nuôi con nuôi có yếu tố nước ngoài`
# (Chương III Luật Nuôi con nuôi); `Thủ tục đặc biệt …`; `… đặc thù`. Each qualifier, as
# title_words gives it, with the words a search names it by.
SPECIAL_REGIMES = (
    ("yeu to nuoc ngoai", "nuoc ngoai"),
    ("truong hop dac biet", "dac biet"),
    ("thu tuc dac biet", "dac biet"),
    ("dac thu", "dac thu"),
)


# A dossier article lists the papers a procedure needs (`Hồ sơ hưởng lương hưu`, `Hồ sơ đăng
# ký khai sinh`); a search asks for them in these words (folded, as a query's syllables are).
PAPERS_ASKED = ("ho so", "giay to", "thu tuc", "trinh tu")


# What a search asks of a matter, not the matter: `thủ tục khiếu nại` is about complaints.
FRAMES = frozenset((*PAPERS_ASKED, "dieu kien", "thoi han"))


def matter_bigrams(unigrams: list[str], bigrams: list[str]) -> set[str]:
    """The query's bigrams without the frame words (FRAMES) and the pairs across them (`tục
    khiếu`), which name nothing; all of them when nothing else is left."""
    drop: set[str] = set()
    for i in range(len(unigrams) - 1):
        if f"{unigrams[i]} {unigrams[i + 1]}" in FRAMES:
            drop.add(f"{unigrams[i]} {unigrams[i + 1]}")
            if i:
                drop.add(f"{unigrams[i - 1]} {unigrams[i]}")
            if i + 2 < len(unigrams):
                drop.add(f"{unigrams[i + 1]} {unigrams[i + 2]}")
    kept = set(bigrams) - drop
    return kept or set(bigrams)


def is_dossier(title: str) -> bool:
    """Whether an article title (title_words) is a dossier article, `Hồ sơ …`."""
    return title.startswith("ho so ")


def asks_for_papers(asked: str) -> bool:
    """Whether a search (its folded syllables, space-joined) asks for a procedure's papers."""
    return _says_any(asked, PAPERS_ASKED)


def _says_any(asked: str, phrases: tuple[str, ...]) -> bool:
    """Whether a search (its folded syllables, space-joined) holds one of these phrases, as
    whole syllables (`don` is not `dong`)."""
    query = f" {asked} "
    return any(f" {words} " in query for words in phrases)


# The civil procedure code (Bộ luật Tố tụng dân sự) says how a court handles a civil,
# marriage, business or labour case; the rules of those matters are in the laws that govern
# them (Bộ luật Dân sự, Luật Hôn nhân và gia đình, Bộ luật Lao động). Its articles name the
# matters a case may be about (`Đơn yêu cầu công nhận thuận tình ly hôn, thỏa thuận nuôi con,
# chia tài sản khi ly hôn`); its title holds this phrase (article_titles.phrases). The
# criminal procedure code is not one of these: it is where the rights of a person who
# reports a crime or is held are set. A search asks for the court's side in COURT_ASKED's
# words: the court, suing, a petition, the procedure, a trial, an appeal, which court, the fee.
PROCEDURE_TITLE = "tung dan"
COURT_ASKED = ("toa", "kien", "don", "to tung", "xet xu", "khang cao", "tham quyen", "an phi")


def asks_for_court(asked: str) -> bool:
    """Whether a search (its folded syllables, space-joined) asks for a court case."""
    return _says_any(asked, COURT_ASKED)


def special_regime(title: str, parts: str, asked: str) -> bool:
    """Whether an article (its title_words and part_words) belongs to a special regime the
    search (its folded content syllables, space-joined) does not name."""
    where = f" {title}|{parts} ".replace("|", " | ")
    query = f" {asked} "
    return any(
        f" {qualifier} " in where and f" {named} " not in query
        for qualifier, named in SPECIAL_REGIMES
    )


def special_case(title: str, asked: str, parts: str = "") -> bool:
    """Whether an article title (title_words) states its matter for a case (`Bồi thường thiệt
    hại trong trường hợp bên bị vi phạm có lỗi`, `Lãi suất trong trường hợp chậm góp`) or for a
    subject (`Xử phạt đối với lái tàu, phụ lái tàu`, `… đối với công ty cổ phần`) that the
    search (its folded content syllables, space-joined) names none of the words of.

    A case's words that the headings of the article's parts hold (part_words) are the part's
    matter, not the case: `Phân chia di sản trong trường hợp có người thừa kế mới …` sits in
    `Phần thứ tư. THỪA KẾ`, and a search for `thừa kế` names the part. A subject keeps all its
    words: `… chế độ đối với người bị tai nạn lao động …` in the chapter on that regime is
    about the chapter's own subject."""
    padded = f" {title} "
    return _unnamed(padded, " truong hop ", asked, parts) or _unnamed(padded, " doi voi ", asked)


def _unnamed(padded: str, mark: str, asked: str, parts: str = "") -> bool:
    at = padded.find(mark)
    if at <= 0:  # `Các trường hợp …`, `Trường hợp …`: the article lists the cases
        return False
    case = set(padded[at + len(mark) :].split())
    case = (case - set(parts.replace("|", " ").split())) or case
    return not (case | {mark.split()[0]}) & set(asked.split())


# A definition in a Vietnamese law: a line "2. Tiếp cận thông tin là việc ...", folded.
DEFINED = re.compile(r"^\s*(?:\d+\.\s*)?((?:\w+ ){1,8}?)la ", re.M)


def is_glossary(words: str) -> bool:
    """Whether an article title (title_words) is a law's glossary, `Giải thích từ ngữ`."""
    return words == _GLOSSARY


def defined_terms(text: str) -> list[str]:
    """The terms of two syllables or more a glossary article defines, as folded syllables
    (`24. Cấp dưỡng là việc …` -> `cap duong`): the terms the law governs, in its own sense."""
    terms = (" ".join(va.syllables(m.group(1))) for m in DEFINED.finditer(va.fold(text)))
    return sorted({t for t in terms if " " in t})


# A code that says of itself it is the general law of a kind of relations: Bộ luật Dân sự
# Điều 4 khoản 1 `Bộ luật này là luật chung điều chỉnh các quan hệ dân sự.` (folded).
_GENERAL_LAW = re.compile(r"\b(?:bo )?luat nay la luat chung\b")


def says_general_law(text: str) -> bool:
    """Whether an article's text says its law is the general law of the relations it governs."""
    return bool(_GENERAL_LAW.search(va.fold(text)))


# Laws name powers and duties together: "Nhiệm vụ, quyền hạn của X", "Quyền và nghĩa vụ của X".
_ROLES = ("quyen", "quyen han", "nhiem vu", "nghia vu", "trach nhiem")
_ROLE_SYLLABLES = frozenset(" ".join(_ROLES).split())


def title_vocabulary(unigrams: list[str], bigrams: list[str]) -> frozenset[str]:
    """The words an article title may use to count as the query's topic (title_share).

    A question about X's rights or powers ("quyền hạn của chính phủ") is answered by the
    article that lists them, whatever roles its title names beside the asked one.
    """
    words = frozenset(unigrams)
    if "quyen" in words or any(r in bigrams for r in _ROLES[2:]):
        return words | _ROLE_SYLLABLES
    return words


def title_share(words: str, wanted: set[str], vocabulary: frozenset[str] = frozenset()) -> float:
    """How closely an article title made only of query words matches the query (else 0).

    Shared syllables over those of title and query together, so extra title words dilute it.

    "Điều nào sau đây không đúng về quyền của hành khách?" asks about the article titled
    "Quyền của hành khách"; a one-word title says too little to count. `vocabulary`
    (title_vocabulary) may allow a few words more than the query's.
    """
    title = set(words.split())
    if len(title) < 2 or not wanted or not title <= (vocabulary or wanted):
        return 0.0
    return len(title & wanted) / len(title | wanted)


def covers(words: str, wanted: set[str]) -> tuple[int, int]:
    """(query syllables the title holds, title syllables the query lacks): how fully a title
    names the query's topic and how many qualifiers it adds (`... một lần đối với người ...`)."""
    title = set(words.split())
    return len(title & wanted), len(title - wanted)
