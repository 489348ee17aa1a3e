"""Search benchmark on the full shared corpus: build, latency, memory, quality, FTS5 baseline.

Run: .venv/bin/python bench/search_bench.py   (writes bench/results/search.json)

Build time and size are measured in this process. Serving is measured in a child process
pinned to one core (taskset -c 0): open, one warm-up query for the process, then every query
timed once, snippets included. Quality: hit@1, hit@10, MRR@10 on the ALQAC 2025 questions,
as given and with diacritics stripped. Gold (law name, article) pairs are mapped to index
records by article number and text overlap with alqac23_law.json, so the mapping does not
depend on how the corpus loader titles or deduplicates the laws.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from offline_index import analysis as va  # noqa: E402
from offline_index.search_engine import IndexRecord, SearchEngine, write_index  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
RESULTS = ROOT / "bench" / "results" / "search.json"

# Realistic resident keyword queries (written for this benchmark, not from ALQAC).
KEYWORD_QUERIES = [
    "phạt vượt đèn đỏ",
    "phat vuot den do",
    "thủ tục ly hôn",
    "thu tuc ly hon",
    "đất đai",
    "dat dai",
    "100/2019",
    "nd 100 2019",
    "NĐ 168",
    "168/2024/NĐ-CP",
    "luat dat dai 2024",
    "nồng độ cồn",
    "nong do con xe may",
    "không đội mũ bảo hiểm",
    "khong doi mu bao hiem",
    "đăng ký thường trú",
    "dang ky tam tru",
    "chia tài sản khi ly hôn",
    "quyền nuôi con",
    "cap dinh duong nuoi con",
    "thừa kế theo di chúc",
    "thua ke khong co di chuc",
    "hợp đồng lao động",
    "hop dong lao dong thu viec",
    "nghỉ thai sản",
    "tro cap thoi viec",
    "bảo hiểm xã hội một lần",
    "bao hiem y te",
    "tranh chấp đất đai",
    "so do dat",
    "cấp giấy chứng nhận quyền sử dụng đất",
    "thu hoi dat boi thuong",
    "bạo lực gia đình",
    "tao hon",
    "kết hôn với người nước ngoài",
    "nhan con nuoi",
    "giấy phép lái xe",
    "bang lai xe het han",
    "tai nạn giao thông",
    "đánh bạc",
    "trộm cắp tài sản",
    "lua dao chiem doat",
    "cho vay nặng lãi",
    "an ninh mạng",
    "khiếu nại tố cáo",
    "thue thu nhap ca nhan",
    "xây dựng không phép",
    "xay nha khong giay phep",
    "căn cước công dân",
    "nghia vu quan su",
    "tiếp cận thông tin",
    "quyen cua nguoi tieu dung",
]


# ---------------------------------------------------------------- corpus


def load_documents() -> tuple[list, str]:
    """The full shared corpus as model.Document objects, and how it was loaded."""
    try:
        from offline_index.corpus import load_full_corpus
    except ImportError:
        return _interim_corpus(), "interim loader (parsers.parse_file + alqac23 articles)"
    return load_full_corpus(DATA), "offline_index.corpus.load_full_corpus"


def _interim_corpus() -> list:
    """Until offline_index.corpus lands: uts_vlc + decrees + documents, alqac laws not in uts."""
    from offline_index.model import Document, Node
    from offline_index.parsers import parse_file

    docs, seen_numbers = [], set()
    files = sorted((DATA / "laws" / "uts_vlc").glob("*.txt"))
    files += [DATA / "laws" / "nd100_2019.html", DATA / "laws" / "nd168_2024.html"]
    files += sorted(p for p in (DATA / "documents").iterdir() if p.suffix in (".docx", ".pdf"))
    for path in files:
        if path.name.startswith("_"):
            continue
        try:
            doc = parse_file(path)
        except Exception as exc:  # noqa: BLE001 - a benchmark reports and goes on
            print(f"skipped {path.name}: {exc}", file=sys.stderr)
            continue
        if doc.number and doc.number in seen_numbers:
            continue
        seen_numbers.add(doc.number)
        docs.append(doc)
    titles = {va.fold(d.title) for d in docs} | {va.fold(f"{d.kind} {d.title}") for d in docs}
    for law in json.loads((DATA / "laws" / "alqac23_law.json").read_text(encoding="utf-8")):
        if va.fold(law["id"]) in titles:
            continue
        body = []
        for art in law["articles"]:
            title, _, text = art["text"].partition("\n")
            if re.match(r"\d", title) or len(title) > 200 or not text.strip():
                title, text = "", art["text"]  # the Constitution's articles have no titles
            body.append(
                Node(level="dieu", number=str(art["id"]), title=title.strip(), text=text.strip())
            )
        kind = (
            "Bộ luật"
            if law["id"].startswith("Bộ luật")
            else ("Hiến pháp" if law["id"].startswith("Hiến pháp") else "Luật")
        )
        docs.append(
            Document(
                number="",
                kind=kind,
                title=law["id"],
                body=body,
                id="alqac-" + "-".join(va.syllables(law["id"])),
            )
        )
    return docs


def corpus_records(docs: list) -> list[IndexRecord]:
    from offline_index.index_units import document_records

    return [rec for doc in docs for rec in document_records(doc)]


# ---------------------------------------------------------------- gold mapping


def _sylset(text: str) -> set[str]:
    return set(va.syllables(text)[:300])


def map_gold(questions: list[dict], records: list[IndexRecord]) -> dict[str, set[str]]:
    """question_id -> keys of index records holding a gold article (same number, same text)."""
    laws = json.loads((DATA / "laws" / "alqac23_law.json").read_text(encoding="utf-8"))
    alqac = {(law["id"], str(a["id"])): a["text"] for law in laws for a in law["articles"]}
    by_article: dict[str, list[IndexRecord]] = {}
    for rec in records:
        if rec.article:
            by_article.setdefault(rec.article, []).append(rec)
    cache: dict[tuple[str, str], set[str]] = {}
    gold: dict[str, set[str]] = {}
    for q in questions:
        keys: set[str] = set()
        for ra in q["relevant_articles"]:
            pair = (ra["law_id"], str(ra["article_id"]))
            if pair not in cache:
                text, candidates = alqac.get(pair, ""), by_article.get(pair[1], [])
                cache[pair] = _match(text, candidates) or _same_law(pair[0], text, candidates)
            keys |= cache[pair]
        gold[q["question_id"]] = keys
    return gold


def _match(text: str, candidates: list[IndexRecord]) -> set[str]:
    want = _sylset(text)
    if not want:
        return set()
    scored = [
        (len(want & _sylset(r.text)) / len(want | _sylset(r.text)), r.key) for r in candidates
    ]
    best = max((s for s, _ in scored), default=0.0)
    return {k for s, k in scored if s >= 0.5 and s >= best - 0.1}


def _same_law(law_title: str, text: str, candidates: list[IndexRecord]) -> set[str]:
    """When ALQAC's copy of an article is missing or only its title (2 of the 729
    questions), match by law title and article number, if the title words agree."""
    want = set(va.syllables(text))
    return {
        r.key
        for r in candidates
        if va.fold(r.doc_title) == va.fold(law_title)
        and want <= set(va.syllables(f"{r.article_title} {r.text}"))
    }


def strip_diacritics(text: str) -> str:
    """What a resident types without Vietnamese input: diacritics gone, case kept."""
    nfd = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(c for c in nfd if not unicodedata.combining(c)))


# ---------------------------------------------------------------- FTS5 baseline


def build_fts(records: list[IndexRecord], path: Path) -> float:
    t0 = time.perf_counter()
    con = sqlite3.connect(path)
    con.execute("CREATE VIRTUAL TABLE t USING fts5(key UNINDEXED, body, tokenize='unicode61')")
    con.executemany(
        "INSERT INTO t VALUES (?, ?)", ((r.key, " ".join(va.syllables(r.text))) for r in records)
    )
    con.commit()
    con.close()
    return time.perf_counter() - t0


def fts_search(con: sqlite3.Connection, text: str, limit: int = 10) -> list[str]:
    terms = list(dict.fromkeys(va.syllables(text)))
    if not terms:
        return []
    q = " OR ".join(f'"{t}"' for t in terms)
    rows = con.execute(
        "SELECT key, snippet(t, 1, '<mark>', '</mark>', '…', 24) FROM t WHERE t MATCH ? "
        "ORDER BY bm25(t) LIMIT ?",
        (q, limit),
    ).fetchall()
    return [r[0] for r in rows]


# ---------------------------------------------------------------- serving (child process)


def serve(engine_kind: str, path: str, queries_file: str, out_file: str) -> None:
    """Pinned child: open, warm up once, time each query once; write hits and timings."""
    batches = json.loads(Path(queries_file).read_text(encoding="utf-8"))
    t0 = time.perf_counter()
    if engine_kind == "whoosh":
        eng = SearchEngine.open(Path(path))

        def run(q: str) -> list[str]:
            return [h.key for h in eng.search(q, limit=10).hits]
    else:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)

        def run(q: str) -> list[str]:
            return fts_search(con, q)

    open_s = time.perf_counter() - t0
    run("thủ tục đăng ký kết hôn")  # one warm-up of the process
    out: dict = {"open_s": open_s, "batches": {}}
    for name, queries in batches.items():
        rows = []
        for q in queries:
            t = time.perf_counter()
            keys = run(q)
            rows.append([time.perf_counter() - t, keys])
        out["batches"][name] = rows
    out["peak_rss_mb"] = vm_hwm_mb()
    Path(out_file).write_text(json.dumps(out), encoding="utf-8")


def vm_hwm_mb() -> float:
    """Peak RSS of this process image (VmHWM restarts at exec; ru_maxrss would include the
    parent's memory, inherited through fork)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_pinned(engine_kind: str, path: Path, batches: dict, work: Path) -> dict:
    qf, of = work / f"{engine_kind}-q.json", work / f"{engine_kind}-out.json"
    qf.write_text(json.dumps(batches, ensure_ascii=False), encoding="utf-8")
    cmd = [sys.executable, __file__, "--serve", engine_kind, str(path), str(qf), str(of)]
    if shutil.which("taskset"):
        cmd = ["taskset", "-c", "0", *cmd]
    subprocess.run(cmd, check=True)
    return json.loads(of.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- figures


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))] * 1000


