"""The resident's session, kept free of Qt so it can be tested and reasoned about alone.

Everything a resident leaves behind lives here or registers a wipe hook: the search text,
the history of what they opened, the documents still open, form fields, and (through the
contest area's hook) a contest entry that was not submitted. `wipe()` clears it all when
they walk away; nothing of one visit may be seen by the next person.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

log = logging.getLogger(__name__)


@dataclass
class Session:
    query: str = ""
    history: list[str] = field(default_factory=list)  # "search:<text>", "doc:<id>#<article>"
    open_docs: list[str] = field(default_factory=list)
    form_fields: dict[str, str] = field(default_factory=dict)
    printed_pages: int = 0
    started_at: float | None = None
    wipes: int = 0
    _hooks: list[Callable[[], None]] = field(default_factory=list, repr=False)

    @property
    def active(self) -> bool:
        return self.started_at is not None

    def touch(self) -> bool:
        """Mark activity; returns True when this starts a new session (for usage counts)."""
        if self.started_at is None:
            self.started_at = time.monotonic()
            return True
        return False

    def note(self, entry: str) -> None:
        self.history.append(entry)

    def open_doc(self, doc_id: str) -> None:
        if doc_id not in self.open_docs:
            self.open_docs.append(doc_id)

    def close_doc(self, doc_id: str) -> None:
        if doc_id in self.open_docs:
            self.open_docs.remove(doc_id)

    def register_wipe_hook(self, hook: Callable[[], None]) -> None:
        """Call `hook` on every wipe (e.g. drop an unsubmitted contest entry)."""
        if hook not in self._hooks:
            self._hooks.append(hook)

    def unregister_wipe_hook(self, hook: Callable[[], None]) -> None:
        if hook in self._hooks:
            self._hooks.remove(hook)

    def is_clean(self) -> bool:
        return not (
            self.query
            or self.history
            or self.open_docs
            or self.form_fields
            or self.printed_pages
            or self.started_at is not None
        )

    def wipe(self) -> None:
        """Forget the visit. A failing hook is logged and the others still run."""
        self.query = ""
        self.history.clear()
        self.open_docs.clear()
        self.form_fields.clear()
        self.printed_pages = 0
        self.started_at = None
        self.wipes += 1
        for hook in list(self._hooks):
            try:
                hook()
            except Exception:  # noqa: BLE001 - a wipe must always complete
                log.exception("session wipe hook failed")
