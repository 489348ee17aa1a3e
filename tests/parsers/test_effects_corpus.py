"""The hand-checked effect statements of the shared corpus (bench/data/currency_statements.json).

The same scoring as `bench/currency_bench.py`, which writes the figures to
bench/results/currency.json; here it guards them.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from offline_index.corpus import load_full_corpus
from offline_index.parsers.effects import statements

BENCH = Path(__file__).resolve().parents[2] / "bench" / "currency_bench.py"


def _bench():  # noqa: ANN202 - the benchmark module, loaded from its file (bench/ is not a package)
    spec = importlib.util.spec_from_file_location("currency_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def scored(shared_data: Path):  # noqa: ANN201
    bench = _bench()
    listed = json.loads(bench.LIST.read_text(encoding="utf-8"))
    docs = load_full_corpus(shared_data)
    found = {d.number: statements(d) for d in docs}
    return bench, listed, docs, found


def test_the_list_is_hand_checked_and_large_enough(scored) -> None:  # noqa: ANN001
    _, listed, _, _ = scored
    assert len(listed["statements"]) >= 40 and len(listed["heldout"]["statements"]) >= 40
    actions = {x["action"] for x in listed["statements"]}
    assert actions == {"repeal", "amend", "replace"}
    assert any(x["kept"] and x["until"] for x in listed["statements"])  # exceptions with a date
    assert any(not x["target"][0].isdigit() for x in listed["statements"])  # name and year


def test_precision_and_recall_on_both_lists(scored) -> None:  # noqa: ANN001
    bench, listed, _, found = scored
    dev = bench.score({n: found[n] for n in listed["scope"]}, listed)
    held = bench.score({n: found[n] for n in listed["heldout"]["scope"]}, listed["heldout"])
    assert dev["precision"] >= 0.95 and dev["recall"] >= 0.95, dev["wrong"] + dev["missed"]
    assert held["precision"] >= 0.95 and held["recall"] >= 0.95, held["wrong"] + held["missed"]


def test_targets_resolve_to_the_right_documents(scored) -> None:  # noqa: ANN001
    bench, listed, docs, found = scored
    result = bench.resolution(found, listed, docs)
    assert result["accuracy"] >= 0.98, result["wrong"]


def test_the_known_pairs_of_the_issue(scored) -> None:  # noqa: ANN001
    bench, _, docs, _ = scored
    pairs, report, _ = bench.statuses(docs)
    assert {old: p["got"] for old, p in pairs.items()} == {
        old: p["want"] for old, p in pairs.items()
    }
    assert report["conflicts"] == [] or all("publisher" in c for c in report["conflicts"])
