"""Re-ranking the best few: the stages that read article titles and stored text, and the order.

The stages on every match (offline_index/ranking.py) leave the candidates scored; these keep
the best few (`best_for_*`, as deep as `depth` says) and re-rank them by what a record's title
and text say about the query: the topic or its legal wording in the title, a part's heading,
the document's title, the scope articles, drafting order (offline_index/drafting_order.py),
proximity, definitions and exact diacritics. `PIPELINE` is the whole order, every-match stages
first (docs/search.md, "Ranking").
"""

from __future__ import annotations

import numpy as np

from offline_index import analysis as va
from offline_index import ranking as rk
from offline_index.article_titles import (
    DEFINED,
    PROCEDURE_TITLE,
    asks_for_court,
    asks_for_papers,
    covers,
    is_dossier,
    is_part_topic,
    is_scope,
    matter_bigrams,
    special_case,
    special_regime,
    title_share,
    title_vocabulary,
    title_words,
    topic_reading,
)
from offline_index.drafting_order import drafting_order, first_of_a_title, first_of_a_title_again
from offline_index.folding import (
    Hits,
    accent_lower_for,
    find_run,
    fold,
    run_pattern,
    word_hits_many,
)
from offline_index.penalties import penalty_asked
from offline_index.ranking import Candidates, Query, Stage, in_force_first, stage

# ---------------------------------------------------------------- depth of each step


def depth(q: Query) -> int:
    """Candidates the text re-ranks read (proximity, definitions, accents) and the stages
    after them order: at least `rerank`, whatever the limit, so that the first hits do not
    depend on how many are asked for (in_force_first lifts the text in force above an old
    one only among these)."""
    w, qt = q.weights, q.terms
    n = max(q.limit, w.rerank)
    if w.proximity and len(qt.unigrams) >= w.proximity_min_terms:
        n = max(n, w.proximity_depth)
    if qt.definition and w.defines:
        n = max(n, w.defines_depth)
    return n


@stage()
def best_for_titles(q: Query, c: Candidates) -> Candidates:
    """Keep the best title_all_depth (at least depth(q)) for the article-title signals."""
    n = depth(q)
    return rk.best(c, max(n, q.weights.title_all_depth) if q.weights.title_all else n)


@stage()
def best_for_text(q: Query, c: Candidates) -> Candidates:
    """Keep the best depth(q) for the stages that read stored text."""
    return c._take(np.arange(min(depth(q), c.docs.size)), c.scores[: depth(q)])


@stage()
def best_for_hits(q: Query, c: Candidates) -> Candidates:
    return rk.best(c, q.limit)


# ---------------------------------------------------------------- stages on the best few


@stage()
def title_topic(q: Query, c: Candidates) -> Candidates:
    """× (1 + title_all × title_share): the question's topic is the article's title."""
    w = q.weights
    if not w.title_all:
        return c
    wanted = q.topic
    vocabulary = title_vocabulary(sorted(wanted), q.terms.bigrams)
    r = c.records
    titles = [r.title_words(d) for d in c.docs.tolist()]
    if not q.terms.question and 0 < q.typed <= w.order_max:
        # A topic search names one matter; a coordinated title may name it among others:
        # `Tạm ngừng, đình chỉ hoạt động, chấm dứt kinh doanh` is the article on `tạm ngừng
        # kinh doanh` (article_titles.topic_reading).
        conjuncts = [r.title_conjuncts(d) for d in c.docs.tolist()]
        titles = [
            topic_reading(t, j, wanted, vocabulary) if j else t
            for t, j in zip(titles, conjuncts, strict=True)
        ]
    factors = [1 + w.title_all * title_share(t, wanted, vocabulary) for t in titles]
    if 0 < len(wanted) <= (w.title_short_max if q.terms.question else w.order_max):
        exact = 0.0 if q.terms.definition else w.title_exact  # "X là gì?": Giải thích từ ngữ
        factors = [
            f * _short_title(w.title_short, exact, *covers(t, wanted), len(wanted))
            for f, t in zip(factors, titles, strict=True)
        ]
    return c.rescored(factors)


