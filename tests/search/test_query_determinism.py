"""A query's terms must not depend on the process: Python salts str hashes per process,
so anything ordered by a set would give a different search in each kiosk start."""

from __future__ import annotations

import os
import subprocess
import sys

# "đúng không" and "không đúng" overlap here: which question phrase is masked first decides
# whether "sau dung" or "dung ve" is searched.
QUERY = "Nhận định nào sau đúng không đúng về tài sản riêng của vợ, chồng?"
CODE = (
    "import sys; from offline_index import analysis as va;"
    "t = va.analyse_query(sys.argv[1]); print(t.unigrams, t.bigrams)"
)


def _terms(seed: int) -> str:
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    out = subprocess.run(
        [sys.executable, "-c", CODE, QUERY], env=env, capture_output=True, text=True, check=True
    )
    return out.stdout


def test_query_terms_are_the_same_in_every_process() -> None:
    assert len({_terms(seed) for seed in range(6)}) == 1
