"""The thin CLI around the admin core: PIN, settings, maintenance, stats export."""

from __future__ import annotations

from pathlib import Path

import pymupdf
from click.testing import CliRunner

from cli.main import cli
from kiosk import admin, stats
from kiosk.state import open_state


def test_set_pin_settings_maintenance_and_export(home: Path, tmp_path: Path) -> None:
    r = CliRunner()
    assert r.invoke(cli, ["admin", "set-pin", "--stdin"], input="13579\n").exit_code == 0
    assert admin.check_pin(open_state(home), "13579")
    res = r.invoke(cli, ["admin", "set-pin", "--stdin"], input="12\n")
    assert res.exit_code == 2 and "4 to 12 digits" in res.output

    assert r.invoke(cli, ["settings", "set", "ward_name", "Phường Láng"]).exit_code == 0
    assert r.invoke(cli, ["settings", "set", "volume", "loud"]).exit_code == 2
    assert "Phường Láng" in r.invoke(cli, ["settings", "show"]).output

    assert r.invoke(cli, ["admin", "maintenance", "check"]).exit_code == 0
    r.invoke(cli, ["admin", "maintenance", "on"])
    assert r.invoke(cli, ["admin", "maintenance", "check"]).exit_code == 1
    r.invoke(cli, ["admin", "maintenance", "off"])
    assert r.invoke(cli, ["admin", "maintenance", "check"]).exit_code == 0

    db = open_state(home)
    for _ in range(3):
        stats.record(db, "session")
    csv_path, pdf_path = tmp_path / "u.csv", tmp_path / "u.pdf"
    res = r.invoke(cli, ["stats", "export", "--csv", str(csv_path), "--pdf", str(pdf_path)])
    assert res.exit_code == 0, res.output
    assert "total,3" in csv_path.read_text("utf-8-sig")
    with pymupdf.open(pdf_path) as doc:
        assert "Phường Láng" in doc[0].get_text()
    assert "session" in r.invoke(cli, ["stats", "show"]).output


def test_stats_show_without_a_ward_lists_every_labelled_count(home: Path) -> None:
    """No ward name set: the period alone; each labelled kind under its own heading."""
    db = open_state(home)
    for event, label in (
        ("search", "Luật Cư trú (68/2020/QH14)"),
        ("document_open", "Luật Tiếp công dân 42/2013/QH13"),
        ("contest_attempt", "Tìm hiểu pháp luật 2026"),
        ("question", "Cư trú"),
    ):
        for _ in range(5):
            stats.record(db, event, label)
    res = CliRunner().invoke(cli, ["stats", "show"])
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert lines[0][:4].isdigit() and " .. " in lines[0]  # `2026-11-08 .. 2026-12-07`
    for heading, label in (
        ("search_topic", "Luật Cư trú (68/2020/QH14)"),
        ("document", "Luật Tiếp công dân 42/2013/QH13"),
        ("contest", "Tìm hiểu pháp luật 2026"),
        ("question_field", "Cư trú"),
    ):
        at = lines.index(f"{heading} (counted >= 5; 0 withheld):")
        assert lines[at + 1] == f"       5  {label}"


def test_stats_export_refuses_a_missing_folder_and_says_replaced(
    home: Path, tmp_path: Path
) -> None:
    """A stick that is not mounted: its folder is missing; nothing lands on the kiosk's disk."""
    r = CliRunner()
    missing = tmp_path / "usb" / "bao-cao"
    res = r.invoke(
        cli, ["stats", "export", "--csv", str(tmp_path / "u.csv"), "--pdf", str(missing / "r.pdf")]
    )
    assert res.exit_code == 2 and f"no folder {missing}" in res.output
    assert not missing.exists() and not (tmp_path / "u.csv").exists()  # nothing written
    res = r.invoke(cli, ["stats", "export", "--csv", str(tmp_path / "u.csv")])
    assert res.stdout == f"wrote {tmp_path / 'u.csv'}\n"
    assert "no commune/ward name is set" in res.stderr  # whose report would it be?
    r.invoke(cli, ["settings", "set", "ward_name", "Phường Láng"])
    res = r.invoke(cli, ["stats", "export", "--csv", str(tmp_path / "u.csv")])
    assert res.stdout == f"replaced {tmp_path / 'u.csv'}\n" and res.stderr == ""


def test_admin_unlock_says_whether_there_was_a_lockout(home: Path) -> None:
    r = CliRunner()
    assert r.invoke(cli, ["admin", "unlock"]).output == "No lockout to clear.\n"
    db = open_state(home)
    admin.set_pin(db, "13579")
    for _ in range(admin.MAX_FAILURES):
        assert not admin.check_pin(db, "00000")
    assert admin.lock_state(db).locked_until > 0
    assert r.invoke(cli, ["admin", "unlock"]).output == "Lockout cleared.\n"
    assert admin.check_pin(open_state(home), "13579")  # unlocked: the right PIN works again


def test_a_changed_setting_can_be_reset_to_the_config_file(home: Path) -> None:
    """A librarian's value wins over config.toml; `settings reset` undoes it."""
    (home / "config.toml").write_text('ward_name = "Phường Ba Đình"\nidle_timeout_s = 120\n')
    r = CliRunner()
    assert r.invoke(cli, ["settings", "set", "ward_name", "Phường Láng"]).exit_code == 0
    res = r.invoke(cli, ["settings", "reset", "ward_name"])
    assert res.exit_code == 0 and res.output.strip() == "ward_name = Phường Ba Đình"
    res = r.invoke(cli, ["settings", "reset", "idle_timeout_s"])
    assert res.output.strip() == "idle_timeout_s = 120 (it had not been changed)"
    assert r.invoke(cli, ["settings", "reset", "kiosk_id"]).exit_code == 2
    assert r.invoke(cli, ["settings", "reset", "no_such"]).exit_code == 2
