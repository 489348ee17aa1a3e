"""Recovery that needs nobody on site: wrong clocks on a new kiosk, leftovers of a full disk,
a kill right after the switch, lines that cut every megabyte, honest progress, a closed pipe."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from helpers_release import doc_json
from synchelp import FAST, V1, blob_of, live_titles

from offline_index import generations as gens
from offline_index.home import library_root, stage_dirs
from sync import release, status, timefloor
from sync.errors import ApplyError, ExpiredError, NetworkError
from sync.run import run_sync
from sync.transfer import TransferPolicy
from sync.verify import install_trusted_root

PROJECT = Path(__file__).resolve().parents[2]
CLOCK_2019 = datetime(2019, 5, 1, tzinfo=UTC)


def lawshelf(home: Path, *args: str, prefix: tuple[str, ...] = (), **env: str):
    """The real `lawshelf` command in a subprocess (optionally under faketime)."""
    full_env = dict(os.environ, LAWSHELF_HOME=str(home), **env)
    cmd = [*prefix, sys.executable, "-m", "cli.main", *args]
    return subprocess.run(cmd, env=full_env, cwd=PROJECT, capture_output=True, text=True)


def expire_an_hour_ago(publisher) -> datetime:
    """Re-sign snapshot + timestamp with the real online keys so the timestamp expired an
    hour ago (the root was signed just now, when the publisher fixture published)."""
    signed_at = datetime.now(UTC).replace(microsecond=0) - timedelta(days=2, hours=1)
    release.publish_online(publisher.repo, publisher.keys, now=signed_at)
    return signed_at


# ---------------------------------------------------------------- a new kiosk, clock set back


def test_new_kiosk_with_clock_back_refuses_expired_metadata(kiosk, publisher):
    signed_at = expire_an_hour_ago(publisher)
    with pytest.raises(ExpiredError) as err:
        run_sync(kiosk, publisher.repo, now=CLOCK_2019)
    assert err.value.exit_code == 5 and "clock says 2019-05-01" in err.value.message
    assert gens.live_generation(library_root(kiosk)) is None
    floor = status.time_floor(status.open_db(kiosk))
    assert floor is None or floor > signed_at  # never set from the expired timestamp


def test_new_kiosk_floor_is_what_it_trusts(kiosk, publisher):
    db = status.open_db(kiosk)
    root_issued = json.loads(publisher.root_v1.read_text())["signed"]["x-lawshelf"]["issued"]
    floor = timefloor.current_floor(db, kiosk)
    assert floor == max(timefloor.SOFTWARE_DATE, datetime.fromisoformat(root_issued))
    assert datetime.now(UTC) >= timefloor.SOFTWARE_DATE  # a software date from the future
    # would make every kiosk refuse valid metadata


@pytest.mark.skipif(not shutil.which("faketime"), reason="needs Debian's faketime package")
def test_faketime_2019_sync_end_to_end(kiosk, publisher):
    """The issue's repro, through `lawshelf sync` with the process clock really set back."""
    expire_an_hour_ago(publisher)
    faked = ("faketime", "-f", "@2019-05-01 00:00:00")
    r = lawshelf(
        kiosk, "sync", "--from", str(publisher.repo), prefix=faked, DONT_FAKE_MONOTONIC="1"
    )
    assert r.returncode == 5, r.stdout + r.stderr
    assert "clock says 2019-05-01" in r.stderr and "applied" not in r.stdout
    release.publish_online(publisher.repo, publisher.keys)  # the publisher's nightly refresh
    r = lawshelf(
        kiosk, "sync", "--from", str(publisher.repo), prefix=faked, DONT_FAKE_MONOTONIC="1"
    )
    assert r.returncode == 0 and "applied release 1" in r.stdout, r.stderr
    assert "Please set the clock" in r.stderr  # warned, and expiry judged at the floor


# ---------------------------------------------------------------- leftovers of a full disk


