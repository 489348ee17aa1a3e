"""Sync benchmark: publish -> real nginx on loopback -> kiosk sync, on the demo library and the
full shared corpus; no-op sync, 1% change, five cuts, time and peak memory, and a load test of
300 concurrent kiosk sync sessions.

Run: `.venv/bin/python bench/sync_bench.py [--data ../shared/data] [--skip-full] [--sessions 300]`.
Writes bench/results/sync.json (quoted in docs/benchmarks.md, section "Sync").
Publish and sync are each measured in a fresh child process so peak RSS is that step's alone.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing as mp
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from nginx_server import start_fault_proxy, start_nginx  # noqa: E402

from sync import keys as keymod  # noqa: E402
from sync import release  # noqa: E402
from sync.run import run_sync  # noqa: E402
from sync.transfer import BlobFetcher, TransferPolicy  # noqa: E402
from sync.verify import install_trusted_root, refresh  # noqa: E402

DEMO = ROOT / "offline_index" / "demo" / "content"
FAST = TransferPolicy(attempts=10, backoff_s=0.01, backoff_max_s=0.05)


# ----------------------------------------------------------------------------- child steps


def _child(step: str, *args: str) -> dict:
    """Run one step in a fresh interpreter; returns its seconds and peak RSS."""
    out = subprocess.run(
        [sys.executable, __file__, "--child", step, *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _run_child(step: str, args: list[str]) -> None:
    t = time.perf_counter()
    extra: dict = {}
    if step == "fullsource":
        extra = {"documents": _full_source(Path(args[0]), Path(args[1]))}
    elif step == "publish":
        r = release.publish(Path(args[0]), Path(args[1]), Path(args[2]))
        extra = {"files": r.files, "new_blobs": r.new_blobs, "total_bytes": r.total_bytes}
    elif step == "sync":
        rep = run_sync(Path(args[0]), args[1], policy=FAST, upload=False)
        extra = {"bytes": rep.bytes, "blobs": rep.blobs_fetched, "outcome": rep.outcome}
    rss = _peak_rss_mb()
    print(
        json.dumps(
            {"seconds": round(time.perf_counter() - t, 3), "peak_rss_mb": round(rss, 1), **extra}
        )
    )


# ----------------------------------------------------------------------------- helpers


def _peak_rss_mb() -> float:
    """This process's own peak RSS. VmHWM, not ru_maxrss: Linux carries ru_maxrss across
    fork+exec, so a child would report its parent's peak if that was higher."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _kiosk(work: Path, name: str, repo: Path) -> Path:
    home = work / name
    home.mkdir()
    install_trusted_root(home, repo / "metadata" / "1.root.json")
    return home


def _metadata_bytes(repo: Path) -> int:
    r = release.Repo.load(repo)
    t, s = r.targets.signed.version, r.snapshot.signed.version
    meta = repo / "metadata"
    return sum(
        (meta / n).stat().st_size
        for n in (f"{t}.targets.json", f"{s}.snapshot.json", "timestamp.json")
    )


def _change_docs(src: Path, fraction: float) -> list[Path]:
    docs = sorted((src / "documents").glob("*.json"))
    picked = random.Random(7).sample(docs, max(1, math.ceil(len(docs) * fraction)))
    for path in picked:
        data = json.loads(path.read_text(encoding="utf-8"))
        data["title"] = data["title"] + " (sửa đổi)"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return picked


def _noop(home: Path, srv) -> dict:
    times, sent = [], []
    for _ in range(5):
        srv.clear_log()
        t = time.perf_counter()
        rep = run_sync(home, srv.url, policy=FAST, upload=False)
        times.append(time.perf_counter() - t)
        sent.append(srv.bytes_sent())
        assert rep.outcome == "up_to_date"
    return {"seconds_median": round(sorted(times)[2], 4), "bytes_on_wire": max(sent)}


def _five_cuts(work: Path, repo: Path, srv, name: str) -> dict:
    home = _kiosk(work, f"cuts-{name}", repo)
    proxy = start_fault_proxy(srv.port)
    targets = release.Repo.load(repo).targets.signed.targets.values()
    total = sum(tf.length for tf in targets)
    big = repo / "blobs" / max(targets, key=lambda tf: tf.length).hashes["sha256"]
    rng = random.Random(5)
    points = sorted(rng.sample(range(1, big.stat().st_size), 5))
    # the proxy cuts each response after `at` of ITS body bytes; a resumed response starts at
    # the previous cut, so offsets are relative: five cuts at five random points of the file
    for prev, at in zip([0, *points], points, strict=False):
        proxy.add("cut", path=big.name, at=at - prev, times=1)
    rep = run_sync(home, proxy.url, policy=FAST, upload=False)
    cuts = sum(f.hits for f in proxy.faults)
    proxy.stop()
    blob_requests = [r for r in proxy.requests if "/blobs/" in r[1]]
    return {
        "blob_requests": len(blob_requests),
        "release_blob_bytes": total,
        "blob_bytes_fetched": rep.blob_bytes,
        "ratio": round(rep.blob_bytes / total, 4),
        "cuts_made": cuts,
    }


