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

COMMAND_MODULES = (
    "kiosk.cli_library",
    "kiosk.cli_sync",
    "kiosk.cli_outbox",
    "kiosk.cli_contest",
    "kiosk.cli_admin",
    "kiosk.cli_kiosk",
)


class _Group(click.Group):
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


def _register_all() -> None:
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        module.register(cli)


_register_all()


def main() -> None:
    cli(prog_name="lawshelf")


if __name__ == "__main__":
    main()
