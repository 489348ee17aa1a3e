"""Outbox benchmark: append cost (each record its own durable transaction), upload to a real
nginx on loopback, central collection; plus many kiosks uploading at once.

Run: `.venv/bin/python bench/outbox_bench.py [--records 2000] [--kiosks 300] [--per-kiosk 20]`.
Writes bench/results/outbox.json (quoted in docs/benchmarks.md, section "Sync", and docs/outbox.md).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from nginx_server import start_nginx  # noqa: E402

from kiosk.state import open_state  # noqa: E402
from sync import enroll, inbox, outbox, sealing  # noqa: E402
from sync.upload import upload_pending  # noqa: E402


def _kiosk(base: Path, pub: Path, kiosk_id: str):
    home = base / kiosk_id
    home.mkdir(parents=True)
    sealing.install_public(home, pub)
    return home, enroll.enroll(home, kiosk_id=kiosk_id), open_state(home)


def _fill(db, n: int) -> float:
    """n records, every other one with sealed personal data, each in its own transaction."""
    start = time.perf_counter()
    for i in range(n):
        with db.atomic():
            if i % 2:
                outbox.append(
                    db,
                    "contest_entry",
                    {"contest_id": "c-2026", "answers": list(range(20)), "correct": i % 20},
                    personal={"name": "Nguyễn Văn An", "phone": f"09{i:08d}", "birth_year": 1980},
                )
            else:
                outbox.append(db, "question", {"text": "Thủ tục đăng ký thường trú thế nào? " * 3})
    return time.perf_counter() - start


def _upload(home: Path, db, url: str) -> dict:
    start = time.perf_counter()
    rep = upload_pending(home, db, base_url=url, deadline=time.monotonic() + 600, heartbeat=False)
    assert rep.ok, rep.error
    return {
        "seconds": time.perf_counter() - start,
        "batches": rep.batches_sent,
        "records": rep.records_sent,
        "bytes": rep.bytes_sent,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=2000)
    ap.add_argument("--kiosks", type=int, default=300)
    ap.add_argument("--per-kiosk", type=int, default=20)
    args = ap.parse_args()
    out: dict = {"machine": f"{platform.machine()} {os.cpu_count()} cores, {platform.platform()}"}
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        priv, pub = sealing.generate_keypair(base / "publisher")
        home, ident, db = _kiosk(base / "kiosks", pub, "bench-kiosk")
        users = {ident.kiosk_id: ident.upload_password}
        others = [_kiosk(base / "kiosks", pub, f"k-{i:03d}") for i in range(args.kiosks)]
        users.update({i.kiosk_id: i.upload_password for _, i, _ in others})
        srv = start_nginx(base / "www", base / "nginx", users=users, workers=2)
        try:
            secs = _fill(db, args.records)
            out["append"] = {
                "records": args.records,
                "seconds": secs,
                "ms_per_record": 1000 * secs / args.records,
            }
            out["upload"] = _upload(home, db, srv.url)
            central = inbox.open_central(base / "central.sqlite")
            for _, i, _ in [(home, ident, db), *others]:
                inbox.add_kiosk(central, i.kiosk_id, i.public_key)
            start = time.perf_counter()
            rep = inbox.collect(srv.root, central)
            out["collect"] = {"records": rep.records_loaded, "seconds": time.perf_counter() - start}
            for _, _, kdb in others:
                _fill(kdb, args.per_kiosk)
            start = time.perf_counter()
            with ThreadPoolExecutor(max_workers=args.kiosks) as pool:
                reps = list(pool.map(lambda k: _upload(k[0], open_state(k[0]), srv.url), others))
            wall = time.perf_counter() - start
            puts = sum(1 for e in srv.log_entries() if e.method == "PUT") - out["upload"]["batches"]
            out["concurrent"] = {
                "kiosks": args.kiosks,
                "records_each": args.per_kiosk,
                "seconds": wall,
                "failures": sum(r["records"] != args.per_kiosk for r in reps),
                "puts": puts,
                "puts_per_s": puts / wall,
            }
            start = time.perf_counter()
            rep = inbox.collect(srv.root, central)
            out["collect_concurrent"] = {
                "records": rep.records_loaded,
                "refused": len(rep.refused),
                "seconds": time.perf_counter() - start,
            }
        finally:
            srv.stop()
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "outbox.json").write_text(json.dumps(out, indent=2))
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
