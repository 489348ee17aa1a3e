from __future__ import annotations

import json
import shutil
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from contest_helpers import FakeClock, install_publisher_key  # noqa: E402

from kiosk.settings import SETTINGS  # noqa: E402
from kiosk.state import open_state  # noqa: E402
from offline_index.build import build_generation  # noqa: E402

DEMO = Path(__file__).resolve().parents[2] / "offline_index" / "demo" / "content"


@pytest.fixture(scope="session")
def contest_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small real library: the demo contests, quiz images, notices, Q&A and a few laws."""
    src = tmp_path_factory.mktemp("content") / "src"
    src.mkdir()
    shutil.copy(DEMO / "lawshelf-content.json", src)
    for sub in ("contests", "notices", "qa", "files/quiz"):
        shutil.copytree(DEMO / sub, src / sub)
    now = datetime.now(UTC)
    for path in (src / "contests").glob("*.json"):  # keep the demo contests open whenever run
        data = json.loads(path.read_text(encoding="utf-8"))
        data["opens"] = (now - timedelta(days=1)).isoformat(timespec="seconds")
        data["closes"] = (now + timedelta(days=60)).isoformat(timespec="seconds")
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (src / "documents").mkdir()
    for doc in ("52-2014-qh13", "91-2015-qh13", "168-2024-nd-cp"):
        shutil.copy(DEMO / "documents" / f"{doc}.json", src / "documents")
    out = tmp_path_factory.mktemp("lib") / "gen-test"
    build_generation([src], out)
    return out


@pytest.fixture
def shell(qtbot, home: Path, tmp_path: Path, contest_library: Path):  # noqa: ANN001, ANN201
    from ui import app as ui_app

    install_publisher_key(home, tmp_path / "pub")
    settings = {s.name: s.default for s in SETTINGS}
    settings.update(library=str(contest_library), fullscreen=False, idle_timeout_s=600)
    _, sh = ui_app.create(home, windowed=True, settings=settings, load_library=False)
    qtbot.addWidget(sh)
    from ui.screens import registry

    registry.load_all()  # the app does this after its first paint; tests navigate at once
    from offline_index.library import Library

    sh.ctx.library = Library.open(contest_library)  # the real library, opened for the test
    sh.ctx.info = dict(sh.ctx.library.info)
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


@pytest.fixture
def publisher_key(home: Path, tmp_path: Path) -> Path:
    return install_publisher_key(home, tmp_path / "publisher-keys")
