"""Personal data at the centre: collected batch files move to a private archive with a
retention period, purges reach every copy, and each opening is in the access log."""

from __future__ import annotations

import json
import stat

from click.testing import CliRunner

from cli.main import cli
from kiosk import central, central_questions
from sync import inbox

from .conftest import PHONE, scan


def _sealed_blobs(store, table: str) -> list[bytes]:
    rows = store.db.execute(f"SELECT sealed FROM {table} WHERE sealed IS NOT NULL").fetchall()
    return [r[0][:60].encode() for r in rows]


def test_collect_archives_batches_privately_and_expires_them(centre):
    centre.kiosks["phuong-lang-ha"].ask()
    rep = centre.collect()
    assert rep.batches_loaded == 1 and rep.archived == 1
    assert not list(centre.inbox.rglob("*.json"))  # out of the web server's folder
    [kept] = list(inbox.default_archive(centre.store).rglob("*.json"))
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert inbox.collect(centre.inbox, centre.store, keep_days=30).expired == 0
    assert inbox.collect(centre.inbox, centre.store, keep_days=0).expired == 1
    assert not kept.exists()


def test_contest_purge_reaches_every_copy(centre):
    """Before: the central DB was purged but the uploaded batch files kept the sealed blobs."""
    lang_ha = centre.kiosks["phuong-lang-ha"]
    lang_ha.entry("thang-12", 5)
    centre.collect()
    sealed = _sealed_blobs(centre.store, "contest_entries")
    archive = inbox.default_archive(centre.store)
    assert scan(archive, sealed)  # the archive holds the sealed copy, as collected
    # the same batch uploaded again (a lost answer) and waiting in the inbox
    [kept] = archive.rglob("*.json")
    again = centre.inbox / "inbox" / kept.parent.name / kept.name
    again.write_bytes(kept.read_bytes())
    n = central.purge(
        centre.store,
        "thang-12",
        closes="2020-01-01T00:00:00",
        retention_days=30,
        who="can-bo-a",
        inbox=centre.inbox,
    )
    assert n == 1
    assert scan(centre.store.path.parent, sealed) == []  # database, WAL and archive
    assert scan(centre.inbox, sealed) == []
    doc = json.loads(kept.read_text())
    assert doc["purged"]["records"] == 1 and "sealed" not in doc["signed"]["records"][0]
    [log] = centre.store.access_log()
    assert (log["who"], log["action"], log["subject"]) == ("can-bo-a", "purge", "contest thang-12")


def test_question_contacts_can_be_purged(centre):
    kiosk = centre.kiosks["xa-minh-phu"]
    kiosk.ask()
    kiosk.opinion()
    centre.collect()
    blobs = _sealed_blobs(centre.store, "questions") + _sealed_blobs(centre.store, "opinions")
    run = CliRunner().invoke
    db = str(centre.store.path)
    r = run(cli, ["questions", "purge", "--db", db, "--older-than", "0", "--as", "can-bo-b"])
    assert r.exit_code == 0 and "contacts removed from 1 questions" in r.output, r.output
    r = run(cli, ["opinions", "purge", "--db", db, "--older-than", "0"])
    assert r.exit_code == 0 and "contacts removed from 1 opinions" in r.output, r.output
    assert scan(centre.store.path.parent, blobs) == []
    assert not any(q["has_contact"] for q in central_questions.list_questions(centre.store))


def test_opening_a_contact_is_logged_first(centre):
    kiosk = centre.kiosks["phuong-lang-ha"]
    kiosk.ask()
    kiosk.ask("Làm giấy khai sinh cho con ở đâu?", contact="")
    centre.collect()
    run = CliRunner().invoke
    db = str(centre.store.path)
    [with_contact, _without] = central_questions.list_questions(centre.store)
    r = run(
        cli,
        [
            "questions",
            "contact",
            "--db",
            db,
            with_contact["uuid"][:8],
            "--key",
            str(centre.key),
            "--as",
            "can-bo-a",
        ],
    )
    assert r.exit_code == 0 and PHONE in r.output, r.output
    r = run(cli, ["questions", "list", "--db", db, "--key", str(centre.key), "--as", "can-bo-c"])
    assert r.exit_code == 0 and r.output.count(PHONE) == 1
    r = run(cli, ["access-log", "--db", db, "--json"])
    log = json.loads(r.output)
    assert [(e["who"], e["action"]) for e in log] == [
        ("can-bo-a", "open_contact"),
        ("can-bo-c", "open_contact"),
    ]
    assert with_contact["uuid"][:8] in log[0]["subject"] and log[0]["at"]
    assert "1 record(s)" in log[1]["detail"]  # the question without a contact was not opened
    r = run(cli, ["access-log", "--db", db])
    assert "can-bo-a" in r.output and "open_contact" in r.output


def test_ranking_csv_with_names_is_logged(centre, tmp_path):
    centre.kiosks["phuong-lang-ha"].entry("thang-12", 5)
    centre.collect()
    out = tmp_path / "rank.csv"
    r = CliRunner().invoke(
        cli,
        [
            "contest",
            "rank",
            "--db",
            str(centre.store.path),
            "thang-12",
            "--csv",
            str(out),
            "--key",
            str(centre.key),
            "--as",
            "giam-khao",
        ],
    )
    assert r.exit_code == 0 and "Nguyễn Văn An" in out.read_text()
    [entry] = centre.store.access_log()
    assert entry["who"] == "giam-khao" and entry["action"] == "export_csv"
