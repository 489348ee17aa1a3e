"""Sync test fixtures: publisher/kiosk (synchelp), the shared real nginx and fault proxy."""

from nginx_server import fault_proxy_factory, nginx_factory  # noqa: F401
from synchelp import kiosk, publisher  # noqa: F401