def _write_file(pub, name: str, size: int) -> None:
    path = pub.src / "files" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(os.urandom(size))


def _synced_home_on(disk: Path, publisher, monkeypatch) -> Path:
    """A kiosk home on `disk`, trusting the publisher, release 1 applied."""
    home = disk / "home"
    home.mkdir()
    monkeypatch.setenv("LAWSHELF_HOME", str(home))
    install_trusted_root(home, publisher.root_v1)
    run_sync(home, publisher.repo)
    return home


def test_disk_full_leftovers_do_not_block_later_releases(small_disk, publisher, monkeypatch):
    home = _synced_home_on(small_disk("20m"), publisher, monkeypatch)
    _write_file(publisher, "big.bin", 12_000_000)  # blob + its copy in the library: 24 MB
    publisher.publish()
    with pytest.raises(ApplyError) as err:
        run_sync(home, publisher.repo)
    assert err.value.exit_code == 7
    assert sorted(live_titles(home).values()) == sorted(V1.values())
    _write_file(publisher, "big.bin", 6_000_000)  # fits on a clean kiosk
    publisher.publish()
    rep = run_sync(home, publisher.repo)  # before: "it needs 6.0 MB, 4.1 MB can be used"
    assert rep.outcome == "applied" and rep.version == 3
    assert not stage_dirs(home)


def test_disk_full_message_names_what_uses_the_disk(small_disk, publisher, monkeypatch):
    disk = small_disk("20m")
    home = _synced_home_on(disk, publisher, monkeypatch)
    (disk / "videos.bin").write_bytes(os.urandom(9_000_000))  # not ours
    _write_file(publisher, "big.bin", 12_000_000)
    publisher.publish()
    with pytest.raises(ApplyError, match=r"it needs 12\.0 MB") as err:
        run_sync(home, publisher.repo)
    assert "other files on this disk 9.0 MB" in err.value.message
    assert "library generations" in err.value.message


# ---------------------------------------------------------------- kill -9 right after the switch


def test_killed_after_switch_status_says_live_and_next_run_cleans(kiosk, publisher):
    run_sync(kiosk, publisher.repo)
    publisher.publish({"b": "Luật B bản 2"})
    r = lawshelf(
        kiosk, "sync", "--from", str(publisher.repo), LAWSHELF_TEST_SYNC_KILL_AT="switched"
    )
    assert r.returncode == -9
    st = json.loads(lawshelf(kiosk, "status", "--json").stdout)
    assert st["outcome"] == "interrupted" and st["version"] == 2  # what residents see
    assert "release 2 went live" in st["error"]
    r = lawshelf(kiosk, "sync", "--from", str(publisher.repo))
    assert r.returncode == 0 and "up to date" in r.stdout
    assert not stage_dirs(kiosk)  # before: stage-2 (hard links) stayed
    assert len([p for p in library_root(kiosk).glob("gen-*")]) == 2  # live + previous only


# ---------------------------------------------------------------- transfers


@pytest.mark.nginx
def test_attempts_reset_when_a_response_makes_progress(
    kiosk, publisher, nginx_factory, fault_proxy_factory
):
    srv = nginx_factory(root=publisher.repo)
    proxy = fault_proxy_factory(srv)
    run_sync(kiosk, proxy.url, policy=FAST)
    big = "x" * 2_000_000
    publisher.publish({"big": big})
    proxy.add("cut", path=blob_of(publisher, "big"), at=100_000)  # every response, forever
    policy = TransferPolicy(attempts=4, backoff_s=0.01, backoff_max_s=0.02, read_timeout=2.0)
    rep = run_sync(kiosk, proxy.url, policy=policy)  # before: gave up after 4 cuts (400 kB)
    assert rep.outcome == "applied" and big in live_titles(kiosk).values()