def quality(rows: list, questions: list[dict], gold: dict[str, set[str]]) -> dict:
    h1 = h10 = rr = 0.0
    for (_, keys), q in zip(rows, questions, strict=True):
        g = gold[q["question_id"]]
        ranks = [i for i, k in enumerate(keys[:10], 1) if k in g]
        if ranks:
            h10 += 1
            rr += 1 / ranks[0]
            h1 += ranks[0] == 1
    n = len(questions)
    return {"hit@1": round(h1 / n, 4), "hit@10": round(h10 / n, 4), "mrr@10": round(rr / n, 4)}


def latency(rows: list) -> dict:
    t = [r[0] for r in rows]
    return {
        "p50_ms": round(pct(t, 50), 1),
        "p95_ms": round(pct(t, 95), 1),
        "mean_ms": round(statistics.mean(t) * 1000, 1),
        "n": len(t),
    }


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def python_loop_s() -> float:
    """Seconds a fixed pure-Python loop takes, best of three. The shared VM has run the same
    code at half its speed for a day; this says how fast the machine was when a result was
    measured, so two results can be compared (docs/benchmarks.md)."""
    best = float("inf")
    for _ in range(3):
        t, total = time.perf_counter(), 0
        for i in range(5_000_000):
            total += i % 7
        best = min(best, time.perf_counter() - t)
    return round(best, 3)


