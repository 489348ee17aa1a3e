"""Attacks on the release: each is refused with a clear message and the live library untouched."""

from __future__ import annotations

import hashlib
import shutil
from datetime import UTC, datetime, timedelta

import pytest
from securesystemslib.signer import CryptoSigner
from synchelp import FAST, V1, blob_of, live_titles
from tuf.api.metadata import Metadata, MetaFile, Snapshot, TargetFile, Targets, Timestamp

from sync import keys as keymod
from sync import release, rotation
from sync.errors import ExpiredError, VerificationError
from sync.run import run_sync

pytestmark = pytest.mark.nginx  # real nginx on loopback

EVIL = "Luật giả mạo"
LATER = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)


@pytest.fixture
def live(kiosk, publisher, nginx_factory):
    """A kiosk synced to release 1 from a real nginx serving the publisher's repository."""
    srv = nginx_factory(root=publisher.repo)
    run_sync(kiosk, srv.url, policy=FAST)
    assert sorted(live_titles(kiosk).values()) == sorted(V1.values())
    return kiosk, publisher, srv


def _refused(home, url, match):
    with pytest.raises(VerificationError, match=match) as err:
        run_sync(home, url, policy=FAST)
    assert err.value.exit_code == 4
    assert sorted(live_titles(home).values()) == sorted(V1.values())
    return err.value


def _signer(folder):
    return keymod.load_signer(folder)


def _meta_file(data: bytes, version: int) -> MetaFile:
    return MetaFile(
        version=version, length=len(data), hashes={"sha256": hashlib.sha256(data).hexdigest()}
    )


def _write_online(repo, keys_dir, targets_bytes, targets_version, snap_v, ts_v, signers=None):
    """Forge snapshot + timestamp over given targets bytes with the online keys (or `signers`)."""
    meta = repo / "metadata"
    snap = Metadata(
        Snapshot(
            version=snap_v,
            expires=LATER,
            meta={"targets.json": _meta_file(targets_bytes, targets_version)},
        )
    )
    snap.sign(signers[0] if signers else _signer(keymod.key_folders(keys_dir, "snapshot")[0]))
    sbytes = snap.to_bytes(release.SERIALIZER)
    (meta / f"{snap_v}.snapshot.json").write_bytes(sbytes)
    ts = Metadata(Timestamp(version=ts_v, expires=LATER, snapshot_meta=_meta_file(sbytes, snap_v)))
    ts.sign(signers[1] if signers else _signer(keymod.key_folders(keys_dir, "timestamp")[0]))
    (meta / "timestamp.json").write_bytes(ts.to_bytes(release.SERIALIZER))


def test_flipped_byte_in_blob(live, publisher):
    home, pub, srv = live
    pub.publish({"a": "Luật A bản 2"})
    blob = pub.repo / "blobs" / blob_of(pub, "a")
    data = bytearray(blob.read_bytes())
    data[10] ^= 0x01
    blob.write_bytes(bytes(data))
    _refused(home, srv.url, "do not match the signed hash")


def test_metadata_signed_by_unknown_key(live, tmp_path):
    home, pub, srv = live
    pub.publish({"a": EVIL})
    thief = [CryptoSigner.generate_ed25519(), CryptoSigner.generate_ed25519()]
    tbytes = (pub.repo / "metadata" / "2.targets.json").read_bytes()
    _write_online(pub.repo, pub.keys, tbytes, 2, 3, 3, signers=thief)
    _refused(home, srv.url, "not signed by trusted keys|failed verification")


def test_rollback_to_older_metadata(live):
    home, pub, srv = live
    old_ts = (pub.repo / "metadata" / "timestamp.json").read_bytes()
    pub.publish({"a": "Luật A bản 2"})
    run_sync(home, srv.url, policy=FAST)
    (pub.repo / "metadata" / "timestamp.json").write_bytes(old_ts)  # replay
    with pytest.raises(VerificationError, match="rollback"):
        run_sync(home, srv.url, policy=FAST)
    assert "Luật A bản 2" in live_titles(home).values()


