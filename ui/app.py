"""Start the kiosk: environment, QApplication, theme, language, shell, then the library.

Home is painted before the library is opened (the resident sees a screen at once); the
library opens on the library worker thread right after the first paint. A missing or
corrupt library becomes a clear message on Home, never a crash or a blank window.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from kiosk.session import Session
from kiosk.settings import Settings
from offline_index.errors import LawShelfError, LibraryNotFound
from ui import events, memory
from ui.i18n import day, error_message, set_language, tr
from ui.ops import Ops
from ui.theme import REFERENCE_DPI, Theme

if TYPE_CHECKING:
    from offline_index.library import Library
    from ui.qt import QApplication
    from ui.shell import Shell

T = TypeVar("T")

log = logging.getLogger(__name__)

REFERENCE_SCREEN = (1920, 1080)  # the 21.5" kiosk screen every layout is judged on
PREVIEW_SCALE = 2 / 3  # a windowed kiosk: 1280x720, the whole kiosk scaled down


def prepare_environment(virtual_keyboard: bool = True) -> None:
    """Must run before QApplication: input method module and the Vietnamese locale."""
    if virtual_keyboard:
        os.environ.setdefault("QT_IM_MODULE", "qtvirtualkeyboard")
    # The keyboard is a Qt Quick window: its software renderer needs ~100 MB less than Mesa's
    # llvmpipe on GPU-less kiosks and starts faster; a keyboard needs no GPU.
    os.environ.setdefault("QT_QUICK_BACKEND", "software")
    # The keyboard's layout follows Qt's default locale (set in create()). We do not force
    # LC_ALL=vi_VN: that C locale is often not generated and setlocale() would fail.
    from ui.qt import QLocale

    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))


@dataclass
class AppContext:
    """Everything screens share. Library fields are only touched on the library thread."""

    home: Path
    settings: Settings
    theme: Theme
    ops: Ops
    session: Session = field(default_factory=Session)
    library: Library | None = None
    library_error: BaseException | None = None
    library_path: Path | None = None
    loading: bool = True
    info: dict[str, Any] = field(default_factory=dict)
    sync_status: dict[str, Any] = field(default_factory=dict)
    _local: threading.local = field(default_factory=threading.local)

    # ---------------------------------------------------------------- library thread
    def call_library(self, fn: Callable[[Library], T]) -> T:
        if self.library is None:
            raise self.library_error or LibraryNotFound("the library is not open")
        return fn(self.library)

    def open_library(self) -> dict[str, Any]:
        """Open the configured library, else the live generation, else build the demo."""
        from offline_index.library import Library, ensure_library

        try:
            configured = self.settings.library
            path = Path(configured) if configured else ensure_library(self.home)
            lib = Library.open(path)
            memory.release()  # what opening it left behind; the rest is long-lived (ui/memory.py)
            self.library, self.library_error = lib, None
            self.library_path = lib.path.resolve()  # the generation it serves
            self.info = dict(lib.info)
        except Exception as exc:
            self.library, self.library_error = None, exc
            log.exception("library could not be opened")
            raise
        finally:
            self.loading = False
            self.sync_status = _read_sync_status(self.home)
        return self.info

    def refresh_library(self, on_done: Callable[[bool], None]) -> None:
        """Between sessions: switch to a newer live generation if the sync made one."""
        self.ops.run(self._refresh, on_done=on_done, on_error=lambda exc: None)

    def _refresh(self) -> bool:
        from offline_index.home import library_root
        from offline_index.library import Library, live_generation

        self.sync_status = _read_sync_status(self.home)
        if self.settings.library:
            return False
        live = live_generation(library_root(self.home))
        if live is None or (self.library is not None and live.resolve() == self.library_path):
            return False
        new = Library.open(live)
        old, self.library, self.library_error = self.library, new, None
        self.library_path, self.info = live.resolve(), dict(new.info)
        if old is not None:
            old.close()
        log.info("switched to library generation %s", live.name)
        return True

    # ---------------------------------------------------------------- state thread
    def record_stat(self, event: str, topic: str | None) -> None:
        from kiosk import stats

        db = getattr(self._local, "db", None)
        if db is None:
            from kiosk.state import open_state

            db = self._local.db = open_state(self.home)
        stats.record(db, event, topic)

    # ---------------------------------------------------------------- GUI helpers
    def freshness_text(self) -> str:
        if self.loading:
            return tr("Đang mở thư viện pháp luật…")
        if self.library is None:
            return tr("Chưa có dữ liệu pháp luật trên máy này.")
        content = day(self.info.get("content_date") or self.info.get("built_at"), "?")
        text = tr("Dữ liệu cập nhật ngày {date}").format(date=content)
        synced = day(self.sync_status.get("last_success"), "?")
        if synced != "?":
            text += " · " + tr("đồng bộ lần cuối {date}").format(date=synced)
        if (days := self.sync_status.get("days_stale")) is not None:  # the law may have changed
            text += " · ⚠ " + tr("đã {n} ngày chưa cập nhật, văn bản có thể đã thay đổi").format(
                n=days
            )
        return text

    def error_text(self, exc: BaseException | None) -> str:
        fallback = tr("Thư viện pháp luật tạm thời không dùng được. Vui lòng báo cán bộ phường/xã.")
        return error_message(exc, fallback) if exc is not None else fallback


def _read_sync_status(home: Path) -> dict[str, Any]:
    from kiosk.state import open_state
    from sync.status import read_status

    try:
        db = open_state(home)
        try:
            return dict(read_status(db))
        finally:
            db.conn.close()
    except Exception:  # noqa: BLE001 - freshness is informative, never fatal
        log.exception("sync status unavailable")
        return {}


def _reference_dpi() -> float:
    """The DPI of the kiosk screen a preview window imitates (LAWSHELF_UI_DPI, else 102)."""
    return float(os.environ.get("LAWSHELF_UI_DPI") or REFERENCE_DPI)


def screen_dpi(app: Any) -> float:
    """Physical DPI when the screen reports a sane one, else the reference 102 dpi."""
    override = os.environ.get("LAWSHELF_UI_DPI")
    if override:
        return float(override)
    screen = app.primaryScreen()
    dpi = screen.physicalDotsPerInch() if screen else REFERENCE_DPI
    return dpi if 72 <= dpi <= 400 else REFERENCE_DPI


def load_settings(home: Path) -> Settings:
    """Settings before the first paint: the state file is read as it is, without opening
    (and migrating) it through sqlite-utils, which would delay Home (kiosk.settings)."""
    from kiosk import settings as st

    try:  # a value one layer holds that breaks its setting's rule is skipped there, alone
        return st.load_before_paint(home)
    except LawShelfError:  # config.toml unreadable as a whole: it must not keep the kiosk dark
        log.exception("settings unusable; using defaults")
        return Settings()


def preview_scale(app: Any) -> float:
    """How much smaller than the reference screen a windowed kiosk is drawn: 2/3 (1280x720),
    less on a screen too small for that."""
    screen = app.primaryScreen()
    if screen is None:
        return PREVIEW_SCALE
    room = screen.availableGeometry()
    w, h = REFERENCE_SCREEN
    return min(PREVIEW_SCALE, 0.9 * room.width() / w, 0.9 * room.height() / h)


def create(
    home: Path,
    *,
    windowed: bool = False,
    settings: Settings | None = None,
    load_library: bool = True,
    preview: bool = False,
) -> tuple[QApplication, Shell]:
    """Build the QApplication (if none) and the shell; returns (app, shell).

    `preview`: a window (when `windowed` or the `fullscreen` setting is off) shows the kiosk
    as it looks on the reference 1920x1080 screen, scaled down whole: window, text, touch
    targets and on-screen keyboard keep the kiosk's proportions (`lawshelf kiosk --windowed`).
    Without it a window is 1280x800 at the screen's own DPI (tests size it themselves)."""
    from ui.qt import QApplication, QLocale, Qt

    memory.tune_malloc()  # before any worker thread allocates (see ui/memory.py)
    from ui.screens import registry
    from ui.shell import Shell

    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    # Video frames are converted to images on the CPU (cheap at 720p, 5-25 fps) rather than
    # through OpenGL: on a kiosk without a GPU that loaded Mesa's llvmpipe (libLLVM, 54 MB
    # resident) for the media loop alone. Our widgets are raster anyway.
    QApplication.setAttribute(Qt.ApplicationAttribute.AA_ForceRasterWidgets)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    settings = settings if settings is not None else load_settings(home)
    windowed = windowed or not settings.fullscreen
    scale = preview_scale(app) if windowed and preview else None
    theme = Theme(
        dpi=screen_dpi(app) if scale is None else _reference_dpi() * scale,
        text_size=settings.text_size,
        high_contrast=settings.high_contrast,
    )
    app.setStyleSheet(theme.stylesheet())
    set_language(settings.language)
    import ui.screens.home  # noqa: F401 - the first screen; the rest load after it paints
    import ui.screens.message  # noqa: F401

    ctx = AppContext(home=home, settings=settings, theme=theme, ops=Ops())
    shell = Shell(ctx)
    ctx.ops.default_error = lambda exc: shell.show_crash(exc)
    _install_excepthook(shell)
    if os.environ.get("LAWSHELF_UI_TEST_STATE"):
        from ui import testhooks

        testhooks.install(shell, os.environ["LAWSHELF_UI_TEST_STATE"])
    from ui.qt import QTimer

    def after_paint() -> None:
        """Once Home is on screen: open the library on its thread while the GUI thread
        imports the other screens (the two overlap on a 2-core kiosk)."""
        if load_library:
            start_library(shell)
        registry.load_all()
        if shell.current is not None:
            shell.current.on_screens_loaded()

    shell.after_first_paint(after_paint)
    from ui import update_restart

    update_restart.install(
        shell
    )  # exit at an idle wipe: a new app version, or the nightly fresh start
    QTimer.singleShot(1500, shell.first_paint_done)  # if nothing paints (hidden window)
    if not load_library:
        ctx.loading = False
        shell.library_state = "ready"
    if windowed:
        w, h = REFERENCE_SCREEN if scale is not None else (1280, 800)
        shell.resize(round(w * (scale or 1)), round(h * (scale or 1)))
        shell.show()
    else:
        from ui.qt import Qt

        shell.setWindowFlags(Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint)
        screen = app.primaryScreen()
        if screen is not None:  # without a window manager, full screen is only a request
            shell.setGeometry(screen.geometry())
        shell.showFullScreen()
    return app, shell


