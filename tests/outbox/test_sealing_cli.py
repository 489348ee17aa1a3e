"""Sealing edge cases and the thin CLI (enroll, seal-keys, kiosks, inbox collect, outbox)."""

from __future__ import annotations

import base64
import json
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli
from kiosk import settings
from kiosk.state import open_state
from sync import outbox, sealing
from sync.sealing import SealError


def test_seal_refuses_wrong_key_and_tampering(tmp_path: Path, publisher: Path) -> None:
    pub = sealing.load_public(publisher / sealing.PUBLIC_NAME)
    blob = sealing.seal(pub, "r1", {"phone": "0900"})
    other, _ = sealing.generate_keypair(tmp_path / "other")
    with pytest.raises(SealError, match="another key"):
        sealing.open_sealed(other, blob)
    raw = bytearray(base64.b64decode(blob))
    raw[-5] ^= 1
    with pytest.raises(SealError, match="altered"):
        sealing.open_sealed(publisher / sealing.PRIVATE_NAME, base64.b64encode(raw).decode())
    with pytest.raises(SealError, match="truncated"):
        sealing.open_sealed(publisher / sealing.PRIVATE_NAME, blob[:40])
    assert sealing.open_sealed(publisher / sealing.PRIVATE_NAME, blob) == {"phone": "0900"}
    assert sealing.seal(pub, "r1", {"phone": "0900"}) != blob  # fresh ephemeral key each time


def test_cli_round_trip(home: Path, tmp_path: Path) -> None:
    run = CliRunner().invoke
    pubdir, central = tmp_path / "pub", str(tmp_path / "central.sqlite")
    assert run(cli, ["seal-keys", "init", "--dir", str(pubdir)]).exit_code == 0
    assert stat.S_IMODE((pubdir / "publisher_seal.key").stat().st_mode) == 0o600
    assert run(cli, ["seal-keys", "init", "--dir", str(pubdir)]).exit_code == 2  # no overwrite
    r = run(cli, ["seal-keys", "install", str(pubdir / "publisher_seal.pub")])
    assert r.exit_code == 0, r.output
    r = run(cli, ["enroll", "--id", "phuong-hang-bac"])
    assert r.exit_code == 0, r.output
    key = next(line.split()[-1] for line in r.output.splitlines() if line.startswith("public key"))
    assert stat.S_IMODE((home / "keys" / "kiosk_signing.key").stat().st_mode) == 0o600
    assert settings.load(home, open_state(home)).kiosk_id == "phuong-hang-bac"
    assert run(cli, ["enroll"]).exit_code == 2  # already enrolled
    assert run(cli, ["enroll", "--id", "../evil"]).exit_code == 2
    db = open_state(home)
    with db.atomic():
        outbox.append(db, "question", {"text": "câu hỏi"}, personal={"contact": "0900"})
    st = json.loads(run(cli, ["outbox", "status", "--json"]).output)
    assert st["pending"] == 1 and st["kiosk_id"] == "phuong-hang-bac" and st["seal_key_installed"]
    stick = tmp_path / "usb"
    stick.mkdir(exist_ok=True)  # the stick plugged in
    assert run(cli, ["outbox", "upload", "--to", str(stick)]).exit_code == 0
    r = run(cli, ["inbox", "collect", "--inbox", str(stick), "--db", central])
    assert r.exit_code == 4 and "unknown key" in r.output  # not registered yet
    assert run(cli, ["kiosks", "add", "phuong-hang-bac", key, "--db", central]).exit_code == 0
    r = run(cli, ["inbox", "collect", "--inbox", str(stick), "--db", central, "--json"])
    assert r.exit_code == 0 and json.loads(r.output)["records_loaded"] == 2  # + heartbeat
    assert run(cli, ["kiosks", "revoke", "phuong-hang-bac", "--db", central]).exit_code == 0
    listing = json.loads(run(cli, ["kiosks", "list", "--db", central, "--json"]).output)
    assert listing[0]["state"] == "revoked (compromised)"


def test_outbox_status_says_empty_values_in_words(home: Path) -> None:
    """A kiosk that never sent anything: `never`, `none`, `no`, not Python's None, {}, False."""
    out = CliRunner().invoke(cli, ["outbox", "status"]).output
    assert "None" not in out and "{}" not in out and "False" not in out
    lines = set(out.splitlines())
    assert {"last_sent: never", "last_error: none", "pending_by_kind: none"} <= lines
    assert {"seal_key_installed: no", "kiosk_id: not enrolled (run `lawshelf enroll`)"} <= lines
