"""Short topic searches and everyday Civil Code questions: quality on the full corpus and the demo.

Run: .venv/bin/python bench/topics_bench.py   (writes bench/results/topics.json)

Sets (bench/data/): `topics.json` (short searches residents type, two to five words, across
eleven areas), `everyday_civil.json` (everyday-language questions about the Civil Code) and
`everyday_blind.json` (residents' questions across the areas, written by engineers who had not
seen the other sets or any result, and never used to write an entry; since round 6 it is also
one of the sets every change must hold, docs/search.md) and `topics_blind.json` (short
searches written blind on 2026-12-05, the held-out estimate, looked at since phase 13) and
`topics_blind2.json` (a second blind set, written after phase 13, never tuned on),
`everyday_civil_blind.json` (everyday Civil Code questions written blind, run once for each
change of phase 14), `everyday_civil_blind2.json` (90 more, written blind after phase 14,
never tuned on), `topics_blind3.json` (114 short searches, written blind after phase 14,
read after its first run) and `topics_blind4.json` (126 short searches, written blind after
phase 16, read after its first run), `topics_blind5.json` (106 more, written blind during
phase 17, read after its first run), `topics_blind6.json` (123 more, written blind during
phase 17, used to choose thesaurus round 13's entries) and `topics_blind7.json` (124 more,
written blind after round 13, never tuned on); each
blind set's searches not worded as one of an earlier set's are also reported alone
(`*_unseen`).
Each query is run as given and with its diacritics stripped (search_bench.strip_diacritics),
on the full shared corpus (search_bench's corpus and index) and on the demo library (Library
API, as the kiosk searches). Quality: hit@1, hit@10, MRR@10 over the queries whose gold
articles are in that library. Also, per query, whether an article the texts say is no longer
in force (offline_index/currency) ranks above the first gold article: the law in force first.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from search_bench import corpus_records, load_documents, machine, strip_diacritics  # noqa: E402

from offline_index.model import doc_id_for  # noqa: E402

SETS = {
    name: ROOT / "bench" / "data" / f"{name}.json"
    for name in (
        "topics",
        "everyday_civil",
        "everyday_blind",
        "topics_blind",
        "topics_blind2",
        "everyday_civil_blind",
        "everyday_civil_blind2",
        "topics_blind3",
        "topics_blind4",
        "topics_blind5",
        "topics_blind6",
        "topics_blind7",
    )
}
RESULTS = ROOT / "bench" / "results" / "topics.json"
AS_OF = "2026-11-28"


def load_set(name: str) -> list[dict]:
    return json.loads(SETS[name].read_text(encoding="utf-8"))["queries"]


def load_sets() -> dict[str, list[dict]]:
    """Every set, and each blind set's searches not worded as one of an earlier set's
    (`topics_blind_unseen` … `topics_blind7_unseen`): the held-out
    estimate least touched by tuning."""
    sets = {name: load_set(name) for name in SETS}
    seen = {q["query"] for q in sets["topics"]}
    for name in (n for n in SETS if n.startswith("topics_blind")):  # oldest first
        sets[f"{name}_unseen"] = [q for q in sets[name] if q["query"] not in seen]
        seen |= {q["query"] for q in sets[name]}
    return sets


def gold_keys(query: dict) -> set[str]:
    return {f"{doc_id_for(number)}#a{article}" for number, article in query["gold"]}


def evaluate(run, queries: list[dict], keys: set[str], status=None) -> dict:  # noqa: ANN001
    """hit@1/hit@10/MRR@10 (given and stripped) over the queries whose gold is in `keys`."""
    out: dict = {"queries": 0, "skipped": [], "given": {}, "stripped": {}, "per_query": []}
    sums = {"given": [0, 0, 0.0], "stripped": [0, 0, 0.0]}
    for q in queries:
        gold = gold_keys(q) & keys
        if not gold:
            out["skipped"].append(q["query"])
            continue
        out["queries"] += 1
        row = {"query": q["query"], "area": q["area"]}
        for form, text in (("given", q["query"]), ("stripped", strip_diacritics(q["query"]))):
            hits = run(text)
            rank = next((i for i, k in enumerate(hits[:10], 1) if k in gold), None)
            s = sums[form]
            s[0] += rank == 1
            s[1] += rank is not None
            s[2] += 1 / rank if rank else 0.0
            row[form] = rank
            if form == "given":
                row["top"] = hits[:3]
                row["old_first"] = _old_first(hits, rank, status)
        out["per_query"].append(row)
    n = max(1, out["queries"])
    for form, (h1, h10, rr) in sums.items():
        out[form] = {
            "hit@1": round(h1 / n, 4),
            "hit@10": round(h10 / n, 4),
            "mrr@10": round(rr / n, 4),
        }
    return out


def _old_first(hits: list[str], rank: int | None, status) -> list[str]:  # noqa: ANN001
    """Articles out of force (per the texts) ranked above the first gold article."""
    if not status:
        return []
    stop = (rank or 11) - 1
    out = []
    for key in hits[:stop]:
        doc_id, _, art = key.partition("#a")
        st = status.get(doc_id)
        if st is not None and st.article_in_force(art.split("~")[0]) is False:
            out.append(key)
    return out


def corpus_status(docs: list) -> tuple[dict, dict]:
    """Per-document status the texts give, for the full corpus (offline_index/currency), and
    the attributes search reads at query time, as a Library supplies them."""
    import sqlite3

    from offline_index import currency, store
    from offline_index.currency_view import doc_attributes, load_status
    from offline_index.source import Content

    with tempfile.TemporaryDirectory(prefix="topics-status-") as tmp:
        path = Path(tmp) / "content.sqlite"
        store.write_store(path, Content(documents={d.id: d for d in docs}), {})
        currency.apply(str(path), AS_OF)
        conn = sqlite3.connect(path)
        try:
            return load_status(conn), doc_attributes(conn)
        finally:
            conn.close()


def full_corpus(index_dir: Path | None) -> tuple[dict, dict]:
    """Runner and info for the full shared corpus (the index is built unless one is given)."""
    from offline_index.expansion import default_model
    from offline_index.search_engine import SearchEngine, write_index

    docs, loader = load_documents()
    records = corpus_records(docs)
    t = time.perf_counter()
    if index_dir is None or not (index_dir / "lawshelf-index.json").is_file():
        index_dir = index_dir or Path(tempfile.mkdtemp(prefix="topics-index-")) / "index"
        write_index(index_dir, records)
    build_s = time.perf_counter() - t
    engine = SearchEngine.open(index_dir)
    status, attributes = corpus_status(docs)
    engine.set_attributes(attributes)
    engine.expansion = default_model()  # as a Library searches
    info = {
        "documents": len(docs),
        "records": len(records),
        "loader": loader,
        "index_s": round(build_s, 1),
    }
    run = lambda text: [h.key for h in engine.search(text, limit=10).hits]  # noqa: E731
    keys = {r.key for r in records}
    return {"run": run, "keys": keys, "status": status, "engine": engine}, info


def demo_library() -> tuple[dict, dict]:
    """Runner for the embedded demo library, built into a temporary home."""
    from offline_index.currency_view import load_status
    from offline_index.library import Library, ensure_library

    home = Path(tempfile.mkdtemp(prefix="topics-demo-"))
    lib = Library.open(ensure_library(home))
    keys = {
        r[0] + "#a" + r[1]
        for r in lib.db.execute("SELECT doc_id, number FROM nodes WHERE level = 'dieu'")
    }
    run = lambda text: [h.key for h in lib.search(text, limit=10).hits]  # noqa: E731
    info = {"documents": lib.db.execute("SELECT count(*) FROM documents").fetchone()[0]}
    return {"run": run, "keys": keys, "status": load_status(lib.db)}, info


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--index", type=Path, default=None, help="reuse (or keep) the full-corpus index here"
    )
    args = ap.parse_args()
    sets = load_sets()
    report: dict = {
        "machine": machine(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    for lib_name, make in (
        ("full_corpus", lambda: full_corpus(args.index)),
        ("demo", demo_library),
    ):
        lib, info = make()
        report[lib_name] = {"library": info}
        for set_name, queries in sets.items():
            report[lib_name][set_name] = evaluate(lib["run"], queries, lib["keys"], lib["status"])
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    for lib_name in ("full_corpus", "demo"):
        for set_name in sets:
            r = report[lib_name][set_name]
            print(lib_name, set_name, r["queries"], "given", r["given"], "stripped", r["stripped"])


if __name__ == "__main__":
    main()
