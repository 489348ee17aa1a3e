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
