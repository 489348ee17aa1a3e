"""Librarian mode in real Qt widgets (offscreen): gesture, PIN lockout, status, USB, local PDF,
report export, settings, maintenance. Screenshots of every admin screen go to $LAWSHELF_SCREENSHOTS (default /tmp/lawshelf-screenshots).
"""

from __future__ import annotations

import dataclasses
import re
import time
from datetime import date, timedelta

import pymupdf
import pytest

from kiosk import admin, local_docs, maintenance, stats
from kiosk.state import open_state
from offline_index.library import Library
from sync.run import run_sync
from sync.status import read_status
from sync.usb import export_usb

from .helpers import (
    PIN,
    Publisher,
    corner_hold,
    enter_pin,
    local_add_screen,
    login,
    make_pdf,
    shot,
)


def test_corner_gesture_pin_lockout_backoff_and_idle_exit(qtbot, home, make_shell) -> None:
    admin.set_pin(open_state(home), PIN)
    sh = make_shell(admin_idle_s=1)
    assert corner_hold(qtbot, sh) == "admin_pin"
    pad = sh.current
    shot(sh, "admin-pin")
    for i in range(admin.MAX_FAILURES):
        enter_pin(qtbot, pad, "1111")
        left = admin.MAX_FAILURES - i - 1  # each wrong PIN says how many tries remain
        if left:
            assert pad.message.text() == f"Sai mã PIN. Còn {left} lần thử trước khi máy tạm khóa."
    assert "Thử lại sau" in pad.message.text()
    assert not pad.keys["OK"].isEnabled()  # keys stay disabled while locked
    shot(sh, "admin-pin-locked")
    with pytest.raises(admin.AdminLocked):
        admin.check_pin(open_state(home), PIN)  # the right PIN is refused during the lock

    sh2 = make_shell(admin_idle_s=1)  # a restart of the kiosk: still locked (SQLite)
    sh2.navigate("admin_pin")
    assert not sh2.current.keys["OK"].isEnabled()
    db = open_state(home)
    state = admin.lock_state(db)
    assert state.lock_count == 1 and 50 < state.seconds_left(time.time()) <= 60
    # Backoff: after this lock runs out, five more wrong PINs lock for twice as long.
    t = state.locked_until + 1
    for i in range(admin.MAX_FAILURES):
        admin.check_pin(db, "0000", now=t + i)
    assert admin.lock_state(db, t + 4).locked_until - (t + 4) == pytest.approx(120)

    db.execute("DELETE FROM admin_lockout")
    db.conn.commit()
    sh3 = make_shell(admin_idle_s=1)
    login(qtbot, sh3)
    shot(sh3, "admin-menu")
    qtbot.waitUntil(lambda: sh3.current_name == "home", timeout=5000)  # left after 1 s idle
    sh3.navigate("admin_status")
    assert sh3.current.objectName() == "admin_pin"  # guarded: PIN again


def test_pin_pad_keys_are_one_size(qtbot, home, make_shell) -> None:
    """The OK key was drawn smaller than the digits (another style role): one touch target."""
    admin.set_pin(open_state(home), PIN)
    sh = make_shell()
    sh.navigate("admin_pin")
    keys = sh.current.keys
    qtbot.waitUntil(lambda: keys["OK"].isVisible())
    sizes = {k: (b.width(), b.height()) for k, b in keys.items()}
    assert len(set(sizes.values())) == 1, sizes


