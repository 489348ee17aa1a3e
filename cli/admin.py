"""`lawshelf admin|stats|local|settings`: thin commands around kiosk.admin, stats, local_docs."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click

from cli.main import DAY, YEAR, home_of
from kiosk import admin, local_docs, maintenance, settings, stats
from kiosk.state import open_state

# ---------------------------------------------------------------- admin


@click.group("admin")
def admin_group() -> None:
    """Librarian mode: PIN and maintenance."""


@admin_group.command("set-pin")
@click.option("--stdin", "from_stdin", is_flag=True, help="Read the PIN from standard input.")
@click.pass_context
def set_pin(ctx: click.Context, from_stdin: bool) -> None:
    """Set the admin PIN (4-12 digits); stored only as a slow hash."""
    if from_stdin:
        pin = sys.stdin.readline().strip()
    else:
        pin = click.prompt("New PIN", hide_input=True, confirmation_prompt=True)
    admin.set_pin(open_state(home_of(ctx, create=False)), pin)
    click.echo("PIN set.")


@admin_group.command("unlock")
@click.pass_context
def unlock(ctx: click.Context) -> None:
    """Clear a wrong-PIN lockout (console access is already trusted)."""
    cleared = admin.clear_lockout(open_state(home_of(ctx, create=False)))
    click.echo("Lockout cleared." if cleared else "No lockout to clear.")


@admin_group.command("maintenance")
@click.argument("mode", type=click.Choice(["on", "off", "status", "check"]))
@click.pass_context
def maintenance_cmd(ctx: click.Context, mode: str) -> None:
    """Stop the kiosk session until next boot (on), resume it (off).

    `check` exits 0 when the kiosk may run and 1 during maintenance (for ExecCondition=).
    """
    home = home_of(ctx, create=False)
    problem = maintenance.set_mode(home, mode == "on") if mode in ("on", "off") else None
    on = maintenance.is_on(home)
    if mode == "check":
        sys.exit(1 if on else 0)
    click.echo(f"maintenance: {'on' if on else 'off'}")
    if problem:  # the flag is set; the session did not follow
        click.echo(f"but the kiosk session: {problem}", err=True)
        sys.exit(1)


@admin_group.command("screen-state")
@click.pass_context
def screen_state(ctx: click.Context) -> None:
    """Print `off` inside the screen_off_hours window, else `on` (for lawshelf-screen)."""
    home = home_of(ctx, create=False)
    hours = settings.load(home, open_state(home)).screen_off_hours
    click.echo("off" if maintenance.screen_off_now(hours) else "on")


# ---------------------------------------------------------------- stats


@click.group("stats")
def stats_group() -> None:
    """Usage counters and the usage report."""


def _period(year: int | None, start: str | None, end: str | None) -> tuple:
    if year:
        return date(year, 1, 1), min(date(year, 12, 31), date.today())
    return tuple(date.fromisoformat(d) if d else None for d in (start, end))


@stats_group.command("show")
@click.option("--year", type=YEAR, help="Whole calendar year.")
@click.option("--from", "start", type=DAY, help="First day YYYY-MM-DD (default: 30 days ago).")
@click.option("--to", "end", type=DAY, help="Last day YYYY-MM-DD (default: today).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def stats_show(
    ctx: click.Context, year: int | None, start: str | None, end: str | None, as_json: bool
) -> None:
    """Totals and the k-anonymous labelled counts (search topics, documents opened, contests,
    fields of questions) for a period."""
    home = home_of(ctx, create=False)
    rep = stats.report_from_settings(open_state(home), home, *_period(year, start, end))
    if as_json:
        click.echo(
            json.dumps(
                {
                    "start": rep.start.isoformat(),
                    "end": rep.end.isoformat(),
                    "totals": rep.totals,
                    "topics": rep.topics,
                    "hidden_topics": rep.hidden_topics,
                    "days": dict(rep.days),
                    "items": rep.items,
                    "hidden": rep.hidden,
                },
                ensure_ascii=False,
                indent=1,
            )
        )
        return
    ward = f"{rep.ward_name}: " if rep.ward_name else ""  # none set yet: the period alone
    click.echo(f"{ward}{rep.start} .. {rep.end}")
    for event in stats.EVENTS:
        click.echo(f"  {event:<16} {rep.totals[event]:>8}")
    for kind in stats.ITEM_KINDS:  # each labelled count under its own heading, as the CSV
        hidden = rep.hidden.get(kind.event, 0)
        click.echo(f"{kind.csv_item} (counted >= {rep.min_count}; {hidden} withheld):")
        for label, n in rep.items.get(kind.event, [])[:20]:
            click.echo(f"  {n:>6}  {label}")


@stats_group.command("export")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--pdf", "pdf_path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--year", type=YEAR, help="Whole calendar year.")
@click.option("--from", "start", type=DAY)
@click.option("--to", "end", type=DAY)
@click.pass_context
def stats_export(
    ctx: click.Context,
    csv_path: Path | None,
    pdf_path: Path | None,
    year: int | None,
    start: str | None,
    end: str | None,
) -> None:
    """Write the usage report as CSV and/or a one-page PDF."""
    if not csv_path and not pdf_path:
        raise click.UsageError("give --csv FILE and/or --pdf FILE")
    home = home_of(ctx, create=False)
    rep = stats.report_from_settings(open_state(home), home, *_period(year, start, end))
    for path, replaced in stats.export_files(rep, csv_path, pdf_path):
        click.echo(f"{'replaced' if replaced else 'wrote'} {path}")
    if not rep.ward_name:  # the Department cannot tell whose report it is
        click.echo(
            "note: no commune/ward name is set, so the report names none: "
            'lawshelf settings set ward_name "Phường …"',
            err=True,
        )


@stats_group.command("queue")
@click.pass_context
def stats_queue(ctx: click.Context) -> None:
    """Queue finished days' totals in the outbox (idempotent; run before each sync)."""
    home = home_of(ctx, create=False)
    db = open_state(home)
    k = settings.load(home, db).stats_min_count
    click.echo(f"queued {stats.queue_daily_totals(db, home, min_count=k)} day(s)")


