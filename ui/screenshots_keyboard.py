"""Screenshots with the on-screen keyboard up (part of `python -m ui.screenshots`).

Qt Virtual Keyboard is a Qt Quick window of its own that renders on a real display (xcb), not
offscreen. ui.screenshots.render_in_xvfb starts a private Xvfb display and runs this module
there in a child process (the keyboard's input module must be chosen before the QApplication
exists); the screen is grabbed, so the keyboard window is in the picture.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ui.screenshots import (
    KEYBOARD_SCENES,
    VARIANTS,
    WINDOWED,
    _wait,
    install_seal_key,
    save,
    scratch_state,
    shot_settings,
)

if TYPE_CHECKING:
    from ui.shell import Shell

KEYBOARD_WAIT_S = 1.5  # the keyboard slides in


def _raise_keyboard(app: Any, widget: Any) -> None:
    from ui.keyboard import keyboard_view
    from ui.qt import QGuiApplication

    widget.window().activateWindow()
    widget.setFocus()
    QGuiApplication.inputMethod().show()
    _wait(app, lambda: False, KEYBOARD_WAIT_S)
    view = keyboard_view()
    if view is not None:  # no window manager keeps it on top of a shell made after it
        view.raise_()
        _wait(app, lambda: False, 0.3)


def _search(shell: Shell, app: Any) -> None:
    screen = shell.navigate("search")
    screen.query.setText("phat vuot den do")
    screen.search_now()
    _wait(app, lambda: screen.answer is not None)
    _raise_keyboard(app, screen.query)


def _prediction(shell: Shell, app: Any) -> None:
    """The contest's last page with the digits keyboard up, Nộp bài ✔ above it."""
    contests = shell.ctx.call_library(lambda lib: lib.contests())
    take = shell.navigate("contest_take", contest_id=contests[-1].id)
    _wait(app, lambda: hasattr(take, "form"), 5)
    form = take.form
    form.name.setText("Nguyễn Thị An")
    form.year.setText("1965")
    form.ward.setText("Phường Hoàn Kiếm")
    form.consent.click()
    form.findChild(type(form.consent), "start").click()
    take.question_page.finish.click()
    take.prediction_page.guess.setText("1250")
    _raise_keyboard(app, take.prediction_page.guess)


def _ask(shell: Shell, app: Any) -> None:
    screen = shell.navigate("ask")
    screen.text.setPlainText("Làm sổ đỏ cho đất được thừa kế cần những giấy tờ gì?")
    _raise_keyboard(app, screen.text)


SCENES: dict[str, Callable[[Any, Any], None]] = {
    "search_keyboard": _search,
    "contest_keyboard": _prediction,
    "ask_keyboard": _ask,
}
assert set(SCENES) == set(KEYBOARD_SCENES)


def render(out: Path, library: Path, scenes: list[str], variants: list[str], small: bool) -> None:
    """In the Xvfb child: one shell per variant, each scene grabbed with the keyboard up."""
    from ui import app as uiapp

    uiapp.prepare_environment()
    os.environ["LAWSHELF_UI_DPI"] = "102"
    with scratch_state() as state:
        for variant in variants:
            _render_variant(out, library, state, scenes, variant, small)


def _render_variant(
    out: Path, library: Path, state: Path, scenes: list[str], variant: str, small: bool
) -> None:
    from ui import app as uiapp
    from ui.qt import process_events

    settings = shot_settings(library, "normal" if variant == WINDOWED else variant)
    app, shell = uiapp.create(state, windowed=True, settings=settings, preview=variant == WINDOWED)
    if variant != WINDOWED:
        shell.setGeometry(app.primaryScreen().geometry())
    _wait(app, lambda s=shell: not s.ctx.loading, 60)
    for name in scenes:
        install_seal_key(state)
        shell.go_home()
        SCENES[name](shell, app)
        g = shell.geometry()
        image = app.primaryScreen().grabWindow(0, g.x(), g.y(), g.width(), g.height())
        print(save(image.toImage(), out / f"{name}-{variant}.png", small), flush=True)
    shell.ctx.ops.wait()
    shell.allow_close()
    shell.close()
    shell.deleteLater()
    process_events()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="keyboard screenshots (run under Xvfb)")
    parser.add_argument("outdir", type=Path)
    parser.add_argument("library", type=Path)
    parser.add_argument("scene", nargs="+", choices=sorted(SCENES))
    parser.add_argument("--variant", action="append", choices=[*VARIANTS, WINDOWED])
    parser.add_argument("--small", action="store_true")
    args = parser.parse_args(argv)
    args.outdir.mkdir(parents=True, exist_ok=True)
    render(args.outdir, args.library, args.scene, args.variant or [*VARIANTS, WINDOWED], args.small)
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    # With Qt Virtual Keyboard loaded, interpreter teardown destroys a QPixmap after the
    # QApplication and aborts ("Must construct a QGuiApplication before a QPixmap"); every
    # picture is written by now, so leave without that teardown.
    os._exit(code)
