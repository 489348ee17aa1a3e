"""Ranking stages from the order in which a law is drafted: the earlier article first.

Laws are drafted in order: general provisions and the main regime before special regimes and
exceptions, and within a topic who and on what conditions before amounts, procedures and
termination; a law that restates an article for a second regime keeps its title, and a
sanctions decree restates its violations for each kind of subject, the commonest first.
offline_index.reranking runs these among the stages on the best few (docs/search.md, stages
8d, 8e and 10a).
"""

from __future__ import annotations

import numpy as np

from offline_index import ranking as rk
from offline_index.article_titles import covers, parallel_sanctions
from offline_index.ranking import Candidates, Query, stage


@stage()
def drafting_order(q: Query, c: Candidates) -> Candidates:
    """For a short search, an earlier article of the same document that scores nearly as
    well (order_share of that document's best here) and whose title names the query as fully
    (as many query syllables; other syllables at most order_extra more than the best's title
    has) goes just above the best.

    Laws are drafted in order: general provisions and the main regime before special regimes
    and exceptions, and within a topic who and on what conditions before amounts,
    procedures and termination. Luật Bảo hiểm xã hội has `Bảo hiểm xã hội một lần` twice:
    Điều 60 (compulsory insurance, the main regime) and Điều 77 (voluntary); `Trợ cấp mai
    táng` at Điều 66 and 80. A resident searching the topic wants the first.
    """
    w = q.weights
    wanted = q.topic
    if not w.order_share or c.docs.size < 2 or not 0 < len(wanted) <= w.order_max:
        return c
    units, pos = c.records.units(c.docs), c.records.tiebreak[c.docs]
    scores, seen = c.scores.copy(), set()
    for j in range(min(w.order_depth, c.docs.size)):  # best first (best_for_titles sorted)
        u = int(units[j])
        if u < 0 or u in seen:
            continue
        seen.add(u)
        near = (units == u) & (scores >= w.order_share * scores[j]) & (pos < pos[j])
        held, extra = covers(c.records.title_words(int(c.docs[j])), wanted)
        for i in np.flatnonzero(near)[np.argsort(pos[near])].tolist():
            mine = covers(c.records.title_words(int(c.docs[i])), wanted)
            if mine[0] >= held and mine[1] <= extra + w.order_extra:
                scores[i] = scores[j] * 1.0001  # just above: the order of the rest stands
                break
    order = np.argsort(-scores, kind="stable")
    return c._take(order, scores[order])


@stage()
def first_of_a_title(q: Query, c: Candidates) -> Candidates:
    """For a topic search, of two articles of one law with the same title, the earlier goes
    just above the later when it scores at least same_title_share of it (parallel_share for
    two sanction articles of one template), unless the search names a word of the later one's
    part headings or title that the earlier one's lack.

    A law that restates an article for a second regime keeps its title: Luật Hộ tịch has
    `Thủ tục đăng ký khai sinh` at Điều 16 (at the commune, every birth) and Điều 36 (at the
    district, births with a foreign element), Luật Bảo hiểm xã hội `Điều kiện hưởng lương
    hưu` at Điều 54 (compulsory) and 73 (voluntary), Luật Khiếu nại `Thời hiệu khiếu nại` at
    Điều 9 and 48 (disciplinary decisions). The first is the main regime; the search that
    wants the other names its part (`bảo hiểm xã hội tự nguyện`). A sanctions decree does the
    same for each kind of subject (article_titles.parallel_sanctions), the commonest first;
    the search that wants another names it (`vượt đèn đỏ xe máy`). A topic is counted by the syllables the resident typed, not the thesaurus's legal words
    added to them (`phạt vượt đèn đỏ` reads thirteen).
    """
    w = q.weights
    off = not (w.same_title_share or w.parallel_share)
    if off or q.terms.question or not 0 < q.typed <= w.order_max:  # as typed: `phạt vượt đèn đỏ`
        return c
    r, scores = c.records, c.scores.copy()
    units, pos = r.units(c.docs), r.tiebreak[c.docs]
    titles = [r.title_words(d) for d in c.docs.tolist()]
    for j in range(min(w.order_depth, c.docs.size)):
        for i in _earlier_of_document(units, pos, j):
            share = _twin_share(w, titles[i], titles[j])
            close = share and share * scores[j] <= scores[i] < scores[j]
            parts = r.parts(int(c.docs[j])), r.parts(int(c.docs[i]))
            if close and not _names_later(q, *parts, titles[j], titles[i]):
                scores[i] = scores[j] * 1.0001  # just above: the order of the rest stands
    order = np.argsort(-scores, kind="stable")
    return c._take(order, scores[order])


@stage()
def first_of_a_title_again(q: Query, c: Candidates) -> Candidates:
    """first_of_a_title once more, after proximity.

    Proximity scores words alone, and the short later twin wins on them: `phạt vượt đèn đỏ`
    had Nghị định 168/2024's car article first after first_of_a_title, and proximity put the
    bicycle article's 109 over its 98 again. The first pass sees the best 50 (the earlier twin
    may be far down), this one what is left (15 to 60). Before accents, which keeps the last
    word: a twin whose diacritics are the ones typed goes first."""
    return first_of_a_title(q, c)


def _earlier_of_document(units: np.ndarray, pos: np.ndarray, j: int) -> list[int]:
    """The candidates of record j's document that come before it in the text."""
    if units[j] < 0:
        return []
    return np.flatnonzero((units == units[j]) & (pos < pos[j])).tolist()


def _twin_share(w: rk.Weights, earlier: str, later: str) -> float:
    """The share of the later twin's score the earlier needs to go first; 0: not twins."""
    if earlier and earlier == later:
        return w.same_title_share
    return w.parallel_share if parallel_sanctions(earlier, later) else 0.0


def _names_later(q: Query, parts: str, earlier_parts: str, title: str, earlier_title: str) -> bool:
    """Whether the search names a word the later twin has and the earlier lacks: in its part
    headings (part_words; any of the search's words: it asks for the second regime), or, for
    two sanction articles, in its title as the resident typed it (the subject: `xe máy` for
    the motorbikes' article; the thesaurus's `dừng xe` would read `dùng` of `chuyên dùng`)."""
    typed = {folded for run in q.terms.typed for folded, _ in run}
    return _own(parts, earlier_parts, set(q.terms.unigrams)) or _own(title, earlier_title, typed)


def _own(later: str, earlier: str, asked: set[str]) -> bool:
    own = set(later.replace("|", " ").split()) - set(earlier.replace("|", " ").split())
    return bool(own & asked)
