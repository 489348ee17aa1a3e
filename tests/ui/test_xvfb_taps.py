"""Taps while the on-screen keyboard is up, on the real app under Xvfb (xdotool as the finger).

A press on a button moves focus off the text field, so Qt Virtual Keyboard hides itself; if
the window then gave the keyboard's space back at once, the button would move away before
the release and the tap would be lost. Seen in both contests: type the prediction, tap
`Nộp bài ✔`, and nothing was submitted.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from test_xvfb import App, xvfb  # noqa: F401 - the Xvfb display fixture

pytestmark = [pytest.mark.xvfb]


@pytest.fixture
def contest_kiosk(xvfb: str, home: Path, contest_library: Path, publisher_key: Path):  # noqa: ANN201, F811
    app = App(xvfb, home, contest_library)
    yield app
    app.stop()


def _type_field(app: App, name: str, text: str) -> None:
    """Tap a field (the keyboard comes up), type, and put the keyboard away with its key."""
    st = app.wait(lambda s: name in s["buttons"])
    app.tap(st["buttons"][name])
    time.sleep(0.8)  # the keyboard settles on its layout (letters or digits)
    st = app.wait(lambda s: s.get("vk_visible") and s.get("keys"))
    app.xdo("type", "--delay", "40", text)
    app.tap(st["keys"]["hide"])
    app.wait(lambda s: not s.get("vk_visible"))


def _to_prediction_page(app: App) -> None:
    st = app.wait(lambda s: s.get("screen") == "home" and s.get("library") == "ready")
    app.tap(st["buttons"]["tile_contest"])
    card = "contest_phap-luat-doi-song-2026"
    st = app.wait(lambda s: card in s["buttons"])
    app.tap(st["buttons"][card])
    for name, text in (("f_name", "Nguyen Van An"), ("f_year", "1960"), ("f_ward", "Lang Ha")):
        _type_field(app, name, text)
    for name in ("consent", "start", "finish"):
        st = app.wait(lambda s, n=name: n in s["buttons"])
        app.tap(st["buttons"][name])
        time.sleep(0.3)
    app.wait(lambda s: "prediction" in s["buttons"] and "submit" in s["buttons"])


def test_submit_tap_acts_while_the_keyboard_is_up(contest_kiosk: App) -> None:
    app = contest_kiosk
    _to_prediction_page(app)
    app.tap(app.state()["buttons"]["prediction"])
    time.sleep(0.8)
    st = app.wait(lambda s: s.get("vk_visible") and "0" in (s.get("keys") or {}))
    for digit in "120":
        app.tap(st["keys"][digit])
        time.sleep(0.15)
    st = app.wait(lambda s: s.get("vk_visible") and "submit" in s["buttons"])
    submit = st["buttons"]["submit"]
    assert submit[1] < st["vk_top"]  # the button is above the keyboard, where the finger goes
    app.tap(submit)
    st = app.wait(lambda s: "done" in s["buttons"] or not s.get("vk_visible"), timeout=10)
    time.sleep(1.0)
    st = app.state()
    assert "done" in st["buttons"], f"the tap was lost: still on {sorted(st['buttons'])}"
    assert not st["vk_visible"]  # typing is over: the keyboard went away as well


def test_windowed_kiosk_is_the_kiosk_scaled(xvfb: str, home: Path, demo_library: Path) -> None:  # noqa: F811
    """`lawshelf kiosk --windowed` (the README's first command): the keyboard stays inside the
    window, in the kiosk's proportions (600 of 1080 lines), and the reader keeps a real page."""
    app = App(xvfb, home, demo_library, args=("--windowed",))
    try:
        st = app.wait(lambda s: s.get("screen") == "home" and s.get("library") == "ready")
        x, y, w, h = st["window"]
        assert (w, h) == (1280, 720)  # the 1920x1080 kiosk at 2/3 on this 1920x1080 screen
        app.tap(st["buttons"]["tile_search"])
        time.sleep(0.8)
        st = app.wait(lambda s: s.get("vk_visible") and s.get("keys"))
        # The panel sizes itself to the screen as it shows; the kiosk moves it into the window.
        st = app.wait(lambda s: max(k[0] for k in (s.get("keys") or {"": [9999]}).values()) < w)
        xs = [k[0] for k in st["keys"].values()]
        ys = [k[1] for k in st["keys"].values()]
        assert x <= min(xs) and max(xs) <= x + w, "keyboard keys outside the window"
        assert y + h - st["vk_top"] == pytest.approx(h * 600 / 1080, rel=0.03)
        assert max(ys) <= y + h
        for ch in "ly hon":
            app.tap(st["keys"][ch])
            time.sleep(0.12)
        st = app.wait(lambda s: s.get("hit_cards") and s.get("query") == "ly hon")
        app.tap(st["keys"]["hide"])
        st = app.wait(lambda s: not s.get("vk_visible") and s.get("hit_cards"))
        card = next(c for c in st["hit_cards"] if c["type"] == "article")
        app.tap(card["xy"])
        st = app.wait(lambda s: s.get("screen") == "reader" and s.get("reader_text_h"))
        assert st["reader_text_h"] >= 0.5 * h  # was ~190 of 800 px: the first khoản cut off
    finally:
        app.stop()
