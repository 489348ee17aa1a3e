"""Opening a video prints nothing: FFmpeg's format dump ("Input #0, mov,mp4…") stays out of
stderr (the kiosk's journal, and the test run's progress lines it used to break into)."""

from __future__ import annotations

import os
import subprocess
import sys

from offline_index.demo import CONTENT

PLAY = """
import sys
from ui.qt import QApplication, QTimer, QUrl, multimedia
app = QApplication([])
QtMultimedia = multimedia()
player = QtMultimedia.QMediaPlayer()
sink = QtMultimedia.QVideoSink()
player.setVideoSink(sink)
status = QtMultimedia.QMediaPlayer.MediaStatus
def changed(s):
    if s in (status.LoadedMedia, status.InvalidMedia):
        print("status", s.name, flush=True)
        app.quit()
player.mediaStatusChanged.connect(changed)
player.setSource(QUrl.fromLocalFile(sys.argv[1]))
QTimer.singleShot(20000, app.quit)
app.exec()
"""


def test_opening_a_video_prints_no_ffmpeg_banner() -> None:
    video = CONTENT / "files" / "media" / "tieu-pham-den-do.mp4"
    env = {k: v for k, v in os.environ.items() if k != "QT_FFMPEG_DEBUG"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    res = subprocess.run(
        [sys.executable, "-c", PLAY, str(video)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert "status LoadedMedia" in res.stdout, res.stdout + res.stderr
    assert "Input #0" not in res.stderr and "Stream #0" not in res.stderr, res.stderr
