"""The app guard: activates a ready version when the kiosk restarts, and rolls a bad one back.

systemd runs it around every start of the kiosk session (installer/files/lawshelf-app-guard,
as root, from the OLDER of the two environments, which has proven itself):

    ExecStartPre  -> on_start(): finish an interrupted activation or rollback; count a run that
                     ended without a clean stop; roll back if the version in probation crashed
                     MAX_CRASHES times; else activate a pending version; then count this start
    ExecStopPost  -> on_stop(result): a run that did not end in success counts as a crash

Activation (the kiosk is stopped, so no resident is using it):
1. if the new version brings state migrations: copy the state database, migrate the COPY with
   the new version's code (as the kiosk user), keep the old file as HOME/app/state/before-<v>,
   put the copy in place (rename);
2. `venv.previous` -> the running environment; `venv` -> the new one (the commit point);
3. probation starts: one hour in which MAX_CRASHES unclean ends roll it back.
Rollback: the old database comes back untouched, plus the outbox records the failed version
queued (residents' entries must still reach the centre); `venv` -> the previous environment;
the failed version and its error are recorded (status, heartbeat) and never installed again.
A journal in app-state.json makes both idempotent: a kill -9 at any step is finished by the
next start; an activation cut off MAX_ACTIVATIONS times is given up (the old version runs).
Test hook: LAWSHELF_TEST_SYNC_KILL_AT=app_<step> (sync.apply.checkpoint).
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from offline_index.fsutil import atomic_write_text, fsync_dir
from offline_index.home import app_state_copies, state_db_path
from sync import app_env, app_state
from sync.app_health import copy_database
from sync.app_state import AppRoot, in_probation, locked, now_iso
from sync.apply import checkpoint
from sync.errors import ApplyError, BusyError
from sync.lock import SyncLock

log = logging.getLogger(__name__)

MAX_CRASHES = 3
UNCLEAN = "the kiosk stopped without a clean exit (power cut, or killed)"


def on_start(home: Path, root: AppRoot, *, now: datetime | None = None) -> str:
    """Before each start of the kiosk session; returns what it did, in words (for the log)."""
    now = now or datetime.now(UTC)
    with locked(root):
        state = app_state.load(root)
        done = _recover(home, root, state, now)
        prob = state.get("probation")
        if prob and prob.get("open"):
            _crash(prob, UNCLEAN)
        if prob and in_probation(state, now) and prob["crashes"] >= MAX_CRASHES:
            done.append(rollback(home, root, state, _reason(prob), now))
        elif prob and not in_probation(state, now):
            _stable(state, now)
        if state.get("pending"):
            done.append(activate(home, root, state, now))
        if state.get("probation"):
            state["probation"]["starts"] += 1
            state["probation"]["open"] = True
        app_state.save(root, state)
    return "; ".join(d for d in done if d) or "nothing to do"


def on_stop(root: AppRoot, result: str, status: str, *, now: datetime | None = None) -> str:
    """After each run of the kiosk session (systemd's $SERVICE_RESULT and $EXIT_STATUS)."""
    with locked(root):
        state = app_state.load(root)
        prob = state.get("probation")
        if not prob:
            return "not in probation"
        prob["open"] = False
        if result != "success":
            _crash(prob, run_end_words(result, status))
        app_state.save(root, state)
        return f"run ended: {result}; {prob['crashes']} unclean end(s) in probation"


RESULT_WORDS = {
    "exit-code": "the kiosk exited with status {status}",
    "signal": "the kiosk was killed by signal {status}",
    "core-dump": "the kiosk crashed (signal {status}, core dump)",
    "timeout": "the kiosk did not start or stop in time",
    "watchdog": "the kiosk stopped answering (watchdog)",
}


def run_end_words(result: str, status: str) -> str:
    """systemd's $SERVICE_RESULT / $EXIT_STATUS of an unclean end, in plain words."""
    words = RESULT_WORDS.get(result, "the kiosk failed ({result}, {status})")
    return words.format(result=result, status=status or "?")


def _crash(prob: dict, error: str) -> None:
    prob["crashes"] = int(prob.get("crashes", 0)) + 1
    prob["open"] = False
    prob["errors"] = [*prob.get("errors", []), error][-MAX_CRASHES:]


def _reason(prob: dict) -> str:
    last = (prob.get("errors") or ["unknown"])[-1]
    return f"{prob['crashes']} crashes within its first hour; last: {last}"


def _stable(state: dict, now: datetime) -> None:
    """Probation passed: the version is good; `previous` stays for a manual rollback."""
    state["probation"] = None
    last = state.get("last_update") or {}
    if last.get("outcome") == "activated":
        state["last_update"] = {**last, "outcome": "stable", "at": now_iso(now)}


# ----------------------------------------------------------------------------- activation


def activate(home: Path, root: AppRoot, state: dict, now: datetime) -> str:
    pending = state["pending"]
    env = root.env(pending["name"])
    if not app_state.is_complete(env):
        state["pending"] = None
        return f"pending {pending['version']} is incomplete; dropped"
    attempts = _attempts(state, pending["version"]) + 1
    if attempts > MAX_ACTIVATIONS:
        return _give_up(home, root, state, now)
    state["journal"] = {"op": "activate", "version": pending["version"], "attempts": attempts}
    app_state.save(root, state)
    try:
        if pending.get("migrations"):
            swap_database(home, env, pending["version"])
    except BusyError:
        state["journal"] = None
        return f"{pending['version']} waits: a sync is running"
    except ApplyError as exc:
        return _activation_failed(root, state, exc.message, now)
    return _commit(root, state, now)


# An activation cut off this many times (the guard killed: power cuts, or systemd's start
# timeout when copying a large database took longer than the budget) is given up: the kiosk
# starts the running version again instead of trying for ever behind a dark screen.
MAX_ACTIVATIONS = 3
INTERRUPTED = "its activation was cut off {n} times (power cut, or it did not finish in time)"


def _give_up(home: Path, root: AppRoot, state: dict, now: datetime) -> str:
    """The running version stays: the database a cut-off activation swapped in is put back
    and its migrated copy removed. A sync writing the database meanwhile defers it to the
    next start (nothing is changed, so the next start gives up again)."""
    version = state["pending"]["version"]
    try:
        restore_database(home, version)  # a swap it had made, undone
    except BusyError:
        return f"giving up {version} waits: a sync is running"
    for left in (NEXT_COPY, NEXT_READY):  # a migrated copy not swapped in
        (app_state_copies(home) / left).unlink(missing_ok=True)
    return _activation_failed(root, state, INTERRUPTED.format(n=MAX_ACTIVATIONS), now)


def _attempts(state: dict, version: str) -> int:
    """How many times this version's activation has started (the journal counts them)."""
    journal = state.get("journal") or {}
    same = journal.get("op") == "activate" and journal.get("version") == version
    return int(journal.get("attempts", 1)) if same else 0


def _commit(root: AppRoot, state: dict, now: datetime) -> str:
    pending = state["pending"]
    env = root.env(pending["name"])
    running = app_state.current(root, state)
    if running and running["name"] != env.name:
        app_env.switch(root.previous_link, root.env(running["name"]))
    app_env.switch(root.venv, env)  # the commit point
    checkpoint("app_switched")
    if running and running["name"] != env.name:
        state["previous"] = running
    state["current"] = {**pending, "since": now_iso(now)}
    state["pending"] = None
    state["journal"] = None
    state["highest"] = pending["version"]
    state["probation"] = {
        "version": pending["version"],
        "since": now_iso(now),
        "starts": 0,
        "crashes": 0,
        "open": False,
        "errors": [],
    }
    state["last_update"] = {
        "version": pending["version"],
        "outcome": "activated",
        "error": None,
        "at": now_iso(now),
    }
    app_state.save(root, state)
    app_env.collect(root, set())
    return f"activated {pending['version']}"


def _activation_failed(root: AppRoot, state: dict, message: str, now: datetime) -> str:
    version = state["pending"]["version"]
    shutil.rmtree(root.env(state["pending"]["name"]), ignore_errors=True)
    state["failed"][version] = message
    state["pending"] = state["journal"] = None
    state["last_update"] = {
        "version": version,
        "outcome": "failed_activation",
        "error": message,
        "at": now_iso(now),
    }
    return f"{version} not activated: {message}"


def _recover(home: Path, root: AppRoot, state: dict, now: datetime) -> list[str]:
    """Finish what a killed activation or rollback started (each step is idempotent)."""
    journal = state.get("journal")
    if not journal:
        return []
    if journal["op"] == "activate" and state.get("pending"):
        target = root.env(state["pending"]["name"])
        if app_state.pointed(root.venv) == target.resolve():
            return [_commit(root, state, now)]
        return [activate(home, root, state, now)]
    if journal["op"] == "rollback":
        return [rollback(home, root, state, journal["reason"], now)]
    state["journal"] = None
    return []


# ----------------------------------------------------------------------------- database


# The migrated copy, and the version it was migrated for, until it is swapped in.
NEXT_COPY, NEXT_READY = "next.sqlite", "next.ready"


def swap_database(home: Path, env: Path, version: str) -> None:
    """Migrate a copy with the new version's code; the old database is kept untouched."""
    live, copies = state_db_path(home), app_state_copies(home)
    before = copies / f"before-{version}.sqlite"
    if before.exists() and not _same_file(before, live):
        return  # swapped already (a killed activation is being finished)
    copies.mkdir(parents=True, exist_ok=True)
    nxt, ready = copies / NEXT_COPY, copies / NEXT_READY
    with SyncLock(home):  # no sync writes the database meanwhile (the kiosk is stopped)
        done = ready.read_text(encoding="utf-8") if ready.exists() else ""
        if done != version or not nxt.exists():
            _migrate_copy(home, live, nxt, env)
            atomic_write_text(ready, version)
        checkpoint("app_db_migrated")
        _quiesce(live)
        before.unlink(missing_ok=True)
        os.link(live, before)
        os.replace(nxt, live)
        fsync_dir(live.parent)
        ready.unlink(missing_ok=True)
        _drop_empty_wal(live)
        app_env.give_to_kiosk(home, live, before)
    checkpoint("app_db_swapped")


# The migration's budget at activation. The kiosk and signage units allow their start
# (this guard is ExecStartPre) TimeoutStartSec=15min, above it: systemd's default 90 s
# killed a slower migration at every start, and the screen stayed dark.
MIGRATE_TIMEOUT_S = 600


def _migrate_copy(home: Path, live: Path, copy: Path, env: Path) -> None:
    _quiesce(live)
    copy_database(live, copy)
    app_env.give_to_kiosk(home, live, copy)
    cmd = [str(env / "bin" / "lawshelf"), "app", "migrate-state", "--db", str(copy)]
    path = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    try:
        r = app_env.run_as_kiosk(cmd, path, home, timeout=MIGRATE_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        copy.unlink(missing_ok=True)
        raise ApplyError(
            f"the new version's state migration did not finish in {MIGRATE_TIMEOUT_S} s"
        ) from None
    if r.returncode != 0:
        copy.unlink(missing_ok=True)
        tail = " | ".join(r.stderr.strip().splitlines()[-3:])
        raise ApplyError(f"the new version could not migrate the state database: {tail}")


def _quiesce(db: Path) -> None:
    """Fold the write-ahead log into the database file, so the file alone is the database."""
    if not db.exists():
        return
    conn = sqlite3.connect(db, timeout=30)
    try:
        busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    finally:
        conn.close()
    if busy:
        raise BusyError("the state database is in use; the update waits for the next restart")


def _drop_empty_wal(db: Path) -> None:
    """The old database's (empty) log files must not stay beside the new file."""
    wal = db.with_name(db.name + "-wal")
    if wal.exists() and wal.stat().st_size == 0:
        wal.unlink()
        db.with_name(db.name + "-shm").unlink(missing_ok=True)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


# ----------------------------------------------------------------------------- rollback


def rollback(home: Path, root: AppRoot, state: dict, reason: str, now: datetime) -> str:
    """Back to the previous environment (and database); the failed version is recorded."""
    failed, previous = state.get("current") or {}, state.get("previous")
    if not previous or not app_env_exists(root, previous["name"]):
        state["probation"] = None
        return f"cannot roll back {failed.get('version')}: no previous environment"
    version = str(failed.get("version"))
    state["journal"] = {"op": "rollback", "version": version, "reason": reason}
    app_state.save(root, state)
    try:
        restore_database(home, version)
    except BusyError:  # the journal finishes it at the next start
        return f"rolling back {version} waits: a sync is running"
    checkpoint("app_rb_database")
    app_env.switch(root.venv, root.env(previous["name"]))
    app_env.unlink(root.previous_link)
    checkpoint("app_rb_switched")
    state.update(current=previous, previous=None, probation=None, journal=None)
    state["failed"][version] = reason
    state["last_update"] = {
        "version": version,
        "outcome": "rolled_back",
        "error": reason,
        "at": now_iso(now),
    }
    app_state.save(root, state)
    app_env.collect(root, set())
    log.warning("rolled back from %s to %s: %s", version, previous.get("version"), reason)
    return f"rolled back {version} -> {previous.get('version')}"


def app_env_exists(root: AppRoot, name: str) -> bool:
    return (root.env(name) / "bin" / "lawshelf").exists()


def restore_database(home: Path, version: str) -> None:
    """Put back the database as it was before `version` migrated a copy of it."""
    live, copies = state_db_path(home), app_state_copies(home)
    before = copies / f"before-{version}.sqlite"
    if not before.exists():
        return
    failed = copies / f"failed-{version}.sqlite"
    with SyncLock(home):  # a sync's writes between carrying the outbox and the swap would be lost
        _quiesce(live)
        if not _same_file(failed, live):
            failed.unlink(missing_ok=True)
            os.link(live, failed)
        carry_outbox(failed, before)
        os.replace(before, live)
        fsync_dir(live.parent)
        _drop_empty_wal(live)
        app_env.give_to_kiosk(home, live, failed)


def carry_outbox(src: Path, dest: Path) -> int:
    """Copy outbox records `src` has and `dest` lacks (by uuid) into `dest`; returns how many.

    Unsent records join a new batch in the old version; sent ones keep their sent time."""
    conn = sqlite3.connect(f"file:{dest}", uri=True, timeout=30)
    try:
        conn.execute("ATTACH DATABASE ? AS failed", [f"file:{src}?mode=ro"])
        if not (_columns(conn, "main") and _columns(conn, "failed")):
            return 0
        names = ", ".join(
            sorted(_columns(conn, "main") & _columns(conn, "failed") - {"seq", "batch_id"})
        )
        with conn:
            cur = conn.execute(
                f"INSERT OR IGNORE INTO main.outbox ({names}) SELECT {names} FROM failed.outbox "
                "WHERE uuid NOT IN (SELECT uuid FROM main.outbox) ORDER BY seq"
            )
        return cur.rowcount
    finally:
        conn.close()


def _columns(conn: sqlite3.Connection, schema: str) -> set[str]:
    """Columns of `schema`.outbox (empty if that database has no outbox)."""
    return {r[1] for r in conn.execute(f"PRAGMA {schema}.table_info(outbox)")}
