"""App-update fixtures: the session's wheels (built once), a publisher with app keys, a kiosk.

Versions: N = 0.2.0 (this checkout), N+1 = 0.3.0 (this checkout plus a state migration),
N+2 = 0.4.0 (N+1 again, only our wheel changes), 0.1.0 (older than N), and two broken 0.3.0 builds: one whose search raises (fails its health check), one that aborts a
second after the kiosk starts (passes the check, then crashes).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from apphelp import (
    N1,
    N2,
    AppPublisher,
    Kiosk,
    N,
    Wheels,
    base_farm,
    project_wheel,
    repack,
    standin_wheel,
)
from nginx_server import nginx_factory  # noqa: F401

from sync import app_state


def _replace(old: str, new: str):  # noqa: ANN202 - a source patch
    def patch(text: str) -> str:
        assert old in text, f"patch target moved: {old!r}"
        return text.replace(old, new, 1)

    return patch


MIGRATION = {
    "kiosk/state_schema.py": _replace(
        'MIGRATIONS = [Migration("kiosk", "0001_settings", _settings)]',
        "def _probe(db: sqlite_utils.Database) -> None:\n"
        '    db.execute("CREATE TABLE IF NOT EXISTS update_probe (id INTEGER PRIMARY KEY)")\n\n\n'
        'MIGRATIONS = [Migration("kiosk", "0001_settings", _settings),'
        ' Migration("kiosk", "0002_update_probe", _probe)]',
    )
}
SEARCH_BROKEN = {  # appended, so it holds whatever the module's text looks like
    "offline_index/library.py": lambda text: (
        text
        + "\n\ndef _injected_fault(*args: object, **kwargs: object) -> None:\n"
        + '    raise RuntimeError("injected fault: search is broken")\n\n\n'
        + "Library.search = _injected_fault  # type: ignore[method-assign]\n"
    ),
}
CRASH_AFTER_START = {
    "cli/kiosk.py": _replace(
        "        sys.exit(app.main(home_of(ctx), windowed=windowed))",
        "        import os, threading\n\n"
        "        threading.Timer(1.5, os.abort).start()  # injected fault: crash after start\n"
        "        sys.exit(app.main(home_of(ctx), windowed=windowed))",
    )
}


@pytest.fixture(scope="session")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> Wheels:
    work = tmp_path_factory.mktemp("app-wheels")
    deps, ours = work / "wheelhouse", work / "ours"
    built = Wheels(deps, [standin_wheel(work, deps)], base_farm(work / "farm"))
    built.ours["N"] = project_wheel(work, ours / "n", N, {})
    built.ours["N1"] = project_wheel(work, ours / "n1", N1, MIGRATION)
    built.ours["old"] = repack(built.ours["N"], ours / "old", "0.1.0", {})
    built.ours["N2"] = repack(built.ours["N1"], ours / "n2", N2, {})
    built.ours["N1-bad-check"] = repack(built.ours["N1"], ours / "bad", N1, SEARCH_BROKEN)
    built.ours["N1-crash"] = repack(built.ours["N1"], ours / "crash", N1, CRASH_AFTER_START)
    return built


@pytest.fixture
def app_pub(tmp_path: Path, wheels: Wheels) -> AppPublisher:
    return AppPublisher.at(tmp_path / "pub", wheels)


def _kiosk(home: Path, root: Path, wheels: Wheels, app_pub: AppPublisher) -> Kiosk:
    app_pub.pub.trust(home)
    k = Kiosk(home, app_state.AppRoot(root), wheels.farm)
    if not k.root.venv.exists():
        k.root.venvs.mkdir(parents=True)
        k.install_first(wheels.ours["N"], [wheels.standin])
    return k


@pytest.fixture
def kiosk(home: Path, tmp_path: Path, wheels: Wheels, app_pub: AppPublisher) -> Kiosk:
    """A kiosk installed with version N (as install.sh would), trusting the publisher."""
    k = _kiosk(home, tmp_path / "opt", wheels, app_pub)
    (k.root.path / "trusted_root.json").write_bytes(app_pub.pub.root_v1.read_bytes())
    return k


@pytest.fixture(scope="session")
def root_n(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("opt-n")


@pytest.fixture
def kiosk_n(home: Path, root_n: Path, wheels: Wheels, app_pub: AppPublisher) -> Kiosk:
    """A kiosk running N from an app root shared by tests that must leave it untouched (each
    of them asserts so); it has no installer-step trust anchor, so nothing can install."""
    return _kiosk(home, root_n, wheels, app_pub)
