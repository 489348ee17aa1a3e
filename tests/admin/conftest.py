"""Admin UI fixture: a real shell without a library (the admin screens need none)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.settings import Settings


@pytest.fixture
def make_shell(qtbot, home: Path):  # noqa: ANN001, ANN201
    from ui import app as ui_app
    from ui.screens import admin as admin_ui
    from ui.screens import registry

    admin_ui.HOLD_MS = 300  # the real gesture, held for less time
    shells = []

    def make(**overrides):  # noqa: ANN003, ANN202
        base = Settings(fullscreen=False, idle_timeout_s=600, ward_name="Phường Láng")
        settings = base.replace(**overrides)
        _, sh = ui_app.create(home, windowed=True, settings=settings, load_library=False)
        qtbot.addWidget(sh)
        sh.resize(1280, 900)
        shells.append(sh)
        # Screens other than Home load after the first paint (ui.app): wait for the admin ones.
        qtbot.waitUntil(lambda: registry.has_screen("admin_usb_import"), timeout=10000)
        return sh

    yield make
    for sh in shells:
        sh.ctx.ops.wait()
        sh.allow_close()
