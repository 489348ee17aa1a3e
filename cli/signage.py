"""`lawshelf signage`: a public screen (law videos and infographics, no resident input).

`lawshelf signage` runs the loop (the installer's lawshelf-signage.service does, under cage);
`signage schedule` shows what a screen would play at a given moment, from the same plan the
screen follows; `signage plays` lists plays per item. Qt is imported only by the loop itself.
"""

from __future__ import annotations

import json
import sys
from datetime import date, datetime, timedelta

import click

from cli.main import MOMENT, home_of


@click.group("signage", invoke_without_command=True)
@click.option("--windowed", is_flag=True, help="Run in a normal window (development).")
@click.pass_context
def signage_group(ctx: click.Context, windowed: bool) -> None:
    """Run the law videos and infographics full screen, with no resident input."""
    if ctx.invoked_subcommand is None:
        from ui import signage

        sys.exit(signage.main(home_of(ctx), windowed=windowed))


@signage_group.command("schedule")
@click.option("--at", "at", type=MOMENT, help="Local date-time (YYYY-MM-DDTHH:MM); default: now.")
@click.option("--place", help="Place of the screen (default: setting signage_place or the ward).")
@click.option("--audience", help="Audiences, comma-separated (default: signage_audience).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def schedule_cmd(
    ctx: click.Context, at: datetime | None, place: str | None, audience: str | None, as_json: bool
) -> None:
    """What this screen plays at a moment, and from which playlists."""
    from kiosk import settings
    from kiosk.signage import Screen, Signage
    from kiosk.state import open_state
    from offline_index.library import Library, ensure_library

    home = home_of(ctx)
    values = settings.load(home, open_state(home))
    if place is not None:
        values = values.replace(signage_place=place)
    if audience is not None:
        values = values.replace(signage_audience=audience)
    moment = at or datetime.now()
    signage = Signage(home, Screen.from_settings(values), clock=lambda: moment)
    with Library.open(values.library or ensure_library(home)) as lib:
        plan = signage.plan(lib, preview=True)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "at": moment.isoformat(),
                    **plan.__dict__,
                    "items": [i.__dict__ for i in plan.items],
                },
                ensure_ascii=False,
                indent=1,
                default=str,
            )
        )
        return
    click.echo(f"{moment:%Y-%m-%d %H:%M}: {plan.source} {', '.join(plan.playlists)}".rstrip())
    for item in plan.items:
        click.echo(f"  {item.type:<11} {item.duration_s:>4}s  {item.id}  {item.title}")


@signage_group.command("plays")
@click.option("--days", type=click.IntRange(min=1), default=30, show_default=True)
@click.pass_context
def plays_cmd(ctx: click.Context, days: int) -> None:
    """Plays per item over the last DAYS days (counted into the usage report too)."""
    from kiosk.signage import plays
    from kiosk.state import open_state

    end = date.today()
    for media_id, n in plays(
        open_state(home_of(ctx, create=False)), end - timedelta(days=days - 1), end
    ):
        click.echo(f"{n:>6}  {media_id}")


def register(cli: click.Group) -> None:
    cli.add_command(signage_group)
