"""The one `lawshelf` command. Each area adds its subcommands from its own module.

Subcommand modules (`kiosk/cli_*.py`) expose `register(cli)`; each command is a few
lines around a library function. Known errors exit 2 with a plain message; bugs raise.
"""

from __future__ import annotations

import importlib
import logging
import sys

import click

from offline_index.errors import LawShelfError

# Which module defines each subcommand. Modules are imported only when their command runs,
# so `lawshelf kiosk` does not pay for importing the publisher, outbox and contest code.
COMMANDS: dict[str, str] = {
    "library": "kiosk.cli_library",
    "search": "kiosk.cli_library",
    "show": "kiosk.cli_library",
    "publish": "kiosk.cli_sync",
    "keys": "kiosk.cli_sync",
    "export": "kiosk.cli_sync",
    "sync": "kiosk.cli_sync",
    "status": "kiosk.cli_sync",
    "enroll": "kiosk.cli_outbox",
    "seal-keys": "kiosk.cli_outbox",
    "outbox": "kiosk.cli_outbox",
    "kiosks": "kiosk.cli_outbox",
    "inbox": "kiosk.cli_outbox",
    "contest": "kiosk.cli_contest",
    "questions": "kiosk.cli_contest",
    "admin": "kiosk.cli_admin",
    "stats": "kiosk.cli_admin",
    "local": "kiosk.cli_admin",
    "settings": "kiosk.cli_admin",
    "kiosk": "kiosk.cli_kiosk",
}


class _Group(click.Group):
    """Lazy subcommands, and known errors turned into a message and an exit code."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        module = COMMANDS.get(name)
        if module is None:
            return None
        scratch = click.Group()
        importlib.import_module(module).register(scratch)
        return scratch.commands.get(name)

    def invoke(self, ctx: click.Context):  # noqa: ANN201 - click's signature
        try:
            return super().invoke(ctx)
        except LawShelfError as exc:
            click.echo(f"lawshelf: {exc.message}", err=True)
            sys.exit(getattr(exc, "exit_code", 2))


@click.group(cls=_Group)
@click.option("--home", envvar="LAWSHELF_HOME", help="Home folder for all data.")
@click.option("-v", "--verbose", count=True, help="More log output.")
@click.pass_context
def cli(ctx: click.Context, home: str | None, verbose: int) -> None:
    """LawShelf Kiosk: offline legal library, sync and kiosk."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    ctx.ensure_object(dict)
    ctx.obj["home"] = home


def main() -> None:
    cli(prog_name="lawshelf")


if __name__ == "__main__":
    main()
