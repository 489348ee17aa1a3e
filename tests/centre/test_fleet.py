"""The fleet view (behind, silent, failing and why), heartbeats, usage across kiosks (CSV and
PDF through the kiosk's own report functions), and rankings that say which entries came
from a kiosk revoked as compromised."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime, timedelta

import pymupdf
from click.testing import CliRunner

from cli.main import cli
from kiosk import central, central_fleet
from sync import outbox, status


def _run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_fleet_shows_version_silence_and_errors(centre, tmp_path):
    lang_ha, minh_phu = centre.kiosks["phuong-lang-ha"], centre.kiosks["xa-minh-phu"]
    status.update(lang_ha.db, outcome="applied", exit_code=0, version=3)
    status.update(
        minh_phu.db,
        outcome="failed",
        exit_code=7,
        error="the disk is full for this release: it needs 6.0 MB",
    )
    lang_ha.upload(centre.inbox, heartbeat=True)
    minh_phu.upload(centre.inbox, heartbeat=True)
    from sync import inbox

    inbox.collect(centre.inbox, centre.store)
    db = str(centre.store.path)
    rows = {
        r["kiosk_id"]: r for r in json.loads(_run("kiosks", "list", "--db", db, "--json").output)
    }
    assert rows["xa-minh-phu"]["error"].startswith("sync exit 7: the disk is full")
    assert rows["phuong-lang-ha"]["error"] == "" and rows["phuong-lang-ha"]["days_silent"] == 0
    assert rows["phuong-lang-ha"]["app_version"] == outbox.app_version()
    assert rows["phuong-lang-ha"]["sync_outcome"] == "applied"
    r = _run("kiosks", "list", "--db", db)
    assert r.exit_code == 0 and "the disk is full" in r.output, r.output
    # a week later nobody has heard from either; one is then revoked
    later = datetime.now(UTC) + timedelta(days=7)
    stale = central_fleet.fleet(centre.store, stale_days=5, now=later)
    assert [s.kiosk_id for s in stale] == ["phuong-lang-ha", "xa-minh-phu"]
    assert central_fleet.fleet(centre.store, stale_days=5) == []
    assert _run("kiosks", "revoke", "--db", db, "xa-minh-phu").exit_code == 0
    assert [s.kiosk_id for s in central_fleet.fleet(centre.store, stale_days=5, now=later)] == [
        "phuong-lang-ha"
    ]
    assert "no kiosks silent" in _run("kiosks", "list", "--db", db, "--stale", "3").output


def test_fleet_marks_kiosks_behind_the_newest_release(centre):
    kiosk = centre.kiosks["phuong-lang-ha"]
    outbox.append_heartbeat(kiosk.db, content_version="2")
    centre.collect()
    [row] = [r for r in central_fleet.fleet(centre.store, latest_version=3) if r.content_version]
    assert row.behind is True
    assert central_fleet.fleet(centre.store, latest_version=2)[0].behind is False


def test_heartbeats_listed(centre):
    kiosk = centre.kiosks["xa-minh-phu"]
    outbox.append_heartbeat(kiosk.db, content_version="4", day="2026-11-30")
    centre.collect()
    r = _run("kiosks", "heartbeats", "--db", str(centre.store.path), "xa-minh-phu")
    assert r.exit_code == 0 and "2026-11-30  content 4" in r.output, r.output


def test_usage_report_across_kiosks_csv_and_pdf(centre, tmp_path):
    a, b = centre.kiosks["phuong-lang-ha"], centre.kiosks["xa-minh-phu"]
    outbox.append_usage_daily(a.db, "2026-11-27", {"session": 5, "search": 12})
    outbox.append_usage_daily(b.db, "2026-11-27", {"session": 2, "search": 3})
    outbox.append_usage_daily(b.db, "2026-11-28", {"session": 1, "search": 1})
    centre.collect()
    csv_path, pdf_path = tmp_path / "usage.csv", tmp_path / "usage.pdf"
    db = str(centre.store.path)
    r = _run(
        "kiosks",
        "usage",
        "--db",
        db,
        "--from",
        "2026-11-27",
        "--to",
        "2026-11-28",
        "--csv",
        str(csv_path),
        "--pdf",
        str(pdf_path),
    )
    assert r.exit_code == 0, r.output
    assert "xa-minh-phu" in r.output and "total: session 8, search 16" in r.output
    rows = list(csv.reader(csv_path.read_text(encoding="utf-8-sig").splitlines()))
    header = rows[0]
    by_day = {row[0]: dict(zip(header, row, strict=False)) for row in rows[1:] if row}
    assert by_day["2026-11-27"]["search"] == "15" and by_day["total"]["session"] == "8"
    text = pymupdf.open(pdf_path)[0].get_text()
    assert "2 máy kiosk" in text and "BÁO CÁO SỬ DỤNG" in text
    only_b = central_fleet.usage_report(centre.store, *_days(), kiosks=["xa-minh-phu"])
    assert only_b.totals["search"] == 4 and "xa-minh-phu" in only_b.ward_name
    # The days as Vietnamese write them too, as every date option of the kiosk's console.
    r = _run("kiosks", "usage", "--db", db, "--from", "27/11/2026", "--to", "28/11/2026")
    assert r.exit_code == 0 and "total: session 8, search 16" in r.output, r.output
    r = _run("kiosks", "usage", "--db", db, "--from", "11/27/2026")
    assert r.exit_code == 2 and "--from" in r.output and "dd/mm/yyyy" in r.output


def _days():
    from datetime import date

    return date(2026, 11, 27), date(2026, 11, 28)


def test_revoked_kiosk_entries_are_excluded_and_named(centre):
    """Before: a revoked kiosk's entries still ranked, unmarked."""
    centre.kiosks["phuong-lang-ha"].entry("thang-12", 4, name="Người thật")
    centre.kiosks["xa-minh-phu"].entry("thang-12", 5, name="Máy bị chiếm")
    centre.collect()
    db = str(centre.store.path)
    assert _run("kiosks", "revoke", "--db", db, "xa-minh-phu").exit_code == 0
    report = central.rank(centre.store, "thang-12")
    assert [r.kiosk_id for r in report.ranked] == ["phuong-lang-ha"]
    assert "xa-minh-phu revoked as compromised" in report.excluded[0][1]
    r = _run("contest", "rank", "--db", db, "thang-12")
    assert "1 excluded" in r.output and "revoked as compromised" in r.output
    marked = central.rank(centre.store, "thang-12", include_revoked=True)
    assert [r.flag != "" for r in marked.ranked] == [True, False]  # 5/5 ranks first, marked


