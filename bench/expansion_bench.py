"""The learnt query expansion (offline_index/expansion.py): train it, measure it honestly.

Run: .venv/bin/python bench/expansion_bench.py            (writes bench/results/expansion.json)
     .venv/bin/python bench/expansion_bench.py --write-model   (also the shipped model file)

Training pairs, as the publisher has them: each ALQAC 2025 question with its gold articles
(search_bench's mapping), and each Q&A entry of the demo content with the articles it cites.
The background is every article of the full shared corpus. Because the ALQAC questions are
also the whole-question benchmark, their figures come from a 5-fold cross-fitted model
(trained on four fifths, each question searched with the model that did not see it); the
short topics and everyday Civil Code questions (bench/data/) are never trained on and are
searched with the model trained on all pairs. Each set is run as given and stripped of
diacritics, with and without the model, on the full corpus with the documents' status at
query time (as topics_bench does). Latency: the ALQAC questions timed with and without the
model, alternating query by query in this process (quality does not depend on load; times
do, so the load is recorded).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import topics_bench as tb  # noqa: E402
from search_bench import (  # noqa: E402
    DATA,
    corpus_records,
    load_documents,
    machine,
    map_gold,
    pct,
    quality,
    strip_diacritics,
)

from offline_index import expansion as ex  # noqa: E402
from offline_index.model import doc_id_for  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "expansion.json"
FOLDS = 5


def qa_pairs(by_key: dict) -> list[tuple[str, str]]:
    """(question, cited article text) for the demo content's Q&A entries."""
    from offline_index.demo import CONTENT

    pairs = []
    for path in sorted((CONTENT / "qa").glob("*.json")):
        for e in json.loads(path.read_text(encoding="utf-8"))["entries"]:
            for c in e.get("citations", []):
                r = by_key.get(f"{doc_id_for(c['doc_number'])}#a{c.get('article', '')}")
                if r is not None:
                    pairs.append((e["question"], f"{r.article_title} {r.text}"))
    return pairs


def alqac_pairs(questions: list[dict], gold: dict, by_key: dict, idx) -> list:  # noqa: ANN001
    return [
        (questions[i]["text"], f"{by_key[k].article_title} {by_key[k].text}")
        for i in idx
        for k in sorted(gold[questions[i]["question_id"]])
    ]


def alqac_cv(engine, questions, gold, train) -> dict:  # noqa: ANN001
    """ALQAC quality with each question searched by a model that did not see it."""
    order = list(range(len(questions)))
    random.Random(11).shuffle(order)
    folds = [order[i::FOLDS] for i in range(FOLDS)]
    rows: dict[str, dict[int, list[str]]] = {"given": {}, "stripped": {}}
    for k, held in enumerate(folds):
        engine.expansion = train([i for j, f in enumerate(folds) if j != k for i in f])
        for i in held:
            text = questions[i]["text"]
            for form, t in (("given", text), ("stripped", strip_diacritics(text))):
                rows[form][i] = [h.key for h in engine.search(t, limit=10).hits]
    return {
        form: quality([(0, r[i]) for i in range(len(questions))], questions, gold)
        for form, r in rows.items()
    }


def alqac_plain(engine, questions, gold) -> dict:  # noqa: ANN001
    out = {}
    for form in ("given", "stripped"):
        texts = [q["text"] if form == "given" else strip_diacritics(q["text"]) for q in questions]
        out[form] = quality(
            [(0, [h.key for h in engine.search(t, limit=10).hits]) for t in texts], questions, gold
        )
    return out


def latency(engine, questions, model) -> dict:  # noqa: ANN001
    """Per-question times with and without the model, alternating (same load for both)."""
    times: dict[str, list[float]] = {"without": [], "with": []}
    for q in questions:
        for name, m in (("without", None), ("with", model)):
            engine.expansion = m
            t = time.perf_counter()
            engine.search(q["text"], limit=10)
            times[name].append(time.perf_counter() - t)
    return {
        k: {"p50_ms": round(pct(v, 50), 1), "p95_ms": round(pct(v, 95), 1)}
        for k, v in times.items()
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--write-model", action="store_true", help=f"write {ex.MODEL_FILE}")
    ap.add_argument("--index", type=Path, default=None, help="reuse (or keep) the index here")
    args = ap.parse_args()
    docs, _ = load_documents()
    records = corpus_records(docs)
    by_key = {r.key: r for r in records}
    articles = [r for r in records if r.hit_type == "article"]
    background: Counter[str] = Counter()
    for r in articles:
        background.update(ex.article_bigrams(f"{r.article_title} {r.text}"))
    questions = json.loads((DATA / "bench" / "alqac25_train.json").read_text(encoding="utf-8"))
    gold = map_gold(questions, records)
    qa = qa_pairs(by_key)

    def train(idx) -> ex.Expansion:  # noqa: ANN001
        pairs = alqac_pairs(questions, gold, by_key, idx) + qa
        return ex.train(pairs, background, len(articles))

    model = train(range(len(questions)))
    if args.write_model:
        model.save(ex.MODEL_FILE)
    lib, info = tb.full_corpus(args.index)
    engine = lib["engine"]
    report: dict = {
        "machine": machine(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load_average": os.getloadavg(),
        "library": info,
        "training": {"alqac_questions": len(questions), "qa_pairs": len(qa)},
        "model": {"terms": len(model.terms), "size": model.size, "boost": model.boost},
    }
    for name, m in (("without", None), ("with", model)):
        engine.expansion = m
        report[name] = {
            s: {
                k: v for k, v in tb.evaluate(lib["run"], q, lib["keys"]).items() if k != "per_query"
            }
            for s, q in ((s, tb.load_set(s)) for s in tb.SETS)
        }
    engine.expansion = None
    report["without"]["alqac"] = alqac_plain(engine, questions, gold)
    report["with"]["alqac_cross_fitted"] = alqac_cv(engine, questions, gold, train)
    report["latency_alqac_questions"] = latency(engine, questions, model)
    report["load_average_end"] = os.getloadavg()
    RESULTS.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in report.items() if k != "machine"}, ensure_ascii=False))


if __name__ == "__main__":
    main()
