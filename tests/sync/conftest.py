"""Sync test fixtures: the shared real-nginx helper and fault proxy."""

from nginx_server import fault_proxy_factory, nginx_factory  # noqa: F401
