"""`lawshelf publish | keys | export | sync | status`: thin wrappers around sync/.

Exit codes come from the typed errors (sync.errors, table in docs/sync.md).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import NoReturn

import click

from cli.main import home_of
from kiosk import settings
from kiosk.state import open_state
from offline_index.dates import local_time
from offline_index.home import cache_dir, trusted_root_path
from sync import keys as keymod
from sync import release, rotation, status, usb
from sync.changes import CHANGE_VI, KIND_EN, Changes
from sync.errors import SyncError
from sync.run import run_sync
from sync.verify import install_trusted_root

PathArg = click.Path(path_type=Path)


def _expiry(days: int | None) -> release.Expiry:
    if not days:
        return release.DEFAULT_EXPIRY
    return release.Expiry(snapshot=timedelta(days=days), timestamp=timedelta(days=days))


@click.command("publish")
@click.argument("source", type=PathArg, required=False)
@click.option("--repo", type=PathArg, required=True, help="Release repository folder.")
@click.option("--keys", "keys_dir", type=PathArg, required=True, help="Signing keys folder.")
@click.option("--refresh", is_flag=True, help="Only re-sign snapshot + timestamp (nightly).")
@click.option(
    "--online-days", type=click.IntRange(min=1), help="Snapshot/timestamp lifetime in days."
)
@click.option(
    "--content-date",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Date kiosks show for the content (default: today, the publish date).",
)
@click.pass_context
def publish_cmd(
    ctx: click.Context,
    source: Path | None,
    repo: Path,
    keys_dir: Path,
    refresh: bool,
    online_days: int | None,
    content_date: datetime | None,
) -> None:
    """Validate a content source (format v1) and publish it as the next signed release."""
    if refresh:
        v = release.publish_online(repo, keys_dir, expiry=_expiry(online_days))
        click.echo(f"timestamp version {v} published")
        return
    if source is None:
        raise click.UsageError("SOURCE is required unless --refresh")
    _ocr_scans(source)
    r = release.publish(
        source,
        repo,
        keys_dir,
        expiry=_expiry(online_days),
        content_date=content_date.date() if content_date else None,
        cache_dir=cache_dir(home_of(ctx)),
    )
    click.echo(
        f"release {r.version}: {r.files} files, {r.new_blobs} new blobs "
        f"({r.new_bytes} of {r.total_bytes} bytes new), {len(r.removed)} removed"
    )


def _ocr_scans(source: Path) -> None:
    """Scanned raw PDFs are read here, once, and ship with their text (cli/scans.py)."""
    from cli.scans import prepare
    from offline_index.ocr import OcrUnavailable

    try:
        prepare(source)
    except OcrUnavailable as exc:
        click.echo(f"warning: scanned PDFs not read: {exc.message}", err=True)


@click.group("keys")
def keys_group() -> None:
    """Create, rotate and revoke the publisher's signing keys."""


@keys_group.command("init")
@click.option("--keys", "keys_dir", type=PathArg, required=True)
def keys_init(keys_dir: Path) -> None:
    """Create 3 offline root keys (threshold 2), a targets key and the online keys."""
    for role, ids in keymod.init_keys(keys_dir).items():
        click.echo(f"{role}: {', '.join(i[:16] for i in ids)}")


@keys_group.command("list")
@click.option("--keys", "keys_dir", type=PathArg, required=True)
def keys_list(keys_dir: Path) -> None:
    for folder in keymod.key_folders(keys_dir):
        has = "private" if (folder / "key.pem").exists() else "public only"
        click.echo(f"{folder.name}\t{keymod.load_public(folder).keyid}\t{has}")


@keys_group.command("rotate")
@click.argument("role", type=click.Choice(keymod.ROLES))
@click.option("--keys", "keys_dir", type=PathArg, required=True)
@click.option("--repo", type=PathArg, required=True)
@click.option("--replace", help="Root key id to replace (default: the oldest).")
def keys_rotate(role: str, keys_dir: Path, repo: Path, replace: str | None) -> None:
    """Give ROLE a fresh key: a new root version signed by old and new root keys."""
    version, key = rotation.rotate(repo, keys_dir, role, replace=replace)
    click.echo(f"root version {version}: new {role} key {key.keyid}")


@keys_group.command("recover-online")
@click.option("--keys", "keys_dir", type=PathArg, required=True)
@click.option("--repo", type=PathArg, required=True)
@click.option(
    "--above",
    type=int,
    default=0,
    show_default=True,
    help="Highest snapshot/timestamp version the thief signed (from a kiosk or the server).",
)
def keys_recover_online(keys_dir: Path, repo: Path, above: int) -> None:
    """After the online keys were stolen: new snapshot and timestamp keys (two root keys
    sign the new root) and fresh metadata above every version the thief used."""
    root_v, ts_v = rotation.recover_online(repo, keys_dir, above=above)
    click.echo(f"root version {root_v}: new snapshot and timestamp keys; timestamp version {ts_v}")