def _short_title(short: float, exact: float, held: int, extra: int, asked: int) -> float:
    """A short search names a topic; the article about it carries the topic in its title
    ("ly hôn" -> "Thuận tình ly hôn"), however long the title is (title_short), and the
    title that is the topic and little more is the general article on it: `Tài sản riêng
    của vợ, chồng` before `Nhập tài sản riêng của vợ, chồng vào tài sản chung` (title_exact,
    over the shared words of title and query together). A definition question is answered
    by the article defining terms, whatever its title: title_exact does not apply to it."""
    return (1 + short * (held / asked) ** 2) * (1 + exact * held / (asked + extra))


@stage()
def head_first(q: Query, c: Candidates) -> Candidates:
    """× head for an article whose title holds a topic search's first two syllables as typed.

    Vietnamese names a matter head first: `điều kiện nhận con nuôi` asks for conditions (of
    adopting), `thời hạn khiếu nại` for a time limit (of a complaint). A title that holds
    only the later words is about the qualifier: Luật Nuôi con nuôi's `Đăng ký nhu cầu nhận
    con nuôi` against its `Điều kiện đối với người nhận con nuôi`. A topic of two syllables is
    all head (title_topic weighs it)."""
    t, w = q.terms, q.weights
    if w.head == 1 or t.question or not 3 <= q.typed <= w.order_max or len(t.typed[0]) < 2:
        return c
    head = " " + " ".join(folded for folded, _ in t.typed[0][:2]) + " "
    titles = [f" {c.records.title_words(d)} " for d in c.docs.tolist()]
    return c.rescored([w.head if head in title else 1.0 for title in titles])


@stage(reads_text=True)
def typed_phrase(q: Query, c: Candidates) -> Candidates:
    """× typed_phrase for an article whose title holds a topic search's words as typed, its
    function words too (`được`, `của`, `và`, `có`).

    The title stages compare content words, so `được trợ giúp pháp lý` (who is helped) read
    as `trợ giúp pháp lý` (the service) put Luật Trợ giúp pháp lý's `Trợ giúp pháp lý` first
    and its `Người được trợ giúp pháp lý` out of the top 10. A law titles an article by its
    matter in full; the words typed in their order, function words and all, are that matter.
    Only a search holding a function word is looked at: without one, title_topic decides.
    A text no longer in force gains nothing: the repealed `Quyền của người lao động` of Luật
    Bảo hiểm xã hội 2014 must not pass the Labour Code's article in force."""
    t, w = q.terms, q.weights
    if w.typed_phrase == 1 or t.question or not 2 <= q.typed <= w.order_max:
        return c
    if not any(word in va.STOP_PLAIN for word in t.phrase.split()):
        return c
    phrase, gone = f" {t.phrase} ", c.records.not_in_force()[c.docs]
    factors = [
        w.typed_phrase if not gone[i] and phrase in f" {_title_syllables(c, i)} " else 1.0
        for i in range(c.docs.size)
    ]
    return c.rescored(factors)


def _title_syllables(c: Candidates, i: int) -> str:
    return " ".join(va.syllables(c.stored(i).get("article_title") or ""))


@stage()
def legal_title(q: Query, c: Candidates) -> Candidates:
    """× (1 + legal_title) for an article whose title is the legal wording of an everyday
    phrase the query used, with at most legal_extra syllables more.

    The thesaurus says what a resident's words mean in the law's own terms (`cho vay lấy
    lãi` -> `lãi suất`), and a law names an article by its subject: the Civil Code's Điều 468
    is titled `Lãi suất`. An article titled with those words is about what the resident
    asked; one that only uses them is not. One syllable more is still the subject: the Criminal
    Code names each offence `Tội …` (`làm nhục người khác` -> `Tội làm nhục người khác`).
    """
    w = q.weights
    meant = _legal_wordings(q)
    if not w.legal_title or not meant:
        return c
    found = [_names_one(c.records.title_words(int(d)), meant, w.legal_extra) for d in c.docs]
    if not any(found):
        return c
    return c.rescored([1 + w.legal_title if f else 1.0 for f in found])


