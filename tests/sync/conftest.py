"""Sync test fixtures: publisher/kiosk (synchelp), the shared real nginx and fault proxy, a tiny disk."""

import subprocess

import pytest
from nginx_server import fault_proxy_factory, nginx_factory  # noqa: F401
from synchelp import kiosk, publisher  # noqa: F401


@pytest.fixture
def tiny_disk(tmp_path):
    """A real 2 MB filesystem, to fill up (needs root to mount)."""
    mnt = tmp_path / "disk"
    mnt.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mnt)], check=False)
    if r.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], check=False)