def test_entries_of_a_retired_kiosk_still_count(centre):
    centre.kiosks["xa-minh-phu"].entry("thang-12", 5)
    centre.collect()
    db = str(centre.store.path)
    assert _run("kiosks", "revoke", "--db", db, "xa-minh-phu", "--reason", "retired").exit_code == 0
    report = central.rank(centre.store, "thang-12")
    assert len(report.ranked) == 1 and not report.excluded and report.ranked[0].flag == ""


def test_fleet_shows_software_versions_and_failed_updates(centre, tmp_path, monkeypatch):
    """A kiosk whose new software version was rolled back says so in its heartbeat; the fleet
    view lists its version and the failure (docs/updates.md)."""
    from sync import app_state

    root = app_state.AppRoot(tmp_path / "opt")
    meta = root.env("0.2.0") / "lib/python3.11/site-packages/lawshelf_kiosk-0.2.0.dist-info"
    meta.mkdir(parents=True)
    (meta / "METADATA").write_text("Metadata-Version: 2.1\nName: lawshelf-kiosk\nVersion: 0.2.0\n")
    root.venv.symlink_to("venvs/0.2.0")
    failed = {
        "version": "0.3.0",
        "outcome": "rolled_back",
        "at": "2026-12-01T02:00:00+00:00",
        "error": "3 crashes within its first hour; last: the kiosk crashed (signal ABRT)",
    }
    app_state.save(root, {**app_state.EMPTY, "last_update": failed})
    monkeypatch.setenv("LAWSHELF_APP_ROOT", str(root.path))
    kiosk = centre.kiosks["phuong-lang-ha"]
    kiosk.upload(centre.inbox, heartbeat=True)
    centre.collect()
    [row] = [r for r in central_fleet.fleet(centre.store) if r.kiosk_id == "phuong-lang-ha"]
    assert (row.app_version, row.app_pending) == ("0.2.0", None)
    assert row.error.startswith("app 0.3.0 rolled_back: 3 crashes")
    r = _run("kiosks", "list", "--db", str(centre.store.path))
    assert "app 0.3.0 rolled_back" in r.output and "0.2.0" in r.output, r.output
