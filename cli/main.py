"""The one `lawshelf` command. Each area adds its subcommands from its own module.

Subcommand modules (`cli/*.py`) expose `register(cli)`; each command is a few
lines around a library function. Known errors, and a file or folder that cannot be read or
written, exit 2 with a one-line message; bugs raise.
This package sits above every layer (ui, kiosk, sync, offline_index) and may call any of
them; nothing below imports it.
"""

from __future__ import annotations

import importlib
import logging
import re
import sys
from datetime import datetime
from pathlib import Path

import click

from offline_index.dates import DATE_FORMATS_TEXT, iso_date
from offline_index.errors import LawShelfError
from offline_index.home import home_dir

# Which module defines each subcommand. Modules are imported only when their command runs,
# so `lawshelf kiosk` does not pay for importing the publisher, outbox and contest code.
COMMANDS: dict[str, str] = {
    "library": "cli.library",
    "search": "cli.library",
    "show": "cli.library",
    "thesaurus": "cli.currency",
    "topics": "cli.currency",
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


class HomeMissing(LawShelfError):
    """A command that only reads the home was pointed at a folder that does not exist."""

    message_vi = "Chưa có thư mục dữ liệu."


class Day(click.ParamType):
    """A day option typed as YYYY-MM-DD or as Vietnamese write it (dd/mm/yyyy), given to the
    command as ISO; a wrong one is named by its option (`--issued`), not by where it would go.
    One type for every date option, kiosk and centre alike."""

    name = DATE_FORMATS_TEXT

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> str:
        try:
            return iso_date(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


DAY = Day()
YEAR = click.IntRange(1900, 2999)  # a report's or a search's calendar year


class Moment(click.ParamType):
    """A local date-time typed as YYYY-MM-DDTHH:MM (or a day alone), named by its option
    when wrong instead of a traceback."""

    name = "YYYY-MM-DDTHH:MM"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> datetime:
        if isinstance(value, datetime):
            return value
        try:
            return datetime.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date-time like 2026-12-08T19:30", param, ctx)


MOMENT = Moment()


def home_of(ctx: click.Context, *, create: bool = True) -> Path:
    """The home folder of this invocation (`--home`, else LAWSHELF_HOME, else the default).

    Commands that only read it pass create=False: a mistyped LAWSHELF_HOME is then an
    error, not a new empty home silently filled with the demo library."""
    root = ctx.find_root()
    home = home_dir((root.obj or {}).get("home"), create=create)
    if not create and not home.is_dir():
        raise HomeMissing(
            f"no LawShelf home at {home} (from --home or LAWSHELF_HOME): check the path, or "
            f"create a library there first with `lawshelf library build SOURCE` "
            f"(the demo content: `lawshelf library build offline_index/demo/content`)"
        )
    return home


def _first_sentence(text: str) -> str:
    """A command's first sentence, whole: click would cut it at the terminal width with …"""
    para = " ".join(text.partition("\n\n")[0].split())
    return re.split(r"(?<=\.)\s+(?=[A-Z`(])", para, maxsplit=1)[0]


def _untruncated(cmd: click.Command) -> click.Command:
    """Give a command (and a group's subcommands) its whole first sentence as short help."""
    if cmd.help and not cmd.short_help:
        cmd.short_help = _first_sentence(cmd.help)
    for sub in getattr(cmd, "commands", {}).values():
        _untruncated(sub)
    return cmd


def _path_error(exc: OSError) -> str:
    """`lawshelf: /proc/nope/u.csv: No such file or directory` (both names of a rename)."""
    names = " -> ".join(str(n) for n in (exc.filename, exc.filename2) if n is not None)
    return f"lawshelf: {names}: {exc.strerror or exc}"


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
        cmd = scratch.commands.get(name)
        return _untruncated(cmd) if cmd else None

    def invoke(self, ctx: click.Context):  # noqa: ANN201 - click's signature
        try:
            return super().invoke(ctx)
        except LawShelfError as exc:
            click.echo(f"lawshelf: {exc.message}", err=True)
            sys.exit(getattr(exc, "exit_code", 2))
        except OSError as exc:
            if exc.filename is None:  # not about a path the user gave: a bug, or a pipe
                raise
            click.echo(_path_error(exc), err=True)
            sys.exit(2)


@click.group(cls=_Group)
@click.version_option(package_name="lawshelf-kiosk", prog_name="lawshelf")
@click.option("--home", envvar="LAWSHELF_HOME", help="Home folder for all data.")
@click.option("-v", "--verbose", count=True, help="More log output.")
@click.pass_context
def cli(ctx: click.Context, home: str | None, verbose: int) -> None:
    """LawShelf Kiosk: offline legal library, sync and kiosk."""
    level = logging.WARNING - 10 * min(verbose, 2)
    fmt = "%(levelname)s %(name)s: %(message)s" if verbose else "%(levelname)s: %(message)s"
    logging.basicConfig(level=level, format=fmt)
    ctx.ensure_object(dict)
    ctx.obj["home"] = home


def main() -> None:
    cli(prog_name="lawshelf")


if __name__ == "__main__":
    main()