# ---------------------------------------------------------------- local documents


@click.group("local")
def local_group() -> None:
    """Local documents (the overlay kept through every sync)."""


@local_group.command("add")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--number", required=True, help="Official number, e.g. 12/TB-UBND.")
@click.option("--title", required=True)
@click.option("--kind", default="Thông báo", show_default=True)
@click.option("--issuer", default="")
@click.option("--issued", type=DAY, help="YYYY-MM-DD or dd/mm/yyyy")
@click.option("--effective", type=DAY, help="YYYY-MM-DD or dd/mm/yyyy")
@click.option("--field", "fields", multiple=True, help="Field (lĩnh vực); repeatable.")
@click.option("--summary", default="")
@click.option("--replace", is_flag=True, help="Replace a local document with the same number.")
@click.option("--no-rebuild", is_flag=True, help="Only write the overlay; the next build adds it.")
@click.pass_context
def local_add(ctx: click.Context, file: Path, no_rebuild: bool, **meta: object) -> None:
    """Add a local PDF with its metadata; rebuild the library so it is searchable now."""
    home = home_of(ctx)
    meta["fields"] = list(meta["fields"])  # type: ignore[arg-type]
    from cli.scans import describe, progress_line

    doc = local_docs.add_local(home, file, on_progress=progress_line(file.name), **meta)  # type: ignore[arg-type]
    done = "replaced" if meta.get("replace") else "added"
    click.echo(f"{done} {doc.number} ({len(doc.pages)} page(s))")
    scan = local_docs.scan_of(home, doc)  # a scan: what OCR read, page by page
    for line in describe(scan) if scan else []:
        click.echo(line)
    if not no_rebuild:
        click.echo(f"library rebuilt: {local_docs.rebuild(home)}")


@local_group.command("list")
@click.pass_context
def local_list(ctx: click.Context) -> None:
    """List the local documents: id, number, kind and title."""
    for doc in local_docs.list_local(home_of(ctx, create=False)):
        click.echo(f"{doc.id}\t{doc.number}\t{doc.kind}\t{doc.title}")


@local_group.command("remove")
@click.argument("number")
@click.option("--no-rebuild", is_flag=True)
@click.option("--yes", "-y", is_flag=True, help="Do not ask (for scripts).")
@click.pass_context
def local_remove(ctx: click.Context, number: str, no_rebuild: bool, yes: bool) -> None:
    """Remove a local document by its number, with its PDF and OCR text; rebuild the library
    without it. Asks first: nothing brings the file or its OCR text back."""
    home = home_of(ctx, create=False)
    if not yes:
        doc = local_docs.find_local(home, number)
        click.confirm(f"Remove {doc.number} ({doc.title}), its file and its OCR text?", abort=True)
    click.echo(f"removed {local_docs.remove_local(home, number)}")
    if not no_rebuild:
        click.echo(f"library rebuilt: {local_docs.rebuild(home)}")


# ---------------------------------------------------------------- settings


@click.group("settings")
def settings_group() -> None:
    """Show or change the kiosk settings."""


@settings_group.command("show")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def settings_show(ctx: click.Context, as_json: bool) -> None:
    """Every setting with its value and what it does."""
    home = home_of(ctx, create=False)
    values = settings.load(home, open_state(home))
    if as_json:
        click.echo(json.dumps(values.as_dict(), ensure_ascii=False, indent=1))
        return
    for s in settings.SETTINGS:
        click.echo(f"{s.name:<18} {getattr(values, s.name)!s:<24} {s.help}")


@settings_group.command("set")
@click.argument("name")
@click.argument("value")
@click.pass_context
def settings_set(ctx: click.Context, name: str, value: str) -> None:
    """Change a setting (kept in the kiosk state; it wins over config.toml)."""
    click.echo(
        f"{name} = {settings.set_value(open_state(home_of(ctx, create=False)), name, value)}"
    )


@settings_group.command("reset")
@click.argument("name")
@click.pass_context
def settings_reset(ctx: click.Context, name: str) -> None:
    """Forget a change made with `set` (or on the screen): config.toml or the default applies."""
    home = home_of(ctx, create=False)
    db = open_state(home)
    had = settings.reset_value(db, name)
    now = getattr(settings.load(home, db), name)
    click.echo(f"{name} = {now}" + ("" if had else " (it had not been changed)"))


def register(cli: click.Group) -> None:
    for group in (admin_group, stats_group, local_group, settings_group):
        cli.add_command(group)
