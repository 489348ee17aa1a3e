"""Publisher: layout, content addressing, incremental publish, thresholds, rotation rules."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime

import pytest
from synchelp import blob_of

from sync import keys as keymod
from sync import release, rotation
from sync.errors import PublishError, SigningKeyError


def test_layout_and_content_addressing(publisher):
    meta = publisher.repo / "metadata"
    assert sorted(p.name for p in meta.iterdir()) == [
        "1.root.json",
        "1.snapshot.json",
        "1.targets.json",
        "root.json",
        "timestamp.json",
    ]
    targets = json.loads((meta / "1.targets.json").read_text())["signed"]
    assert set(targets["targets"]) == {
        "lawshelf-content.json",
        "documents/a.json",
        "documents/b.json",
        "documents/c.json",
    }
    for path, info in targets["targets"].items():
        blob = publisher.repo / "blobs" / info["hashes"]["sha256"]
        assert blob.read_bytes() == (publisher.src / path).read_bytes()
    ts = json.loads((meta / "timestamp.json").read_text())["signed"]
    assert "issued" in ts["x-lawshelf"]
    root = json.loads((meta / "1.root.json").read_text())["signed"]
    assert root["x-lawshelf"]["issued"] == ts["x-lawshelf"]["issued"]  # a new kiosk's floor


def test_republish_one_change_adds_one_blob(publisher):
    before = set((publisher.repo / "blobs").iterdir())
    rep = publisher.publish({"a": "Luật A bản 2"})
    added = set((publisher.repo / "blobs").iterdir()) - before
    assert rep.version == 2 and rep.new_blobs == 1
    assert [p.name for p in added] == [blob_of(publisher, "a")]
    assert (publisher.repo / "metadata" / "2.targets.json").exists()
    assert (publisher.repo / "metadata" / "1.targets.json").exists()  # immutable, kept


def test_not_a_content_source(tmp_path, publisher):
    (tmp_path / "empty").mkdir()
    with pytest.raises(PublishError, match="lawshelf-content.json"):
        release.publish(tmp_path / "empty", publisher.repo, publisher.keys)
    (publisher.src / "documents" / "broken.json").write_text("{not json")
    with pytest.raises(PublishError, match="not valid JSON"):
        release.publish(publisher.src, publisher.repo, publisher.keys)


def test_root_needs_two_of_three_keys(publisher, tmp_path):
    offline = tmp_path / "safe"
    offline.mkdir()
    for folder in keymod.key_folders(publisher.keys, "root")[1:]:
        shutil.move(str(folder), offline / folder.name)  # only one root stick mounted
    with pytest.raises(SigningKeyError, match="root keys"):
        rotation.rotate(publisher.repo, publisher.keys, "targets")
    for folder in offline.iterdir():
        shutil.move(str(folder), publisher.keys / folder.name)
    version, _ = rotation.rotate(publisher.repo, publisher.keys, "targets")
    assert version == 2


def test_revoke_root_key_keeps_threshold(publisher):
    ids = [keymod.load_public(f).keyid for f in keymod.key_folders(publisher.keys, "root")]
    assert rotation.revoke(publisher.repo, publisher.keys, ids[0]) == 2
    root = release.Repo.load(publisher.repo).root.signed
    assert ids[0] not in root.roles["root"].keyids and root.roles["root"].threshold == 2
    with pytest.raises(SigningKeyError, match="threshold"):
        rotation.revoke(publisher.repo, publisher.keys, ids[1])
    assert (publisher.keys / "revoked").is_dir()


def test_keys_init_refuses_to_overwrite(publisher):
    with pytest.raises(SigningKeyError, match="already exist"):
        keymod.init_keys(publisher.keys)


def _targets_info(publisher, version):
    meta = publisher.repo / "metadata" / f"{version}.targets.json"
    return json.loads(meta.read_text())["signed"]["x-lawshelf"]


def test_content_date_is_the_publish_date_unless_given(publisher):
    """The manifest's stale `updated` (2026-01-01) no longer freezes the date kiosks show."""
    late = datetime(2026, 12, 2, 18, 30, tzinfo=UTC)  # already 3 December in Hà Nội
    publisher.publish({"a": "Luật A bản 2"}, now=late)
    assert _targets_info(publisher, 2)["content_date"] == "2026-12-03"
    publisher.publish({"a": "Luật A bản 3"}, now=late, content_date=date(2026, 11, 30))
    assert _targets_info(publisher, 3)["content_date"] == "2026-11-30"


def test_invalid_content_is_never_signed(publisher):
    """A Q&A entry without `answer` became release 4 before; now nothing is signed."""
    qa = publisher.src / "qa" / "hoi-dap.json"
    qa.parent.mkdir()
    qa.write_text(json.dumps({"entries": [{"id": "q1", "question": "Hỏi gì?"}]}))
    (publisher.src / "documents" / "d9.json").write_text(json.dumps({"type": "document"}))
    before = sorted(p.name for p in (publisher.repo / "metadata").iterdir())
    with pytest.raises(PublishError, match="2 file.*fail validation") as err:
        release.publish(publisher.src, publisher.repo, publisher.keys)
    assert "answer" in err.value.message and "d9.json" in err.value.message
    assert sorted(p.name for p in (publisher.repo / "metadata").iterdir()) == before
