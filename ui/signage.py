"""`lawshelf signage`: the law staircase on a public screen, alone, with no resident input.

One window, one painted `Stage` (picture or video frame letterboxed, caption or subtitle,
content date), so any screen works: landscape or portrait as the output reports it, or turned
by `signage_rotation` for a TV mounted on its side. What plays comes from `kiosk.signage`
(the publisher's playlists, else the campaign media, else the last verified playlist); this
module only shows it. A video that fails to open, errors or shows no frame within
`FIRST_FRAME_MS` is skipped (and not retried for `BROKEN_S`); until a video's first frame
the previous picture stays up, and with nothing playable a card names the place: the screen
is never black. Every item shown to its end counts one play (usage report). New library
generations (nightly sync, or a release on a USB stick, imported here after the same
verification) are picked up between items.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from kiosk.settings import Settings
from kiosk.signage import Item, Plan, Screen, Signage, record_play
from offline_index.errors import LawShelfError
from offline_index.home import heartbeat_path
from ui import events
from ui.app import AppContext, load_settings
from ui.i18n import day, tr
from ui.ops import Ops, logged_only
from ui.qt import QApplication, QEvent, QImage, QObject, QPainter, QRect, Qt, QTimer, QWidget
from ui.theme import Theme

log = logging.getLogger(__name__)

FIRST_FRAME_MS = 8000  # a video showing no frame by then is broken
BROKEN_S = 600  # a broken item is not tried again for this long
REPLAN_MS = 30_000  # with nothing playing, look again this often
REFRESH_MS = 5 * 60_000  # look for a new library generation (after a sync)
USB_POLL_MS = 30_000
HEARTBEAT_MS = 30_000
_BLOCKED = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonRelease,
    QEvent.Type.MouseButtonDblClick,
    QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate,
    QEvent.Type.TouchEnd,
    QEvent.Type.KeyPress,
    QEvent.Type.KeyRelease,
    QEvent.Type.ShortcutOverride,
    QEvent.Type.Wheel,
    QEvent.Type.ContextMenu,
}


class Stage(QWidget):
    """Everything the screen shows, painted in one place (a rotation is one transform)."""

    def __init__(self, rotation: int = 0) -> None:
        super().__init__(objectName="signage_stage")
        self.rotation = rotation % 360
        self.image: QImage | None = None
        self.caption = ""
        self.header = ""
        self.footer = ""
        self.card = ""  # shown instead of a picture when nothing can play
        self.setMinimumSize(1, 1)

    def set_image(self, image: QImage | None) -> None:
        self.image = image if image is not None and not image.isNull() else None
        self.update()

    def logical_size(self) -> tuple[int, int]:
        w, h = self.width(), self.height()
        return (h, w) if self.rotation in (90, 270) else (w, h)

    def paintEvent(self, ev: Any) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        p.fillRect(self.rect(), Qt.GlobalColor.black)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        w, h = self.logical_size()
        if self.rotation:
            p.translate(self.width() / 2, self.height() / 2)
            p.rotate(self.rotation)
            p.translate(-w / 2, -h / 2)
        short = min(w, h)
        portrait = h > w
        top = int(short * 0.07) if portrait else 0
        foot, cap = int(short * 0.05), int(short * 0.11)
        if portrait:
            self._band(p, QRect(0, 0, w, top), self.header, 0.03, bold=True)
        self._band(
            p, QRect(0, h - foot, w, foot), self.footer, 0.022, colour=Qt.GlobalColor.lightGray
        )
        avail = QRect(0, top, w, h - top - foot - cap)
        if portrait and self.image is not None:  # picture and caption together, centred
            pic = self.image.size().scaled(avail.size(), Qt.AspectRatioMode.KeepAspectRatio)
            avail = QRect(0, top + (avail.height() - pic.height()) // 2, w, pic.height())
        self._picture(p, avail)
        self._band(p, QRect(0, avail.bottom() + 1, w, cap), self.caption, 0.036, bold=True)
        p.end()

    def _band(
        self,
        p: QPainter,
        rect: QRect,
        text: str,
        size: float,
        *,
        bold: bool = False,
        colour: Any = Qt.GlobalColor.white,
    ) -> int:
        if text:
            font = p.font()
            font.setPixelSize(max(12, int(min(rect.width(), self.logical_size()[1]) * size)))
            font.setBold(bold)
            p.setFont(font)
            p.setPen(colour)
            margin = int(rect.height() * 0.15)
            inner = rect.adjusted(margin * 2, margin, -margin * 2, -margin)
            flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
            p.drawText(inner, int(flags), text)
        return rect.height()

    def _picture(self, p: QPainter, area: QRect) -> None:
        if self.image is None:
            self._band(p, area, self.card, 0.05, bold=True)
            return
        size = self.image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
        x = area.x() + (area.width() - size.width()) // 2
        y = area.y() + (area.height() - size.height()) // 2
        p.drawImage(QRect(x, y, size.width(), size.height()), self.image)


class _NoInput(QObject):
    """A public screen takes no input: every touch, click and key is swallowed."""

    def eventFilter(self, obj: QObject, ev: QEvent) -> bool:  # noqa: N802 - Qt override
        return ev.type() in _BLOCKED


class SignageContext(AppContext):
    """AppContext whose library never falls back to building the demo while a last verified
    playlist exists: a screen that lost its library keeps playing what it verified."""

    signage: Signage | None = None

    def open_library(self) -> dict[str, Any]:
        from offline_index.home import library_root
        from offline_index.library import Library
        from ui.app import _read_sync_status

        self.sync_status = _read_sync_status(self.home)
        try:
            configured = self.settings.library
            path = Path(configured) if configured else library_root(self.home)
            lib = Library.open(path)
        except LawShelfError as exc:
            if self.signage is not None and self.signage.has_last():
                self.library, self.library_error, self.loading = None, exc, False
                raise
            return super().open_library()  # a new screen: the embedded demo library
        self.library, self.library_error, self.loading = lib, None, False
        self.library_path, self.info = lib.path.resolve(), dict(lib.info)
        return self.info


_STATE = threading.local()


def _record(home: Path, media_id: str) -> None:
    """On the state thread (one SQLite connection there)."""
    from kiosk.state import open_state

    db = getattr(_STATE, "db", None)
    if db is None:
        db = _STATE.db = open_state(home)
    record_play(db, media_id)


class SignageWindow(QWidget):
    """Plays the plan; asks kiosk.signage for a new one after every item."""

    def __init__(self, ctx: SignageContext, clock: Callable[[], datetime] = datetime.now) -> None:
        super().__init__(objectName="signage")
        from ui.qt import QVBoxLayout

        self.ctx, self.clock = ctx, clock
        ctx.signage = self.signage = Signage(ctx.home, Screen.from_settings(ctx.settings), clock)
        self.stage = Stage(ctx.settings.signage_rotation)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.stage)
        self.place = ctx.settings.signage_place or ctx.settings.ward_name
        self.stage.header = tr("Thư viện pháp luật") + (f" · {self.place}" if self.place else "")
        self.stage.card = tr("Thư viện pháp luật {place}").format(place=self.place).strip()
        self.plan = Plan([], "none")
        self.index = -1
        self.current: Item | None = None
        self.broken: dict[str, float] = {}
        self.played: deque[str] = deque(maxlen=500)  # the last ids shown to their end
        self.imported: set[str] = set()  # release trees on sticks already imported
        self.player: Any = None
        self.cues: list[tuple[int, int, str]] = []
        self._timers()
        self._no_input = _NoInput(self)
        QApplication.instance().installEventFilter(self._no_input)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self._allow_close = False

    def _timers(self) -> None:
        self.item_timer = self._timer(self.item_done, single=True)
        self.first_frame = self._timer(lambda: self.skip("no picture"), single=True)
        self.stuck_timer = self._timer(lambda: self.skip("video did not end"), single=True)
        self.idle_timer = self._timer(self.replan, single=True)
        self.refresh_timer = self._timer(self.refresh)
        self.usb_timer = self._timer(self.poll_usb)
        self.beat_timer = self._timer(self.heartbeat)

    def _timer(self, slot: Callable[[], None], single: bool = False) -> QTimer:
        t = QTimer(self)
        t.setSingleShot(single)
        t.timeout.connect(slot)
        return t

    def start(self) -> None:
        """Open the library (off the GUI thread), then play."""
        self.refresh_timer.start(REFRESH_MS)
        self.usb_timer.start(USB_POLL_MS)
        self.beat_timer.start(HEARTBEAT_MS)
        self.heartbeat()
        self.ctx.ops.run(
            self.ctx.open_library,
            on_done=lambda _i: self.replan(),
            on_error=lambda _e: self.replan(),
            owner=self,
        )

    # ---------------------------------------------------------------- planning

    def replan(self) -> None:
        floor = self.ctx.sync_status.get("time_floor")
        floor_dt = datetime.fromisoformat(floor) if floor else None
        self.ctx.ops.run(
            lambda: self.signage.plan(self.ctx.library, floor_dt),
            on_done=self.planned,
            on_error=self._plan_failed,
            owner=self,
        )

    def _plan_failed(self, exc: BaseException) -> None:
        log.error("signage: planning failed: %r", exc)
        self.planned(self.signage.last_verified(f"planning failed: {exc!r}"))

    def planned(self, plan: Plan) -> None:
        if plan.ids() != self.plan.ids():
            events.emit(
                "signage_plan", source=plan.source, items=plan.ids(), playlists=plan.playlists
            )
            self.index = -1
        self.plan = plan
        self.stage.footer = self._footer(plan)
        self.next_item()

    def _footer(self, plan: Plan) -> str:
        text = tr("Dữ liệu cập nhật ngày {date}").format(date=day(plan.content_date, "?"))
        return f"{text} · {self.place}" if self.place else text

    # ---------------------------------------------------------------- playing

    def playable(self) -> list[int]:
        now = time.monotonic()
        return [
            i
            for i, it in enumerate(self.plan.items)
            if now - self.broken.get(it.id, -BROKEN_S - 1) > BROKEN_S
        ]

    def next_item(self) -> None:
        ok = self.playable()
        if not ok:
            self._card()
            return
        self.index = next((i for i in ok if i > self.index), ok[0])
        item = self.current = self.plan.items[self.index]
        self.stage.caption = item.title
        events.emit("signage_item", id=item.id, type=item.type)
        if item.type == "video":
            self._play(item)
        elif self._show_image(item.path):
            self.item_timer.start(max(1, item.duration_s) * 1000)
        else:
            self.skip("not a picture")

    def _card(self) -> None:
        """Nothing playable: the place's card (never black), and a new look in a while."""
        self.current = None
        self.stage.set_image(None)
        self.stage.caption = ""
        events.emit("signage_card")
        self.idle_timer.start(REPLAN_MS)

    def _show_image(self, path: str) -> bool:
        image = QImage(path)
        if image.isNull():
            return False
        self.stage.set_image(image)
        return True

    def item_done(self) -> None:
        """An item played to its end: count it, then ask what plays next."""
        self.first_frame.stop()
        self.stuck_timer.stop()
        if self.current is not None:
            self.played.append(self.current.id)
            self.ctx.ops.run(
                _record,
                self.ctx.home,
                self.current.id,
                pool="state",
                on_error=logged_only("play count not written"),
            )
        self.replan()

    def skip(self, why: str) -> None:
        """A broken item: not counted, not retried for a while, the next one at once."""
        if self.current is not None and time.monotonic() - self.broken.get(self.current.id, -9) < 1:
            return  # the same failure reported twice (error and invalid-media signals)
        self.item_timer.stop()
        self.first_frame.stop()
        self.stuck_timer.stop()
        if self.player is not None:
            self.player.stop()
        if self.current is not None:
            log.warning("signage: skipping %s (%s)", self.current.id, why)
            events.emit("signage_skipped", id=self.current.id, why=why)
            self.broken[self.current.id] = time.monotonic()
        QTimer.singleShot(0, self.next_item)

    def _play(self, item: Item) -> None:
        from ui.qt import QUrl

        try:
            player = self._player()
        except Exception:  # noqa: BLE001 - no multimedia backend: videos are skipped
            log.exception("signage: video playback unavailable")
            self.skip("no video backend")
            return
        self.cues = _cues(item.subtitles)
        self.first_frame.start(FIRST_FRAME_MS)
        self.stuck_timer.start(max(120, 3 * item.duration_s) * 1000)
        player.setSource(QUrl.fromLocalFile(item.path))
        player.play()

    def _player(self) -> Any:
        from ui.qt import multimedia

        if self.player is None:
            QtMultimedia = multimedia()
            self.sink = QtMultimedia.QVideoSink(self)
            self.sink.videoFrameChanged.connect(self._frame)
            self.player = QtMultimedia.QMediaPlayer(self)
            self.audio = QtMultimedia.QAudioOutput(self)
            self.audio.setVolume(self.ctx.settings.volume / 100)
            self.player.setAudioOutput(self.audio)
            self.player.setVideoOutput(self.sink)
            self.player.mediaStatusChanged.connect(self._status)
            self.player.errorOccurred.connect(lambda *_a: self.skip("video error"))
            self.player.positionChanged.connect(self._subtitle)
        return self.player

    def _frame(self, frame: Any) -> None:
        if self.current is None or self.current.type != "video" or not frame.isValid():
            return
        image = frame.toImage()
        if not image.isNull():
            self.first_frame.stop()
            self.stage.set_image(image)

    def _status(self, status: Any) -> None:
        from ui.qt import multimedia

        QtMultimedia = multimedia()
        states = QtMultimedia.QMediaPlayer.MediaStatus
        if status == states.EndOfMedia:
            self.item_done()
        elif status == states.InvalidMedia:
            self.skip("invalid media")

    def _subtitle(self, ms: int) -> None:
        if self.cues and self.current is not None:
            line = next((t for s, e, t in self.cues if s <= ms <= e), "")
            self.stage.caption = line or self.current.title
            self.stage.update()

    # ---------------------------------------------------------------- upkeep

    def refresh(self) -> None:
        """A new generation (after a sync) is used from the next item on."""
        self.ctx.refresh_library(
            lambda changed: self.replan() if changed and not self.current else None
        )

    def poll_usb(self) -> None:
        self.ctx.ops.run(
            _usb_import,
            self.ctx.home,
            self.imported,
            on_done=self._usb_done,
            on_error=lambda exc: log.warning("signage: USB import failed: %r", exc),
            pool="general",
            owner=self,
        )

    def _usb_done(self, imported: bool) -> None:
        if imported:
            self.refresh()

    def heartbeat(self) -> None:
        """The watchdog restarts a hung screen as it does a hung kiosk (kiosk.heartbeat)."""
        try:
            heartbeat_path(self.ctx.home).touch()
        except OSError as exc:
            log.warning("signage: heartbeat not written: %s", exc)

    def allow_close(self) -> None:
        self._allow_close = True

    def closeEvent(self, ev: QEvent) -> None:  # noqa: N802 - Qt override
        if self._allow_close:
            QApplication.instance().removeEventFilter(self._no_input)
            if self.player is not None:
                self.player.stop()
            ev.accept()
        else:
            ev.ignore()


