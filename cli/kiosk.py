"""`lawshelf kiosk [--windowed]`: start the touch kiosk.

The CLI sits above every layer, so it may import the Qt front end; this module is loaded
only when the `kiosk` command runs (cli.main.COMMANDS), so other commands never load Qt.
"""

from __future__ import annotations

import sys

import click

from cli.main import home_of
from ui import app


def register(cli: click.Group) -> None:
    @cli.command("kiosk")
    @click.option("--windowed", is_flag=True, help="Run in a normal window (development).")
    @click.pass_context
    def kiosk_cmd(ctx: click.Context, windowed: bool) -> None:
        """Start the touch kiosk (full screen; the demo library if none is installed)."""
        sys.exit(app.main(home_of(ctx), windowed=windowed))
