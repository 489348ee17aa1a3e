"""docs/search.md's "Ranking" table lists the stages a search runs, in the order it runs them."""

from __future__ import annotations

import re
from pathlib import Path

from offline_index import reranking as rr

DOC = Path(__file__).resolve().parents[2] / "docs" / "search.md"


def test_the_ranking_table_lists_every_stage_in_order() -> None:
    section = DOC.read_text(encoding="utf-8").split("\n## Ranking\n", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| \d+[a-z]* \| `(?:scoring\.)?(\w+)`", section, re.M)
    assert rows[0] == "bm25f"
    assert rows[1:] == [s.__name__ for s in rr.PIPELINE]
