"""The nginx configuration installer/ ships for the centre, run for real on loopback: kiosks
read releases, PUT batches with the credentials `lawshelf kiosks add --password` wrote, and
cannot write anywhere else; `lawshelf inbox collect` then takes the batches out of the inbox."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner
from nginx_server import start_nginx

from cli.main import cli
from sync import htpasswd
from sync.upload import upload_pending

SHIPPED = Path(__file__).resolve().parents[2] / "installer" / "nginx" / "lawshelf-centre.conf"

pytestmark = pytest.mark.nginx


@pytest.fixture
def centre_server(tmp_path: Path):
    root, pw = tmp_path / "srv", tmp_path / "lawshelf-inbox.htpasswd"
    (root / "metadata").mkdir(parents=True)
    (root / "metadata" / "timestamp.json").write_text("{}")
    (root / "blobs").mkdir()
    (root / "blobs" / "ab12").write_bytes(b"blob")
    text = SHIPPED.read_text()

    def server(port: int) -> str:
        return (
            text.replace("listen 80;", f"listen 127.0.0.1:{port};")
            .replace("/srv/lawshelf", str(root))
            .replace(str(htpasswd.DEFAULT_PATH), str(pw))
        )

    srv = start_nginx(root, tmp_path / "nginx", server=server)
    yield srv, pw
    srv.stop()


def test_shipped_config_serves_releases_and_takes_kiosk_batches(centre, centre_server):
    srv, pw = centre_server
    db = str(centre.store.path)
    kiosk = centre.kiosks["phuong-lang-ha"]
    other = centre.kiosks["xa-minh-phu"]
    run = CliRunner().invoke
    for k in (kiosk, other):  # already registered by the fixture: credentials only
        r = run(
            cli,
            [
                "kiosks",
                "password",
                k.ident.kiosk_id,
                f"--password={k.ident.upload_password}",
                "--htpasswd",
                str(pw),
            ],
        )
        assert r.exit_code == 0 and "added upload credentials" in r.output, r.output
    assert htpasswd.check(pw, kiosk.ident.kiosk_id, kiosk.ident.upload_password)

    ts = requests.get(f"{srv.url}/metadata/timestamp.json", timeout=5)
    assert ts.status_code == 200 and ts.headers["Cache-Control"] == "no-cache"
    blob = requests.get(f"{srv.url}/blobs/ab12", timeout=5)
    assert "immutable" in blob.headers["Cache-Control"]
    assert (
        requests.put(f"{srv.url}/metadata/timestamp.json", data=b"x", timeout=5).status_code == 403
    )

    kiosk.ask()
    report = upload_pending(kiosk.home, kiosk.db, base_url=srv.url, deadline=time.monotonic() + 30)
    assert report.ok and report.batches_sent == 1, report.error
    [batch] = (srv.root / "inbox" / kiosk.ident.kiosk_id).glob("*.json")
    url = f"{srv.url}/inbox/{kiosk.ident.kiosk_id}/{batch.name}"
    other_auth = (other.ident.kiosk_id, other.ident.upload_password)
    assert requests.put(url, data=b"{}", auth=other_auth, timeout=5).status_code == 403
    wrong = (kiosk.ident.kiosk_id, "not-the-password-at-all")
    assert requests.put(url, data=b"{}", auth=wrong, timeout=5).status_code == 401
    mine = (kiosk.ident.kiosk_id, kiosk.ident.upload_password)
    assert requests.get(url, auth=mine, timeout=5).status_code == 403  # PUT only
    assert requests.get(f"{srv.url}/inbox/", timeout=5).status_code == 403

    r = run(cli, ["inbox", "collect", "--inbox", str(srv.root), "--db", db])
    assert r.exit_code == 0 and "1 batches loaded" in r.output and "1 archived" in r.output
    assert not batch.exists()

    r = run(cli, ["kiosks", "revoke", kiosk.ident.kiosk_id, "--db", db, "--htpasswd", str(pw)])
    assert r.exit_code == 0 and "removed its upload credentials" in r.output
    kiosk.ask("Hỏi thêm về thủ tục tạm trú")
    assert not upload_pending(kiosk.home, kiosk.db, base_url=srv.url, retries=0).ok  # 401


def test_kiosks_add_with_the_enrolment_password(tmp_path, centre):
    kiosk = centre.kiosks["phuong-lang-ha"]
    pw = tmp_path / "pw"
    r = CliRunner().invoke(
        cli,
        [
            "kiosks", "add", "kiosk-moi", _fresh_key(), "--db", str(centre.store.path),
            f"--password={kiosk.ident.upload_password}", "--htpasswd", str(pw),
        ],
    )  # fmt: skip
    assert r.exit_code == 0 and "registered kiosk-moi" in r.output, r.output
    assert htpasswd.check(pw, "kiosk-moi", kiosk.ident.upload_password)
    assert oct(pw.stat().st_mode & 0o777) == "0o640"
    r = CliRunner().invoke(
        cli, ["kiosks", "password", "bad:id", "--password", "x" * 20, "--htpasswd", str(pw)]
    )
    assert r.exit_code == 2  # no line injection through the id


def _fresh_key() -> str:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from sync.enroll import public_key_text

    return public_key_text(Ed25519PrivateKey.generate().public_key())