def _legal_wordings(q: Query) -> list[set[str]]:
    """The legal wordings of the everyday phrases the query used, as title words."""
    return [set(m.split()) for m in {title_words(legal) for legal in q.terms.legal} if m]


def _names_one(title: str, meant: list[set[str]], extra: int) -> bool:
    """Whether a title (title_words) holds all of one legal wording and at most `extra` more."""
    for words in meant:
        held, more = covers(title, words)
        if held == len(words) and more <= extra:
            return True
    return False


@stage()
def part_topic(q: Query, c: Candidates) -> Candidates:
    """For a topic search (at most order_max syllables), × (1 + part_topic) for the articles of
    a part whose heading is exactly the topic.

    Laws group their articles in named parts, and a resident's topic is often the name of
    one: `quyền trẻ em` is Luật Trẻ em's `Mục 1. QUYỀN CỦA TRẺ EM` (Điều 12-36), while
    the article with the words in its title is `Nguồn lực bảo đảm thực hiện quyền trẻ em`.
    The part's articles go first (part_topic is large), in the order the other stages give
    them. A part of a text no longer in force gets nothing when the library holds the text
    replacing it: the law in force first. Without it, the old text is the best the library
    has on the topic (shown with its status), and its part counts.
    """
    wanted = q.topic
    if not q.weights.part_topic or not 0 < len(wanted) <= q.weights.order_max:
        return c
    replaced = np.isin(c.records.units(c.docs), list(c.records.replacements))
    gone = c.records.not_in_force()[c.docs] & replaced
    found = [
        not old and is_part_topic(c.records.parts(int(d)), wanted)
        for d, old in zip(c.docs.tolist(), gone.tolist(), strict=True)
    ]
    if not any(found):
        return c
    return c.rescored([1 + q.weights.part_topic if f else 1.0 for f in found])


@stage()
def document_title(q: Query, c: Candidates) -> Candidates:
    """For a topic search (at most order_max syllables), × (1 + doc_title × (share of the
    query's bigrams in the title of the record's document)²).

    A law's title names what it governs: `Nghị định … xử phạt … giao thông đường bộ; trừ
    điểm, phục hồi điểm giấy phép lái xe` is about driving licences as sanctions, where Luật
    Giao thông đường bộ has one article titled `Giấy phép lái xe`. Bigrams, not syllables:
    `hôn` of `Hôn nhân và gia đình` says nothing about `ly hôn`; squared, so a title sharing
    one phrase of several (`bảo đảm` for `tài sản bảo đảm`) counts little.
    """
    w = q.weights
    asked = matter_bigrams(q.terms.unigrams, q.terms.bigrams)
    if not w.doc_title or not asked or len(q.terms.unigrams) > w.order_max:
        return c
    units = c.records.units(c.docs).tolist()
    shares = {u: (len(asked & c.records.title_phrases(u)) / len(asked)) ** 2 for u in set(units)}
    return c.rescored([1 + w.doc_title * shares[u] if u >= 0 else 1.0 for u in units])


@stage()
def scope_articles(q: Query, c: Candidates) -> Candidates:
    """× (1 + scope) for the scope articles of a law named in "Luật X áp dụng cho ai?"."""
    w = q.weights
    if not (q.terms.scope and q.named and w.scope):
        return c
    docs = c.records.records_of(q.named)
    factors = [
        1 + w.scope if docs[d] and is_scope(c.records.title_words(int(d))) else 1.0 for d in c.docs
    ]
    return c.rescored(factors)


