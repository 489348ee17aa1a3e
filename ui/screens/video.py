"""Video player for legal skits and e-lectures: large controls and subtitles.

Frames go from a QVideoSink into a `Picture`, painted with the rest of the window, as in
the media loop: a QVideoWidget is a native child window whose X shared-memory buffer Qt
kept after the screen was closed (5.3 MB per video watched over a kiosk's day, issue 18).

Subtitles come from a sidecar .srt/.vtt named by the publication, else from a subtitle
track inside the file. Without a sound device the video still plays, and says so.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ui.i18n import tr
from ui.pictures import Picture
from ui.qt import Qt, QUrl, multimedia
from ui.screens.registry import register_screen
from ui.widgets import Screen, button, label, row

if TYPE_CHECKING:
    from offline_index.library import Library
    from ui.shell import Shell

_CUE = re.compile(r"(\d+):(\d\d):(\d\d)[.,](\d{3})|(\d+):(\d\d)[.,](\d{3})")


def _ms(text: str) -> int:
    m = _CUE.search(text)
    if not m:
        return 0
    if m.group(1):
        h, mi, s, ms = (int(m.group(i)) for i in range(1, 5))
    else:
        h, (mi, s, ms) = 0, (int(m.group(i)) for i in range(5, 8))
    return ((h * 60 + mi) * 60 + s) * 1000 + ms


def parse_subtitles(text: str) -> list[tuple[int, int, str]]:
    """Cues (start ms, end ms, text) from SRT or WebVTT."""
    cues = []
    for block in re.split(r"\n\s*\n", text.replace("\r", "")):
        lines = [ln for ln in block.strip().split("\n") if ln.strip()]
        for i, line in enumerate(lines):
            if "-->" in line:
                start, end = line.split("-->", 1)
                body = re.sub(r"<[^>]+>", "", "\n".join(lines[i + 1 :]))
                cues.append((_ms(start), _ms(end), body))
                break
    return cues


class VideoScreen(Screen):
    def __init__(self, shell: Shell, file: str = "", subtitles: str = "", title: str = "") -> None:
        super().__init__(shell, title or tr("Video"))
        QtMultimedia = multimedia()
        self.cues: list[tuple[int, int, str]] = []
        self.video = Picture("video_view")  # frames from a sink, not a QVideoWidget (memory)
        self.sink = QtMultimedia.QVideoSink(self)
        self.sink.videoFrameChanged.connect(self._frame)
        self.player = QtMultimedia.QMediaPlayer(self)
        self.audio = QtMultimedia.QAudioOutput(self)
        self.audio.setVolume(shell.ctx.settings.volume / 100)
        self.player.setAudioOutput(self.audio)
        self.player.setVideoOutput(self.sink)
        self.subtitle = label("", "title", name="subtitle")
        self.subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.note = label("", "small", name="video_note")
        if not QtMultimedia.QMediaDevices.audioOutputs():
            self.note.setText(tr("Máy này không có loa: video phát không có tiếng."))
        self.play_button = button(tr("⏯ Phát / Dừng"), self.toggle, role="primary", name="play")
        back10 = button(tr("⏪ Lùi 10 giây"), lambda: self.seek(-10_000), name="rewind")
        fwd10 = button(tr("Tới 10 giây ⏩"), lambda: self.seek(10_000), name="forward")
        self.layout_.addWidget(self.video, 1)
        self.layout_.addWidget(self.subtitle)
        self.layout_.addWidget(self.note)
        self.layout_.addLayout(row(back10, self.play_button, fwd10, stretch_index=1))
        self.player.positionChanged.connect(self._position)
        self.player.errorOccurred.connect(
            lambda *a: self.note.setText(tr("Không phát được video này."))
        )
        self.sink.subtitleTextChanged.connect(self._embedded_subtitle)
        shell.with_library(
            lambda lib: _paths(lib, file, subtitles),
            self._ready,
            on_error=lambda exc: self.note.setText(shell.ctx.error_text(exc)),
            owner=self,
        )

    def _ready(self, paths: tuple[str, str | None]) -> None:
        video, subs = paths
        if subs:
            self.cues = parse_subtitles(Path(subs).read_text(encoding="utf-8", errors="replace"))
        self.player.setSource(QUrl.fromLocalFile(video))
        self.player.play()

    def _frame(self, frame: Any) -> None:
        """A decoded frame (GUI thread), painted scaled into the view."""
        if frame.isValid():
            self.video.set_image(frame.toImage())

    def _position(self, ms: int) -> None:
        if self.cues:
            self.subtitle.setText(next((t for s, e, t in self.cues if s <= ms <= e), ""))

    def _embedded_subtitle(self, text: str) -> None:
        if not self.cues:
            self.subtitle.setText(text)

    def toggle(self) -> None:
        QtMultimedia = multimedia()
        if self.player.playbackState() == QtMultimedia.QMediaPlayer.PlaybackState.PlayingState:
            self.player.pause()
        else:
            self.player.play()

    def seek(self, delta_ms: int) -> None:
        self.player.setPosition(max(0, self.player.position() + delta_ms))

    def wipe(self) -> None:
        self.player.stop()

    def hideEvent(self, ev: Any) -> None:  # noqa: N802 - Qt override
        self.player.pause()
        super().hideEvent(ev)


def _paths(lib: Library, file: str, subtitles: str) -> tuple[str, str | None]:
    video = str(lib.file_path(file))
    subs = None
    if subtitles:
        try:
            subs = str(lib.file_path(subtitles))
        except Exception:  # noqa: BLE001 - a missing subtitle file is not fatal
            subs = None
    return video, subs


register_screen("video", lambda shell, **kw: VideoScreen(shell, **kw))
