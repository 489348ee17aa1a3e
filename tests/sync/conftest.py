"""Sync test fixtures: publisher/kiosk (synchelp), the shared real nginx and fault proxy, a
small real filesystem to fill up (tests/conftest.py makes them)."""

import pytest
from nginx_server import fault_proxy_factory, nginx_factory  # noqa: F401
from synchelp import kiosk, publisher  # noqa: F401


@pytest.fixture
def tiny_disk(small_disk):
    """A real 2 MB filesystem, to fill up (needs root to mount)."""
    return small_disk("2m")
