"""Software that must never reach a kiosk: each case is refused and version N keeps running.

The attacker cases use the real repository and real keys: a content (targets) key and the
online keys are what a compromised publishing server holds; none of them can ship code.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from apphelp import AppPublisher, Kiosk, N
from tuf.api.metadata import DelegatedRole, Delegations, Metadata, TargetFile, Targets

from sync import app_env, app_state
from sync import keys as keymod
from sync.app_keys import ROLE
from sync.app_publish import PROJECT, publish_app
from sync.errors import EXIT_APP, EXIT_VERIFY, PublishError, SyncError
from sync.release import (
    DEFAULT_EXPIRY,
    EXTRA,
    Repo,
    _latest,
    _write_versioned,
    add_blob,
    now_utc,
    publish_online,
    sha256_file,
    sign,
)
from sync.run import run_sync


@pytest.fixture
def env(kiosk_n: Kiosk, monkeypatch: pytest.MonkeyPatch) -> Kiosk:
    """The sync runs in this process, as the kiosk's own `lawshelf sync` would."""
    monkeypatch.setenv("LAWSHELF_APP_ROOT", str(kiosk_n.root.path))
    monkeypatch.setenv("LAWSHELF_APP_BASE_SITE", str(kiosk_n.farm))
    return kiosk_n


def untouched(kiosk: Kiosk) -> dict:
    """N still runs, nothing waits, no other environment was left behind."""
    app = app_state.status(kiosk.root, kiosk.home)
    assert (app["version"], app["pending"]) == (N, None)
    assert app_env.environments(kiosk.root) == ["installed"]
    assert kiosk.running_version() == N
    return app


def refused(kiosk: Kiosk, source: str, match: str) -> None:
    report = run_sync(kiosk.home, source, upload=False)
    assert report.exit_code == EXIT_APP, report.app
    assert report.app["outcome"] == "refused" and match in report.app["error"], report.app
    last = untouched(kiosk)["last_update"]
    assert last["outcome"] == "refused" and match in last["error"]


def app_release(app_pub: AppPublisher, targets: dict, info: dict, signers: list) -> None:
    """Write app role metadata as an attacker (or a buggy publisher) would, then re-sign the
    snapshot and timestamp with the online keys."""
    repo = app_pub.pub.repo
    version = (_latest(repo / "metadata", ROLE) or 0) + 1
    signed = Targets(version=version, expires=now_utc() + DEFAULT_EXPIRY.targets, targets=targets)
    signed.unrecognized_fields[EXTRA] = info
    md = Metadata(signed)
    for signer in signers:
        md.sign(signer, append=True)
    _write_versioned(repo, md, ROLE)
    publish_online(repo, app_pub.pub.keys)


def wheel_targets(app_pub: AppPublisher, label: str, extra: list[Path] = ()) -> tuple[dict, dict]:
    """Targets and release info of an app release of wheel `label` (+ the lock)."""
    repo, wheels = app_pub.pub.repo, app_pub.wheels
    lock = wheels.lock(repo.parent)
    targets = {}
    for rel, path in [
        ("app/requirements.lock", lock),
        (f"app/wheels/{wheels.ours[label].name}", wheels.ours[label]),
        *((f"app/wheels/{p.name}", p) for p in [wheels.standin, *extra]),
    ]:
        digest, length, _ = add_blob(repo, path)
        targets[rel] = TargetFile(length, {"sha256": digest}, rel)
    version = wheels.ours[label].name.split("-")[1]
    info = {
        "format": 1,
        "name": PROJECT,
        "version": version,
        "extras": ["ui"],
        "wheel": f"app/wheels/{wheels.ours[label].name}",
        "lock": "app/requirements.lock",
        "requires_python": ">=3.11",
        "rollout": {"percent": 100, "pilots": []},
    }
    return targets, info


def folder_signer(keys_dir: Path, role: str) -> object:
    return keymod.load_signer(keymod.key_folders(keys_dir, role)[0])


