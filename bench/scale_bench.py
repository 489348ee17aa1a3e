"""How search and the library build grow with the size of the library: 1x, 5x, 10x.

    .venv/bin/python bench/scale_bench.py [--copies 1 5 10] [--work DIR] [--keep]

For each size N it writes the N-times corpus (bench/scale_corpus.py) as a content folder,
then, each in a fresh child process:
- cold build: `lawshelf library build SRC --out GEN` (the kiosk's cold apply): time, peak RSS;
- reopen: `Library.open` in a new process, median of 5;
- serving, pinned to one core (taskset -c 0): open, one warm-up search, then the 52 keyword
  queries and the 729 ALQAC questions through `Library.search`, each timed once (wall time,
  and the CPU time of the search, which a loaded machine inflates less); RSS after
  300 searches and the peak; hit@10 / MRR@10 of the questions (copy 0 is the shared corpus,
  so the gold articles keep their keys; the other copies are near-duplicates that compete);
- incremental apply: 1% of the documents get one article edited, built on the cold
  generation: time, peak RSS;
- sizes of the index and the generation.
Writes bench/results/scale.json and the plot docs/scale.svg. Load averages are recorded.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import scale_corpus  # noqa: E402
from bench.scale_plot import markdown_table, write_svg  # noqa: E402
from bench.search_bench import (  # noqa: E402
    DATA,
    KEYWORD_QUERIES,
    latency,
    machine,
    quality,
    vm_hwm_mb,
)

RESULTS = ROOT / "bench" / "results" / "scale.json"
PLOT = ROOT / "docs" / "scale.svg"
RSS_AFTER = 300  # searches


def _size_mb(path: Path) -> float:
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6, 1)


def _run(cmd: list[str], env: dict[str, str]) -> dict:
    """Run a child to completion; its wall and CPU time and its own peak RSS (wait4)."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    out, err = proc.stdout.read(), proc.stderr.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{cmd[:4]} failed: {err.decode()[-2000:]}")
    return {
        "seconds": round(time.perf_counter() - t, 2),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),  # what the load does not inflate
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "stdout": out.decode(),
    }


def _lawshelf(*args: str) -> list[str]:
    return [sys.executable, "-m", "cli.main", *args]


