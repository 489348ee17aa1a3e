"""USB sticks: same tree, same verification; nothing else on a stick is trusted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from synchelp import FAST, V1, live_titles
from tuf.api.metadata import Metadata

from offline_index import generations as gens
from offline_index.home import library_root
from sync.errors import (
    ExpiredError,
    NoReleaseOnStick,
    NoStick,
    NotConfigured,
    OlderOnStick,
    StickFull,
    StickHoldsNewer,
    StickIncomplete,
    UnsafeFolder,
    VerificationError,
)
from sync.run import run_sync, verify_usb
from sync.usb import export_repo, export_usb
from sync.verify import install_trusted_root

pytestmark = pytest.mark.nginx  # real nginx on loopback


@pytest.fixture
def second_kiosk(tmp_path, publisher):
    home = tmp_path / "home2"
    home.mkdir()
    install_trusted_root(home, publisher.root_v1)
    return home


def test_kiosk_export_then_other_kiosk_imports(
    kiosk, publisher, second_kiosk, tmp_path, nginx_factory
):
    srv = nginx_factory(root=publisher.repo)
    run_sync(kiosk, srv.url, policy=FAST)
    stick = tmp_path / "stick"
    stick.mkdir()  # plugged in
    out = export_usb(kiosk, stick)
    tree = stick / "lawshelf"  # the tree goes into a folder: a stick carries other files too
    assert out["version"] == 1 and out["path"] == str(tree)
    assert not list(stick.rglob("*.pem"))  # a kiosk holds no signing keys
    for p in (tree / "metadata").iterdir():  # exactly as published
        assert p.read_bytes() == (publisher.repo / "metadata" / p.name).read_bytes()
    summary = verify_usb(second_kiosk, stick)  # the stick's root is accepted...
    assert len(summary["added"]) == 3 and summary["version"] == 1
    assert len(summary["paths"]["added"]) == 4  # 3 documents + the manifest
    rep = run_sync(second_kiosk, tree)  # ...and so is its lawshelf/ folder
    assert rep.outcome == "applied"
    assert sorted(live_titles(second_kiosk).values()) == sorted(V1.values())


def test_planted_index_on_stick_is_ignored(kiosk, publisher, second_kiosk, tmp_path):
    run_sync(kiosk, publisher.repo)
    stick = tmp_path / "stick"
    stick.mkdir()  # plugged in
    export_usb(kiosk, stick)
    for planted in ("index", "library/current/index", "gen-evil/index"):
        (stick / "lawshelf" / planted).mkdir(parents=True)
        (stick / "lawshelf" / planted / "MAIN_planted.toc").write_text("evil whoosh segment")
    rep = run_sync(second_kiosk, stick)
    assert any("'index'" in w for w in rep.warnings)
    assert any("'library'" in w for w in rep.warnings)
    live = gens.live_generation(library_root(second_kiosk))
    assert not list(live.rglob("*planted*"))
    gens.verify_generation(live)  # built here, by this kiosk


def test_tampered_stick_refused(kiosk, publisher, second_kiosk, tmp_path):
    run_sync(kiosk, publisher.repo)
    run_sync(second_kiosk, publisher.repo)
    publisher.publish({"a": "Luật A bản 2"})
    run_sync(kiosk, publisher.repo)
    stick = tmp_path / "stick"
    stick.mkdir()  # plugged in
    export_usb(kiosk, stick)
    for blob in (stick / "lawshelf" / "blobs").iterdir():
        blob.write_bytes(blob.read_bytes().replace("bản 2".encode(), "bản 9".encode()))
    with pytest.raises(VerificationError):
        run_sync(second_kiosk, stick)
    assert sorted(live_titles(second_kiosk).values()) == sorted(V1.values())


def test_publisher_stick_has_long_expiry(publisher, second_kiosk, tmp_path):
    stick = tmp_path / "stick"
    stick.mkdir()  # plugged in
    export_repo(publisher.repo, publisher.keys, stick, days=60)
    ts = Metadata.from_bytes((stick / "lawshelf" / "metadata" / "timestamp.json").read_bytes())
    assert ts.signed.expires > datetime.now(UTC) + timedelta(days=59)
    later = datetime.now(UTC) + timedelta(days=30)  # a stick that travelled for a month
    assert run_sync(second_kiosk, stick, now=later).outcome == "applied"
    # the same month-old kiosk clock refuses the normal 2-day online timestamp
    fresh = tmp_path / "home3"
    fresh.mkdir()
    install_trusted_root(fresh, publisher.root_v1)
    from sync import release

    release.publish_online(publisher.repo, publisher.keys)
    with pytest.raises(ExpiredError):
        run_sync(fresh, publisher.repo, now=later)


def test_export_needs_a_synced_release(home):
    with pytest.raises(NotConfigured):
        (home / "stick").mkdir()
        export_usb(home, home / "stick")


@pytest.mark.parametrize("linked", ["lawshelf", "lawshelf/metadata", "lawshelf/blobs"])
def test_export_does_not_write_through_a_link_planted_on_the_stick(
    kiosk, publisher, tmp_path, linked
):
    """A stick whose `lawshelf/metadata` links to the kiosk's own release cache would have the
    export overwrite the cached timestamp with an older one, and a refused rollback would
    then be accepted. Each folder the export writes into must be a real folder."""
    run_sync(kiosk, publisher.repo)
    stick, elsewhere = tmp_path / "stick", tmp_path / "elsewhere"
    elsewhere.mkdir()
    (stick / linked).parent.mkdir(parents=True, exist_ok=True)
    (stick / linked).symlink_to(elsewhere)
    with pytest.raises(UnsafeFolder, match="symbolic link"):
        export_usb(kiosk, stick)
    assert list(elsewhere.iterdir()) == []


def test_export_never_overwrites_a_newer_release_on_the_stick(kiosk, publisher, tmp_path):
    """One wrong tap must not spoil the Department of Justice's stick: a kiosk on release 1
    asked to export onto a stick holding release 2 refuses and leaves the stick as it was."""
    run_sync(kiosk, publisher.repo)
    publisher.publish({"b": "Luật B bản 2"})
    stick = tmp_path / "stick"
    stick.mkdir()  # plugged in
    export_repo(publisher.repo, publisher.keys, stick, days=60)
    before = {p.name: p.read_bytes() for p in (stick / "lawshelf" / "metadata").iterdir()}
    with pytest.raises(StickHoldsNewer, match="newer release"):
        export_usb(kiosk, stick)
    after = {p.name: p.read_bytes() for p in (stick / "lawshelf" / "metadata").iterdir()}
    assert after == before
    run_sync(kiosk, stick)  # the stick updates the kiosk instead, then exports over it
    assert export_usb(kiosk, stick)["version"] == 2


def test_export_says_until_when_the_stick_is_accepted_and_refuses_an_expired_release(
    kiosk, publisher, tmp_path
):
    """A kiosk holds no keys: its stick lasts as long as the publisher's timestamp, which the
    export says; a release already expired is not exported (the neighbour would refuse it)."""
    run_sync(kiosk, publisher.repo)
    ts = Metadata.from_bytes((publisher.repo / "metadata" / "timestamp.json").read_bytes())
    (tmp_path / "stick").mkdir()
    (tmp_path / "stick2").mkdir()
    out = export_usb(kiosk, tmp_path / "stick")
    assert out["expires"] == f"{ts.signed.expires:%Y-%m-%d}"
    later = datetime.now(UTC) + timedelta(days=10)
    with pytest.raises(ExpiredError, match="expired on"):
        export_usb(kiosk, tmp_path / "stick2", now=later)
    assert list((tmp_path / "stick2").iterdir()) == []


def test_an_older_stick_is_told_as_older_not_as_tampering(kiosk, publisher, tmp_path):
    """A stick made last month is older than the kiosk's library: that is no attack (exit 4,
    `failed verification`, reported to the centre) but nothing to load. Over HTTP the same
    is a rollback, still refused as one."""
    stick = tmp_path / "stick"
    stick.mkdir()  # plugged in
    export_repo(publisher.repo, publisher.keys, stick, days=60)
    publisher.publish({"b": "Luật B bản 2"})
    run_sync(kiosk, publisher.repo)
    with pytest.raises(OlderOnStick) as err:
        run_sync(kiosk, stick)
    assert err.value.exit_code == 2 and "cũ hơn" in err.value.message_vi
    assert sorted(live_titles(kiosk).values()) == sorted({**V1, "b": "Luật B bản 2"}.values())


def test_a_stick_without_a_release_says_so(kiosk, tmp_path):
    """Not `cannot connect to the update server … will retry` for a stick with photos on it."""
    stick = tmp_path / "stick"
    stick.mkdir()  # plugged in
    (stick / "photos").mkdir(parents=True)
    with pytest.raises(NoReleaseOnStick, match="holds no release") as err:
        run_sync(kiosk, stick)
    assert "lawshelf" in err.value.message_vi


def test_a_stick_too_small_is_refused_before_anything_is_written(kiosk, publisher, small_disk):
    """A stick that filled half way took 9.8 MB and ended in a traceback (exit 1): the room
    is checked first, and the librarian is told the stick is full (exit 7)."""
    publisher.publish({"huge": "h" * 3_000_000})
    run_sync(kiosk, publisher.repo)
    stick = small_disk("1m")
    with pytest.raises(StickFull, match="no file was written") as err:
        export_usb(kiosk, stick)
    assert err.value.exit_code == 7 and "USB khác" in err.value.message_vi
    assert [p for p in stick.rglob("*") if p.is_file()] == []


def test_an_export_to_a_stick_not_plugged_in_writes_nothing(kiosk, publisher, tmp_path):
    """`--to /media/usb` with no stick there wrote 18 MB onto the kiosk's own disk."""
    run_sync(kiosk, publisher.repo)
    for dest in (tmp_path / "media" / "usb", tmp_path / "media" / "usb" / "lawshelf"):
        with pytest.raises(NoStick, match="is the USB stick plugged in"):
            export_usb(kiosk, dest)
        with pytest.raises(NoStick):
            export_repo(publisher.repo, publisher.keys, dest, days=60)
    assert not (tmp_path / "media").exists()


