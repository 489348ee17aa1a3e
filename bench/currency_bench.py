"""Law currency benchmark: effect statements of the full shared corpus against a hand-checked list.

Run: .venv/bin/python bench/currency_bench.py   (writes bench/results/currency.json)

Two lists: `statements` (the documents the parser was developed on, every statement of their
effect and amending articles) and `heldout` (16 other documents drawn at random and checked
after the parser was written). Precision: of the statements the parser finds where the list is complete (`scope`), the share
that match a listed statement (same place, action, target, whole or partial, articles, articles
kept in force and until when). Recall: the share of listed statements found so. Resolution:
the share of listed targets the library resolves to the document the list names (or to none).
Also the statuses the build derives for the known pairs of the issue, and the time it takes.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from offline_index import currency, store  # noqa: E402
from offline_index.currency_resolve import DocInfo, Resolver  # noqa: E402
from offline_index.parsers.effects import Statement, statements  # noqa: E402
from offline_index.source import Content  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
LIST = ROOT / "bench" / "data" / "currency_statements.json"
RESULTS = ROOT / "bench" / "results" / "currency.json"
AS_OF = "2026-11-28"
# The pairs: (old law, new law, status of the old one on AS_OF).
KNOWN = [
    ("68/2014/QH13", "59/2020/QH14", "not_in_force"),
    ("24/2000/QH10", "08/2022/QH15", "partly_in_force"),  # 8 articles kept until 2027-12-31
    ("15/2003/QH11", "06/2022/QH15", "not_in_force"),
    ("62/2006/QH11", "05/2022/QH15", "not_in_force"),
    ("100/2019/NĐ-CP", "168/2024/NĐ-CP", "partly_in_force"),
]


def target_key(st: Statement) -> str:
    t = st.target
    if t is None:
        return "self"
    if t.number:
        return t.number
    if t.date:
        return f"date:{t.date}"
    return f"year:{t.year}|{t.name}" if t.year else f"name:{t.name}"


def _articles(parts: list) -> list[str]:
    return sorted({p.article for p in parts if p.article}, key=lambda a: (len(a), a))


def as_row(source: str, st: Statement) -> dict:
    return {
        "source": source,
        "where": st.where,
        "action": st.action,
        "whole": st.whole,
        "target": target_key(st),
        "articles": _articles(st.parts),
        "kept": _articles(st.kept),
        "until": st.until,
    }


FIELDS = ("action", "whole", "target", "articles", "kept", "until")


def score(found: dict[str, list[Statement]], listed: dict) -> dict:
    """Precision and recall of `found` (statements per source number) against the list."""
    expected = listed["statements"]
    keys = {(x["source"], x["where"], x["action"], x["target"]): x for x in expected}
    rows = []
    for source, scope in listed["scope"].items():
        for st in found.get(source, []):
            if st.action != "effective" and (scope is None or st.where in scope):
                rows.append(as_row(source, st))
    correct, wrong = [], []
    for row in rows:
        want = keys.get((row["source"], row["where"], row["action"], row["target"]))
        ok = want is not None and all(row[f] == want[f] for f in FIELDS)
        (correct if ok else wrong).append(row)
    hit = {(r["source"], r["where"], r["action"], r["target"]) for r in correct}
    missed = [x for k, x in keys.items() if k not in hit]
    return {
        "listed": len(expected),
        "found": len(rows),
        "correct": len(correct),
        "precision": round(len(correct) / max(1, len(rows)), 4),
        "recall": round(len(correct) / max(1, len(expected)), 4),
        "wrong": wrong,
        "missed": [{k: x[k] for k in ("source", "where", "action", "target")} for x in missed],
    }


def resolution(found: dict[str, list[Statement]], listed: dict, docs: list) -> dict:
    """Share of listed targets resolved to the listed document (or to none)."""
    infos = {
        d.number: DocInfo(
            d.id, d.number, d.kind, d.title, d.issued or "", d.effective or "", d.validity
        )
        for d in docs
    }
    resolver = Resolver(infos.values())
    want = {(x["source"], x["where"], x["target"]): x["resolves_to"] for x in listed["statements"]}
    good, bad = 0, []
    for (source, where, target), doc_id in want.items():
        st = next(
            (s for s in found.get(source, []) if s.where == where and target_key(s) == target), None
        )
        got = resolver.resolve(st.target, infos[source]) if st and st.target else None
        if (got.id if got else None) == doc_id:
            good += 1
        else:
            bad.append(
                {"source": source, "target": target, "want": doc_id, "got": got.id if got else None}
            )
    return {
        "checked": len(want),
        "correct": good,
        "accuracy": round(good / max(1, len(want)), 4),
        "wrong": bad,
    }


def statuses(docs: list) -> tuple[dict, dict, float]:
    """Build a content.sqlite of the whole corpus, apply law currency, read the known pairs."""
    content = Content(documents={d.id: d for d in docs})
    with tempfile.TemporaryDirectory(prefix="currency-bench-") as tmp:
        path = Path(tmp) / "content.sqlite"
        store.write_store(path, content, {"content_date": AS_OF})
        t = time.perf_counter()
        report = currency.apply(str(path), AS_OF)
        seconds = time.perf_counter() - t
        import sqlite3

        conn = sqlite3.connect(path)
        got = dict(
            conn.execute(
                "SELECT d.number, s.validity FROM document_status s JOIN documents d ON d.id = s.id"
            )
        )
        conn.close()
    pairs = {old: {"new": new, "want": want, "got": got.get(old)} for old, new, want in KNOWN}
    return pairs, report.summary(), seconds


def main() -> None:
    from offline_index.corpus import load_full_corpus

    listed = json.loads(LIST.read_text(encoding="utf-8"))
    docs = load_full_corpus(DATA)
    by_number = {d.number: d for d in docs}
    t = time.perf_counter()
    found = {d.number: statements(d) for d in docs}
    parse_s = time.perf_counter() - t
    quality = score({n: found[n] for n in listed["scope"] if n in by_number}, listed)
    heldout = score({n: found[n] for n in listed["heldout"]["scope"]}, listed["heldout"])
    pairs, report, apply_s = statuses(docs)
    out = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "corpus": {"documents": len(docs), "statements": sum(len(v) for v in found.values())},
        "statements": quality,
        "statements_heldout": heldout,
        "resolution": resolution(found, listed, docs),
        "resolution_heldout": resolution(found, listed["heldout"], docs),
        "known_pairs": pairs,
        "build": report,
        "seconds": {"parse_all": round(parse_s, 2), "apply": round(apply_s, 3)},
        "load": os.getloadavg()[0],
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in out.items() if k != "build"}, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