def machine() -> dict:
    cpu = ""
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "os": platform.platform(),
        "python_loop_s": python_loop_s(),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--serve", nargs=4, metavar=("KIND", "PATH", "QUERIES", "OUT"))
    ap.add_argument("--questions", type=int, default=0, help="use only the first N questions")
    args = ap.parse_args()
    if args.serve:
        serve(*args.serve)
        return
    t0 = time.perf_counter()
    docs, loader = load_documents()
    records = corpus_records(docs)
    load_s = time.perf_counter() - t0
    print(f"corpus: {len(docs)} documents, {len(records)} records ({loader}), {load_s:.1f} s")
    questions = json.loads((DATA / "bench" / "alqac25_train.json").read_text(encoding="utf-8"))
    if args.questions:
        questions = questions[: args.questions]
    gold = map_gold(questions, records)
    unmapped = sum(1 for g in gold.values() if not g)
    with tempfile.TemporaryDirectory(prefix="search-bench-") as tmp:
        work = Path(tmp)
        t = time.perf_counter()
        write_index(work / "index", records)
        build_s = time.perf_counter() - t
        print(f"whoosh build {build_s:.1f} s, {dir_size(work / 'index') / 1e6:.1f} MB")
        fts_s = build_fts(records, work / "fts.sqlite")
        batches = {
            "keywords": KEYWORD_QUERIES,
            "questions": [q["text"] for q in questions],
            "questions_stripped": [strip_diacritics(q["text"]) for q in questions],
        }
        res = {
            "whoosh": run_pinned("whoosh", work / "index", batches, work),
            "fts5": run_pinned("fts5", work / "fts.sqlite", batches, work),
        }
        sizes = {"whoosh": dir_size(work / "index"), "fts5": (work / "fts.sqlite").stat().st_size}
    report = {
        "machine": machine(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "corpus": {
            "documents": len(docs),
            "records": len(records),
            "loader": loader,
            "questions": len(questions),
            "questions_without_gold": unmapped,
        },
        "build_s": {"whoosh": round(build_s, 1), "fts5": round(fts_s, 1)},
        "index_mb": {k: round(v / 1e6, 1) for k, v in sizes.items()},
    }
    for name, r in res.items():
        report[name] = {
            "open_s": round(r["open_s"], 3),
            "peak_rss_mb": round(r["peak_rss_mb"], 1),
            "keywords": latency(r["batches"]["keywords"]),
            "questions": latency(r["batches"]["questions"]),
            "questions_stripped": latency(r["batches"]["questions_stripped"]),
            "quality": quality(r["batches"]["questions"], questions, gold),
            "quality_stripped": quality(r["batches"]["questions_stripped"], questions, gold),
        }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