@keys_group.command("revoke")
@click.argument("keyid")
@click.option("--keys", "keys_dir", type=PathArg, required=True)
@click.option("--repo", type=PathArg, required=True)
def keys_revoke(keyid: str, keys_dir: Path, repo: Path) -> None:
    """Remove a lost or stolen key from the trusted root."""
    click.echo(f"root version {rotation.revoke(repo, keys_dir, keyid)}: {keyid} revoked")


@click.command("export")
@click.option("--to", "dest", type=PathArg, required=True, help="USB stick folder.")
@click.option("--repo", type=PathArg, help="Publisher: export from this repository.")
@click.option("--keys", "keys_dir", type=PathArg, help="Publisher: keys to mint the stick.")
@click.option(
    "--days", type=click.IntRange(min=1), default=60, show_default=True, help="Publisher: expiry."
)
@click.pass_context
def export_cmd(
    ctx: click.Context, dest: Path, repo: Path | None, keys_dir: Path | None, days: int
) -> None:
    """Write a USB release tree (kiosk: the verified live release; publisher: --repo/--keys)."""
    if repo is not None:
        if keys_dir is None:
            raise click.UsageError("--repo needs --keys (online keys) to mint stick metadata")
        out = usb.export_repo(repo, keys_dir, dest, days=days)
    else:
        out = usb.export_usb(home_of(ctx, create=False), dest)
    click.echo(f"release {out['version']}: {out['files']} files written to {out['path']}")
    if "expires" in out:  # a kiosk's stick lasts as long as the publisher's timestamp
        click.echo(f"kiosks accept this stick until {out['expires']}")


class _Progress:
    """Progress on stderr, at most a few lines a second. Downloads count the bytes really
    fetched in this run against what this run must fetch. A closed stderr (`2>&1 | head`)
    only stops the progress lines, never the sync."""

    def __init__(self) -> None:
        self.last = 0.0
        self.closed = False

    def __call__(self, what: str, done: int, total: int) -> None:
        now = time.monotonic()
        if self.closed or (what == "download" and 0 < done < total and now - self.last < 0.5):
            return
        self.last = now
        text = (
            f"  downloading {_mb(done)} / {_mb(total)}" if what == "download" else f"  {what} ..."
        )
        try:
            click.echo(text, err=True)
        except OSError:
            self.closed = True


def _mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n / 1e3:.1f} kB"


@contextlib.contextmanager
def reader_may_leave() -> Iterator[None]:
    """`lawshelf sync | head -1`: a reader that stops reading is not a failure of the command.

    The rest of the output goes nowhere and the command keeps its own exit code."""
    try:
        yield
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # Python's final flush must not fail either


@click.command("sync")
@click.option("--from", "source", help="Release URL or folder (default: setting sync_source).")
@click.option("--dry-run", is_flag=True, help="Verify and say what would change; apply nothing.")
@click.option("--trust", type=PathArg, help="Install this root.json as the trusted root first.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def sync_cmd(
    ctx: click.Context, source: str | None, dry_run: bool, trust: Path | None, as_json: bool
) -> None:
    """Fetch, verify and apply the newest release; then upload the outbox."""
    home = home_of(ctx)
    db = open_state(home)
    conf = settings.load(home, db)
    if trust is not None:
        install_trusted_root(home, trust)
        if not source and not conf.sync_source:
            click.echo(f"trusted root installed at {trusted_root_path(home)}")
            return
    try:
        report = run_sync(
            home,
            source or conf.sync_source,
            dry_run=dry_run,
            progress=None if as_json else _Progress(),
            db=db,
            deadline_s=conf.sync_deadline_s,
        )
    except SyncError as exc:
        if not as_json:
            raise  # the command's own error line (cli/main.py)
        _json_failure(exc)  # a script reads the failure where it reads a success
    with reader_may_leave():
        if as_json:
            click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=1))
        else:
            _print_report(report)
    sys.exit(report.exit_code)


def _json_failure(exc: SyncError) -> NoReturn:
    failed = {"outcome": "failed", "exit_code": exc.exit_code, "error": exc.message}
    click.echo(json.dumps(failed | {"error_vi": exc.message_vi}, ensure_ascii=False, indent=1))
    sys.exit(exc.exit_code)


def _print_report(report) -> None:  # noqa: ANN001 - SyncReport
    for w in report.warnings:
        click.echo(f"warning: {w}", err=True)
    c = report.changes
    if report.outcome == "dry_run":
        click.echo(f"release {report.version} (content {report.content_date}) would change:")
        _print_changes(c)
        _print_app(report.app)
        return
    if report.outcome == "up_to_date":
        click.echo(f"up to date: release {report.version} ({report.bytes} bytes checked)")
    else:
        click.echo(
            f"applied release {report.version} (content {report.content_date}): "
            f"{len(c.by_change('added'))} added, {len(c.by_change('changed'))} changed, "
            f"{len(c.by_change('removed'))} removed; {report.bytes} bytes transferred"
        )
        _print_changes(c, limit=20)
    _print_app(report.app)
    up = report.upload
    if up and up.get("error"):
        click.echo(f"outbox upload failed: {up['error']}", err=True)
    elif up:
        click.echo(
            f"outbox: sent {up['records_sent']} records in {up['batches_sent']} batches;"
            f" {up['pending']} pending"
        )