def test_tampered_wheel_is_refused(env: Kiosk, app_pub: AppPublisher, nginx_factory) -> None:
    app_pub.release("N1")
    blob = app_pub.pub.repo / "blobs" / sha256_file(app_pub.wheels.ours["N1"])[0]
    data = bytearray(blob.read_bytes())
    data[len(data) // 2] ^= 0xFF  # same length, one flipped byte: only the hash can tell
    blob.write_bytes(bytes(data))
    srv = nginx_factory(root=app_pub.pub.repo)
    refused(env, srv.url, "do not match the signed hash")


def test_content_key_cannot_redelegate_the_app_role(env: Kiosk, app_pub: AppPublisher) -> None:
    """The thief signs a new top-level targets (content key) delegating app/* to a key of
    their own, and signs app metadata with it."""
    keys, repo = app_pub.pub.keys, app_pub.pub.repo
    evil = keymod.generate_key(keys / "evil-1")
    evil_signer = keymod.load_signer(keys / "evil-1")
    t = Repo.load(repo).targets.signed
    t.version += 1
    t.delegations = Delegations(
        keys={evil.keyid: evil},
        roles={ROLE: DelegatedRole(ROLE, [evil.keyid], 1, True, ["app/*"])},
    )
    md = Metadata(t)
    sign(md, keys, Repo.load(repo).root.signed, "targets")
    _write_versioned(repo, md, "targets")
    targets, info = wheel_targets(app_pub, "N1")
    app_release(app_pub, targets, info, [evil_signer])
    refused(env, str(repo), "keys the root does not pin")


def test_app_metadata_signed_only_by_content_key(env: Kiosk, app_pub: AppPublisher) -> None:
    targets, info = wheel_targets(app_pub, "N1")
    app_release(app_pub, targets, info, [folder_signer(app_pub.pub.keys, "targets")])
    refused(env, str(app_pub.pub.repo), "not signed by the pinned app keys")


def test_content_key_cannot_list_app_files_itself(env: Kiosk, app_pub: AppPublisher) -> None:
    repo, keys = app_pub.pub.repo, app_pub.pub.keys
    targets, _ = wheel_targets(app_pub, "N1")
    t = Repo.load(repo).targets.signed
    t.version += 1
    t.targets.update(targets)
    md = Metadata(t)
    sign(md, keys, Repo.load(repo).root.signed, "targets")
    data = _write_versioned(repo, md, "targets")
    publish_online(repo, keys, targets_bytes=data)
    refused(env, str(repo), "app files listed outside the app role")


def test_older_app_version_is_refused(env: Kiosk, app_pub: AppPublisher) -> None:
    app_pub.release("old")  # 0.1.0 < N: properly signed, still a step back
    refused(env, str(app_pub.pub.repo), "older than 0.2.0")


def test_publisher_refuses_to_go_back(app_pub: AppPublisher) -> None:
    app_pub.release("N")
    with pytest.raises(PublishError, match="not newer"):
        app_pub.release("old")


def test_snapshot_pinning_an_older_app_role_is_refused(env: Kiosk, app_pub: AppPublisher) -> None:
    """Stolen online keys: a new snapshot that pins the app role of before (its last release
    withdrawn); versions only go up, so the whole release is refused."""
    repo, keys = app_pub.pub.repo, app_pub.pub.keys
    app_pub.release("N")
    assert run_sync(env.home, str(repo), upload=False).app["outcome"] == "up_to_date"
    (repo / "metadata" / f"{_latest(repo / 'metadata', ROLE)}.{ROLE}.json").unlink()
    publish_online(repo, keys)
    with pytest.raises(SyncError, match="rollback|version") as err:
        run_sync(env.home, str(repo), upload=False)
    assert err.value.exit_code == EXIT_VERIFY
    untouched(env)


def test_replayed_app_metadata_under_a_new_name_is_refused(
    env: Kiosk, app_pub: AppPublisher
) -> None:
    """Old, properly signed app metadata served as the next version: its own version says no."""
    repo, keys = app_pub.pub.repo, app_pub.pub.keys
    app_pub.release("N")
    assert run_sync(env.home, str(repo), upload=False).app["outcome"] == "up_to_date"
    last = _latest(repo / "metadata", ROLE)
    old = (repo / "metadata" / f"{last - 1}.{ROLE}.json").read_bytes()
    (repo / "metadata" / f"{last + 1}.{ROLE}.json").write_bytes(old)
    publish_online(repo, keys)
    refused(env, str(repo), "rollback")


def test_lock_naming_a_wheel_not_carried_is_refused(env: Kiosk, app_pub: AppPublisher) -> None:
    repo = app_pub.pub.repo
    ghost = "ghost==1.0 --hash=sha256:" + "ab" * 32 + "\n"
    lock = repo.parent / "ghost.lock"
    lock.write_text(app_pub.wheels.lock(repo.parent).read_text() + ghost)
    with pytest.raises(SyncError, match="ghost"):  # the publisher refuses it...
        publish_app(app_pub.wheels.ours["N1"], lock, app_pub.wheels.folder, repo, app_pub.pub.keys)
    targets, info = wheel_targets(app_pub, "N1")  # ...so an insider signs it by hand
    digest, length, _ = add_blob(repo, lock)
    targets["app/requirements.lock"] = TargetFile(
        length, {"sha256": digest}, "app/requirements.lock"
    )
    app_release(app_pub, targets, info, _app_signers(app_pub))
    refused(env, str(repo), "ghost==1.0")


def _app_signers(app_pub: AppPublisher) -> list:
    return [keymod.load_signer(f) for f in keymod.key_folders(app_pub.pub.keys, ROLE)[:2]]