def test_the_librarian_reads_why_a_stick_was_refused(kiosk, publisher, tmp_path):
    """By exit code alone, an empty stick read `Máy chưa được cấu hình nguồn cập nhật` and a
    half-copied one `không qua được kiểm tra chữ ký` (tampering). Each now says what it is."""
    from kiosk.admin_ops import plain_sync_result
    from sync import status

    def said() -> str:
        return plain_sync_result(status.read_status(status.open_db(kiosk), kiosk))

    photos = tmp_path / "photos"
    (photos / "DCIM").mkdir(parents=True)
    with pytest.raises(NoReleaseOnStick):
        run_sync(kiosk, photos)
    assert "USB này không có dữ liệu thư viện" in said(), said()
    stick = tmp_path / "stick"
    stick.mkdir()
    export_repo(publisher.repo, publisher.keys, stick, days=60)
    blob = next((stick / "lawshelf" / "blobs").iterdir())
    blob.unlink()  # pulled out before the copy ended
    with pytest.raises(StickIncomplete, match="copy the stick again"):
        run_sync(kiosk, stick)
    assert "USB này chép chưa đủ tệp" in said() and "chữ ký" not in said(), said()
    assert gens.live_generation(library_root(kiosk)) is None  # nothing applied
    run_sync(kiosk, publisher.repo)
    assert "không thành công" not in said()


