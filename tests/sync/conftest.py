"""Sync test fixtures: publisher/kiosk (synchelp), the shared real nginx and fault proxy, small
real filesystems to fill up."""

import subprocess

import pytest
from nginx_server import fault_proxy_factory, nginx_factory  # noqa: F401
from synchelp import kiosk, publisher  # noqa: F401


@pytest.fixture
def small_disk(tmp_path):
    """Factory: `small_disk("20m")` mounts a real tmpfs of that size (needs root)."""
    mounts = []

    def make(size: str):
        mnt = tmp_path / f"disk{len(mounts)}"
        mnt.mkdir()
        cmd = ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mnt)]
        if subprocess.run(cmd, check=False).returncode != 0:
            pytest.skip("cannot mount a small tmpfs here (needs root)")
        mounts.append(mnt)
        return mnt

    yield make
    for mnt in mounts:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


@pytest.fixture
def tiny_disk(small_disk):
    """A real 2 MB filesystem, to fill up (needs root to mount)."""
    return small_disk("2m")
