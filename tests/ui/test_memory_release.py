"""A release collects everything and freezes what survives (ui/memory.py): Python's full
collections then skip the long-lived objects, and the next release still frees what has
become garbage since."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from ui import memory


class _Node:
    """Part of a reference cycle: only the cycle collector frees it."""

    def __init__(self) -> None:
        self.me = self


@pytest.fixture
def thawed() -> Iterator[None]:
    yield
    gc.unfreeze()  # the rest of the suite collects as usual


def test_a_release_freezes_what_survives(thawed: None) -> None:
    kept = _Node()
    memory.release()
    assert gc.get_freeze_count() > 0
    assert not any(o is kept for o in gc.get_objects())  # no collection walks it now
    later = _Node()
    assert any(o is later for o in gc.get_objects())


def test_the_next_release_frees_what_became_garbage(thawed: None) -> None:
    node = _Node()
    gone = weakref.ref(node)
    memory.release()  # alive then: frozen with the rest
    del node
    gc.collect()  # a full collection skips what is frozen
    assert gone() is not None
    memory.release()
    assert gone() is None