def test_status_screen_shows_real_sync_status(qtbot, home, tmp_path, make_shell) -> None:
    pub = Publisher.at(tmp_path / "pub")
    pub.publish({7: "Luật Trạng Thái"}, updated="2026-03-04")
    pub.trust(home)
    run_sync(home, str(pub.repo), upload=False)
    with pytest.raises(Exception):  # noqa: B017 - any sync failure is recorded in the status
        run_sync(home, str(tmp_path / "no-such-stick"), upload=False)
    db = open_state(home)
    admin.set_pin(db, PIN)
    st = read_status(db)  # exactly what `lawshelf status --json` prints
    assert st["outcome"] == "failed" and st["error"]

    sh = make_shell()
    login(qtbot, sh)
    sh.navigate("admin_status")
    screen = sh.current
    qtbot.waitUntil(lambda: screen.summary is not None, timeout=5000)
    text = screen.body.text()
    assert screen.summary["sync"] == st
    assert "bản 1" in text
    assert "không thành công" in text and st["error"].split(":")[0] in text
    assert "Dung lượng trống" in text and "Dữ liệu chờ gửi" in text
    assert re.search(r"dữ liệu ngày \d\d/\d\d/\d{4}<", text)  # as residents read dates
    assert re.search(r"\d,\d GB / \d+,\d GB", text)  # a Vietnamese decimal comma
    assert st["error"] in screen.errors.text()
    shot(sh, "admin-status")


def test_usb_import_verifies_summarises_applies_and_refuses_tampered(
    qtbot, home, tmp_path, make_shell, monkeypatch
) -> None:
    pub = Publisher.at(tmp_path / "pub")
    pub.publish({1: "Luật Một"})
    pub.trust(home)
    run_sync(home, str(pub.repo), upload=False)
    # A neighbouring kiosk (already at release 2) exports its tree to a stick.
    other = tmp_path / "other"
    pub.publish({1: "Luật Một sửa", 2: "Luật Hai"}, updated="2026-05-01")
    pub.trust(other)
    run_sync(other, str(pub.repo), upload=False)
    media = tmp_path / "media"
    (media / "USB-XA-BEN").mkdir(parents=True)
    export_usb(other, media / "USB-XA-BEN" / "lawshelf")
    monkeypatch.setenv("LAWSHELF_USB_ROOTS", str(media))
    admin.set_pin(open_state(home), PIN)

    sh = make_shell()
    login(qtbot, sh)
    sh.navigate("admin_usb_import")
    screen = sh.current
    qtbot.waitUntil(lambda: screen.pending is not None, timeout=60000)
    summary = screen.summary.text()
    assert "Bản 2" in summary and "thêm 1" in summary and "Luật Hai" in summary
    assert "documents/" not in summary  # documents by number and title, not file paths
    shot(sh, "admin-usb-import")
    screen.apply()
    qtbot.waitUntil(lambda: "Đã cập nhật lên bản 2" in screen.result.text(), timeout=60000)
    assert screen.bar.value() == screen.bar.maximum()
    with Library.open(home) as lib:
        assert lib.info["release_version"] == 2

    # Tampered stick: one byte of the signed targets metadata changed -> refused, nothing applied.
    pub.publish({3: "Luật Ba"}, updated="2026-06-01")
    run_sync(other, str(pub.repo), upload=False)
    bad = media / "USB-GIA" / "lawshelf"
    bad.parent.mkdir()
    export_usb(other, bad)
    targets = sorted((bad / "metadata").glob("*.targets.json"))[-1]
    raw = targets.read_bytes()
    at = raw.index(b'"sha256":"') + len(b'"sha256":"')
    flipped = b"0" if raw[at : at + 1] != b"0" else b"1"
    targets.write_bytes(raw[:at] + flipped + raw[at + 1 :])  # one hash digit changed
    (media / "USB-XA-BEN").rename(tmp_path / "unplugged")
    sh.back()  # to the admin menu: Home would end admin mode
    sh.navigate("admin_usb_import")
    screen = sh.current
    qtbot.waitUntil(lambda: screen.result.isVisible(), timeout=60000)
    assert screen.pending is None and not screen.apply_button.isEnabled()
    from ui.qt import QPalette

    shown = screen.apply_button.palette().color(QPalette.ColorRole.ButtonText).name()
    assert shown == sh.ctx.theme.colors.off  # greyed, not a live blue button
    assert "từ chối" in screen.result.text() or "không" in screen.result.text().lower()
    shot(sh, "admin-usb-import-refused")
    with Library.open(home) as lib:
        assert lib.info["release_version"] == 2
    sh.ctx.ops.wait()  # the error is recorded on the state worker
    assert any(e["source"] == "usb" for e in admin.recent_events(open_state(home)))