@stage()
def general_regime(q: Query, c: Candidates) -> Candidates:
    """× special_regime for the articles of a special regime the search does not name (a
    title or part heading `… có yếu tố nước ngoài`, `… trong trường hợp đặc biệt`, `Thủ tục
    đặc biệt …`, `… đặc thù`: article_titles.SPECIAL_REGIMES), or of a special case or subject
    (a title `… trong trường hợp X` or `… đối với X` whose X the search names none of:
    article_titles.special_case).

    A law states the general rule first and restates it for its special regimes and cases,
    and a resident who names no special case asks about the rule: `giới hạn giờ làm thêm` is
    Điều 107 `Làm thêm giờ`, not Điều 108 `Làm thêm giờ trong trường hợp đặc biệt`.
    """
    w = q.weights
    if w.special_regime == 1 or not c.docs.size:
        return c
    asked, r = " ".join(q.terms.unigrams), c.records
    factors = [
        w.special_regime if _special(r.title_words(d), r.parts(d), asked) else 1.0
        for d in c.docs.tolist()
    ]
    return c.rescored(factors)


def _special(title: str, parts: str, asked: str) -> bool:
    return special_regime(title, parts, asked) or special_case(title, asked, parts)


@stage()
def rule_before_dossier(q: Query, c: Candidates) -> Candidates:
    """× dossier for an article listing a procedure's papers (`Hồ sơ …`), unless the search
    asks for papers or the procedure (`hồ sơ`, `giấy tờ`, `thủ tục`, `trình tự`).

    A dossier article names the benefit or the procedure in item after item (`Hồ sơ hưởng
    chế độ ốm đau`: the sick-leave papers, the certificate of sick leave, …), so BM25 ranks
    it above the article that sets the rule: who is entitled, on what conditions, how much
    (`Điều kiện hưởng chế độ ốm đau`). A resident naming a topic asks for the rule; one who
    wants the papers says so.
    """
    w = q.weights
    if w.dossier == 1 or not c.docs.size or asks_for_papers(" ".join(q.terms.unigrams)):
        return c
    r = c.records
    factors = [w.dossier if is_dossier(r.title_words(d)) else 1.0 for d in c.docs.tolist()]
    return c.rescored(factors)


@stage()
def rule_before_procedure(q: Query, c: Candidates) -> Candidates:
    """× procedure for an article of the civil procedure code (article_titles.PROCEDURE_TITLE),
    unless the search asks for a court case (article_titles.COURT_ASKED: `tòa`, `kiện`, …).

    The code names the matters a case may be about, title after title (`Đơn yêu cầu công
    nhận thuận tình ly hôn, thỏa thuận nuôi con, chia tài sản khi ly hôn`), so BM25 ranks
    it with the law that sets the rule (`Nguyên tắc giải quyết tài sản của vợ chồng khi
    ly hôn`). A resident naming the matter asks for the rule; one who wants the court says so.
    A question in the law's own words (no everyday phrase read) is left alone: a lawyer's
    question about a case is often the procedure's.
    """
    w, t = q.weights, q.terms
    legal_question = t.question and not t.meant  # ALQAC's: in the law's words
    if w.procedure == 1 or legal_question or asks_for_court(" ".join(t.unigrams)):
        return c
    r = c.records
    units = r.units(c.docs).tolist()
    return c.rescored([w.procedure if _is_procedure(r, u) else 1.0 for u in units])


def _is_procedure(r: rk.Records, unit: int) -> bool:
    return unit >= 0 and PROCEDURE_TITLE in r.title_phrases(unit)


