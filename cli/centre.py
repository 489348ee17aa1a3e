"""`lawshelf kiosks | inbox | opinions | access-log`: the centre's registry, inbox and fleet.

Thin commands around sync.inbox (collection), sync.htpasswd (the inbox web server's
credentials), kiosk.central_fleet (fleet view, usage across kiosks) and
kiosk.central_questions / central_privacy (opinions, purges, the access log). Every command
takes the central database as `--db FILE` (or LAWSHELF_CENTRAL_DB).
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click

from cli.main import DAY
from kiosk import central_fleet, central_questions, stats
from sync import htpasswd, inbox
from sync.central_store import CentralStore
from sync.release import Repo

EXIT_REFUSED = 4  # `inbox collect`: some batches failed verification (the rest were loaded)

DB = click.option("--db", required=True, envvar="LAWSHELF_CENTRAL_DB", help="Central SQLite file.")
HTPASSWD = click.option(
    "--htpasswd",
    "password_file",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar=htpasswd.PATH_ENV,
    default=htpasswd.DEFAULT_PATH,
    show_default=True,
    help="The inbox web server's password file.",
)


def _inbox_option(_ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path | None:
    return inbox.inbox_folder(value) if value is not None else None


INBOX = click.option(
    "--inbox",
    "inbox_dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="LAWSHELF_INBOX",
    callback=_inbox_option,
    help="Also purge batch files still waiting in this inbox (storage root or its inbox/).",
)
AS = click.option("--as", "who", help="Who acts (for the access log; default: your login).")


def central(db: str) -> CentralStore:
    return inbox.open_central(Path(db))


def _json(value: object) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=1, default=str))


# ---------------------------------------------------------------- registry and fleet


@click.group("kiosks")
def kiosks() -> None:
    """Centre: the registry of enrolled kiosks, their upload credentials and the fleet view."""


@kiosks.command("add")
@click.argument("kiosk_id")
@click.argument("public_key")
@DB
@click.option("--note", default="", help="Where the kiosk is, who runs it.")
@click.option("--password", help="Its upload password (printed by `lawshelf enroll`).")
@HTPASSWD
def kiosks_add(
    kiosk_id: str, public_key: str, db: str, note: str, password: str | None, password_file: Path
) -> None:
    """Register a kiosk's public key; with --password also let it upload to the inbox."""
    inbox.add_kiosk(central(db), kiosk_id, public_key, note=note)
    click.echo(f"registered {kiosk_id}")
    if password:
        _set_password(password_file, kiosk_id, password)


@kiosks.command("password")
@click.argument("kiosk_id")
@click.option("--password", required=True, help="Its upload password (from `lawshelf enroll`).")
@HTPASSWD
def kiosks_password(kiosk_id: str, password: str, password_file: Path) -> None:
    """Add or replace a kiosk's upload credentials in the inbox password file."""
    _set_password(password_file, kiosk_id, password)


def _set_password(path: Path, kiosk_id: str, password: str) -> None:
    replaced = htpasswd.set_password(path, kiosk_id, password)
    click.echo(f"{'replaced' if replaced else 'added'} upload credentials for {kiosk_id} in {path}")
    click.echo("nginx reads the file on every request: no reload needed")


@kiosks.command("revoke")
@click.argument("kiosk_id")
@DB
@click.option(
    "--reason",
    type=click.Choice(inbox.REVOKE_REASONS),
    default="compromised",
    show_default=True,
    help="compromised: its contest entries are kept out of rankings; retired: they count.",
)
@click.option(
    "--htpasswd",
    "password_file",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar=htpasswd.PATH_ENV,
    help="Also remove its upload credentials from this password file.",
)
def kiosks_revoke(kiosk_id: str, db: str, reason: str, password_file: Path | None) -> None:
    """Refuse every batch this kiosk's key signs from now on (and its uploads, with --htpasswd)."""
    inbox.revoke_kiosk(central(db), kiosk_id, reason)
    click.echo(f"revoked {kiosk_id} ({reason})")
    if password_file is not None and htpasswd.remove(password_file, kiosk_id):
        click.echo(f"removed its upload credentials from {password_file}")


