"""The librarian's status screen says whether residents' entries can be taken, and why not."""

from __future__ import annotations

from pathlib import Path

from kiosk import admin_ops
from kiosk.state import open_state


def test_status_says_why_contests_are_closed_here(qapp, home: Path, tmp_path: Path) -> None:  # noqa: ANN001
    from sync.sealing import generate_keypair, install_public
    from ui.screens.admin_status import status_lines

    db = open_state(home)
    summary = admin_ops.status_summary(home, db)
    assert summary["sealing"]["ready"] is False
    text = dict(status_lines(summary))["Dự thi, liên hệ"]
    assert "CHƯA NHẬN" in text and "lawshelf seal-keys install" in text
    _priv, pub = generate_keypair(tmp_path / "publisher")
    install_public(home, pub)
    summary = admin_ops.status_summary(home, db)
    assert summary["sealing"]["ready"] is True
    assert dict(status_lines(summary))["Dự thi, liên hệ"].startswith("nhận được")