def start_library(shell: Shell) -> None:
    """Open the library off the GUI thread, then tell Home."""

    def done(info: dict[str, Any]) -> None:
        shell.library_state = "ready"
        events.emit("library_ready", counts=info.get("counts"))
        shell.update_freshness()
        if shell.current is not None:
            shell.current.refresh()

    def failed(exc: BaseException) -> None:
        shell.library_state = "error"
        events.emit("library_error", error=repr(exc))
        shell.update_freshness()
        if shell.current is not None:
            shell.current.refresh()

    shell.ctx.ops.run(shell.ctx.open_library, on_done=done, on_error=failed)


def _install_excepthook(shell: Shell) -> None:
    previous = sys.excepthook

    def hook(kind: type[BaseException], exc: BaseException, tb: Any) -> None:
        log.error("unexpected error", exc_info=(kind, exc, tb))
        if kind in (KeyboardInterrupt, SystemExit):
            previous(kind, exc, tb)
            return
        try:
            shell.show_crash(exc)
        except Exception:  # noqa: BLE001 - last resort: keep the window alive
            log.exception("crash screen failed")

    sys.excepthook = hook


def _app_version() -> str:
    from importlib import metadata

    return metadata.version("lawshelf-kiosk")


def main(home: Path, *, windowed: bool = False) -> int:
    t0 = time.monotonic()
    prepare_environment(virtual_keyboard=os.environ.get("LAWSHELF_UI_NO_VKB") != "1")
    app, shell = create(home, windowed=windowed, preview=True)
    events.emit("started", startup_s=time.monotonic() - t0, version=_app_version())
    return app.exec()
