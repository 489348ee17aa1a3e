"""LawShelf's offline library: content model, parsing, SQLite store, Whoosh search.

Headless and importable without a display. The stable API is `Library` plus the build
functions below (see docs/library-api.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = [
    "BuildReport",
    "Library",
    "build_generation",
    "build_home",
    "build_into_home",
    "ensure_library",
    "gc_generations",
    "live_generation",
    "switch_generation",
    "verify_generation",
]

_WHERE = {
    "Library": "offline_index.library",
    "BuildReport": "offline_index.build",
    "build_generation": "offline_index.build",
    "build_home": "offline_index.build",
    "build_into_home": "offline_index.build",
    "ensure_library": "offline_index.build",
    "gc_generations": "offline_index.generations",
    "live_generation": "offline_index.generations",
    "switch_generation": "offline_index.generations",
    "verify_generation": "offline_index.generations",
}

if TYPE_CHECKING:
    from offline_index.build import (
        BuildReport,
        build_generation,
        build_home,
        build_into_home,
        ensure_library,
    )
    from offline_index.generations import (
        gc_generations,
        live_generation,
        switch_generation,
        verify_generation,
    )
    from offline_index.library import Library


def __getattr__(name: str) -> Any:
    """Lazy exports: `import offline_index.model` must not pull in Whoosh or SQLite code."""
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'offline_index' has no attribute {name!r}")
