"""Render every screen at normal and large text and in high contrast, as PNGs.

    python -m ui.screenshots OUTDIR [--home HOME]

Runs offscreen (or under Xvfb) at the reference 1920x1080, 102 dpi. We look at these
before every release: clipped Vietnamese text, small targets and dead ends show up here.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

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


def _search(shell: Any, app: Any, text: str) -> Any:
    screen = shell.navigate("search")
    screen.query.setText(text)
    screen.search_now()
    _wait(app, lambda: screen.answer is not None)
    return screen


def _reader(shell: Any, app: Any) -> Any:
    screen = _search(shell, app, "ly hon")
    hit = screen.answer.result.hits[0]
    reader = shell.navigate("reader", doc_id=hit.doc_id, article=hit.article, terms="ly hon")
    _wait(app, lambda: bool(reader.outline.sections))
    return reader


def _old_law(shell: Any, app: Any) -> Any:
    screen = _search(shell, app, "vượt xe")
    hit = next(
        (h for h in screen.answer.result.hits if h.validity == "not_in_force"),
        screen.answer.result.hits[0],
    )
    reader = shell.navigate("reader", doc_id=hit.doc_id, article=hit.article, terms="vượt xe")
    _wait(app, lambda: bool(reader.outline.sections))
    return reader


def _toc(shell: Any, app: Any) -> Any:
    reader = _reader(shell, app)
    reader.toc_button.setChecked(True)
    reader.toggle_toc()
    return reader


def _qr(shell: Any, app: Any) -> Any:
    reader = _reader(shell, app)
    reader.qr_button.setChecked(True)
    reader.show_qr()
    return reader


def _no_printer(shell: Any, app: Any) -> Any:
    """The reader's Print with no printer: what happened and what to do instead."""
    reader = _reader(shell, app)
    os.environ["LAWSHELF_UI_NO_PRINTER"] = "1"
    try:
        reader.print_section()
    finally:
        del os.environ["LAWSHELF_UI_NO_PRINTER"]
    return shell.current


def _simple(name: str, **kw: Any) -> Callable[[Any, Any], Any]:
    def go(shell: Any, app: Any) -> Any:
        screen = shell.navigate(name, **kw)
        _wait(app, lambda: False, 0.6)
        return screen

    return go


def _pdf(shell: Any, app: Any) -> Any:
    docs = shell.ctx.call_library(lambda lib: lib.documents())
    doc = next(d for d in docs if d.get("pdf"))
    screen = shell.navigate("pdf", file=doc["pdf"], title=doc["title"], terms="án lệ")
    _wait(app, lambda: screen.count > 0)
    return screen


def _shelf(shell: Any, app: Any) -> Any:
    screen = shell.navigate("bookshelf")
    _wait(app, lambda: False, 0.5)
    fields = shell.ctx.call_library(lambda lib: lib.fields())
    screen.open_shelf(fields[0][0], None)
    _wait(app, lambda: False, 0.5)
    return screen


def _contest_form(shell: Any, app: Any) -> Any:
    """The participant form: each field's label must stay whole at every text size."""
    contests = shell.ctx.call_library(lambda lib: lib.contests())
    screen = shell.navigate("contest_take", contest_id=contests[0].id)
    _wait(app, lambda: hasattr(screen, "form"), 5)
    return screen


def _opinion(shell: Any, app: Any) -> Any:
    screen = shell.navigate("notices")
    _wait(app, lambda: bool(screen.opinion_boxes), 5)
    if screen.opinion_boxes:
        screen._open_opinion(next(iter(screen.opinion_boxes)))
    _wait(app, lambda: False, 0.3)
    return screen


def _loop(shell: Any, app: Any) -> Any:
    shell.go_idle()
    _wait(app, lambda: False, 0.6)
    return shell.current


SCENES: dict[str, Callable[[Any, Any], Any]] = {
    "home": lambda shell, app: shell.current,
    "search_empty": _simple("search"),
    "search_results": lambda shell, app: _search(shell, app, "phat vuot den do"),
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
    "contest": _simple("contest"),
    "contest_take": _contest_form,
    "ask": _simple("ask"),
    "notices_opinion": _opinion,
    "notices": _simple("notices"),
    "legal_aid": _simple("legal_aid"),
}


def render_all(
    out: Path, home: Path, scenes: list[str] | None = None, variants: list[str] | None = None
) -> list[Path]:
    from kiosk import settings as st
    from offline_index.library import ensure_library
    from ui import app as uiapp
    from ui.screens import registry

    lib = ensure_library(home)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for variant in variants or list(VARIANTS):
        settings = {s.name: s.default for s in st.SETTINGS}
        settings.update(library=str(lib), ward_name="Phường Hoàn Kiếm", **VARIANTS[variant])
        os.environ["LAWSHELF_UI_DPI"] = "102"
        app, shell = uiapp.create(home, windowed=True, settings=settings)
        shell.resize(1920, 1080)
        _wait(app, lambda s=shell: not s.ctx.loading, 60)
        for name in scenes or list(SCENES):
            base = name.split("_")[0]
            if base in ("qa", "contest", "notices", "legal") and not registry.has_screen(
                base if base != "legal" else "legal_aid"
            ):
                continue
            shell.go_home() if not shell.in_loop else shell.end_loop()
            shell.resize(1920, 1080)
            SCENES[name](shell, app)
            _wait(app, lambda: False, 0.2)
            path = out / f"{name}-{variant}.png"
            shell.grab().save(str(path))
            written.append(path)
        if shell.in_loop:
            shell.end_loop()
        shell.ctx.ops.wait()
        shell.allow_close()
        shell.close()
        shell.deleteLater()
        from ui.qt import process_events

        process_events()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--home", type=Path, default=None)
    parser.add_argument("--scene", action="append", help="only these scenes")
    parser.add_argument("--variant", action="append", help="only these variants")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    home = args.home or Path(tempfile.mkdtemp(prefix="lawshelf-shots-"))
    for path in render_all(args.outdir, home, args.scene, args.variant):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
