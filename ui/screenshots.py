"""Render every screen at normal and large text and in high contrast, as PNGs.

    python -m ui.screenshots OUTDIR [--home HOME] [--scene NAME ...] [--variant NAME ...] [--small]

Resident screens, the librarian's screens (a scratch kiosk state with a PIN set: nothing is
written to HOME's state) and, under Xvfb, the on-screen keyboard scenes. Runs offscreen at
the reference 1920x1080, 102 dpi. The keyboard is Qt Virtual Keyboard, a Qt Quick window that
renders only on a real display (xcb), not offscreen: those scenes run in a child process on a
private Xvfb display (ui/screenshots_keyboard.py), or are reported as skipped without Xvfb.
`--small` writes what docs/screenshots/ keeps: 960x540, 8-bit palette. We look at these
before every release: clipped Vietnamese text, small targets and dead ends show up here.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.settings import Settings

if TYPE_CHECKING:
    from ui.shell import Shell

VARIANTS = {
    "normal": {"text_size": "normal", "high_contrast": False},
    "large": {"text_size": "xlarge", "high_contrast": False},
    "contrast": {"text_size": "normal", "high_contrast": True},
}


def _wait(app: Any, cond: Callable[[], bool], timeout_s: float = 20.0) -> None:
    import time

    from ui.qt import process_events

    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        process_events()
        if cond():
            break
        time.sleep(0.01)
    for _ in range(5):
        process_events()


def _search(shell: Shell, app: Any, text: str) -> Any:
    screen = shell.navigate("search")
    screen.query.setText(text)
    screen.search_now()
    _wait(app, lambda: screen.answer is not None)
    return screen


def _reader(shell: Shell, app: Any) -> Any:
    screen = _search(shell, app, "ly hon")
    hit = screen.answer.result.hits[0]
    reader = shell.navigate("reader", doc_id=hit.doc_id, article=hit.article, terms="ly hon")
    _wait(app, lambda: bool(reader.outline.sections))
    return reader


def _old_law(shell: Shell, app: Any) -> Any:
    screen = _search(shell, app, "vượt xe")
    hit = next(
        (h for h in screen.answer.result.hits if h.validity == "not_in_force"),
        screen.answer.result.hits[0],
    )
    reader = shell.navigate("reader", doc_id=hit.doc_id, article=hit.article, terms="vượt xe")
    _wait(app, lambda: bool(reader.outline.sections))
    return reader


def _toc(shell: Shell, app: Any) -> Any:
    reader = _reader(shell, app)
    reader.toc_button.setChecked(True)
    reader.toggle_toc()
    return reader


def _qr(shell: Shell, app: Any) -> Any:
    reader = _reader(shell, app)
    reader.qr_button.setChecked(True)
    reader.show_qr()
    return reader


def _no_printer(shell: Shell, app: Any) -> Any:
    """The reader's Print with no printer: what happened and what to do instead."""
    reader = _reader(shell, app)
    os.environ["LAWSHELF_UI_NO_PRINTER"] = "1"
    try:
        reader.print_section()
    finally:
        del os.environ["LAWSHELF_UI_NO_PRINTER"]
    return shell.current


def _simple(name: str, **kw: Any) -> Callable[[Any, Any], Any]:
    def go(shell: Shell, app: Any) -> Any:
        screen = shell.navigate(name, **kw)
        _wait(app, lambda: False, 0.6)
        return screen

    return go


def _pdf(shell: Shell, app: Any) -> Any:
    docs = shell.ctx.call_library(lambda lib: lib.documents())
    doc = next(d for d in docs if d.pdf)
    screen = shell.navigate("pdf", file=doc.pdf, title=doc.title, terms="án lệ")
    _wait(app, lambda: screen.count > 0)
    return screen


def _shelf(shell: Shell, app: Any) -> Any:
    screen = shell.navigate("bookshelf")
    _wait(app, lambda: False, 0.5)
    fields = shell.ctx.call_library(lambda lib: lib.fields())
    screen.open_shelf(fields[0][0], None)
    _wait(app, lambda: False, 0.5)
    return screen