def _cues(path: str) -> list[tuple[int, int, str]]:
    from ui.screens.video import parse_subtitles

    try:
        return (
            parse_subtitles(Path(path).read_text(encoding="utf-8", errors="replace"))
            if path
            else []
        )
    except OSError:
        return []


def _usb_import(home: Path, seen: set[str]) -> bool:
    """A release on a newly plugged stick is verified and applied like a sync (general pool)."""
    from kiosk.admin_ops import find_sticks, usb_import

    imported = False
    for stick in find_sticks():
        if stick.release is None:
            continue
        stamp = stick.release / "metadata" / "timestamp.json"
        key = f"{stamp}:{stamp.stat().st_mtime_ns}"
        if key in seen:
            continue
        seen.add(key)
        log.info("signage: importing the release on %s", stick.path)
        usb_import(home, stick.release)
        imported = True
    return imported


def create(
    home: Path,
    *,
    windowed: bool = False,
    settings: Settings | None = None,
    clock: Callable[[], datetime] = datetime.now,
    start: bool = True,
) -> tuple[Any, SignageWindow]:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    settings = settings if settings is not None else load_settings(home)
    theme = Theme(dpi=96.0, text_size="normal", high_contrast=False)
    ctx = SignageContext(home=home, settings=settings, theme=theme, ops=Ops())
    window = SignageWindow(ctx, clock)
    if windowed or not settings.fullscreen:
        window.resize(1280, 720)
        window.show()
    else:
        window.setWindowFlags(Qt.WindowType.FramelessWindowHint)
        screen = app.primaryScreen()
        if screen is not None:
            window.setGeometry(screen.geometry())
        window.showFullScreen()
    window.setCursor(Qt.CursorShape.BlankCursor)
    if start:
        window.start()
    return app, window


def main(home: Path, *, windowed: bool = False) -> int:
    os.environ.pop("QT_IM_MODULE", None)  # no keyboard on a public screen
    app, _window = create(home, windowed=windowed)
    return app.exec()
