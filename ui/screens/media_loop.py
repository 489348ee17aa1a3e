"""The idle loop ("law staircase"): campaign videos and infographics until someone touches.

Items come from `Library.media(on=today)` (only those inside their campaign window). A
video plays through QtMultimedia, an infographic stays `duration_s` seconds. With no media,
or when a file cannot be played, a welcome card is shown instead: never a black screen.
Any touch or key ends the loop and the shell shows a clean Home (kiosk.modes).

Pictures are painted by `Picture`, scaled to the whole screen at paint time (a pixmap scaled
when the loop opens was scaled to a not-yet-laid-out, tiny page). Video frames go through a
QVideoSink into the same kind of widget, so a grab or a screenshot shows the frame, and the
poster (a sidecar .png/.jpg, else the first infographic) stays up until the first frame
arrives: never a blank screen while a video opens.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import TYPE_CHECKING, Any

from ui import events
from ui.i18n import tr
from ui.pictures import Picture
from ui.qt import QEvent, QImage, QObject, QStackedWidget, Qt, QTimer, multimedia
from ui.screens.registry import register_screen
from ui.widgets import Screen, label

if TYPE_CHECKING:
    from offline_index.library import Library
    from ui.shell import Shell

log = logging.getLogger(__name__)


POSTER_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")


class MediaLoopScreen(Screen):
    def __init__(self, shell: Shell) -> None:
        super().__init__(shell, "")
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.items: list[Any] = []
        self.index = -1
        self.cues: list = []
        self.player = None
        self.installEventFilter(TouchStop(self))
        self.pages = QStackedWidget()
        ward = shell.ctx.settings.ward_name
        self.welcome = label(
            tr("Thư viện pháp luật {ward}").format(ward=ward)
            + "\n\n"
            + tr("Chạm vào màn hình để bắt đầu tra cứu."),
            "title",
            name="loop_welcome",
        )
        self.welcome.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image = Picture("loop_image")
        self.video = Picture("loop_video")
        self.frames = 0
        self.caption = label("", "title", name="loop_caption")
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # Always on under a video or an infographic: a passer-by must learn the screen is a
        # kiosk to use, not a television (the welcome card says it itself).
        self.hint = label(tr("Chạm vào màn hình để bắt đầu tra cứu."), "cta", name="loop_hint")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages.addWidget(self.welcome)
        self.pages.addWidget(self.image)
        self.pages.addWidget(self.video)
        self.layout_.addWidget(self.pages, 1)
        self.layout_.addWidget(self.caption)
        self.layout_.addWidget(self.hint)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.next_item)
        shell.with_library(
            _current_media, self._got_media, on_error=lambda exc: self._welcome(), owner=self
        )

    def _got_media(self, items: list[Any]) -> None:
        self.items = list(items or [])
        events.emit("loop_started", items=len(self.items))
        self.next_item()

    def _welcome(self) -> None:
        events.emit("loop_started", items=0)
        self.pages.setCurrentWidget(self.welcome)
        self.caption.setText("")
        self.hint.hide()

    def next_item(self) -> None:
        if not self.items:
            self._welcome()
            return
        self.index = (self.index + 1) % len(self.items)
        item, path, self.cues = self.items[self.index]
        self.caption.setText(item.title)
        self.hint.show()
        if item.type == "video" and path is not None:
            self._play(path)
        elif path is not None and self._show_image(path):
            self.timer.start(max(1, item.duration_s) * 1000)
        else:
            self._welcome()
            self.timer.start(10_000)

    def _show_image(self, path: Any) -> bool:
        image = QImage(str(path))
        if image.isNull():
            return False
        self.image.set_image(image)
        self.pages.setCurrentWidget(self.image)
        return True

    def _poster(self, video: Any) -> Any:
        """What to show while a video opens: its own poster, else an infographic."""
        for suffix in POSTER_SUFFIXES:
            if video.with_suffix(suffix).is_file():
                return video.with_suffix(suffix)
        return next((p for it, p, _c in self.items if it.type != "video" and p is not None), None)

    def _frame(self, frame: Any) -> None:
        """A decoded video frame (GUI thread): paint it; the first one replaces the poster."""
        if not frame.isValid():
            return
        image = frame.toImage()
        if image.isNull():
            return
        self.video.set_image(image)
        self.frames += 1
        if self.pages.currentWidget() is not self.video:
            self.pages.setCurrentWidget(self.video)
            events.emit("loop_first_frame", item=self.items[self.index][0].id)

    def _play(self, path: Any) -> None:
        try:
            QtMultimedia = multimedia()
            if self.player is None:
                self.sink = QtMultimedia.QVideoSink(self)
                self.sink.videoFrameChanged.connect(self._frame)
                self.player = QtMultimedia.QMediaPlayer(self)
                self.audio = QtMultimedia.QAudioOutput(self)
                self.audio.setVolume(self.shell.ctx.settings.volume / 100)
                self.player.setAudioOutput(self.audio)
                self.player.setVideoOutput(self.sink)
                self.player.mediaStatusChanged.connect(self._status)
                self.player.positionChanged.connect(self._subtitle)
                self.player.errorOccurred.connect(lambda *a: self._video_failed())
            from ui.qt import QUrl

            poster = self._poster(path)
            if poster is None or not self._show_image(poster):
                self.pages.setCurrentWidget(self.welcome)
            self.player.setSource(QUrl.fromLocalFile(str(path)))
            self.player.play()
        except Exception:  # noqa: BLE001 - no multimedia backend: show the next item
            log.exception("video playback unavailable")
            self._video_failed()

    def _subtitle(self, ms: int) -> None:
        """Subtitles from the sidecar .vtt/.srt: the loop often plays where nobody hears it."""
        if self.cues:
            line = next((t for s, e, t in self.cues if s <= ms <= e), "")
            self.caption.setText(line or self.items[self.index][0].title)

    def _status(self, status: Any) -> None:
        QtMultimedia = multimedia()
        if status == QtMultimedia.QMediaPlayer.MediaStatus.EndOfMedia:
            self.next_item()

    def _video_failed(self) -> None:
        self.items = [it for it in self.items if it[0].type != "video"]
        self.index = -1
        self.timer.start(100)

    def wipe(self) -> None:
        self.timer.stop()
        if self.player is not None:
            self.player.stop()

    def hideEvent(self, ev: Any) -> None:  # noqa: N802 - Qt override
        """Leaving the loop by any route stops the video (and its decoding)."""
        self.wipe()
        super().hideEvent(ev)

    # A touch or key ends the loop: the shell sees it first (kiosk.modes) and shows Home;
    # the loop only keeps the event from reaching anything below it.
    def mousePressEvent(self, ev: Any) -> None:  # noqa: N802 - Qt override
        ev.accept()

    def keyPressEvent(self, ev: Any) -> None:  # noqa: N802 - Qt override
        ev.accept()


class TouchStop(QObject):
    """Takes a touch's start so it reaches nothing below the loop.

    An event filter, not an `event()` override: Qt deletes the loop through `event()`, and
    with it the media player, whose destructor waits for its decoder thread. Run from a
    Python override, that wait holds the GIL, which the decoder thread needs to log through
    a Python message handler (pytest-qt installs one): a deadlock, seen once in CI."""

    def eventFilter(self, obj: QObject, ev: QEvent) -> bool:  # noqa: N802 - Qt override
        if ev.type() == QEvent.Type.TouchBegin:
            ev.accept()
            return True
        return False


def _current_media(lib: Library) -> list[tuple[Any, Any, list]]:
    """(Media, file path or None, subtitle cues) for today's campaign items (library thread)."""
    from ui.screens.video import parse_subtitles

    out = []
    for item in lib.media(on=date.today()):
        try:
            path = lib.file_path(item.file)
            cues = []
            for sub in (path.with_suffix(".vtt"), path.with_suffix(".srt")):
                if item.type == "video" and sub.is_file():
                    cues = parse_subtitles(sub.read_text(encoding="utf-8", errors="replace"))
                    break
            out.append((item, path if path.exists() else None, cues))
        except Exception:  # noqa: BLE001 - a missing file skips one item, not the loop
            log.warning("media file missing: %s", getattr(item, "file", "?"))
    return out


register_screen("media_loop", lambda shell, **kw: MediaLoopScreen(shell))