def _print_app(app: dict | None) -> None:
    """The software step in one line (docs/updates.md); failures on stderr."""
    if not app:
        return
    from cli.app import SYNC_WORDS

    words = SYNC_WORDS.get(app["outcome"], app["outcome"]).format(**app)
    failed = app["outcome"] in ("refused", "failed_install", "failed_check", "fetch_failed")
    click.echo(f"software: {words}" + (f": {app['error']}" if app.get("error") else ""), err=failed)


def _print_changes(c: Changes, limit: int = 200) -> None:
    """Documents by official number and title, other items by title (paths only in --json)."""
    for change in CHANGE_VI:
        items = c.by_change(change)
        click.echo(f"  {change}: {len(items)}")
        for kind in KIND_EN:
            of_kind = [i for i in items if i.kind == kind]
            if of_kind:
                click.echo(f"    {KIND_EN[kind]}:")
            for item in of_kind[:limit]:
                click.echo(f"      {item.label}")
            if len(of_kind) > limit:
                click.echo(f"      ... and {len(of_kind) - limit} more (--json lists all)")


STATUS_LINES = (
    ("last_attempt", "Last sync attempt"),
    ("last_success", "Last successful sync"),
    ("version", "Library release"),
    ("content_date", "Content dated"),
    ("bytes", "Bytes transferred"),
    ("source", "Update source"),
    ("next_sync", "Next sync"),
)
OUTCOME_WORDS = {
    "applied": "a new release was applied",
    "up_to_date": "already up to date",
    "dry_run": "checked only (dry run), nothing applied",
    "running": "a sync is running now",
    "interrupted": "interrupted before it finished",
    "cancelled": "cancelled on request, nothing changed",
    "failed": "failed",
}


@click.command("status")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def status_cmd(ctx: click.Context, as_json: bool) -> None:
    """Last sync attempt, last success, live version, bytes and the last error."""
    home = home_of(ctx, create=False)
    st = status.read_status(open_state(home), home)
    st["app"] = _app_status(home)
    if as_json:
        click.echo(json.dumps(st, ensure_ascii=False, indent=1))
        return
    for line in status_lines(st):
        click.echo(line)


def _app_status(home: Path) -> dict:
    """The software version, the pending one and the last update (docs/updates.md)."""
    from sync import app_state

    return app_state.status(app_state.app_root_for(), home)


def status_lines(st: dict) -> list[str]:
    """`lawshelf status` in plain words, the error in English and Vietnamese."""
    if not st.get("last_attempt"):
        lines = ["This kiosk has not synced yet. (Máy chưa cập nhật lần nào.)"]
    else:
        outcome = st.get("outcome") or "unknown"
        lines = [f"{'Last result':<22}  {OUTCOME_WORDS.get(outcome, outcome)}"]
    for key, label in STATUS_LINES:
        value = st.get(key)
        if key == "next_sync" and value is None:
            value = "not scheduled (no active lawshelf-sync.timer)"
        elif key in ("last_attempt", "last_success", "next_sync") and value:
            value = local_time(value)
        lines.append(f"{label:<22}  {'-' if value is None else value}")
    if stale := st.get("days_stale"):
        lines.append(
            f"{'Out of date':<22}  no successful sync for {stale} days: check the update source"
            f" or load a USB stick (thư viện đã {stale} ngày chưa được cập nhật)"
        )
    if st.get("error"):
        lines.append(f"{'Problem':<22}  {st['error']}")
        lines.append(
            f"{'Vấn đề':<22}  {status.error_vi(st.get('exit_code'), st.get('outcome'), st.get('error_vi'))}"
        )
    if repaired := st.get("state_repaired"):
        lines.append(f"{'State database':<22}  {repair_words(repaired)}")
    if st.get("app"):
        from cli.app import status_lines as app_lines

        lines += app_lines(st["app"])
    return lines


def repair_words(r: dict) -> str:
    """A repair of the damaged state database, for `lawshelf status`."""
    when = local_time(r["at"])
    text = f"found damaged {when}; {r['rows']} rows read back; the damaged file is kept as {r['kept_as']}"
    if r["nothing_read"]:
        text += "; nothing in it could be read"
    elif r["incomplete"]:
        text += f"; not read whole: {', '.join(r['incomplete'])}"
    return text


def register(cli: click.Group) -> None:
    for cmd in (publish_cmd, keys_group, export_cmd, sync_cmd, status_cmd):
        cli.add_command(cmd)