def test_mix_and_match_targets_from_other_version(live):
    home, pub, srv = live
    v1_targets = (pub.repo / "metadata" / "1.targets.json").read_bytes()
    pub.publish({"a": "Luật A bản 2"})
    (pub.repo / "metadata" / "2.targets.json").write_bytes(v1_targets)
    _refused(home, srv.url, "failed verification|hash|length")


def test_stolen_online_keys_cannot_change_content(live):
    home, pub, srv = live
    # 1) new targets signed by the (stolen) online key instead of the offline targets key
    t = Targets(
        version=2,
        expires=LATER,
        targets={"documents/a.json": TargetFile(10, {"sha256": "0" * 64}, "documents/a.json")},
    )
    md = Metadata(t)
    md.sign(_signer(keymod.key_folders(pub.keys, "snapshot")[0]))
    tbytes = md.to_bytes(release.SERIALIZER)
    (pub.repo / "metadata" / "2.targets.json").write_bytes(tbytes)
    _write_online(pub.repo, pub.keys, tbytes, 2, 2, 2)
    _refused(home, srv.url, "not signed by trusted keys|failed verification")


def test_stolen_online_keys_cannot_roll_content_back(live):
    home, pub, srv = live
    pub.publish({"a": "Luật A bản 2"})
    run_sync(home, srv.url, policy=FAST)
    v1 = (pub.repo / "metadata" / "1.targets.json").read_bytes()
    _write_online(pub.repo, pub.keys, v1, 1, 5, 5)  # snapshot pointing back to content v1
    with pytest.raises(VerificationError, match="rollback|older"):
        run_sync(home, srv.url, policy=FAST)
    assert "Luật A bản 2" in live_titles(home).values()


def test_root_rotation_is_followed(live):
    home, pub, srv = live
    rotation.rotate(pub.repo, pub.keys, "root")
    rotation.rotate(pub.repo, pub.keys, "targets")
    rotation.rotate(pub.repo, pub.keys, "timestamp")
    pub.publish({"b": "Luật B sau xoay khóa"})
    rep = run_sync(home, srv.url, policy=FAST)
    assert rep.outcome == "applied"
    assert "Luật B sau xoay khóa" in live_titles(home).values()


def test_root_not_cross_signed_is_refused(live):
    home, pub, srv = live
    repo = release.Repo.load(pub.repo)
    md = Metadata.from_bytes(repo.root.to_bytes())
    md.signed.version = 2
    thieves = [CryptoSigner.generate_ed25519() for _ in range(3)]
    for keyid in list(md.signed.roles["root"].keyids):
        md.signed.revoke_key(keyid, "root")
    for s in thieves:
        md.signed.add_key(s.public_key, "root")
    md.signatures.clear()
    for s in thieves:
        md.sign(s, append=True)  # signed by the new keys only, not by the old threshold
    (pub.repo / "metadata" / "2.root.json").write_bytes(md.to_bytes(release.SERIALIZER))
    _refused(home, srv.url, "not signed by trusted keys|failed verification")


def test_revoked_key_cannot_sign(live):
    home, pub, srv = live
    stolen = keymod.load_public(keymod.key_folders(pub.keys, "targets")[0]).keyid
    stolen_dir = pub.keys.parent / "stolen"
    shutil.copytree(keymod.key_folders(pub.keys, "targets")[0], stolen_dir)
    rotation.revoke(pub.repo, pub.keys, stolen)
    run_sync(home, srv.url, policy=FAST)  # kiosk learns the new root
    repo = release.Repo.load(pub.repo)
    t = repo.targets.signed
    t.version += 1
    md = Metadata(t)
    md.sign(keymod.load_signer(stolen_dir))
    tbytes = md.to_bytes(release.SERIALIZER)
    (pub.repo / "metadata" / f"{t.version}.targets.json").write_bytes(tbytes)
    _write_online(
        pub.repo,
        pub.keys,
        tbytes,
        t.version,
        repo.snapshot.signed.version + 1,
        repo.timestamp.signed.version + 1,
    )
    _refused(home, srv.url, "not signed by trusted keys|failed verification")