@kiosks.command("list")
@DB
@click.option("--stale", "stale_days", type=int, help="Only active kiosks silent this many days.")
@click.option(
    "--repo",
    type=click.Path(file_okay=False, path_type=Path),
    help="Release repository: mark kiosks behind its newest release.",
)
@click.option("--json", "as_json", is_flag=True)
def kiosks_list(db: str, stale_days: int | None, repo: Path | None, as_json: bool) -> None:
    """The fleet: last heard, content version, software version, behind, failing and why."""
    latest = None
    if repo is not None:
        targets = Repo.load(repo).targets
        latest = targets.signed.version if targets else None
    rows = central_fleet.fleet(central(db), stale_days=stale_days, latest_version=latest)
    if as_json:
        _json([r.to_dict() for r in rows])
        return
    if not rows:
        click.echo(
            "no kiosks"
            + (f" silent for {stale_days} days or more" if stale_days else " registered")
        )
        return
    click.echo(f"{'kiosk':<24} {'state':<10} {'last heard':<11} {'content':<9} {'app':<8} problem")
    for r in rows:
        heard = (r.last_heard or "never")[:10]
        if r.days_silent:
            heard += f" ({r.days_silent}d)"
        content = (r.content_version or "-") + (" behind" if r.behind else "")
        app = (r.app_version or "-") + (f" (→{r.app_pending})" if r.app_pending else "")
        click.echo(
            f"{r.kiosk_id:<24} {r.state:<10} {heard:<11} {content:<9} {app:<8} "
            f"{r.error or ('' if r.state == 'active' else r.note)}"
        )


@kiosks.command("heartbeats")
@click.argument("kiosk_id", required=False)
@DB
@click.option("--limit", default=30, show_default=True)
@click.option("--json", "as_json", is_flag=True)
def kiosks_heartbeats(kiosk_id: str | None, db: str, limit: int, as_json: bool) -> None:
    """Heartbeats received (newest first): day, content version, the sync's result."""
    rows = central(db).heartbeats(kiosk_id, limit)
    if as_json:
        _json(rows)
        return
    if not rows:
        click.echo("no heartbeats collected yet")
    for r in rows:
        sync = r["payload"].get("sync") or {}
        click.echo(
            f"{r['kiosk_id']:<24} {r['day']}  content {r['content_version'] or '-':<6}"
            f" sync {sync.get('outcome') or '-'}"
            + (f": {sync['error']}" if sync.get("error") else "")
        )


@kiosks.command("usage")
@DB
@click.option("--kiosk", "kiosk_ids", multiple=True, help="Only this kiosk (repeatable).")
@click.option("--from", "start", type=DAY, help="First day (default: 30 days ago).")
@click.option("--to", "end", type=DAY, help="Last day (default: today).")
@click.option("--min-count", default=5, show_default=True, help="Hide topics counted less.")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--pdf", "pdf_path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True)
def kiosks_usage(
    db: str,
    kiosk_ids: tuple[str, ...],
    start: str | None,
    end: str | None,
    min_count: int,
    csv_path: Path | None,
    pdf_path: Path | None,
    as_json: bool,
) -> None:
    """Daily usage per kiosk, and the report across kiosks (CSV and PDF, as a kiosk's own)."""
    store = central(db)
    first = date.fromisoformat(start) if start else None
    last = date.fromisoformat(end) if end else date.today()
    rep = central_fleet.usage_report(
        store, first, last, kiosks=list(kiosk_ids) or None, min_count=min_count
    )
    rows = central_fleet.usage_rows(store, rep.start, rep.end, list(kiosk_ids) or None)
    for path, replaced in stats.export_files(rep, csv_path, pdf_path):
        click.echo(f"{'replaced' if replaced else 'wrote'} {path}")
    if as_json:
        _json({"totals": rep.totals, "days": rep.days, "kiosks": rows})
        return
    if not rows:
        click.echo(f"no usage collected for {rep.start} .. {rep.end}")
        return
    for r in rows:
        counts = ", ".join(f"{k} {v}" for k, v in r["counts"].items() if v)
        click.echo(f"{r['day']}  {r['kiosk_id']:<24} {counts}")
    click.echo("total: " + ", ".join(f"{k} {v}" for k, v in rep.totals.items()))


