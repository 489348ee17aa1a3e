"""`python -m ui.screenshots` renders the librarian screens and the on-screen keyboard too."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest


def _dark(path: Path, x: int, y: int) -> bool:
    from ui.qt import QImage

    colour = QImage(str(path)).pixelColor(x, y)
    return colour.lightness() < 100


@pytest.mark.xvfb
def test_librarian_and_keyboard_scenes_are_rendered(
    qapp, demo_library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # noqa: ANN001
    if not shutil.which("Xvfb"):
        pytest.skip("the keyboard renders under Xvfb only")
    from ui import screenshots

    scratch = tmp_path / "tmp"  # where this process and the Xvfb child keep their scratch
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.setenv("TMPDIR", str(scratch))

    home = demo_library.parents[1]  # the demo home: its library is used, its state is not
    scenes = ["admin_status", "admin_menu", "search_keyboard", "contest_keyboard"]
    args = [str(tmp_path), "--home", str(home), "--variant", "normal"]
    assert screenshots.main([*args, *(a for s in scenes for a in ("--scene", s))]) == 0
    for name in scenes:
        assert (tmp_path / f"{name}-normal.png").is_file(), name
    assert not (home / "state.sqlite").exists()  # the PIN went into a scratch state
    assert not list(scratch.glob("lawshelf-shots-state-*"))  # which is gone afterwards
    # Past the PIN pad: two librarian screens are two pictures, not the pad twice (mode()
    # is a bool; the tool once compared it with None and never typed the PIN).
    status, menu = (tmp_path / f"{n}-normal.png" for n in ("admin_status", "admin_menu"))
    assert status.read_bytes() != menu.read_bytes()
    for name in ("search_keyboard", "contest_keyboard"):
        shot = tmp_path / f"{name}-normal.png"
        assert _dark(shot, 960, 1060) and not _dark(shot, 960, 160), f"no keyboard in {name}"