def _contest_form(shell: Shell, app: Any) -> Any:
    """The participant form: each field's label must stay whole at every text size."""
    contests = shell.ctx.call_library(lambda lib: lib.contests())
    screen = shell.navigate("contest_take", contest_id=contests[0].id)
    _wait(app, lambda: hasattr(screen, "form"), 5)
    return screen


def _opinion(shell: Shell, app: Any) -> Any:
    screen = shell.navigate("notices")
    _wait(app, lambda: bool(screen.opinion_boxes), 5)
    if screen.opinion_boxes:
        screen._open_opinion(next(iter(screen.opinion_boxes)))
    _wait(app, lambda: False, 0.3)
    return screen


def _scroll_to(screen: Any, prefix: str) -> None:
    """Scroll a screen's list to its first button whose name starts with `prefix`."""
    from ui.qt import QPushButton, QScrollArea

    found = [b for b in screen.findChildren(QPushButton) if b.objectName().startswith(prefix)]
    area = found[0].parentWidget() if found else None
    while area is not None and not isinstance(area, QScrollArea):
        area = area.parentWidget()
    if area is not None:
        area.ensureWidgetVisible(found[0], 0, 200)


def _qa_entry(shell: Shell, app: Any) -> Any:
    """A traffic-fine answer: its fine and the button naming the decree it rests on."""
    entries = shell.ctx.call_library(lambda lib: lib.qa_entries())
    entry = next(e for e in entries if e.citations and e.fine)
    screen = shell.navigate("qa_entry", qa_id=entry.id)
    _wait(app, lambda: bool(screen.citations), 5)
    return screen


def _legal_aid_cite(shell: Shell, app: Any) -> Any:
    """The legal-aid centre's button naming the law that says who qualifies."""
    screen = shell.navigate("legal_aid")
    _wait(app, lambda: False, 0.6)
    _scroll_to(screen, "cite_")
    _wait(app, lambda: False, 0.2)
    return screen


_ENTRANTS = itertools.count()


def _contest_result(shell: Shell, app: Any) -> Any:
    """A submitted law contest: each answer with a button naming the law behind it."""
    from ui.qt import QPushButton

    contests = shell.ctx.call_library(lambda lib: lib.contests())
    cited = next(c for c in contests if any(q.citation for q in c.questions))
    screen = shell.navigate("contest_take", contest_id=cited.id)
    _wait(app, lambda: hasattr(screen, "form"), 5)
    year = str(1970 + next(_ENTRANTS))  # one attempt per person: each variant another
    for field, text in (("name", "Nguyễn Thị An"), ("year", year), ("ward", "Láng Hạ")):
        getattr(screen.form, field).setText(text)
    screen.form.consent.click()
    screen.form.findChild(QPushButton, "start").click()
    if screen.attempt is not None:
        screen.submit(None)
        _wait(app, lambda: False, 0.3)
        _scroll_to(screen, "cite_")
    _wait(app, lambda: False, 0.2)
    return screen


def _no_key(scene: Callable[[Any, Any], Any], shell: Shell, app: Any) -> Any:
    """A kiosk without the publisher's sealing key (render_all installs it again after)."""
    from offline_index.home import keys_dir
    from sync.sealing import PUBLIC_NAME

    (keys_dir(shell.ctx.home) / PUBLIC_NAME).unlink(missing_ok=True)
    return scene(shell, app)


def _ticket(shell: Shell, app: Any) -> Any:
    """The ticket page right after Gửi câu hỏi."""
    screen = shell.navigate("ask")
    screen.text.setPlainText("Làm sổ đỏ cho đất được thừa kế cần những giấy tờ gì?")
    screen.send()
    _wait(app, lambda: False, 0.3)
    return screen


def _admin(name: str) -> Callable[[Any, Any], Any]:
    """A librarian screen, reached the way a librarian does: the PIN pad first."""

    def go(shell: Shell, app: Any) -> Any:
        from ui.screens import admin

        if not admin.mode(shell):
            pad = shell.navigate("admin_pin", then=name)
            for key in (*PIN, "OK"):
                pad.keys[key].click()
        else:
            shell.navigate(name)
        _wait(app, lambda: False, 0.8)
        return shell.current

    return go


