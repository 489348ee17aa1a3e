"""The idle loop ("law staircase"): campaign videos and infographics until someone touches.

Items come from `Library.media(on=today)` (only those inside their campaign window). A
video plays through QtMultimedia, an infographic stays `duration_s` seconds. With no media,
or when a file cannot be played, a welcome card is shown instead: never a black screen.
Any touch or key ends the loop and the shell shows a clean Home.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from ui import events
from ui.i18n import tr
from ui.qt import QLabel, QPixmap, QStackedWidget, Qt, QTimer, multimedia
from ui.screens.registry import register_screen
from ui.widgets import Screen, label

log = logging.getLogger(__name__)


class MediaLoopScreen(Screen):
    def __init__(self, shell: Any) -> None:
        super().__init__(shell, "")
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.items: list[Any] = []
        self.index = -1
        self.cues: list = []
        self.player = None
        self.pages = QStackedWidget()
        ward = shell.ctx.settings.get("ward_name", "")
        self.welcome = label(
            tr("Thư viện pháp luật {ward}").format(ward=ward)
            + "\n\n"
            + tr("Chạm vào màn hình để bắt đầu tra cứu."),
            "title",
            name="loop_welcome",
        )
        self.welcome.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image = QLabel(objectName="loop_image")
        self.image.setMinimumSize(1, 1)
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption = label("", "title", name="loop_caption")
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages.addWidget(self.welcome)
        self.pages.addWidget(self.image)
        self.layout_.addWidget(self.pages, 1)
        self.layout_.addWidget(self.caption)
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

    def next_item(self) -> None:
        if not self.items:
            self._welcome()
            return
        self.index = (self.index + 1) % len(self.items)
        item, path, self.cues = self.items[self.index]
        self.caption.setText(item.title)
        if item.type == "video" and path is not None:
            self._play(path)
        elif path is not None and self._show_image(path):
            self.timer.start(max(1, item.duration_s) * 1000)
        else:
            self._welcome()
            self.timer.start(10_000)

    def _show_image(self, path: Any) -> bool:
        pix = QPixmap(str(path))
        if pix.isNull():
            return False
        size = self.pages.size()
        self.image.setPixmap(
            pix.scaled(
                size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
            )
        )
        self.pages.setCurrentWidget(self.image)
        return True

    def _play(self, path: Any) -> None:
        try:
            QtMultimedia, QtMultimediaWidgets = multimedia()
            if self.player is None:
                self.video = QtMultimediaWidgets.QVideoWidget()
                self.video.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
                self.pages.addWidget(self.video)
                self.player = QtMultimedia.QMediaPlayer(self)
                self.audio = QtMultimedia.QAudioOutput(self)
                self.audio.setVolume(self.shell.ctx.settings.get("volume", 70) / 100)
                self.player.setAudioOutput(self.audio)
                self.player.setVideoOutput(self.video)
                self.player.mediaStatusChanged.connect(self._status)
                self.player.positionChanged.connect(self._subtitle)
                self.player.errorOccurred.connect(lambda *a: self._video_failed())
            from ui.qt import QUrl

            self.pages.setCurrentWidget(self.video)
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
        QtMultimedia, _ = multimedia()
        if status == QtMultimedia.QMediaPlayer.MediaStatus.EndOfMedia:
            self.next_item()

    def _video_failed(self) -> None:
        self.items = [it for it in self.items if it[0].type != "video"]
        self.index = -1
        self.timer.start(100)

    def _end(self) -> None:
        self.wipe()
        self.shell.end_loop()

    def wipe(self) -> None:
        self.timer.stop()
        if self.player is not None:
            self.player.stop()

    def mousePressEvent(self, ev: Any) -> None:  # noqa: N802 - Qt override
        ev.accept()
        QTimer.singleShot(0, self._end)

    def keyPressEvent(self, ev: Any) -> None:  # noqa: N802 - Qt override
        ev.accept()
        QTimer.singleShot(0, self._end)

    def event(self, ev: Any) -> bool:
        from ui.qt import QEvent

        if ev.type() == QEvent.Type.TouchBegin:
            ev.accept()
            QTimer.singleShot(0, self._end)
            return True
        return super().event(ev)


def _current_media(lib: Any) -> list[tuple[Any, Any, list]]:
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