def _reopen(gen: Path, env: dict[str, str], runs: int = 5) -> dict:
    # The code is loaded first: a kiosk reopens a new generation in a running process.
    code = (
        "import time,sys;from offline_index.library import Library;"
        "import offline_index.search_engine;"
        "t=time.perf_counter();Library.open(sys.argv[1]);print(time.perf_counter()-t)"
    )
    times = sorted(
        float(_run([sys.executable, "-c", code, str(gen)], env)["stdout"]) for _ in range(runs)
    )
    return {"median_s": round(times[len(times) // 2], 3), "max_s": round(times[-1], 3)}


def serve(gen: str, queries_file: str, out_file: str) -> None:
    """Pinned child: open the library, warm up once, time every search once."""
    from offline_index.library import Library
    from ui import memory

    memory.tune_malloc()  # the kiosk's malloc settings (ui/memory.py)
    batches = json.loads(Path(queries_file).read_text(encoding="utf-8"))
    t = time.perf_counter()
    lib = Library.open(Path(gen))
    out: dict = {"open_s": time.perf_counter() - t, "batches": {}, "cpu": {}}
    lib.search("thủ tục đăng ký kết hôn")
    memory.release()  # as the kiosk does once its library is open (ui/memory.py)
    done = 0
    for name, queries in batches.items():
        rows, cpu = [], []
        for q in queries:
            t, c = time.perf_counter(), time.thread_time()
            keys = [h.key for h in lib.search(q, limit=10).hits]
            rows.append([time.perf_counter() - t, keys])
            cpu.append([time.thread_time() - c])  # what the load does not inflate
            done += 1
            if done == RSS_AFTER:
                out["rss_after_300_mb"] = _vm_rss_mb()
        out["batches"][name], out["cpu"][name] = rows, cpu
    out["peak_rss_mb"] = vm_hwm_mb()
    Path(out_file).write_text(json.dumps(out), encoding="utf-8")


def _vm_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def _serving(gen: Path, work: Path, env: dict[str, str], questions: list[dict]) -> dict:
    qf, of = work / "queries.json", work / "served.json"
    batches = {"keywords": KEYWORD_QUERIES, "questions": [q["text"] for q in questions]}
    qf.write_text(json.dumps(batches, ensure_ascii=False), encoding="utf-8")
    cmd = [sys.executable, __file__, "--serve", str(gen), str(qf), str(of)]
    if shutil.which("taskset"):
        cmd = ["taskset", "-c", "0", *cmd]
    _run(cmd, env)
    return json.loads(of.read_text(encoding="utf-8"))


def measure(copies: int, work: Path, env: dict[str, str], questions: list, gold: dict) -> dict:
    """One size: cold apply into a fresh home, reopen, serving, then a 1% incremental apply
    (`lawshelf library build` into the home: build, full verification, switch, as a kiosk)."""
    src, src2, home = work / f"src-{copies}", work / f"src-{copies}-inc", work / f"home-{copies}"
    for path in (home, src2):
        shutil.rmtree(path, ignore_errors=True)
    if not src.is_dir():
        print(f"x{copies}: writing the corpus", flush=True)
        scale_corpus.write_corpus(src, copies)
    env = {**env, "LAWSHELF_HOME": str(home)}
    load = {"before": os.getloadavg()[0]}
    print(f"x{copies}: cold apply", flush=True)
    cold = _run(_lawshelf("library", "build", str(src), "--json"), env)
    counts = json.loads(cold.pop("stdout")).get("counts", {})
    gen = (home / "library" / "current").resolve()
    reopen = _reopen(gen, env)
    print(f"x{copies}: serving", flush=True)
    served = _serving(gen, work, env, questions)
    load["serving"] = os.getloadavg()[0]
    shutil.copytree(src, src2, copy_function=os.link)
    changed = scale_corpus.change_fraction(src2, 0.01, stamp="1%")
    print(f"x{copies}: incremental apply ({len(changed)} documents)", flush=True)
    inc = _run(_lawshelf("library", "build", str(src2), "--json"), env)
    report = json.loads(inc.pop("stdout"))
    load["after"] = os.getloadavg()[0]
    result = {
        "copies": copies,
        "documents": counts.get("documents"),
        "articles": counts.get("articles"),
        "cold_build": cold,
        "incremental_1pct": {**inc, "documents_changed": len(changed),
                             "units_indexed": report.get("units_indexed"),
                             "timings": report.get("timings")},
        "reopen": reopen,
        "open_in_serving_s": round(served["open_s"], 3),
        "keywords": latency(served["batches"]["keywords"]),
        "questions": latency(served["batches"]["questions"]),
        "keywords_cpu": latency(served["cpu"]["keywords"]),
        "questions_cpu": latency(served["cpu"]["questions"]),
        "serving_rss_after_300_mb": served.get("rss_after_300_mb"),
        "serving_peak_rss_mb": round(served["peak_rss_mb"], 1),
        "quality": quality(served["batches"]["questions"], questions, gold),
        "index_mb": _size_mb(gen / "index"),
        "generation_mb": _size_mb(gen),
        "load_avg": {k: round(v, 2) for k, v in load.items()},
    }  # fmt: skip
    shutil.rmtree(src2, ignore_errors=True)  # the home stays for the UI benchmark (--library)
    return result


def _ratios(runs: list[dict]) -> None:
    """Each figure also as a ratio against the smallest size of the same run."""
    base = runs[0]
    for r in runs:
        r["ratio_to_first"] = {
            "questions_p95": round(r["questions"]["p95_ms"] / base["questions"]["p95_ms"], 2),
            "keywords_p95": round(r["keywords"]["p95_ms"] / base["keywords"]["p95_ms"], 2),
            "serving_rss": round(r["serving_rss_after_300_mb"] / base["serving_rss_after_300_mb"], 2),
            "cold_build_s": round(r["cold_build"]["seconds"] / base["cold_build"]["seconds"], 2),
            "cold_build_rss": round(r["cold_build"]["peak_rss_mb"] / base["cold_build"]["peak_rss_mb"], 2),
        }  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--serve", nargs=3, metavar=("GEN", "QUERIES", "OUT"))
    ap.add_argument("--copies", type=int, nargs="+", default=[1, 5, 10])
    ap.add_argument("--work", type=Path, help="keep corpora here between runs")
    args = ap.parse_args()
    if args.serve:
        serve(*args.serve)
        return
    from bench.search_bench import corpus_records, load_documents, map_gold

    work = args.work or Path(tempfile.mkdtemp(prefix="lawshelf-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "LAWSHELF_BUILD_KEY": str(work / "build.key"),
        "LAWSHELF_HOME": str(work / "home"),
    }
    questions = json.loads((DATA / "bench" / "alqac25_train.json").read_text(encoding="utf-8"))
    gold = map_gold(questions, corpus_records(load_documents()[0]))
    runs = []
    try:
        for copies in sorted(args.copies):
            runs.append(measure(copies, work, env, questions, gold))
            print(json.dumps(runs[-1], ensure_ascii=False), flush=True)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    _ratios(runs)
    report = {
        "machine": machine(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "corpus": "shared corpus x N (bench/scale_corpus.py); copy 0 is the full shared corpus",
        "runs": runs,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    write_svg(report, PLOT)
    print(markdown_table(report))
    print(f"wrote {RESULTS} and {PLOT}")


if __name__ == "__main__":
    main()
