"""Screen registry: areas add screens by name without touching the shell.

    from ui.screens.registry import register_screen
    register_screen("contest", lambda shell, **kw: ContestScreen(shell, **kw))

A factory gets the shell and the keyword arguments given to `shell.navigate(name, **kw)`
and returns a `ui.widgets.Screen`: a QWidget offering what `ScreenProtocol` lists (a title
and the hooks the shell calls); the base class gives every hook a no-op default, so a
screen overrides only the hooks it needs.
Modules named ui/screens/*.py are imported by `load_all()` right after Home's first paint
(Home and the message screens first, so the resident sees a screen at once), so registering
at import time is enough.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ui.widgets import Screen

log = logging.getLogger(__name__)


class ScreenProtocol(Protocol):
    """What a screen offers the shell (ui/shell.py) and the start-up (ui/app.py)."""

    title: str  # shown in the title bar (the shell shortens a long one)

    def on_shown(self) -> None:
        """Just after it became the visible screen (search raises its keyboard here)."""

    def wipe(self) -> None:
        """The session is being wiped: forget what the resident typed or chose."""

    def on_theme(self) -> None:
        """The text size or contrast changed: reflow what the stylesheet cannot."""

    def refresh(self) -> None:
        """The library opened, failed to open, or switched generation: show its state."""

    def on_screens_loaded(self) -> None:
        """Every screen module has registered (Home enables the tiles that are ready)."""

    def leaving_loses(self) -> tuple[str, str] | None:
        """What a tap on Back or Home would lose (a contest's answers): the shell asks first."""


Factory = Callable[..., "Screen"]
_FACTORIES: dict[str, Factory] = {}
loaded = False  # True once every screen module was imported (after Home's first paint)


def register_screen(name: str, factory: Factory) -> None:
    """Register (or replace) the factory for screen `name`."""
    _FACTORIES[name] = factory


def has_screen(name: str) -> bool:
    return name in _FACTORIES


def factory(name: str) -> Factory:
    return _FACTORIES[name]


def names() -> list[str]:
    return sorted(_FACTORIES)


def load_all() -> None:
    """Import every module in ui.screens so each registers its screens.

    A screen module that fails to import is logged and skipped: one broken area must not
    take the kiosk down (its Home tile then shows "sắp có").
    """
    import ui.screens as pkg

    global loaded
    loaded = True
    for info in pkgutil.iter_modules(pkg.__path__):
        if info.name == "registry" or info.name.startswith("_"):
            continue
        try:
            importlib.import_module(f"ui.screens.{info.name}")
        except Exception:  # noqa: BLE001 - isolate areas from each other
            log.exception("screen module ui.screens.%s failed to load", info.name)
