"""kill -9 at every step of apply: the kiosk then opens the old library or the new one, never a
mix, and the next sync finishes the job."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest
from synchelp import V1, live_titles

from offline_index import generations as gens
from offline_index.home import library_root
from sync import status
from sync.apply import KILL_ENV, STEPS
from sync.run import run_sync

NEW = dict(V1, b="Luật B bản 2")


def _lawshelf(home, *args, env_extra=None):
    env = dict(os.environ, LAWSHELF_HOME=str(home), **(env_extra or {}))
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args], env=env, capture_output=True, text=True
    )


@pytest.mark.parametrize("step", STEPS)
def test_kill_at_every_step(kiosk, publisher, step):
    run_sync(kiosk, publisher.repo)
    publisher.publish({"b": NEW["b"]})
    r = _lawshelf(kiosk, "sync", "--from", str(publisher.repo), env_extra={KILL_ENV: step})
    assert r.returncode == -signal.SIGKILL, r.stderr
    st = status.read_status(status.open_db(kiosk))  # not the previous run's "applied"
    assert st["outcome"] == "interrupted" and "interrupted" in st["error"]
    titles = sorted(live_titles(kiosk).values())
    after_switch = STEPS.index(step) >= STEPS.index("switched")
    assert titles == sorted((NEW if after_switch else V1).values())
    gens.verify_generation(gens.live_generation(library_root(kiosk)))
    rep = run_sync(kiosk, publisher.repo)  # the next run finishes (or confirms) the job
    assert rep.version == 2 and sorted(live_titles(kiosk).values()) == sorted(NEW.values())
    assert status.read_status(status.open_db(kiosk))["version"] == 2
