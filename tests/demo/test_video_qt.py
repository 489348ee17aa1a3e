"""The demo videos load and play in Qt's own player (what the kiosk's media loop uses)."""

from __future__ import annotations

from pathlib import Path

import pytest

from offline_index.demo import media_data as media_data
from offline_index.demo import pubs_make as make

qt = pytest.importorskip("ui.qt")


@pytest.mark.parametrize("spec", media_data.VIDEOS, ids=lambda s: s["id"])
def test_video_loads_and_plays(qtbot, demo_src: Path, spec: dict) -> None:  # noqa: ANN001
    multimedia = qt.multimedia()
    player = multimedia.QMediaPlayer()
    sink = multimedia.QVideoSink()  # as the kiosk paints video (ui.pictures.Picture)
    player.setVideoOutput(sink)
    frames: list[int] = []
    sink.videoFrameChanged.connect(lambda frame: frames.append(frame.width()))
    durations: list[int] = []
    player.durationChanged.connect(durations.append)
    loaded = multimedia.QMediaPlayer.MediaStatus.LoadedMedia
    with qtbot.waitSignal(
        player.mediaStatusChanged, timeout=10_000, check_params_cb=lambda s: s == loaded
    ):
        player.setSource(
            qt.QtCore.QUrl.fromLocalFile(str(demo_src / "files/media" / f"{spec['id']}.mp4"))
        )
    assert player.error() == multimedia.QMediaPlayer.Error.NoError and player.hasVideo()
    assert durations[-1] == len(spec["slides"]) * make.SLIDE_SECONDS * 1000
    player.play()
    qtbot.waitUntil(lambda: player.position() > 500 and bool(frames), timeout=10_000)
    player.stop()
    assert frames[-1] > 0