@stage()
def general_law(q: Query, c: Candidates) -> Candidates:
    """× (1 + general_law) for the records in force of a law that says it is the general law
    of its relations, for a question in a resident's everyday words that names no law.

    Bộ luật Dân sự says so of itself (Điều 4 khoản 1: `Bộ luật này là luật chung điều chỉnh
    các quan hệ dân sự`). A resident asking in everyday words (the thesaurus read a phrase:
    `cho vay`, `đặt cọc`, `đền`) about lending, deposits or damage shares those common words
    with every law (`cho bạn vay tiền không có giấy tờ gì` and the traffic decree's `giấy tờ`);
    the code that governs such relations in general is the likelier answer. A question in the
    law's own words (no phrase read), a short topic, or one naming a law is left alone; so is
    one whose everyday words name another law's article by its title (`chửi bới` -> `Tội làm
    nhục người khác`): the resident's own words found the special rule.
    """
    w, t = q.weights, q.terms
    if not w.general_law or not t.meant or q.named or not (t.question or q.typed >= w.order_max):
        return c
    general = c.records.general_units()
    if not general or not c.docs.size:
        return c
    mine = np.isin(c.records.units(c.docs), list(general)) & ~c.records.not_in_force()[c.docs]
    if not mine.any() or (
        not mine[0] and _named_by_phrase(q, c.records.title_words(int(c.docs[0])))
    ):
        return c
    return c.rescored(np.where(mine, 1 + w.general_law, 1.0))


def _named_by_phrase(q: Query, title: str) -> bool:
    """Whether a title (title_words) is the legal wording of an everyday phrase the query used."""
    meant = _legal_wordings(q)
    return bool(meant) and _names_one(title, meant, q.weights.legal_extra)


@stage(reads_text=True)
def proximity(q: Query, c: Candidates) -> Candidates:
    """× (1 + proximity × share of the query's syllables within one window of the text).

    Coverage counts the query words a record holds anywhere; an article that answers
    the question usually holds them within one sentence or clause. For a topic search an
    article's body is read, not its title: title_topic has judged the title, and a title
    listing several matters (Bộ luật Tố tụng dân sự's `Đơn yêu cầu công nhận thuận tình ly
    hôn, thỏa thuận nuôi con, chia tài sản khi ly hôn`) would win here on its title alone.
    """
    w, unigrams = q.weights, q.terms.unigrams
    if not w.proximity or len(unigrams) < w.proximity_min_terms:
        return c
    wanted = frozenset(unigrams)
    read = c.title_text if q.terms.question else c.body_text
    texts = (read(i) for i in range(c.docs.size))  # a few at a time
    hits = word_hits_many(texts, wanted, raw=True)
    best = best_window_counts(hits, c.docs.size, w.proximity_window)
    return c.rescored((1 + w.proximity * best / len(wanted)).tolist())


def best_window_counts(hits: Hits, texts: int, window: int) -> np.ndarray:
    """Per text (folding.word_hits_many: each hit's text, word number and syllable, in order):
    the most distinct syllables within `window` consecutive words.

    All texts at once, a syllable at a time: a hit's window holds a syllable when that
    syllable's last hit at or before it is less than `window` words back. (A loop over the
    hits in Python took 1.5 ms of a search reading 30 long articles.)"""
    text_of, pos, ids = hits
    best = np.zeros(texts, dtype=np.int64)
    if not pos.size:
        return best
    pos = pos + text_of * (int(pos.max()) + window + 1)  # no window spans two texts
    counts = np.zeros(pos.size, dtype=np.int64)
    for k in np.unique(ids).tolist():
        mine = pos[ids == k]
        last = np.searchsorted(mine, pos, "right") - 1
        counts += (last >= 0) & (mine[np.maximum(last, 0)] > pos - window)
    np.maximum.at(best, text_of, counts)
    return best