def _loop(shell: Shell, app: Any) -> Any:
    shell.go_idle()
    _wait(app, lambda: False, 0.6)
    return shell.current


SCENES: dict[str, Callable[[Any, Any], Any]] = {
    "home": lambda shell, app: shell.current,
    "search_empty": _simple("search"),
    "search_results": lambda shell, app: _search(shell, app, "phat vuot den do xe may"),
    "search_none": lambda shell, app: _search(shell, app, "xqzzwv"),
    "reader": _reader,
    "reader_not_in_force": _old_law,
    "reader_toc": _toc,
    "reader_qr": _qr,
    "bookshelf": _shelf,
    "pdf": _pdf,
    "accessibility": _simple("accessibility"),
    "message_no_printer": _no_printer,
    "crash": _simple("crash"),
    "media_loop": _loop,
    "qa": _simple("qa"),
    "qa_entry": _qa_entry,
    "contest": _simple("contest"),
    "contest_take": _contest_form,
    "contest_result": _contest_result,
    "ask": _simple("ask"),
    "notices_opinion": _opinion,
    "notices": _simple("notices"),
    "legal_aid": _simple("legal_aid"),
    "legal_aid_cite": _legal_aid_cite,
    "ask_ticket": _ticket,
    "contest_no_key": lambda shell, app: _no_key(_simple("contest"), shell, app),
    "admin_pin": _simple("admin_pin"),
    "admin_menu": _admin("admin"),
    "admin_status": _admin("admin_status"),
    "admin_status_no_key": lambda shell, app: _no_key(_admin("admin_status"), shell, app),
    "admin_sync": _admin("admin_sync"),
    "admin_usb_import": _admin("admin_usb_import"),
    "admin_usb_export": _admin("admin_usb_export"),
    "admin_local": _admin("admin_local"),
    "admin_settings": _admin("admin_settings"),
    "admin_report": _admin("admin_report"),
    "admin_thesaurus": _admin("admin_thesaurus"),
}
# Rendered with the on-screen keyboard up, under Xvfb (ui/screenshots_keyboard.py).
KEYBOARD_SCENES = ("search_keyboard", "contest_keyboard", "ask_keyboard")
WINDOWED = "windowed"  # `lawshelf kiosk --windowed`: the kiosk scaled into a 1280x720 window
PIN = "246810"  # the scratch kiosk state's librarian PIN
OPTIONAL_AREAS = {"qa": "qa", "contest": "contest", "notices": "notices", "legal": "legal_aid"}


@contextlib.contextmanager
def scratch_state() -> Iterator[Path]:
    """A throwaway kiosk home for the shots, removed afterwards: the librarian's PIN set and a
    fresh publisher sealing key pair to install (the library is HOME's, by setting). HOME's
    state is untouched."""
    from kiosk import admin
    from kiosk.state import open_state
    from sync.sealing import generate_keypair

    with tempfile.TemporaryDirectory(prefix="lawshelf-shots-state-") as tmp:
        state = Path(tmp)
        db = open_state(state)
        try:
            admin.set_pin(db, PIN)
        finally:
            db.conn.close()
        generate_keypair(state / "publisher")
        yield state


def install_seal_key(state: Path) -> None:
    from sync.sealing import PUBLIC_NAME, install_public

    install_public(state, state / "publisher" / PUBLIC_NAME)


def shot_settings(library: Path, variant: str) -> Settings:
    return Settings(library=str(library), ward_name="Phường Hoàn Kiếm", **VARIANTS[variant])


def save(image: Any, path: Path, small: bool) -> Path:
    """Full size, or what docs/screenshots keeps: 960x540 with an 8-bit palette."""
    from ui.qt import QImage, Qt

    if small:
        image = image.scaled(
            960,
            540,
            Qt.AspectRatioMode.IgnoreAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        ).convertToFormat(
            QImage.Format.Format_Indexed8,
            Qt.ImageConversionFlag.ThresholdDither | Qt.ImageConversionFlag.AvoidDither,
        )
    image.save(str(path))
    return path


