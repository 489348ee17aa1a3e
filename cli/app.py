"""`lawshelf app ...`: software updates through the signed channel (docs/updates.md).

Publisher:   app keys init | app lock | app publish | app rollout
Kiosk:       app status | app apply (installer step) | app guard start|stop (systemd)
New version: app health-check | app migrate-state (run inside a new environment, by the
             running version, before the new one may ever be switched to)
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import click

from cli.main import home_of
from offline_index.dates import local_time
from offline_index.fsutil import atomic_write_text
from offline_index.home import state_db_path
from sync import app_state
from sync.errors import EXIT_APP

PathArg = click.Path(path_type=Path)


def _root(required: bool = True) -> app_state.AppRoot | None:
    root = app_state.app_root_for()
    if root is None and required:
        raise click.ClickException(
            "no app root: this is not an installed kiosk (set LAWSHELF_APP_ROOT to use one)"
        )
    return root


def _rollout_opts(fn: Callable[..., None]) -> Callable[..., None]:
    """--percent and --pilot, for `app publish` and `app rollout`."""
    fn = click.option(
        "--pilot", "pilots", multiple=True, help="A kiosk id that takes it (repeatable)."
    )(fn)
    return click.option(
        "--percent",
        type=click.IntRange(0, 100),
        default=100,
        show_default=True,
        help="Percentage of kiosks (by a stable hash of the kiosk id) that take it.",
    )(fn)


@click.group("app")
def app_group() -> None:
    """Software updates: publish app releases, install them on a kiosk, roll back."""


@app_group.group("keys")
def keys_group() -> None:
    """The app signing keys (3 keys, threshold 2, pinned by the root)."""


@keys_group.command("init")
@click.option("--repo", type=PathArg, required=True, help="Release repository folder.")
@click.option("--keys", "keys_dir", type=PathArg, required=True, help="Signing keys folder.")
@click.option("--rotate", is_flag=True, help="Replace existing app keys with fresh ones.")
def keys_init(repo: Path, keys_dir: Path, rotate: bool) -> None:
    """Make the app keys and pin them (needs 2 root keys and the content key once)."""
    from sync.app_keys import init_app_keys

    for keyid in init_app_keys(repo, keys_dir, rotate=rotate):
        click.echo(f"app key {keyid[:16]}")


@app_group.command("lock")
@click.argument("wheelhouse", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("-o", "--output", type=PathArg, help="Write the lock here (default: stdout).")
def lock_cmd(wheelhouse: Path, output: Path | None) -> None:
    """Hash lock of every dependency wheel in WHEELHOUSE (pip --require-hashes format)."""
    from sync.app_pins import lock_for_wheels, wheel_identity
    from sync.app_publish import PROJECT

    wheels = [p for p in wheelhouse.glob("*.whl") if wheel_identity(p.name)[0] != PROJECT]
    others = sorted(p.name for p in wheelhouse.iterdir() if p.suffix != ".whl")
    if others:
        raise click.ClickException(f"only wheels can be locked (a kiosk builds nothing): {others}")
    text = lock_for_wheels(wheels)
    if output:
        atomic_write_text(output, text)
        click.echo(f"{len(wheels)} wheels locked in {output}")
    else:
        click.echo(text, nl=False)


@app_group.command("publish")
@click.argument("wheel", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--lock", type=click.Path(path_type=Path, dir_okay=False, exists=True), required=True)
@click.option("--wheels", "wheelhouse", type=PathArg, required=True, help="Dependency wheels.")
@click.option("--repo", type=PathArg, required=True, help="Release repository folder.")
@click.option("--keys", "keys_dir", type=PathArg, required=True, help="Signing keys folder.")
@_rollout_opts
def publish_cmd(
    wheel: Path,
    lock: Path,
    wheelhouse: Path,
    repo: Path,
    keys_dir: Path,
    percent: int,
    pilots: tuple[str, ...],
) -> None:
    """Publish WHEEL (ours) and the wheels its lock names as the next app release."""
    from sync.app_publish import Rollout, publish_app

    r = publish_app(wheel, lock, wheelhouse, repo, keys_dir, rollout=Rollout(percent, pilots))
    click.echo(
        f"app {r.version} (metadata {r.metadata_version}): {r.wheels} wheels, {r.new_blobs} new "
        f"blobs ({r.new_bytes} of {r.total_bytes} bytes new)"
    )


@app_group.command("rollout")
@click.option("--repo", type=PathArg, required=True, help="Release repository folder.")
@click.option("--keys", "keys_dir", type=PathArg, required=True, help="Signing keys folder.")
@_rollout_opts
def rollout_cmd(repo: Path, keys_dir: Path, percent: int, pilots: tuple[str, ...]) -> None:
    """Change which kiosks take the current app release (widen it, or name pilots)."""
    from sync.app_publish import Rollout, set_rollout

    version = set_rollout(repo, keys_dir, Rollout(percent, pilots))
    click.echo(f"app metadata {version}: {percent}%, pilots {', '.join(pilots) or 'none'}")


@app_group.command("status")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def status_cmd(ctx: click.Context, as_json: bool) -> None:
    """Running version, pending version, and the last update's outcome."""
    st = app_state.status(_root(required=False), home_of(ctx))
    if as_json:
        click.echo(json.dumps(st, indent=1, ensure_ascii=False))
        return
    for line in status_lines(st):
        click.echo(line)