def _corpus(name: str, src: Path, work: Path, keys: Path, srv_root: Path) -> dict:
    repo = srv_root
    pub = _child("publish", str(src), str(repo), str(keys))
    srv = start_nginx(repo, work / f"nginx-{name}", workers=2)
    try:
        home = _kiosk(work, f"kiosk-{name}", repo)
        cold = _child("sync", str(home), srv.url)
        noop = _noop(home, srv)
        changed = _change_docs(src, 0.01)
        changed_bytes = sum(p.stat().st_size for p in changed)
        pub2 = _child("publish", str(src), str(repo), str(keys))
        srv.clear_log()
        inc = _child("sync", str(home), srv.url)
        wire_body = sum(e.body_bytes for e in srv.log_entries())
        meta = _metadata_bytes(repo)
        one_pct = {
            "documents_changed": len(changed),
            "changed_blob_bytes": changed_bytes,
            "metadata_bytes": meta,
            "bytes_transferred": wire_body,
            "ratio_to_changed_plus_metadata": round(wire_body / (changed_bytes + meta), 4),
            "sync_apply": inc,
            "publish": pub2,
        }
        cuts = _five_cuts(work, repo, srv, name)
    finally:
        srv.stop()
    return {
        "publish": pub,
        "cold_sync_apply": cold,
        "noop_sync": noop,
        "one_percent_change": one_pct,
        "five_cuts": cuts,
    }


# ----------------------------------------------------------------------------- load test


def _session(url: str, home: Path, errors: list, lock: threading.Lock) -> None:
    """One kiosk's nightly session against the server: verify metadata, fetch changed blobs."""
    try:
        rel = refresh(home, url)
        store = home / "blobs"
        fetcher = BlobFetcher(
            url, store, home / "partial", deadline=time.monotonic() + 120, policy=FAST
        )
        for path, (digest, length) in rel.targets.items():
            if (home / "have" / digest).exists():
                continue
            fetcher.fetch(digest, length, path)
    except Exception as exc:  # noqa: BLE001 - counted as a failure
        with lock:
            errors.append(repr(exc))


def _load_worker(url: str, homes: list[str], q) -> None:  # noqa: ANN001
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(homes))

    def run(h: str) -> None:
        barrier.wait()
        _session(url, Path(h), errors, lock)

    threads = [threading.Thread(target=run, args=(h,)) for h in homes]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    q.put(errors)


def _load(repo: Path, work: Path, sessions: int, procs: int = 4) -> dict:
    """`sessions` kiosks on the previous release sync the newest one at the same moment."""
    srv = start_nginx(repo, work / "nginx-load", workers=2)
    r = release.Repo.load(repo)
    new = {tf.hashes["sha256"] for tf in r.targets.signed.targets.values()}
    prev_v = r.targets.signed.version - 1
    old_md = json.loads((repo / "metadata" / f"{prev_v}.targets.json").read_text())
    old = {t["hashes"]["sha256"] for t in old_md["signed"]["targets"].values()}
    homes = []
    for i in range(sessions):
        h = work / "load" / f"k{i}"
        (h / "have").mkdir(parents=True)
        install_trusted_root(h, repo / "metadata" / "1.root.json")
        for d in old & new:  # what this kiosk already holds
            (h / "have" / d).touch()
        homes.append(str(h))
    srv.clear_log()
    q = mp.Queue()
    chunks = [homes[i::procs] for i in range(procs)]
    t = time.perf_counter()
    ps = [mp.Process(target=_load_worker, args=(srv.url, c, q)) for c in chunks]
    for p in ps:
        p.start()
    errors = [e for _ in ps for e in q.get()]
    for p in ps:
        p.join()
    wall = time.perf_counter() - t
    entries = srv.log_entries()
    srv.stop()
    ok = [e for e in entries if e.status in (200, 206, 404)]
    return {
        "sessions": sessions,
        "processes": procs,
        "threads_per_process": math.ceil(sessions / procs),
        "seconds": round(wall, 2),
        "failures": len(errors),
        "first_errors": errors[:3],
        "requests": len(entries),
        "requests_per_s": round(len(entries) / wall, 1),
        "bytes_sent": sum(e.bytes_sent for e in entries),
        "http_status_ok_or_expected_404": len(ok) == len(entries),
    }


# ----------------------------------------------------------------------------- main


def _full_source(data: Path, dest: Path) -> int:
    from offline_index.corpus import load_full_corpus

    docs = load_full_corpus(data)
    (dest / "documents").mkdir(parents=True)
    (dest / "files").mkdir()
    manifest = {"format": 1, "name": "full shared corpus", "updated": "2026-11-01"}
    (dest / "lawshelf-content.json").write_text(json.dumps(manifest))
    for d in docs:
        if d.pdf:
            shutil.copy(data / "documents" / Path(d.pdf).name, dest / "files" / d.pdf)
        text = json.dumps({"type": "document", **d.to_dict()}, ensure_ascii=False)
        (dest / "documents" / f"{d.id}.json").write_text(text, encoding="utf-8")
    return len(docs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--skip-full", action="store_true")
    ap.add_argument("--sessions", type=int, default=300)
    ap.add_argument("--child", nargs="+")
    args = ap.parse_args()
    if args.child:
        return _run_child(args.child[0], args.child[1:])
    out: dict = {
        "machine": f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}"
    }
    with tempfile.TemporaryDirectory(prefix="lawshelf-syncbench-") as tmp:
        work = Path(tmp)
        keys = work / "keys"
        keymod.init_keys(keys)
        shutil.copytree(DEMO, work / "demo-src")
        out["demo"] = _corpus("demo", work / "demo-src", work, keys, work / "repo-demo")
        load_repo = work / "repo-demo"
        if not args.skip_full and args.data.is_dir():
            # in a child, so this process never holds the corpus (children inherit peak RSS)
            n = _child("fullsource", str(args.data), str(work / "full-src"))["documents"]
            out["full"] = {
                "documents": n,
                **_corpus("full", work / "full-src", work, keys, work / "repo-full"),
            }
            load_repo = work / "repo-full"
        out["load"] = {"release": load_repo.name, **_load(load_repo, work, args.sessions)}
    dest = ROOT / "bench" / "results" / "sync.json"
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
    print(json.dumps(out, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
