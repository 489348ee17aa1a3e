from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from contest_helpers import FakeClock, install_publisher_key  # noqa: E402

from kiosk.settings import Settings  # noqa: E402
from kiosk.state import open_state  # noqa: E402


@pytest.fixture
def shell(qtbot, home: Path, tmp_path: Path, contest_library: Path):  # noqa: ANN001, ANN201
    from ui import app as ui_app

    settings = Settings(library=str(contest_library), fullscreen=False, idle_timeout_s=600)
    _, sh = ui_app.create(home, windowed=True, settings=settings, load_library=False)
    qtbot.addWidget(sh)
    from offline_index.library import Library

    sh.ctx.library = Library.open(contest_library)  # the real library, opened for the test
    sh.ctx.info = dict(sh.ctx.library.info)
    sh.first_paint_done()  # every screen registered now, not 1.5 s later (ui.app)
    yield sh
    sh.go_home()  # close our screens; their timers die with them
    qtbot.wait(50)  # let deferred deletes run
    sh.ctx.ops.wait()
    library, sh.ctx.library = sh.ctx.library, None  # late work fails cleanly, never on a closed db
    sh.ctx.ops.wait()
    sh.allow_close()
    library.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db(home: Path):
    database = open_state(home)
    yield database
    database.close()


@pytest.fixture(autouse=True)
def publisher_key(home: Path, tmp_path: Path) -> Path:
    """Every kiosk here has the publisher's sealing key, as an enrolled kiosk does; tests of
    a kiosk without it delete HOME/keys/publisher_seal.pub."""
    return install_publisher_key(home, tmp_path / "publisher-keys")