SYNC_WORDS = {  # the app step of `lawshelf sync`, in words
    "ready": "{version} installed and checked; it starts at the next idle restart",
    "requested": "{version} fetched; the installer step builds it",
    "up_to_date": "{version} is running or ready",
    "not_selected": "{version} is not rolled out to this kiosk yet",
    "known_bad": "{version} failed here before; waiting for a newer version",
    "unmanaged": "{version} offered; this kiosk has no versioned environments",
    "dry_run": "{version} would be installed",
    "refused": "{version} refused",
    "failed_install": "{version} could not be installed",
    "failed_check": "{version} failed its health check",
    "fetch_failed": "{version} could not be fetched (next sync retries)",
}


def status_lines(st: dict) -> list[str]:
    """The `app` part of `lawshelf status` in plain words."""
    last = st.get("last_update") or {}
    version = st.get("version")
    if not version and not st.get("managed"):  # the one the centre sees too (heartbeat)
        from sync.outbox import app_version

        version = f"{app_version() or 'unknown'} (installed by hand, not by app updates)"
    lines = [f"{'App version':<22}  {version or 'unknown'}"]
    if st.get("pending"):
        lines.append(f"{'App pending':<22}  {st['pending']} (starts at the next idle restart)")
    if last:
        what = f"{last.get('outcome')} {last.get('version') or ''} at {local_time(last.get('at'))}"
        lines.append(f"{'Last app update':<22}  {what}")
        if last.get("error"):
            lines.append(f"{'':<22}  {last['error']}")
    return lines


@app_group.command("apply")
@click.pass_context
def apply_cmd(ctx: click.Context) -> None:
    """Install the app release the last sync asked for (lawshelf-app.service runs this)."""
    from sync.app_apply import apply_requested

    root = _root()
    done = apply_requested(home_of(ctx), root, base_site=app_state.base_site())
    click.echo(json.dumps(done, ensure_ascii=False))
    if done["outcome"] in ("refused", "failed_install", "failed_check"):
        sys.exit(EXIT_APP)


@app_group.command("guard")
@click.argument("event", type=click.Choice(["start", "stop"]))
@click.pass_context
def guard_cmd(ctx: click.Context, event: str) -> None:
    """Around each start of the kiosk session (systemd ExecStartPre / ExecStopPost)."""
    from sync import app_guard

    root = _root()
    if event == "start":
        said = app_guard.on_start(home_of(ctx), root)
    else:
        result = os.environ.get("SERVICE_RESULT", "success")
        said = app_guard.on_stop(root, result, os.environ.get("EXIT_STATUS", ""))
    click.echo(f"lawshelf-app-guard {event}: {said}")


@app_group.command("health-check")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def health_check_cmd(ctx: click.Context, as_json: bool) -> None:
    """Start, migrate the state copy, open the library, search, paint Home offscreen."""
    report = health_check(home_of(ctx))
    click.echo(json.dumps(report, ensure_ascii=False) if as_json else _health_words(report))
    sys.exit(0 if report["ok"] else 1)


def _health_words(report: dict) -> str:
    if report["ok"]:
        return f"ok: {report['version']} in {report['seconds']} s"
    return f"FAILED: {report.get('error')}"


def health_check(home: Path) -> dict:
    """This version against this home: every step a resident's first minute needs."""
    t0 = time.monotonic()
    report: dict = {"ok": False, "version": metadata.version("lawshelf-kiosk")}
    try:
        report["migrations"] = migrate_state(state_db_path(home))
        report["search"] = _probe_search(home)
        from ui.healthcheck import render_home

        report["home"] = render_home(home)
        report["ok"] = True
    except Exception as exc:  # noqa: BLE001 - any failure fails the check, in words
        report["error"] = f"{type(exc).__name__}: {exc}"
    report["seconds"] = round(time.monotonic() - t0, 2)
    return report


def _probe_search(home: Path) -> dict:
    """Search the live library for one of its own documents by its official number."""
    from offline_index.library import Library

    with Library.open(home) as lib:
        docs = [d for d in lib.documents() if d.number]
        if not docs:
            raise RuntimeError("the live library has no documents to search for")
        query = docs[0].number
        hits = lib.search(query, limit=5).hits
    if not hits:
        raise RuntimeError(f"a search for {query!r} found nothing")
    return {"query": query, "hits": len(hits)}


def migrate_state(db_path: Path) -> list[str]:
    """Apply this version's state migrations to the database at db_path; returns their names."""
    from kiosk.state import all_migrations, connect
    from offline_index.migrations import migrate

    db = connect(db_path)
    try:
        return migrate(db, all_migrations())
    finally:
        db.conn.close()


@app_group.command("migrate-state")
@click.option("--db", "db_path", type=PathArg, required=True)
def migrate_state_cmd(db_path: Path) -> None:
    """Migrate a copy of the state database with this version's code (activation does this)."""
    click.echo(json.dumps({"migrations": migrate_state(db_path)}))


def register(cli: click.Group) -> None:
    cli.add_command(app_group)
