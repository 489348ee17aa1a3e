"""The CLI end to end (in-process click runner): keys, publish, trust, sync, status, exit codes."""

from __future__ import annotations

import json
import stat

from click.testing import CliRunner
from synchelp import Publisher, blob_of

from cli.main import cli


def test_cli_round_trip_and_exit_codes(tmp_path, home):
    run = CliRunner().invoke
    keys, repo = tmp_path / "keys", tmp_path / "repo"
    r = run(cli, ["keys", "init", "--keys", str(keys)])
    assert r.exit_code == 0, r.output
    assert "root:" in r.output
    pems = list(keys.rglob("key.pem"))
    assert len(pems) == 6 and all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in pems)
    assert len({p.parent for p in pems if p.parent.name.startswith("root-")}) == 3

    pub = Publisher(src=tmp_path / "src", repo=repo, keys=keys)
    pub.write({"a": "Luật A", "b": "Luật B"})
    r = run(cli, ["publish", str(pub.src), "--repo", str(repo), "--keys", str(keys)])
    assert r.exit_code == 0 and "release 1" in r.output, r.output
    root = json.loads((repo / "metadata" / "1.root.json").read_text())
    assert root["signed"]["roles"]["root"]["threshold"] == 2
    assert len(root["signed"]["roles"]["root"]["keyids"]) == 3

    r = run(cli, ["--home", str(home), "sync", "--trust", str(repo / "metadata/1.root.json")])
    assert r.exit_code == 0, r.output
    r = run(cli, ["--home", str(home), "sync", "--from", str(repo), "--dry-run"])
    assert r.exit_code == 0 and "added: 2" in r.output, r.output
    assert "— Luật A" in r.output and "documents/a.json" not in r.output  # words, not paths
    r = run(cli, ["--home", str(home), "sync", "--from", str(repo)])
    assert r.exit_code == 0 and "applied release 1" in r.output, r.output
    r = run(cli, ["--home", str(home), "status", "--json"])
    st = json.loads(r.output)
    assert st["version"] == 1 and st["error"] is None

    pub.write({"a": "Luật A mới"})
    run(cli, ["publish", str(pub.src), "--repo", str(repo), "--keys", str(keys)])
    blob = repo / "blobs" / blob_of(pub, "a")
    blob.write_bytes(blob.read_bytes()[:-1] + b"!")
    r = run(cli, ["--home", str(home), "sync", "--from", str(repo)])
    assert r.exit_code == 4 and "signed hash" in r.output
    r = run(cli, ["--home", str(home), "status"])
    assert "signed hash" in r.output
    from sync.outbox import app_version  # a checkout: the version the centre sees, not unknown

    assert f"App version             {app_version()} (installed by hand" in r.output, r.output

    r = run(cli, ["keys", "rotate", "timestamp", "--keys", str(keys), "--repo", str(repo)])
    assert r.exit_code == 0 and "root version 2" in r.output, r.output
    r = run(cli, ["publish", "--refresh", "--repo", str(repo), "--keys", str(keys)])
    assert r.exit_code == 0, r.output