def test_local_pdf_from_stick_searchable_and_survives_sync(
    qtbot, home, tmp_path, make_shell, monkeypatch
) -> None:
    pub = Publisher.at(tmp_path / "pub")
    pub.publish({5: "Luật Năm"})
    pub.trust(home)
    run_sync(home, str(pub.repo), upload=False)
    stick = tmp_path / "media" / "KINGSTON"
    make_pdf(stick / "thong-bao.pdf", ["Lịch tiêm chủng mởrộngxyz tại trạm y tế phường"])
    sh = make_shell()
    screen = local_add_screen(qtbot, sh, home, tmp_path / "media", monkeypatch)
    screen.number.setText("34/TB-UBND")
    screen.doc_title.setText("Lịch tiêm chủng")
    screen.fields.setText("Y tế, Hành chính")
    shot(sh, "admin-local")
    screen.add()
    qtbot.waitUntil(lambda: "Đã thêm" in screen.result.text(), timeout=20000)
    assert "34/TB-UBND" in screen.existing.text()

    def found() -> list[str]:
        with Library.open(home) as lib:
            return [h.doc_id for h in lib.search("mởrộngxyz").hits]

    assert found() == ["34-tb-ubnd"]
    pub.publish({5: "Luật Năm sửa đổi"}, updated="2026-02-02")
    assert run_sync(home, str(pub.repo), upload=False).version == 2
    assert found() == ["34-tb-ubnd"]
    assert [d.number for d in local_docs.list_local(home)] == ["34/TB-UBND"]


def test_report_export_pdf_reads_back(qtbot, home, tmp_path, make_shell, monkeypatch) -> None:
    from kiosk import settings as st

    db = open_state(home)
    admin.set_pin(db, PIN)
    st.set_value(db, "ward_name", "Phường Láng")  # the report reads the stored settings
    today = date.today()
    for i in range(20):
        day = today - timedelta(days=i)
        for _ in range(i % 7 + 1):
            stats.record(db, "session", day=day)
            stats.record(db, "search", "Luật Hôn nhân và gia đình (52/2014/QH13)", day=day)
            stats.record(db, "document_open", "52/2014/QH13", day=day)
        stats.record(db, "search", "Hỏi đáp: Giao thông - Vận tải", day=day)
        stats.record(db, "contest_attempt", "thang-11-2026", day=day)
        stats.record(db, "question", "Đất đai", day=day)
    stats.record(db, "search", "Luật Trần Thị B", day=today)  # rare: withheld
    stats.record(db, "question", "Hộ tịch", day=today)
    stick = tmp_path / "media" / "USB"
    (tmp_path / "media").mkdir()
    monkeypatch.setenv("LAWSHELF_USB_ROOTS", str(tmp_path / "media"))

    sh = make_shell()
    login(qtbot, sh)
    sh.navigate("admin_report")
    screen = sh.current
    qtbot.waitUntil(lambda: screen.report is not None, timeout=5000)
    shown = screen.topics.text()
    assert "Luật Hôn nhân và gia đình (52/2014/QH13)" in shown
    assert "Trần" not in shown and "thang-11-2026" in shown and "Đất đai" in shown
    for kind in stats.ITEM_KINDS:  # each kind of count under its own heading
        assert kind.heading_vi in shown
    shot(sh, "admin-report")
    screen.export()  # no stick yet: asked for, nothing written on the kiosk's own disk
    assert screen.result.text().startswith("Chưa thấy USB nào") and not (home / "exports").exists()
    stick.mkdir()
    screen.export()
    qtbot.waitUntil(lambda: "Đã xuất" in screen.result.text(), timeout=10000)
    assert "chưa có tên xã/phường" not in screen.result.text()  # the ward is set here
    pdf = next(stick.glob("*.pdf"))
    with pymupdf.open(pdf) as doc:
        text = doc[0].get_text()
        assert doc.page_count == 1
    assert "Phường Láng" in text and "Luật Hôn nhân và gia đình" in text and "Trần" not in text
    assert "Cuộc thi" in text and "Đất đai" in text and "1 chủ đề" in text  # withheld, per kind
    total = sum(i % 7 + 1 for i in range(20))
    assert f"{total}" in text
    assert "52/2014/QH13" in next(stick.glob("*.csv")).read_text("utf-8-sig")
    screen.report = dataclasses.replace(screen.report, ward_name="")  # none set: said so
    screen._exported([pdf])
    assert "Báo cáo chưa có tên xã/phường" in screen.result.text()


