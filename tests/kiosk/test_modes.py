"""kiosk.modes, alone: every ordering of wipe, admin timeout, admin exit and touch keeps one
consistent state (issue 18: an admin timeout during the loop left Home with no bars and no
idle timer, and admin mode outlived the librarian)."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest

from kiosk.modes import Do, Mode, Modes

ADMIN_IDLE_S = 40.0


class Kiosk:
    """What the shell does with the machine's answers, without Qt: which kind of screen
    shows. Screen changes go back through `shown`, as ui/shell.py's do."""

    def __init__(self) -> None:
        self.now = 0.0
        self.modes = Modes(clock=lambda: self.now)
        self.left: list[str] = []
        self.modes.on_admin_left = self.left.append
        self.screen = "home"
        self.wipes = 0

    def show(self, screen: str) -> None:
        self.screen = screen
        self.modes.shown(admin_screen=screen == "admin", loop=screen == "loop")

    def do(self, what: Do) -> None:
        if what is Do.HOME:
            self.show("home")
        elif what is Do.WIPE:
            self.wipes += 1
            self.show("home")
            self.show("loop")

    # the events
    def wipe(self) -> None:
        self.do(self.modes.idle())

    def admin_timeout(self) -> None:
        self.now += ADMIN_IDLE_S + 1
        self.do(self.modes.admin_tick())

    def admin_exit(self) -> None:
        if self.screen == "admin":  # the button is on the admin menu
            self.do(self.modes.admin_exit())

    def touch(self) -> None:
        self.now += 1
        self.do(self.modes.touch())

    def login(self) -> None:
        self.modes.enter_admin(ADMIN_IDLE_S)
        self.show("admin")


def check(k: Kiosk) -> None:
    """The invariants after every step."""
    out, mode = k.modes.outputs(), k.modes.mode
    expected = {"loop": Mode.LOOP, "admin": Mode.ADMIN}.get(k.screen, Mode.RESIDENT)
    assert mode is expected, (k.screen, mode)
    assert out.bars == (mode is not Mode.LOOP)
    assert out.idle_timer == (mode is Mode.RESIDENT)
    assert out.admin_timer == (mode is Mode.ADMIN)
    assert (k.modes.admin is not None) == (mode is Mode.ADMIN)
    assert k.modes.admin_active == (mode is Mode.ADMIN)


EVENTS: dict[str, Callable[[Kiosk], None]] = {
    "wipe": Kiosk.wipe,
    "admin_timeout": Kiosk.admin_timeout,
    "admin_exit": Kiosk.admin_exit,
    "touch": Kiosk.touch,
}


def start(where: str) -> Kiosk:
    k = Kiosk()
    if where == "loop":
        k.wipe()
    elif where == "admin":
        k.login()
    elif where == "admin_then_home":  # the librarian left through `Trang chủ`
        k.login()
        k.show("home")
    elif where == "reader":
        k.show("reader")
    check(k)
    return k


@pytest.mark.parametrize("where", ["home", "reader", "loop", "admin", "admin_then_home"])
@pytest.mark.parametrize("order", list(itertools.permutations(EVENTS)))
def test_every_ordering_keeps_one_consistent_state(where: str, order: tuple[str, ...]) -> None:
    k = start(where)
    for name in order:
        EVENTS[name](k)
        check(k)
    k.touch()  # whatever happened, a touch leaves the kiosk usable by a resident
    check(k)
    assert k.screen != "loop" and k.modes.outputs().idle_timer


@pytest.mark.parametrize("where", ["home", "loop", "admin"])
def test_longer_sequences_with_logins_and_routes(where: str) -> None:
    """Every sequence of 4 events out of the four above plus logging in, Home and Back."""
    more = {
        **EVENTS,
        "login": Kiosk.login,
        "home": lambda k: k.show("home"),
        "back": lambda k: k.show("reader"),
    }
    for seq in itertools.product(more, repeat=4):
        k = start(where)
        for name in seq:
            more[name](k)
            check(k)


def test_admin_mode_ends_on_every_route() -> None:
    k = start("admin")
    k.show("home")
    assert k.left == ["left"] and not k.modes.admin_active
    k = start("admin")
    k.show("reader")  # Back to the resident screen below the admin menu
    assert k.left == ["left"]
    k = start("admin")
    k.wipe()
    assert k.left == ["wipe"] and k.screen == "loop"
    k = start("admin")
    k.admin_timeout()
    assert k.left == ["idle"] and k.screen == "home"
    k = start("admin")
    k.admin_exit()
    assert k.left == ["exit"] and k.screen == "home"


def test_admin_idle_time_counts_only_admin_activity() -> None:
    """Touches keep admin mode alive on admin screens; after leaving them, nothing does."""
    k = start("admin")
    for _ in range(int(ADMIN_IDLE_S) * 2):  # a touch every second: still in admin mode
        k.touch()
        k.do(k.modes.admin_tick())
    assert k.screen == "admin" and k.modes.admin_active
    k.now += ADMIN_IDLE_S - 1
    k.do(k.modes.admin_tick())
    assert k.screen == "admin"
    k.now += 2
    k.do(k.modes.admin_tick())
    assert k.screen == "home" and k.left == ["idle"]
    check(k)


def test_an_admin_action_still_running_keeps_admin_mode() -> None:
    """A sync or an OCR of a long scan may outlast the idle time; its progress stays in view
    while it runs, and the idle time counts again from its end."""
    k = start("admin")
    for _ in range(3):
        k.now += ADMIN_IDLE_S + 1
        k.do(k.modes.admin_tick(working=True))
    assert k.screen == "admin" and k.modes.admin_active
    k.now += ADMIN_IDLE_S + 1
    k.do(k.modes.admin_tick())
    assert k.screen == "home" and k.left == ["idle"]
    check(k)


def test_admin_timeout_during_the_loop_leaves_the_loop_alone() -> None:
    """The issue's steps: admin mode, Home, the loop starts, then admin's time runs out."""
    k = start("admin")
    k.show("home")
    k.wipe()
    assert k.screen == "loop"
    k.admin_timeout()
    assert k.screen == "loop"  # nothing to end: admin mode ended when Home showed
    check(k)
    k.touch()
    assert k.screen == "home" and k.modes.outputs() == k.modes.outputs().__class__(
        bars=True, idle_timer=True, admin_timer=False
    )
