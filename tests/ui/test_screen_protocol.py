"""What the shell asks of a screen is ui.screens.registry.ScreenProtocol; the base class
ui.widgets.Screen gives each hook a default, so the shell calls hooks without probing."""

from __future__ import annotations

import pytest

from ui.qt import QWidget
from ui.screens import registry
from ui.screens.registry import ScreenProtocol
from ui.widgets import Screen

HOOKS = {"on_shown", "wipe", "on_theme", "refresh", "on_screens_loaded", "leaving_loses"}


def test_the_base_screen_offers_the_whole_protocol() -> None:
    members = {n for n in vars(ScreenProtocol) if not n.startswith("_")}
    assert members == HOOKS
    assert set(ScreenProtocol.__annotations__) == {"title"}
    for name in HOOKS:
        assert callable(getattr(Screen, name)), name
    assert Screen.title == ""


class _Probe(Screen):
    """Counts the hooks the shell calls; leaves on_theme and refresh to the base class."""

    def __init__(self, shell, calls: list[str]) -> None:  # noqa: ANN001
        super().__init__(shell, "Probe")
        self.calls = calls

    def on_shown(self) -> None:
        self.calls.append("on_shown")

    def wipe(self) -> None:
        self.calls.append("wipe")


def test_the_shell_calls_the_hooks_a_screen_overrides(
    make_shell, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:  # noqa: ANN001
    calls: list[str] = []
    monkeypatch.setitem(registry._FACTORIES, "probe", lambda shell, **kw: _Probe(shell, calls))
    shell = make_shell()
    probe = shell.navigate("probe")
    assert isinstance(probe, _Probe) and shell.title_label.text() == "Probe"
    qtbot.waitUntil(lambda: calls == ["on_shown"], timeout=2000)
    shell.apply_theme()  # the base on_theme: nothing to do, nothing raised
    assert probe.leaving_loses() is None  # the base: Back and Home leave without asking
    shell.wipe_session()
    assert calls == ["on_shown", "wipe"]
    assert shell.current_name == "home"


def test_a_factory_that_makes_no_screen_gets_the_crash_screen(
    make_shell, monkeypatch: pytest.MonkeyPatch
) -> None:  # noqa: ANN001
    monkeypatch.setitem(registry._FACTORIES, "bare", lambda shell, **kw: QWidget())
    shell = make_shell()
    shell.navigate("bare")
    assert shell.current_name == "crash"
