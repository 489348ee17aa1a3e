"""The centre at province scale: how many kiosks and records a day the central SQLite holds.

Simulates `--kiosks` kiosks each uploading one signed batch of `--records` records a night
(contest entries and questions with sealed personal data, opinions, a daily usage total, a
heartbeat) for `--days` nights, and measures on the real code: `inbox collect` per night
(verify, load, archive), database and archive size, the fleet view, a contest ranking, the
usage report across kiosks, the question list, and a contest purge that rewrites every
archived batch file holding one of its entries.

Run: `.venv/bin/python bench/central_bench.py [--kiosks 3000] [--records 50] [--days 3]`
(about 5 min on the 2-core VM). Writes bench/results/central.json (quoted in docs/outbox.md,
"Scale of the centre", and docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402

from kiosk import central, central_fleet, central_questions  # noqa: E402
from sync import inbox, sealing  # noqa: E402
from sync.enroll import Identity, key_id_of, public_key_text  # noqa: E402
from sync.upload import sign_batch  # noqa: E402

CONTESTS = [f"thang-{m:02d}" for m in range(1, 6)]
START = date(2026, 11, 1)


def _identities(n: int) -> list[Identity]:
    out = []
    for i in range(n):
        private = Ed25519PrivateKey.generate()
        text = public_key_text(private.public_key())
        out.append(Identity(f"kiosk-{i:05d}", text, key_id_of(text), private, "unused"))
    return out


def _sealed_pool(pub: Path, n: int = 500) -> list[str]:
    """Real sealed blobs of realistic size (collection never opens them, so a pool serves)."""
    key = sealing.load_public(pub)
    person = {"name": "Nguyễn Văn An", "birth_year": 1960, "ward": "Láng Hạ", "phone": "0912345678"}
    return [sealing.seal(key, str(uuid.uuid4()), person) for _ in range(n)]


def _records(day: date, n: int, seq0: int, pool: list[str], rng: random.Random) -> list[dict]:
    """One kiosk's night: 1 heartbeat, 1 usage total, then 60% contest entries, 25% questions
    (two in three with a contact), the rest opinions."""
    at = f"{day}T20:00:00.000+00:00"
    out = [
        {"kind": "heartbeat", "payload": {"day": str(day), "content_version": "7", "sync": {"outcome": "up_to_date"}}},
        {"kind": "usage_daily", "payload": {"day": str(day), "counts": {"session": rng.randint(5, 80), "search": rng.randint(10, 200)}}},
    ]  # fmt: skip
    for i in range(n - 2):
        r = i / max(1, n - 2)
        if r < 0.6:
            drawn = [f"q{j}" for j in range(25)]
            payload = {
                "contest_id": CONTESTS[i % len(CONTESTS)],
                "attempt_id": str(uuid.uuid4()),
                "questions": drawn,
                "answers": [{"question_id": q, "choice_id": "a"} for q in drawn],
                "correct": rng.randint(10, 25),
                "total": 25,
                "passed": True,
                "time_used_s": rng.randint(200, 1100),
                "prediction": rng.randint(1000, 90000),
            }
            out.append({"kind": "contest_entry", "payload": payload, "sealed": rng.choice(pool)})
        elif r < 0.85:
            q = {"ticket_hash": uuid.uuid4().hex * 2, "text": "Thủ tục đăng ký tạm trú cần giấy tờ gì?", "field": "Cư trú", "asked_at": at}  # fmt: skip
            rec = {"kind": "question", "payload": q}
            if i % 3:
                rec["sealed"] = rng.choice(pool)
            out.append(rec)
        else:
            op = {
                "notice_id": "doi-thoai-1",
                "text": "Nên mở thêm giờ tiếp dân buổi tối.",
                "sent_at": at,
            }
            out.append({"kind": "opinion", "payload": op, "sealed": rng.choice(pool)})
    for k, rec in enumerate(out):
        rec.update(uuid=str(uuid.uuid4()), seq=seq0 + k, created_at=at)
    return out


def _write_night(inbox_dir: Path, kiosks: list[Identity], day: date, n: int, pool, rng) -> int:
    size = 0
    for i, ident in enumerate(kiosks):
        batch_id = str(uuid.uuid4())
        body = sign_batch(ident, ident.kiosk_id, batch_id, f"{day}T20:00:00.000+00:00",
                          _records(day, n, 1 + (day - START).days * n, pool, rng))  # fmt: skip
        path = inbox_dir / "inbox" / ident.kiosk_id / f"{batch_id}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
        size += len(body)
        del i
    return size


def _wal(store) -> int:  # noqa: ANN001
    wal = store.path.with_name(store.path.name + "-wal")
    return wal.stat().st_size if wal.exists() else 0


def _du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _timed(fn):  # noqa: ANN001, ANN202
    t = time.perf_counter()
    value = fn()
    return value, round(time.perf_counter() - t, 3)


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kiosks", type=int, default=3000)
    ap.add_argument("--records", type=int, default=50)
    ap.add_argument("--days", type=int, default=3)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "central.json")
    args = ap.parse_args(argv)
    rng = random.Random(13)
    base = Path(tempfile.mkdtemp(prefix="lawshelf-central-"))
    load_before = os.getloadavg()
    try:
        sealing.generate_keypair(base / "publisher")
        pool = _sealed_pool(base / "publisher" / sealing.PUBLIC_NAME)
        kiosks = _identities(args.kiosks)
        store = inbox.open_central(base / "centre" / "central.sqlite")
        with store.atomic():
            for ident in kiosks:
                store.register_kiosk(ident.kiosk_id, ident.public_key, ident.key_id, "")
        nights = []
        for d in range(args.days):
            day = START + timedelta(days=d)
            upload_bytes = _write_night(base / "www", kiosks, day, args.records, pool, rng)
            rep, secs = _timed(lambda: inbox.collect(base / "www", store))
            assert rep.records_loaded == args.kiosks * args.records and not rep.refused, rep.refused
            nights.append(
                {
                    "day": str(day),
                    "batches": rep.batches_loaded,
                    "records": rep.records_loaded,
                    "upload_mb": round(upload_bytes / 1e6, 1),
                    "collect_s": secs,
                    "records_per_s": round(rep.records_loaded / secs),
                    "db_mb": round(store.path.stat().st_size / 1e6, 1),
                    "wal_mb": round(_wal(store) / 1e6, 1),
                    "archive_mb": round(_du(inbox.default_archive(store)) / 1e6, 1),
                    "load": os.getloadavg()[0],
                }
            )  # fmt: skip
            print(json.dumps(nights[-1]), flush=True)
        queries = _queries(store, args, START + timedelta(days=args.days - 1), base)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    result = {
        "benchmark": "central",
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count(), "python": platform.python_version()},
        "load_before": load_before,
        "load_after": os.getloadavg(),
        "config": vars(args) | {"out": str(args.out)},
        "nights": nights,
        "queries": queries,
        "per_record_db_bytes": round(nights[-1]["db_mb"] * 1e6 / (args.kiosks * args.records * args.days)),
    }  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(queries, indent=1))
    return 0


def _queries(store, args, last: date, base: Path) -> dict:  # noqa: ANN001
    """The centre's daily questions, timed on the full database."""
    out = {}
    rows, out["fleet_view_s"] = _timed(lambda: central_fleet.fleet(store))
    assert len(rows) == args.kiosks
    _, out["fleet_stale_s"] = _timed(lambda: central_fleet.fleet(store, stale_days=2))
    rep, out["usage_report_s"] = _timed(lambda: central_fleet.usage_report(store, START, last))
    out["usage_sessions"] = rep.totals["session"]
    ranked, out["rank_contest_s"] = _timed(lambda: central.rank(store, CONTESTS[0]))
    out["rank_entries"] = len(ranked.ranked)
    qs, out["questions_list_s"] = _timed(lambda: central_questions.list_questions(store))
    out["questions"] = len(qs)
    n, out["purge_contest_s"] = _timed(
        lambda: central.purge(
            store, CONTESTS[0], closes="2020-01-01T00:00:00", retention_days=1, who="bench"
        )
    )
    out["purged_entries"] = n
    out["db_mb_after_purge"] = round(store.path.stat().st_size / 1e6, 1)
    return out


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
