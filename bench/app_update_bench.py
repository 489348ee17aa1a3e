"""App-update benchmark: bytes for an update that changes only our wheel, time from sync start
to the new version serving, time to roll back a version that crashes after it starts.

Run: `.venv/bin/python bench/app_update_bench.py [--deps real|standin]`.
Writes bench/results/app_update.json (quoted in docs/benchmarks.md, section "App updates").

Everything is real: wheels of this checkout built by its own backend, a real nginx on loopback,
the kiosk's own `lawshelf sync`, pip, the health check, the guard script, the kiosk UI offscreen.
`--deps real` (default) publishes the real dependency set of `lawshelf-kiosk[ui]` (PySide6,
pymupdf, ... ~280 MB of wheels) fetched once with `pip download` into bench/.cache/ (the
publisher's step; needs PyPI the first time), so every new environment installs all of it,
as on a kiosk. `--deps standin` uses the tests' stand-in dependency and lends the heavy
packages from this venv (the tests' base site): the update machinery alone.

Steps: a kiosk runs 0.9.0 (installed as install.sh would); it updates through the channel to
1.0.0 (first update: every wheel), then to 1.0.1 (only our wheel changed: the figure), then
1.0.2, which crashes a second after it starts and is rolled back.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "app"))

from apphelp import (  # noqa: E402
    AppPublisher,
    Kiosk,
    Wheels,
    base_farm,
    project_wheel,
    repack,
    standin_wheel,
)
from nginx_server import start_nginx  # noqa: E402

from sync import app_state  # noqa: E402
from sync.app_guard import MAX_CRASHES  # noqa: E402

CACHE = ROOT / "bench" / ".cache" / "app-deps"
OUT = ROOT / "bench" / "results" / "app_update.json"
CRASH = {
    "cli/kiosk.py": lambda text: text.replace(
        "        sys.exit(app.main(home_of(ctx), windowed=windowed))",
        "        import os, threading\n\n        threading.Timer(1.5, os.abort).start()\n"
        "        sys.exit(app.main(home_of(ctx), windowed=windowed))",
    )
}
CODE_CHANGE = {"sync/app_state.py": lambda text: text + "\n# 1.0.1: a code-only change\n"}


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def real_deps(wheel: Path) -> Path:
    """The dependency wheels of our wheel[ui] for this platform (pip download, cached)."""
    if not any(CACHE.glob("pyside6_essentials-*.whl")):
        CACHE.mkdir(parents=True, exist_ok=True)
        cmd = [sys.executable, "-m", "pip", "download", "--only-binary=:all:", "-d", str(CACHE)]
        subprocess.run([*cmd, f"{wheel}[ui]", "pip"], check=True, capture_output=True)
    for old in CACHE.glob("lawshelf_kiosk-*.whl"):
        old.unlink()
    return CACHE


def build(work: Path, deps_mode: str) -> Wheels:
    ours = work / "ours"
    n0 = project_wheel(work, ours / "a", "0.9.0", {})
    if deps_mode == "real":
        folder = real_deps(n0)
        wheels = Wheels(folder, sorted(folder.glob("*.whl")), None)
    else:
        folder = work / "deps"
        wheels = Wheels(folder, [standin_wheel(work, folder)], base_farm(work / "farm"))
    wheels.ours = {"0.9.0": n0}
    wheels.ours["1.0.0"] = project_wheel(work, ours / "b", "1.0.0", {})
    wheels.ours["1.0.1"] = project_wheel(work, ours / "c", "1.0.1", CODE_CHANGE)
    wheels.ours["1.0.2"] = repack(wheels.ours["1.0.1"], ours / "d", "1.0.2", CRASH)
    return wheels


def sync(kiosk: Kiosk, url: str) -> dict:
    r = kiosk.lawshelf("sync", "--from", url, "--json", timeout=3600)
    if r.returncode != 0:
        raise SystemExit(f"sync failed ({r.returncode}): {r.stderr[-2000:]}")
    return json.loads(r.stdout)


def update(kiosk: Kiosk, pub: AppPublisher, srv: object, version: str) -> dict:
    """Publish `version`; with the old version serving, sync; it exits at its idle wipe, the
    guard switches, the new version starts: seconds from sync start to Home painted."""
    pub.release(version)
    running = kiosk.start(LAWSHELF_APP_RESTART="1", LAWSHELF_IDLE_TIMEOUT_S="1")
    kiosk.wait_for(running, "home_painted")
    srv.clear_log()  # type: ignore[attr-defined]
    t0 = time.monotonic()
    report = sync(kiosk, srv.url)  # type: ignore[attr-defined]
    t_sync = time.monotonic()
    kiosk.wait_for(running, "never", timeout=120)  # it exits by itself at the idle wipe
    kiosk.stop(running)
    t_exit = time.monotonic()
    proc = kiosk.start()
    kiosk.wait_for(proc, "home_painted", timeout=120)
    t_home = time.monotonic()
    kiosk.stop(proc)
    assert kiosk.started_version() == version, kiosk.seen()
    sent = srv.log_entries()  # type: ignore[attr-defined]
    return {
        "version": version,
        "http_bytes": sum(e.bytes_sent for e in sent),
        "blob_requests": sum(1 for e in sent if "/blobs/" in e.path),
        "app_blob_bytes": report["app"]["bytes"],
        "sync_and_install_s": round(t_sync - t0, 2),
        "until_idle_exit_s": round(t_exit - t_sync, 2),
        "activation_and_start_to_home_s": round(t_home - t_exit, 2),
        "sync_start_to_new_version_serving_s": round(t_home - t0, 2),
        "load": load(),
    }


def rollback(kiosk: Kiosk, pub: AppPublisher, srv: object) -> dict:
    pub.release("1.0.2")
    assert sync(kiosk, srv.url)["app"]["outcome"] == "ready"  # type: ignore[attr-defined]
    t0 = time.monotonic()
    for _ in range(MAX_CRASHES):
        kiosk.session(until="never", timeout=60)
    t_crashed = time.monotonic()
    kiosk.guard("start")  # this start decides: rollback
    t_guard = time.monotonic()
    proc = kiosk.start()
    kiosk.wait_for(proc, "home_painted", timeout=120)
    t_home = time.monotonic()
    kiosk.stop(proc)
    last = app_state.status(kiosk.root, kiosk.home)["last_update"]
    assert last["outcome"] == "rolled_back", last
    return {
        "crashes": MAX_CRASHES,
        "three_crashing_starts_s": round(t_crashed - t0, 2),
        "guard_rollback_s": round(t_guard - t_crashed, 2),
        "rollback_to_old_version_serving_s": round(t_home - t_crashed, 2),
        "with_systemd_restart_delays_s": round(t_home - t0 + 2 * (MAX_CRASHES + 1), 2),
        "error": last["error"],
        "load": load(),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--deps", choices=("real", "standin"), default="real")
    args = ap.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    work = Path(tempfile.mkdtemp(prefix="lawshelf-appbench-"))
    srv = None
    try:
        wheels = build(work, args.deps)
        deps = wheels.deps
        pub = AppPublisher.at(work / "pub", wheels)
        home = work / "home"
        home.mkdir()
        pub.pub.trust(home)
        kiosk = Kiosk(home, app_state.AppRoot(work / "opt"), wheels.farm)
        kiosk.root.venvs.mkdir(parents=True)
        (kiosk.root.path / "trusted_root.json").write_bytes(pub.pub.root_v1.read_bytes())
        t = time.monotonic()
        kiosk.install_first(wheels.ours["0.9.0"], deps)
        first_install_s = round(time.monotonic() - t, 2)
        srv = start_nginx(pub.pub.repo, work / "nginx")
        results = {
            "machine": {"cpus": os.cpu_count(), "cpu": platform.processor() or platform.machine()},
            "deps": args.deps,
            "dependency_wheels": len(deps),
            "dependency_bytes": sum(p.stat().st_size for p in deps),
            "our_wheel_bytes": wheels.ours["1.0.1"].stat().st_size,
            "installer_first_environment_s": first_install_s,
            "first_update": update(kiosk, pub, srv, "1.0.0"),
            "code_only_update": update(kiosk, pub, srv, "1.0.1"),
            "rollback": rollback(kiosk, pub, srv),
            "env_disk_bytes": _du(kiosk.root.venv.resolve()),
        }
    finally:
        if srv is not None:
            srv.stop()
        shutil.rmtree(work, ignore_errors=True)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=1) + "\n")
    print(json.dumps(results, indent=1))


def _du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


if __name__ == "__main__":
    main()