def test_a_synced_kiosk_keeps_its_publisher_s_root(kiosk, publisher, tmp_path):
    """`sync --trust OTHER_ROOT.json` on a kiosk that had synced overwrote the trusted root
    silently; its cached chain still ruled, so the file lay in wait. Another publisher's
    root is refused; the same one again is fine (the installer may run twice)."""
    from offline_index.home import trusted_root_path
    from tests.helpers_release import Publisher

    other = Publisher.at(tmp_path / "other")
    other.write(V1)
    other.publish()
    install_trusted_root(kiosk, other.root_v1)  # not synced yet: a first setup may change
    install_trusted_root(kiosk, publisher.root_v1)
    run_sync(kiosk, publisher.repo)
    before = trusted_root_path(kiosk).read_bytes()
    with pytest.raises(NotConfigured, match="another publisher's root"):
        install_trusted_root(kiosk, other.root_v1)
    assert trusted_root_path(kiosk).read_bytes() == before
    install_trusted_root(kiosk, publisher.root_v1)  # the same root again


def test_sync_json_says_a_failure_as_json(kiosk, tmp_path):
    """`sync --json` from a stick with no release printed nothing on stdout: a script
    reading the JSON got nothing to read."""
    import json

    from click.testing import CliRunner

    from cli.main import cli

    photos = tmp_path / "photos"
    (photos / "DCIM").mkdir(parents=True)
    res = CliRunner().invoke(cli, ["--home", str(kiosk), "sync", "--json", "--from", str(photos)])
    out = json.loads(res.stdout)
    assert res.exit_code == out["exit_code"] == 2 and out["outcome"] == "failed"
    assert "holds no release" in out["error"] and "USB này" in out["error_vi"]