def render_all(
    out: Path,
    home: Path,
    scenes: list[str] | None = None,
    variants: list[str] | None = None,
    small: bool = False,
) -> list[Path]:
    from offline_index.library import ensure_library

    lib = ensure_library(home)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with scratch_state() as state:
        for variant in variants or list(VARIANTS):
            written += _render_variant(out, state, lib, variant, scenes or list(SCENES), small)
    return written


def _render_variant(
    out: Path, state: Path, lib: Path, variant: str, scenes: list[str], small: bool
) -> list[Path]:
    from ui import app as uiapp
    from ui.qt import process_events
    from ui.screens import registry

    os.environ["LAWSHELF_UI_DPI"] = "102"
    app, shell = uiapp.create(state, windowed=True, settings=shot_settings(lib, variant))
    shell.resize(1920, 1080)
    _wait(app, lambda s=shell: not s.ctx.loading, 60)
    _wait(app, lambda: registry.loaded, 5)
    written = []
    for name in scenes:
        area = OPTIONAL_AREAS.get(name.split("_")[0])
        if area and not registry.has_screen(area):
            continue
        install_seal_key(state)
        shell.go_home() if not shell.in_loop else shell.end_loop()
        shell.resize(1920, 1080)
        SCENES[name](shell, app)
        _wait(app, lambda: False, 0.2)
        written.append(save(shell.grab().toImage(), out / f"{name}-{variant}.png", small))
    if shell.in_loop:
        shell.end_loop()
    shell.ctx.ops.wait()
    shell.allow_close()
    shell.close()
    shell.deleteLater()
    process_events()
    return written


def _free_display() -> int:
    for n in range(150, 400):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            return n
    raise RuntimeError("no free X display number")


def render_in_xvfb(
    out: Path, home: Path, scenes: list[str], variants: list[str] | None, small: bool
) -> str:
    """Run `render` on a private Xvfb display; returns what happened, in one line."""
    if not shutil.which("Xvfb"):
        return f"skipped {', '.join(scenes)}: the keyboard needs Xvfb (apt install xvfb)"
    from offline_index.library import ensure_library

    library = ensure_library(home)
    n = _free_display()
    xvfb = subprocess.Popen(
        ["Xvfb", f":{n}", "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while not Path(f"/tmp/.X11-unix/X{n}").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        env = {**os.environ, "DISPLAY": f":{n}", "QT_QPA_PLATFORM": "xcb"}
        env["QT_IM_MODULE"] = "qtvirtualkeyboard"
        args = [sys.executable, "-m", "ui.screenshots_keyboard", str(out), str(library), *scenes]
        for v in variants or [*VARIANTS, WINDOWED]:
            args += ["--variant", v]
        args += ["--small"] if small else []
        done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=600)
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=10)
    if done.returncode != 0:
        return f"keyboard scenes failed under Xvfb: {done.stderr.strip()[-800:]}"
    return done.stdout.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--home", type=Path, default=None)
    parser.add_argument("--scene", action="append", help="only these scenes")
    parser.add_argument("--variant", action="append", help="only these variants")
    parser.add_argument("--small", action="store_true", help="960x540, 8-bit palette (docs)")
    args = parser.parse_args(argv)
    home = args.home or Path(tempfile.mkdtemp(prefix="lawshelf-shots-"))
    wanted = args.scene or [*SCENES, *KEYBOARD_SCENES]
    offscreen = [s for s in wanted if s in SCENES]
    keyboard = [s for s in wanted if s in KEYBOARD_SCENES]
    if unknown := sorted(set(wanted) - set(offscreen) - set(keyboard)):
        parser.error(f"unknown scenes: {', '.join(unknown)}")
    if offscreen:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        for path in render_all(args.outdir, home, offscreen, args.variant, args.small):
            print(path)
    if keyboard:
        print(render_in_xvfb(args.outdir, home, keyboard, args.variant, args.small))
    return 0


if __name__ == "__main__":
    sys.exit(main())