@pytest.mark.nginx
def test_attempts_without_progress_still_give_up(
    kiosk, publisher, nginx_factory, fault_proxy_factory
):
    srv = nginx_factory(root=publisher.repo)
    proxy = fault_proxy_factory(srv)
    run_sync(kiosk, proxy.url, policy=FAST)
    publisher.publish({"big": "x" * 300_000})
    proxy.add("status", path=blob_of(publisher, "big"), code=503)
    with pytest.raises(NetworkError, match="could not download"):
        run_sync(kiosk, proxy.url, policy=FAST)
    assert len([r for r in proxy.requests if blob_of(publisher, "big") in r[1]]) == FAST.attempts


def test_progress_counts_bytes_really_fetched(kiosk, publisher):
    run_sync(kiosk, publisher.repo)
    _write_file(publisher, "big.bin", 3_000_000)
    publisher.publish()
    run_sync(kiosk, publisher.repo)
    publisher.publish({"a": "Luật A bản 2"})  # one small document changes; big.bin stays
    seen: list[tuple[int, int]] = []
    rep = run_sync(
        kiosk,
        publisher.repo,
        progress=lambda w, d, t: seen.append((d, t)) if w == "download" else None,
    )
    changed = len((publisher.src / "documents" / "a.json").read_bytes())
    assert seen and {t for _, t in seen} == {changed}  # before: "3.0 / 3.0 MB"
    assert seen[-1] == (changed, changed) == (rep.blob_bytes, changed)


# ---------------------------------------------------------------- the command line


@pytest.mark.parametrize("redirect", ["", "2>&1"])
def test_sync_with_a_closed_pipe_is_not_a_disk_error(kiosk, publisher, redirect):
    """`lawshelf sync | head -1` (and with progress on the pipe too) is not a failure."""
    publisher.publish({n: f"Luật số {n}" for n in range(1, 40)})  # many lines of output
    cmd = f"{sys.executable} -m cli.main sync --from {publisher.repo} {redirect} | head -1"
    r = subprocess.run(
        ["bash", "-c", cmd + "; exit ${PIPESTATUS[0]}"],
        env=dict(os.environ, LAWSHELF_HOME=str(kiosk)),
        cwd=PROJECT,
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stdout + r.stderr  # before: exit 7 "Broken pipe" (disk error)
    assert "Traceback" not in r.stderr
    st = status.read_status(status.open_db(kiosk), kiosk)
    assert st["outcome"] == "applied" and st["version"] == 2 and st["error"] is None


def _write_long_laws(pub, count: int, articles: int) -> None:
    """Documents of many long articles: small as blobs beside what the built library holds."""
    rng = random.Random(7)
    words = [f"{a}{b}" for a in "bcdghklmnpqrstvx" for b in ("a", "ă", "ê", "ô", "ơ", "ư", "i")]
    for n in range(count):
        doc = json.loads(doc_json(500 + n, f"Luật số {n}"))
        doc["body"] = [
            {
                "level": "dieu",
                "number": str(k),
                "title": f"Điều khoản {k}",
                "text": " ".join(rng.choice(words) for _ in range(400)),
            }
            for k in range(1, articles + 1)
        ]
        (pub.src / "documents" / f"long{n}.json").write_text(json.dumps(doc), encoding="utf-8")


def test_a_disk_that_fills_while_the_library_is_built_is_told_as_a_full_disk(
    small_disk, publisher, monkeypatch
):
    """The download fits and the build does not: SQLite's `database or disk is full` was
    told as a bug (exit 1, `Please report this`) night after night. It is exit 7, with what
    uses the disk, and the residents keep the live library."""
    disk = small_disk("20m")
    home = _synced_home_on(disk, publisher, monkeypatch)
    _write_long_laws(publisher, 40, 60)
    publisher.publish()
    with pytest.raises(ApplyError, match="disk is full") as err:
        run_sync(home, publisher.repo)
    assert err.value.exit_code == 7 and "library generations" in err.value.message
    assert sorted(live_titles(home).values()) == sorted(V1.values())
    st = status.read_status(status.open_db(home))
    assert st["exit_code"] == 7 and "report" not in st["error"]