@stage(reads_text=True)
def definitions(q: Query, c: Candidates) -> Candidates:
    """For "... là gì?": × (1 + defines) for a line defining a term made of the query's words.

    Laws define their terms one per clause, the term first and then "là"; the article
    that does so for the asked term is the answer, however often other articles use it.
    """
    if not (q.terms.definition and q.weights.defines):
        return c
    wanted = q.topic
    factors = []
    for i in range(c.docs.size):
        best = 0
        for m in DEFINED.finditer(fold(c.stored(i).get("text") or "")):
            term = m.group(1).split()
            if set(term) <= wanted:
                best = max(best, len(term))
        share = min(1.0, best / min(2, len(wanted))) if wanted else 0.0
        factors.append(1 + q.weights.defines * share)
    return c.rescored(factors)


@stage(reads_text=True)
def accents(q: Query, c: Candidates) -> Candidates:
    """× (1 + accent × share of the query's bigrams found with the same diacritics)."""
    if not q.terms.accented or not q.terms.accented_bigrams:
        return c
    bigrams = q.terms.accented_bigrams
    wanted = [run_pattern(b) for b in bigrams]
    factors = []
    for i in range(c.docs.size):
        hay = accent_lower_for(c.title_text(i), bigrams)
        found = sum(1 for b in wanted if find_run(b, hay) is not None)
        factors.append(1 + q.weights.accent * found / len(wanted))
    return c.rescored(factors)


@stage(reads_text=True)
def page_runs(q: Query, c: Candidates) -> Candidates:
    """At most pages_per_doc pages of one paged text among the best; its other pages follow
    the rest, in their order.

    A law's articles are each a unit of meaning; a precedent's or a handbook's pages are cuts
    of one text, and six pages of Án lệ 43/2021 in a resident's first ten hits say one thing
    six times while the Civil Code's articles on the same question wait below.
    """
    n = q.weights.pages_per_doc
    if not n or not c.docs.size:
        return c
    seen: dict[str, int] = {}
    factors = np.ones(c.docs.size)
    for i in np.argsort(-c.scores, kind="stable").tolist():
        s = c.stored(i)
        if s.get("hit_type") == "page":
            seen[s["doc_id"]] = seen.get(s["doc_id"], 0) + 1
            factors[i] = 1.0 if seen[s["doc_id"]] <= n else 1e-6
    return c.rescored(factors)


@stage(reads_text=True)
def law_before_guide(q: Query, c: Candidates) -> Candidates:
    """When a guiding text ranks first and the law it implements answers among the best
    guide_window, the law's best article goes first.

    An implementing decree or the Supreme Court's guiding resolution restates a code's
    articles in plainer words, so a resident's search often finds the guide first (`tiền đặt
    cọc`: Nghị định 21/2021 Điều 37 on telling a deposit from an advance, before the Civil
    Code's `Đặt cọc`). The law states the rule and stands above what guides it.
    """
    k = q.weights.guide_window
    if not k or c.docs.size < 2:
        return c
    best = np.argsort(-c.scores, kind="stable")[:k].tolist()
    units = c.records.units(c.docs[best])
    laws = c.records.guided_units(int(units[0]))
    for j, unit in zip(best[1:], units[1:].tolist(), strict=True):
        if unit in laws and c.stored(j).get("hit_type") == "article":
            scores = c.scores.copy()
            scores[j] = scores[best[0]] * 1.0001  # just above the guide; the rest stands
            order = np.argsort(-scores, kind="stable")
            return c._take(order, scores[order])
    return c


# The stages on the best few, in order, after rk.MATCH_STAGES.
BEST_STAGES: list[Stage] = [
    best_for_titles,
    title_topic,
    typed_phrase,
    head_first,
    legal_title,
    part_topic,
    document_title,
    scope_articles,
    general_regime,
    rule_before_dossier,
    rule_before_procedure,
    general_law,
    penalty_asked,
    drafting_order,
    first_of_a_title,
    best_for_text,
    proximity,
    first_of_a_title_again,
    definitions,
    accents,
    in_force_first,
    page_runs,
    law_before_guide,
    best_for_hits,
]
PIPELINE: list[Stage] = rk.MATCH_STAGES + BEST_STAGES