def test_target_path_escape_refused(live, tmp_path):
    home, pub, srv = live
    evil = tmp_path / "evil.json"
    evil.write_text("{}")
    digest, length, _ = release.add_blob(pub.repo, evil)
    repo = release.Repo.load(pub.repo)
    t = repo.targets.signed
    t.version += 1
    t.targets["../../evil.json"] = TargetFile(length, {"sha256": digest}, "../../evil.json")
    md = Metadata(t)
    release.sign(md, pub.keys, repo.root.signed, "targets")  # even the real content key
    tbytes = md.to_bytes(release.SERIALIZER)
    (pub.repo / "metadata" / f"{t.version}.targets.json").write_bytes(tbytes)
    release.publish_online(pub.repo, pub.keys, targets_bytes=tbytes)
    _refused(home, srv.url, "unsafe path")
    assert not (home / "evil.json").exists()


def test_publisher_refuses_unsafe_names(publisher):
    (publisher.src / "documents" / "bad\\name.json").write_text("{}")
    with pytest.raises(release.PublishError, match="unsafe"):
        release.publish(publisher.src, publisher.repo, publisher.keys)


def _thief_publishes_high_versions(pub, version: int, issued: datetime) -> None:
    """With the stolen online keys: snapshot + timestamp at `version` over the real targets,
    claiming to be issued at `issued` (years ahead, to drag the kiosk's time floor along)."""
    repo = release.Repo.load(pub.repo)
    tv = repo.targets.signed.version
    tbytes = (pub.repo / "metadata" / f"{tv}.targets.json").read_bytes()
    later = issued + timedelta(days=30)
    snap = Metadata(
        Snapshot(version=version, expires=later, meta={"targets.json": _meta_file(tbytes, tv)})
    )
    snap.sign(_signer(keymod.key_folders(pub.keys, "snapshot")[0]))
    sbytes = snap.to_bytes(release.SERIALIZER)
    (pub.repo / "metadata" / f"{version}.snapshot.json").write_bytes(sbytes)
    ts = Timestamp(version=version, expires=later, snapshot_meta=_meta_file(sbytes, version))
    release.stamp_issued(ts, issued)
    md = Metadata(ts)
    md.sign(_signer(keymod.key_folders(pub.keys, "timestamp")[0]))
    (pub.repo / "metadata" / "timestamp.json").write_bytes(md.to_bytes(release.SERIALIZER))


def test_kiosk_frozen_by_stolen_online_keys_recovers_with_one_command(live):
    """The thief's timestamp v1000 (issued three years ahead) reaches a kiosk; the publisher's
    own metadata is then refused (rollback, and the dragged time floor). `lawshelf keys
    recover-online --above 1000` rotates both online keys and publishes above v1000: the
    kiosk follows the new root, drops what the old keys vouched for, and takes release 2."""
    from click.testing import CliRunner

    from cli.main import cli
    from sync import status

    home, pub, srv = live
    honest_ts = (pub.repo / "metadata" / "timestamp.json").read_bytes()
    _thief_publishes_high_versions(pub, 1000, LATER + timedelta(days=3 * 365))
    assert run_sync(home, srv.url, policy=FAST).outcome == "up_to_date"  # signed: accepted
    assert status.time_floor(status.open_db(home)).year >= LATER.year + 3  # dragged ahead
    (pub.repo / "metadata" / "timestamp.json").write_bytes(honest_ts)  # server cleaned up
    (pub.repo / "metadata" / "1000.snapshot.json").unlink()
    pub.publish({"a": "Luật A bản 2"})
    with pytest.raises((VerificationError, ExpiredError)):
        run_sync(home, srv.url, policy=FAST)  # frozen on the thief's metadata
    assert "Luật A bản 2" not in live_titles(home).values()

    args = ["keys", "recover-online", "--keys", str(pub.keys), "--repo", str(pub.repo)]
    r = CliRunner().invoke(cli, [*args, "--above", "1000"])
    assert r.exit_code == 0 and "timestamp version 1001" in r.output, r.output
    rep = run_sync(home, srv.url, policy=FAST)
    assert rep.outcome == "applied" and rep.version == 2
    assert "Luật A bản 2" in live_titles(home).values()
    assert status.time_floor(status.open_db(home)) < LATER + timedelta(days=1)  # floor back
