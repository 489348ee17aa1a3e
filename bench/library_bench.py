"""Library build benchmark on the full shared corpus: cold build, reopen, one-document rebuild.

Run: `.venv/bin/python bench/library_bench.py [--data ../shared/data] [--no-pin]`.
Writes bench/results/library.json (quoted in docs/benchmarks.md, section "Library build").
The process pins itself to one core with `taskset` (as the search figures are measured).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from offline_index.build import build_generation, engine_fingerprint  # noqa: E402
from offline_index.corpus import load_full_corpus  # noqa: E402


def _pin() -> None:
    if os.environ.get("LAWSHELF_BENCH_PINNED") or not shutil.which("taskset"):
        return
    os.environ["LAWSHELF_BENCH_PINNED"] = "1"
    os.execvp("taskset", ["taskset", "-c", "0", sys.executable, *sys.argv])


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _write_source(docs: list, dest: Path, data: Path) -> None:
    (dest / "documents").mkdir(parents=True)
    (dest / "files").mkdir()
    (dest / "lawshelf-content.json").write_text(
        json.dumps({"format": 1, "name": "full shared corpus", "updated": "2026-11-01"})
    )
    for d in docs:
        if d.pdf:
            shutil.copy(data / "documents" / Path(d.pdf).name, dest / "files" / d.pdf)
        (dest / "documents" / f"{d.id}.json").write_text(
            json.dumps(d.to_dict(), ensure_ascii=False), encoding="utf-8"
        )


def _change_one(src: Path) -> str:
    """Edit one article of one document, as a corrected release would."""
    path = sorted((src / "documents").glob("*.json"))[0]
    data = json.loads(path.read_text(encoding="utf-8"))
    node = data["body"][0]
    while node["level"] != "dieu" and node.get("children"):
        node = node["children"][0]
    node["text"] = (node.get("text") or "") + " (đã sửa đổi trong bản phát hành mới)"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return data["number"]


def _reopen(gen: Path, runs: int = 7) -> dict:
    """Time Library.open (manifest MAC + file check, SQLite ro, Whoosh open) in a fresh process."""
    code = (
        "import time,sys,json;from pathlib import Path;"
        "from offline_index.library import Library;"
        "t=time.perf_counter();lib=Library.open(Path(sys.argv[1]));o=time.perf_counter()-t;"
        "t=time.perf_counter();lib.search('quyền sử dụng đất');q=time.perf_counter()-t;"
        "print(json.dumps([o,q]))"
    )
    opens, firsts = [], []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", code, str(gen)],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        ).stdout
        o, q = json.loads(out)
        opens.append(o)
        firsts.append(q)
    return {
        "open_s_median": round(statistics.median(opens), 4),
        "open_s_max": round(max(opens), 4),
        "first_query_s_median": round(statistics.median(firsts), 4),
    }


def _raw_incremental(data: Path, work: Path) -> dict:
    """Raw TXT laws: cold parse+build, then a one-file edit rebuilt with cache and base."""
    raw = work / "raw"
    shutil.copytree(data / "laws" / "uts_vlc", raw)
    cache = work / "raw-cache"
    t = time.perf_counter()
    first = build_generation([raw], work / "gen-raw-1", cache_dir=cache)
    cold = time.perf_counter() - t
    victim = sorted(raw.glob("Luat-*.txt"))[0]
    lines = victim.read_text(encoding="utf-8").splitlines()
    at = (
        next(i for i, x in enumerate(lines) if unicodedata.normalize("NFC", x).startswith("Điều 1"))
        + 1
    )
    lines[at] += " Nội dung được sửa đổi."  # the first article's text changes
    victim.write_text("\n".join(lines) + "\n", encoding="utf-8")
    t = time.perf_counter()
    second = build_generation([raw], work / "gen-raw-2", cache_dir=cache, base=work / "gen-raw-1")
    return {
        "files": len(list(raw.glob("*.txt"))),
        "documents": first.counts["documents"],
        "cold_build_s": round(cold, 2),
        "one_file_rebuild_s": round(time.perf_counter() - t, 2),
        "cache_hits": second.cache_hits,
        "cache_misses": second.cache_misses,
        "units_reused": second.units_reused,
        "units_indexed": second.units_indexed,
        "timings": second.summary()["timings"],
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--no-pin", action="store_true")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "library.json")
    args = ap.parse_args()
    if not args.no_pin:
        _pin()
    engine_at_start = engine_fingerprint()
    load_at_start = os.getloadavg()  # other jobs on the machine slow the figures down
    work = Path(tempfile.mkdtemp(prefix="lawshelf-libbench-"))
    os.environ.setdefault("LAWSHELF_BUILD_KEY", str(work / "build.key"))
    try:
        t = time.perf_counter()
        docs = load_full_corpus(args.data)
        parse_s = time.perf_counter() - t
        src = work / "src"
        _write_source(docs, src, args.data)

        t = time.perf_counter()
        cold = build_generation([src], work / "gen-1")
        cold_s = time.perf_counter() - t
        gen1 = work / "gen-1"
        reopen = _reopen(gen1)

        changed = _change_one(src)
        t = time.perf_counter()
        inc = build_generation([src], work / "gen-2", base=gen1)
        inc_s = time.perf_counter() - t
        raw = _raw_incremental(args.data, work)
        result = {
            "machine": f"{platform.machine()} {os.cpu_count()} cores, {platform.python_version()}",
            "pinned_one_core": bool(os.environ.get("LAWSHELF_BENCH_PINNED")),
            "load_avg_at_start": [round(x, 2) for x in load_at_start],
            "corpus": "full shared corpus (shared/README.md section 4), as a format-v1 folder",
            "documents": cold.counts["documents"],
            "articles": cold.counts["articles"],
            "corpus_parse_s": round(parse_s, 2),
            "cold_build_s": round(cold_s, 2),
            "cold_build_timings": cold.summary()["timings"],
            "index_bytes": _size(gen1 / "index"),
            "content_sqlite_bytes": (gen1 / "content.sqlite").stat().st_size,
            "generation_bytes": _size(gen1),
            "reopen": reopen,
            "one_doc_change": {
                "document": changed,
                "rebuild_s": round(inc_s, 2),
                "units_reused": inc.units_reused,
                "units_indexed": inc.units_indexed,
                "timings": inc.summary()["timings"],
            },
            "raw_txt_laws": raw,
            "engine": engine_at_start,
            "engine_changed_during_run": engine_fingerprint.__wrapped__() != engine_at_start,
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n")
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
