"""A search for a penalty wants an article that sets one.

A resident who types `phạt` (`phạt đi ngược chiều`, `lấn chiếm đất phạt`, `… có bị phạt
không`) asks what the sanction is. Vietnamese law sets a sanction in the article's own words:
`Phạt tiền từ 4.000.000 đồng đến 6.000.000 đồng đối với …` in a decree on administrative
sanctions, `… thì bị phạt cải tạo không giam giữ đến 03 năm hoặc phạt tù từ …` in the
Criminal Code. The law that states the rule (Luật Giao thông đường bộ's `Tránh xe đi ngược
chiều`) often carries the behaviour in its title and wins the title signals; it sets no fine.
"""

from __future__ import annotations

import numpy as np

from offline_index import analysis as va
from offline_index.ranking import Candidates, Query, stage

# A sanction as the law sets it, as the folded syllable pairs the index holds of a text: a
# fine (`phạt tiền`), prison (`phạt tù`), a warning (`phạt cảnh cáo`), non-custodial reform
# (`phạt cải tạo không giam giữ`), or the forms of sanction an article lists (`hình thức xử
# phạt`). Read from the postings: a search that asks for a penalty pays no stored-text read.
SETS_PENALTY = ("phat tien", "phat tu", "phat canh", "phat cai", "thuc xu")


def asks_for_penalty(terms: va.QueryTerms) -> bool:
    """Whether a search asks for a sanction: it says `phạt`, not paying one (`nộp phạt`).

    Folded, `phat` is also `phát` (`phát hiện`): a question typed without diacritics is
    not read as asking for a penalty; a topic of a few words is."""
    words = [w for run in terms.typed for w in run]
    if any(folded == "nop" for folded, _ in words):
        return False
    return any(typed == "phạt" or (typed == "phat" and not terms.question) for _, typed in words)


@stage()
def penalty_asked(q: Query, c: Candidates) -> Candidates:
    """× penalty_other for an article of the best title_all_depth that sets no sanction,
    when the search asks for one."""
    w = q.weights
    if w.penalty_other == 1 or not asks_for_penalty(q.terms):
        return c
    sets = c.records.holding(SETS_PENALTY)[c.docs]
    sets[w.title_all_depth :] = True
    return c.rescored(np.where(sets, 1.0, w.penalty_other))
