"""`lawshelf kiosk [--windowed]`: start the touch kiosk.

The Qt front end lives in ui/ (the layer above kiosk/), so it is imported only when this
command runs; everything else in kiosk/ stays headless.
"""

from __future__ import annotations

import importlib
import sys

import click

from offline_index.home import home_dir


def run_kiosk(home: str | None, windowed: bool) -> int:
    """Start the UI and return its exit status."""
    app = importlib.import_module("ui.app")
    return app.main(home_dir(home), windowed=windowed)


def register(cli: click.Group) -> None:
    @cli.command("kiosk")
    @click.option("--windowed", is_flag=True, help="Run in a normal window (development).")
    @click.pass_context
    def kiosk_cmd(ctx: click.Context, windowed: bool) -> None:
        """Start the touch kiosk (full screen; the demo library if none is installed)."""
        sys.exit(run_kiosk(ctx.obj.get("home"), windowed))
