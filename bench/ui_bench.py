"""Kiosk UI benchmark under Xvfb: cold start, typing latency, opening at an article, and
memory over a kiosk's day.

    .venv/bin/python bench/ui_bench.py [--library GEN --label NAME] [--demo] [--runs 5]
                                       [--loop-hours 8] [--searches 500] [--documents 300]
                                       [--day-only] [--out FILE]

`bench/ui_day.py` takes the same options and writes bench/results/ui_day.json instead;
--day-only skips the cold start and the typing (a shorter day to look for a cause:
`--day-only --searches 125 --documents 75 --loop-hours 2`, about 6 minutes).

Without --library it builds the full shared corpus plus the demo's publications, Q&A,
media and contests (so the day has PDFs and videos) into a temporary folder first (about
3-5 minutes on 2 cores) unless --demo is given. Writes bench/results/ui.json. The whole
run takes about 30 minutes (the 8 hours of loop take ~20 of them).

- cold start: `lawshelf kiosk` as a fresh process (virtual keyboard on) until the Home screen
  paints, and until the library is open so a search can run ("usable search");
- typing: a resident types real queries on the search screen with 120 ms between keys;
  we time the last keystroke to the updated results on screen (debounce included);
- open at article: navigate to the reader at a hit's article until the text is set;
- a day (bench/ui_day.py): 500 searches, 300 documents, PDFs, videos and Q&A in visits,
  each followed by the idle wipe and the media loop (8 hours of it, accelerated); RSS and
  what holds it are sampled after every visit. --trace adds tracemalloc (slower).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results" / "ui.json"
KEY_GAP_S = 0.12

try:
    from bench.search_bench import KEYWORD_QUERIES as QUERIES
except Exception:  # noqa: BLE001 - the query list is a convenience, not a dependency
    QUERIES = ["phạt vượt đèn đỏ", "thu tuc ly hon", "đất đai", "thừa kế", "100/2019"]


def _p(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def _ms(values: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(_p(values, 0.5) * 1000, 1),
        "p95_ms": round(_p(values, 0.95) * 1000, 1),
        "max_ms": round(max(values) * 1000, 1),
        "n": len(values),
    }


# ---------------------------------------------------------------- outer: Xvfb + processes
def _xvfb() -> tuple[subprocess.Popen, str]:
    for n in range(120, 200):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            proc = subprocess.Popen(
                ["Xvfb", f":{n}", "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            while not Path(f"/tmp/.X11-unix/X{n}").exists():
                time.sleep(0.05)
            return proc, f":{n}"
    raise RuntimeError("no free display")


def _env(display: str, home: Path, library: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DISPLAY": display,
        "QT_QPA_PLATFORM": "xcb",
        "QT_IM_MODULE": "qtvirtualkeyboard",
        "LAWSHELF_HOME": str(home),
        "LAWSHELF_LIBRARY": str(library),
        "LAWSHELF_UI_DPI": "102",
    }


def cold_start(display: str, library: Path, runs: int) -> dict:
    painted, usable, rss = [], [], []
    for _ in range(runs):
        home = Path(tempfile.mkdtemp(prefix="lawshelf-uibench-"))
        events = home / "events.jsonl"
        env = {**_env(display, home, library), "LAWSHELF_UI_EVENTS": str(events)}
        t0 = time.monotonic()
        proc = subprocess.Popen(
            [sys.executable, "-m", "cli.main", "kiosk"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        seen: dict[str, float] = {}
        deadline = t0 + 60
        while time.monotonic() < deadline and "library_ready" not in seen:
            time.sleep(0.01)
            if events.exists():
                for line in events.read_text(encoding="utf-8").splitlines():
                    ev = json.loads(line)
                    seen.setdefault(ev["event"], ev["t"])
        if "library_ready" in seen:
            painted.append(seen["home_painted"] - t0)
            usable.append(seen["library_ready"] - t0)
            time.sleep(1.0)
            rss.append(_rss_mb(proc.pid))
        proc.kill()
        proc.wait()
        shutil.rmtree(home, ignore_errors=True)
    return {
        "home_painted_s": _s(painted),
        "usable_search_s": _s(usable),
        "rss_idle_home_mb": round(statistics.median(rss), 1) if rss else None,
    }


def _s(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    return {
        "median": round(statistics.median(values), 3),
        "max": round(max(values), 3),
        "runs": len(values),
    }


def _rss_mb(pid: int | str = "self") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


# ---------------------------------------------------------------- inner: in the app process
def inner(library: Path, out: Path, args: argparse.Namespace) -> None:
    from kiosk import settings as st
    from ui import app as uiapp
    from ui import events
    from ui.qt import QApplication, QCoreApplication, QEvent, QInputMethodEvent, process_events

    uiapp.prepare_environment()
    settings = st.Settings(library=str(library), idle_timeout_s=100000)
    home = Path(tempfile.mkdtemp(prefix="lawshelf-uibench-"))
    app, shell = uiapp.create(home, windowed=False, settings=settings)

    def pump(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            process_events()
            time.sleep(0.002)

    def until(cond, timeout: float = 20.0) -> None:  # noqa: ANN001
        end = time.monotonic() + timeout
        while time.monotonic() < end and not cond():
            process_events()
            time.sleep(0.001)

    until(lambda: shell.library_state != "loading", 120)
    if args.day_only:
        out.write_text(json.dumps({"day": _day(shell, pump, until, args)}, indent=1))
        os._exit(0)
    screen = shell.navigate("search")
    pump(1.0)
    latencies, rss_at, opened = [], {}, []

    def type_query(text: str) -> float:
        screen.query.clear()
        pump(0.05)
        events.recent.clear()
        last = 0.0
        for ch in text:
            ev = QInputMethodEvent("", [])
            ev.setCommitString(ch)
            QApplication.sendEvent(screen.query, ev)
            last = time.monotonic()
            pump(KEY_GAP_S)
        until(
            lambda: any(
                e["event"] == "results" and e["query"] == text.strip() for e in events.recent
            )
        )
        done = next(
            e["t"] for e in events.recent if e["event"] == "results" and e["query"] == text.strip()
        )
        return done - last

    for i in range(50):
        q = QUERIES[i % len(QUERIES)]
        latencies.append(type_query(q))
        if i < 40 and screen.answer and screen.answer.result.hits:
            hit = next((h for h in screen.answer.result.hits if h.hit_type == "article"), None)
            if hit is not None:
                opened.append(_open(shell, hit, events, until))
                shell.back()
                # The app's event loop deletes closed screens; this hand-driven loop must ask.
                QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
                pump(0.05)
    rss_at[50] = round(_rss_mb(), 1)
    result = {
        "typing_last_key_to_results": _ms(latencies),
        "open_at_article": _ms(opened),
        "rss_mb_after_searches": rss_at,
        "day": _day(shell, pump, until, args),
    }
    out.write_text(json.dumps(result, indent=1))
    os._exit(0)  # skip Qt teardown at interpreter exit (pixmaps outliving the app abort)


def _day(shell, pump, until, args: argparse.Namespace) -> dict:  # noqa: ANN001
    from bench.ui_day import Day, Plan

    if args.trace:
        tracemalloc.start(10)
        before = tracemalloc.take_snapshot()
    plan = Plan(searches=args.searches, documents=args.documents, loop_hours=args.loop_hours)
    day = Day(shell, pump, until, [q for q in QUERIES if q], plan).run()
    day["summary"] = _day_summary(day["samples"])
    if args.trace:
        diff = tracemalloc.take_snapshot().compare_to(before, "lineno")
        day["py_heap_growth_top"] = [str(d) for d in diff[:15]]
    return day


def _day_summary(samples: list[dict]) -> dict:
    """RSS after the first hour's visits, at the end, its peak, and the drift over the rest
    of the day (least-squares slope per 100 visits, so one noisy sample does not decide)."""
    if not samples:
        return {}
    settled = samples[len(samples) // 8 :]
    xs = [s["visit"] for s in settled]
    ys = [s["vmrss"] for s in settled]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    var = sum((x - mx) ** 2 for x in xs) or 1.0
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / var
    return {
        "rss_first_visit_mb": samples[0]["vmrss"],
        "rss_settled_mb": settled[0]["vmrss"],
        "rss_end_mb": samples[-1]["vmrss"],
        "rss_peak_mb": max(s["vmhwm"] for s in samples),
        "rss_max_sampled_mb": max(s["vmrss"] for s in samples),
        "drift_mb_per_100_visits": round(slope * 100, 2),
        "visits": len(samples),
        "widgets_end": samples[-1]["widgets"],
        "qobjects_end": samples[-1]["qobjects"],
    }


def _open(shell, hit, events, until) -> float:  # noqa: ANN001
    events.recent.clear()
    t = time.monotonic()
    shell.navigate("reader", doc_id=hit.doc_id, article=hit.article, terms="x")
    until(lambda: any(e["event"] == "document_open" for e in events.recent))
    return next(e["t"] for e in events.recent if e["event"] == "document_open") - t


# ---------------------------------------------------------------- main
def build_full(work: Path, extras: bool = False) -> Path:
    """The full shared corpus; with extras, plus the demo's publications (PDFs), Q&A, media
    (videos, infographics), notices and contests, which the shared corpus has none of."""
    from bench.library_bench import _write_source
    from offline_index.build import build_generation
    from offline_index.corpus import load_full_corpus
    from offline_index.demo import CONTENT

    data = ROOT.parent / "shared" / "data"
    os.environ.setdefault("LAWSHELF_BUILD_KEY", str(work / "build.key"))
    _write_source(load_full_corpus(data), work / "src", data)
    sources = [work / "src"]
    if extras:
        dest = work / "extras"
        shutil.copytree(CONTENT, dest, ignore=shutil.ignore_patterns("documents"))
        sources.append(dest)
    build_generation(sources, work / "gen")
    return work / "gen"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--library", type=Path, help="an existing generation folder")
    ap.add_argument("--demo", action="store_true", help="use the demo library")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--searches", type=int, default=500, help="searches in the day")
    ap.add_argument("--documents", type=int, default=300, help="documents opened in the day")
    ap.add_argument("--loop-hours", type=float, default=8.0, help="media loop in the day")
    ap.add_argument("--trace", action="store_true", help="tracemalloc over the day (slower)")
    ap.add_argument("--label", help="how to name the corpus of --library in the results")
    ap.add_argument("--out", type=Path, default=RESULTS, help="where to write the results")
    ap.add_argument(
        "--day-only", action="store_true", help="only the day (no cold start, no typing)"
    )
    ap.add_argument("--inner", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.inner:
        inner(args.library, args.inner, args)
        return
    work = Path(tempfile.mkdtemp(prefix="lawshelf-uibench-lib-"))
    if args.library:
        library, corpus = args.library, args.label or "given generation"
    elif args.demo:
        from offline_index.library import ensure_library

        library, corpus = ensure_library(work), "demo library"
    else:
        library = build_full(work, extras=True)
        corpus = "full shared corpus + demo publications, Q&A, media"
    from offline_index.library import Library

    with Library.open(library) as lib:
        info = lib.info
    xvfb, display = _xvfb()
    try:
        result = {
            "machine": f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}",
            "display": "Xvfb 1920x1080x24, xcb, Qt Virtual Keyboard on",
            "load_avg_at_start": [round(x, 2) for x in os.getloadavg()],
            "corpus": corpus,
            "counts": info.get("counts"),
            "key_gap_ms": KEY_GAP_S * 1000,
        }
        if not args.day_only:
            result["cold_start"] = cold_start(display, library, args.runs)
        tmp = work / "inner.json"
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--inner",
                str(tmp),
                "--library",
                str(library),
                *("--searches", str(args.searches), "--documents", str(args.documents)),
                *("--loop-hours", str(args.loop_hours)),
                *(["--trace"] if args.trace else []),
                *(["--day-only"] if args.day_only else []),
            ],
            env=_env(display, work, library),
            check=True,
            cwd=ROOT,
        )
        result.update(json.loads(tmp.read_text()))
    finally:
        xvfb.terminate()
        shutil.rmtree(work, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    print(json.dumps(result, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
