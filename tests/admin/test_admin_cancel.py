"""The librarian can stop a sync from the progress view (real Qt widgets, real nginx): the
library on the kiosk stays as it was, and the next sync continues the download."""

from __future__ import annotations

import pytest
from nginx_server import fault_proxy_factory, nginx_factory  # noqa: F401

from kiosk import admin, settings
from kiosk.state import open_state
from offline_index.library import Library
from sync.release import sha256_file
from sync.run import run_sync
from sync.status import read_status

from .helpers import PIN, Publisher, login, shot  # make_shell: tests/admin/conftest.py

pytestmark = pytest.mark.nginx


def test_stop_button_cancels_a_sync_and_the_next_one_resumes(
    qtbot, home, tmp_path, request
) -> None:
    from ui.qt import Qt

    new_shell = request.getfixturevalue("make_shell")
    nginx, proxies = (request.getfixturevalue(f) for f in ("nginx_factory", "fault_proxy_factory"))

    pub = Publisher.at(tmp_path / "pub")
    pub.publish({1: "Luật Một"})
    pub.trust(home)
    run_sync(home, str(pub.repo), upload=False)
    big = pub.src / "files" / "video.bin"
    big.parent.mkdir()
    big.write_bytes(b"v" * 3_000_000)
    pub.publish({2: "Luật Hai"})
    srv = nginx(root=pub.repo)
    proxy = proxies(srv)
    proxy.add("stall", path=sha256_file(big)[0], at=200_000, seconds=1.5, times=1)
    db = open_state(home)
    settings.set_value(db, "sync_source", proxy.url)
    admin.set_pin(db, PIN)

    sh = new_shell(sync_source=proxy.url)
    login(qtbot, sh)
    sh.navigate("admin_sync")
    screen = sh.current
    assert not screen.stop.isVisible()
    screen.run()
    qtbot.waitUntil(lambda: screen.stop.isVisible() and screen.bar.value() > 0, timeout=15000)
    assert screen.stop.height() >= screen.theme.target  # a real touch target
    assert not screen.go.isEnabled()  # a second run would only wait for the lock
    qtbot.mouseClick(screen.stop, Qt.MouseButton.LeftButton)
    assert not screen.stop.isEnabled() and "dừng" in screen.step.text()
    shot(sh, "admin-sync-stopping")
    qtbot.waitUntil(lambda: "Đã dừng" in screen.result.text(), timeout=15000)
    shot(sh, "admin-sync-stopped")
    assert not screen.stop.isVisible() and not screen.busy and screen.go.isEnabled()
    assert not screen.bar.isVisible()  # no full bar for a run that did not finish
    with Library.open(home) as lib:
        assert lib.info["release_version"] == 1
    assert read_status(open_state(home), home)["outcome"] == "cancelled"

    screen.run()  # the next run resumes and applies
    qtbot.waitUntil(lambda: "Đã cập nhật lên bản 2" in screen.result.text(), timeout=20000)
    with Library.open(home) as lib:
        assert lib.info["release_version"] == 2
    ranges = [h.get("Range") for _m, p, h in proxy.requests if sha256_file(big)[0] in p]
    assert ranges[0] is None and ranges[-1] and ranges[-1].startswith("bytes=")
