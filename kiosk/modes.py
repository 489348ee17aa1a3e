"""Whom the kiosk serves right now: nobody (the media loop), a resident, or the librarian.

One small state machine, free of Qt, so that every ordering of events can be tested
(tests/kiosk/test_modes.py). The shell (ui/shell.py) reports each screen change
(`shown`), each touch and each timer; it carries out what comes back (`Do.HOME`: show a
clean Home; `Do.WIPE`: forget the visit and start the loop) and sets its bars and timers
from `outputs()`. After every step:

- the title and bottom bars are shown unless the loop plays;
- the resident idle timer runs on resident screens, and only there;
- admin mode is on exactly while an admin screen shows, with its own idle timer. Leaving
  the admin screens by any route (Home, Back, the loop, a wipe) or its idle time running
  out ends it; the next corner hold asks for the PIN again.

Issue 18 had admin mode outliving the librarian (it survived Home and the idle wipe, and
any resident touch kept it alive), and an admin timeout during the loop calling Home while
the shell still thought it was looping: no bars, no idle timer, stuck until a restart.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from kiosk.admin import AdminSession


class Mode(StrEnum):
    LOOP = "loop"  # nobody here: videos and infographics
    RESIDENT = "resident"  # a resident screen (Home, search, reader, the PIN pad, ...)
    ADMIN = "admin"  # an admin screen, in admin mode


class Do(StrEnum):
    """What the shell must do after an event."""

    NOTHING = "nothing"
    HOME = "home"  # show a clean Home
    WIPE = "wipe"  # forget the visit, then start the loop


@dataclass(frozen=True)
class Outputs:
    bars: bool  # title bar (Back, Home) and bottom bar visible
    idle_timer: bool  # the resident idle timer runs
    admin_timer: bool  # admin mode's inactivity check runs
    tidy_timer: bool = False  # freed memory goes back to the system (nobody is here)


class Modes:
    """The kiosk's mode; `on_admin_left(reason)` hears each end of admin mode."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.mode = Mode.RESIDENT
        self.admin: AdminSession | None = None
        self._clock = clock
        self.on_admin_left: Callable[[str], None] | None = None

    @property
    def admin_active(self) -> bool:
        """Admin mode is on and has not run out (admin screens need this, else the PIN)."""
        return self.admin is not None and not self.admin.expired()

    def outputs(self) -> Outputs:
        return Outputs(
            bars=self.mode is not Mode.LOOP,
            idle_timer=self.mode is Mode.RESIDENT,
            admin_timer=self.mode is Mode.ADMIN,
            tidy_timer=self.mode is Mode.LOOP,
        )

    # ------------------------------------------------------------ events
    def enter_admin(self, idle_s: float) -> None:
        """The right PIN: admin mode starts; it holds while admin screens show."""
        self.admin = AdminSession(idle_s, self._clock)

    def shown(self, admin_screen: bool, loop: bool = False) -> None:
        """A screen change, whatever caused it: the mode follows what is on screen."""
        if admin_screen and self.admin_active:
            self.mode = Mode.ADMIN
            return
        self._end_admin("left")
        self.mode = Mode.LOOP if loop else Mode.RESIDENT

    def touch(self) -> Do:
        """A touch, key or wheel anywhere: ends the loop; keeps admin mode alive."""
        if self.mode is Mode.LOOP:
            return Do.HOME
        if self.mode is Mode.ADMIN and self.admin is not None:
            self.admin.touch()
        return Do.NOTHING

    def idle(self) -> Do:
        """The resident idle timer ran out: wipe and loop (admin mode ends with the wipe)."""
        if self.mode is Mode.LOOP:
            return Do.NOTHING
        self._end_admin("wipe")
        return Do.WIPE

    def admin_tick(self, working: bool = False) -> Do:
        """Admin mode's periodic check: after its idle time on admin screens, Home.

        `working`: an action the librarian started (a sync, a USB import, OCR of a scan) is
        still running on the screen; that is activity, and its progress must stay in view."""
        if self.mode is not Mode.ADMIN:
            return Do.NOTHING
        if working and self.admin is not None:
            self.admin.touch()
        if self.admin is not None and not self.admin.expired():
            return Do.NOTHING
        self._end_admin("idle")
        return Do.HOME

    def admin_exit(self) -> Do:
        """`Thoát chế độ quản trị`: admin mode ends and Home shows."""
        self._end_admin("exit")
        return Do.HOME

    def _end_admin(self, reason: str) -> None:
        if self.admin is None:
            return
        self.admin.end()
        self.admin = None
        if self.on_admin_left is not None:
            self.on_admin_left(reason)