def test_settings_sync_export_screens_and_maintenance(
    qtbot, home, tmp_path, make_shell, monkeypatch
) -> None:
    from ui.screens import admin_settings

    admin.set_pin(open_state(home), PIN)
    monkeypatch.setenv("LAWSHELF_USB_ROOTS", str(tmp_path / "media"))
    (tmp_path / "media" / "USB").mkdir(parents=True)
    sh = make_shell()
    login(qtbot, sh)
    sh.navigate("admin_sync")
    screen = sh.current
    assert not screen.go.isEnabled()  # no sync source configured: it says what to do instead
    assert "Cài đặt" in screen.findChild(type(screen.result), "sync_no_source").text()
    screen.run()  # and a run all the same is a plain error, not a crash
    qtbot.waitUntil(lambda: screen.result.isVisible(), timeout=10000)
    assert screen.result.text().startswith("Máy chưa có nguồn cập nhật. Vào Cài đặt")
    shot(sh, "admin-sync")
    sh.back()
    sh.navigate("admin_usb_export")
    export = sh.current
    qtbot.waitUntil(lambda: export.list.count() == 1, timeout=5000)
    export.export()  # the demo library is not exported: says so
    qtbot.waitUntil(lambda: export.result.isVisible(), timeout=10000)
    assert "thư viện mẫu không được xuất" in export.result.text()  # not "no update source"
    shot(sh, "admin-usb-export")
    sh.back()

    sh.navigate("admin_settings")
    screen = sh.current
    screen.inputs["ward_name"].setText("Xã Minh Phú")
    screen.inputs["print_limit"].setText("5")
    shot(sh, "admin-settings")
    screen.save()
    assert sh.ward_label.text() == "Xã Minh Phú"
    from kiosk import settings as st

    values = st.load(home, open_state(home))
    assert values.ward_name == "Xã Minh Phú" and values.print_limit == 5
    screen.inputs["volume"].setText("loud")
    screen.save()
    assert "Không lưu được" in screen.message.text()
    quit_calls = []
    monkeypatch.setattr(admin_settings, "quit_for_maintenance", lambda: quit_calls.append(1))
    screen.maintenance()
    assert quit_calls == [1] and maintenance.is_on(home)
    maintenance.set_mode(home, False, stop_session=False)


def test_a_bug_in_a_librarian_action_is_told_as_one_with_the_line_to_report(qapp) -> None:  # noqa: ANN001
    """Not `Lỗi không mong đợi: KeyError('x')` alone: a bug, not the librarian's doing, and
    the line a technician needs; a known error keeps its own words."""
    from sync.errors import OlderOnStick
    from ui.screens.admin_actions import error_text

    text = error_text(KeyError("x"))
    assert "không phải do thao tác" in text and text.endswith("KeyError: 'x'")
    known = error_text(OlderOnStick("the stick is older"))
    assert known.startswith("USB này chứa bản dữ liệu cũ hơn") and "kỹ thuật viên" not in known
