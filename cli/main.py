"""The one `lawshelf` command. Each area adds its subcommands from its own module.

Subcommand modules (`cli/*.py`) expose `register(cli)`; each command is a few
lines around a library function. Known errors exit 2 with a plain message; bugs raise.
This package sits above every layer (ui, kiosk, sync, offline_index) and may call any of
them; nothing below imports it.
"""

from __future__ import annotations

import importlib
import logging
import sys
from pathlib import Path

import click

from offline_index.errors import LawShelfError
from offline_index.home import home_dir

# Which module defines each subcommand. Modules are imported only when their command runs,
# so `lawshelf kiosk` does not pay for importing the publisher, outbox and contest code.
COMMANDS: dict[str, str] = {
    "library": "cli.library",
    "search": "cli.library",
    "show": "cli.library",
    "thesaurus": "cli.currency",
    "currency": "cli.currency",
    "publish": "cli.sync",
    "keys": "cli.sync",
    "export": "cli.sync",
    "sync": "cli.sync",
    "status": "cli.sync",
    "enroll": "cli.outbox",
    "seal-keys": "cli.outbox",
    "outbox": "cli.outbox",
    "kiosks": "cli.centre",
    "inbox": "cli.centre",
    "opinions": "cli.centre",
    "access-log": "cli.centre",
    "contest": "cli.contest",
    "questions": "cli.contest",
    "admin": "cli.admin",
    "stats": "cli.admin",
    "local": "cli.admin",
    "settings": "cli.admin",
    "kiosk": "cli.kiosk",
    "app": "cli.app",
    "scans": "cli.scans",  # scans-signage: OCR of scanned PDFs
    "signage": "cli.signage",  # scans-signage: public screens
}


def home_of(ctx: click.Context) -> Path:
    """The home folder of this invocation (`--home`, else LAWSHELF_HOME, else the default)."""
    root = ctx.find_root()
    return home_dir((root.obj or {}).get("home"))


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