# ---------------------------------------------------------------- inbox


@click.group("inbox")
def inbox_group() -> None:
    """Centre: collect uploaded outbox batches."""


@inbox_group.command("collect")
@click.option(
    "--inbox",
    "inbox_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    callback=_inbox_option,
    help="The storage root (batches under its inbox/, created when missing) or that inbox/.",
)
@DB
@click.option(
    "--archive",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where collected batch files are kept (default: inbox-archive/ beside the database).",
)
@click.option(
    "--keep-days",
    default=inbox.DEFAULT_KEEP_DAYS,
    show_default=True,
    help="Delete archived batch files after this many days.",
)
@click.option("--json", "as_json", is_flag=True)
def inbox_collect(
    inbox_dir: Path, db: str, archive: Path | None, keep_days: int, as_json: bool
) -> None:
    """Verify every batch, load new records, archive the files; exit 4 if any was refused."""
    rep = inbox.collect(inbox_dir, central(db), archive=archive, keep_days=keep_days)
    if as_json:
        _json(rep.__dict__)
    elif not rep.files:
        expired = f"; {rep.expired} archived files expired" if rep.expired else ""
        click.echo(f"nothing to collect in {inbox_dir}{expired}")
    else:
        click.echo(
            f"{rep.files} files: {rep.batches_loaded} batches loaded, {rep.records_loaded} new"
            f" records, {rep.duplicates} duplicates, {rep.unchanged} already collected,"
            f" {len(rep.refused)} refused; {rep.archived} archived, {rep.expired} expired"
        )
        for name, reason in rep.refused:
            click.echo(f"refused {name}: {reason}", err=True)
    if rep.refused:
        sys.exit(EXIT_REFUSED)


# ---------------------------------------------------------------- opinions and the access log


@click.group("opinions")
def opinions_group() -> None:
    """Centre: residents' opinions on policy-dialogue notices."""


@opinions_group.command("list")
@DB
@click.option("--json", "as_json", is_flag=True)
def opinions_list(db: str, as_json: bool) -> None:
    rows = central_questions.list_opinions(central(db))
    if as_json:
        _json(rows)
        return
    if not rows:
        click.echo("no opinions collected yet")
    for r in rows:
        contact = "contact sealed" if r["has_contact"] else "no contact"
        click.echo(
            f"{r['uuid'][:8]}  {r['created_at'][:10]}  [{r['notice_id']}] {contact}\n    {r['text']}"
        )


@opinions_group.command("purge")
@DB
@click.option("--older-than", "days", type=int, required=True, help="Collected more than DAYS ago.")
@INBOX
@AS
def opinions_purge(db: str, days: int, inbox_dir: Path | None, who: str | None) -> None:
    """Delete the sealed contacts of opinions, everywhere the centre holds them."""
    n, files = central_questions.purge_contacts(
        central(db), "opinions", older_than_days=days, who=who, inbox=inbox_dir
    )
    click.echo(f"contacts removed from {n} opinions ({files} batch files rewritten)")


@click.command("access-log")
@DB
@click.option("--since", type=DAY, help="From this day on.")
@click.option("--json", "as_json", is_flag=True)
def access_log(db: str, since: str | None, as_json: bool) -> None:
    """Every opening of personal data and every purge: when, who, what."""
    rows = central(db).access_log(since or "")
    if as_json:
        _json(rows)
        return
    if not rows:
        click.echo("the access log is empty")
    for r in rows:
        click.echo(
            f"{r['at']}  {r['who']:<16} {r['action']:<12} {r['subject']}  {r['detail'] or ''}"
        )


def register(cli: click.Group) -> None:
    for cmd in (kiosks, inbox_group, opinions_group, access_log):
        cli.add_command(cmd)
