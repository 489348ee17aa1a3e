"""What keeps the kiosk's memory flat over a day (issue 18; figures in docs/benchmarks.md,
"A kiosk's day"): nothing a visit opened may hold memory once the screen is gone."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ui.qt import QWidget


def _video_files(shell) -> list[str]:  # noqa: ANN001
    return shell.ctx.call_library(lambda lib: [m.file for m in lib.media() if m.type == "video"])


def test_video_screen_paints_frames_in_the_window_without_a_native_child(make_shell, qtbot) -> None:  # noqa: ANN001
    """A QVideoWidget is a native child window; under X its shared-memory image outlived the
    screen, 5.3 MB per video watched (a day of 20 videos: +107 MB). Frames now go from a
    sink into a widget painted with the rest of the window, as in the media loop."""
    shell = make_shell()
    shell.resize(1920, 1080)
    screen = shell.navigate("video", file=_video_files(shell)[0])
    qtbot.waitUntil(lambda: screen.video.image is not None, timeout=15000)
    native = [w for w in screen.findChildren(QWidget) if w.internalWinId()]
    assert not native, [type(w).__name__ for w in native]
    img = screen.video.grab().toImage()  # a screenshot shows the frame, not a black hole
    w, h = img.width(), img.height()
    colours = {img.pixel(x * w // 16, y * h // 10) for x in range(1, 16) for y in range(1, 10)}
    assert len(colours) > 4
    assert "PySide6.QtMultimediaWidgets" not in sys.modules  # its 1 MB of code stays unmapped
    shell.go_home()


# A probe of glibc's malloc, run in a fresh process: its start, with the kiosk's settings or not.
_PROBE_HEAD = """
import ctypes, sys
from ui import memory

if not memory.heap_stats():
    print("skip"); sys.exit()
libc = ctypes.CDLL("libc.so.6")
libc.malloc.restype = ctypes.c_void_p
libc.free.argtypes = [ctypes.c_void_p]
if sys.argv[1] == "tuned":
    assert memory.tune_malloc()
"""

_FREED_BLOCK_PROBE = """
size = 1700 * 2400 * 3  # one rendered PDF page
libc.free(libc.malloc(size))  # the first page, freed
block = libc.malloc(size)  # the next one
print(memory.heap_stats()["mapped"] >= size)  # mapped on its own: freeing it gives it back
libc.free(block)
"""


def _probe(code: str, mode: str) -> str:
    """What a probe of glibc's malloc (after _PROBE_HEAD) prints in a fresh process."""
    if not sys.platform.startswith("linux"):
        pytest.skip("glibc only")
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", _PROBE_HEAD + code, mode],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if out == "skip":
        pytest.skip("no mallinfo2 (glibc < 2.33 or not glibc)")
    return out


@pytest.mark.parametrize("mode", ["tuned", "default"])
def test_a_freed_pdf_page_goes_back_to_the_system(mode: str) -> None:
    """With glibc's default the threshold rises to the largest block freed, so from the
    second page on, pages and other big blocks were carved out of the heap and left holes
    there (~80 MB more by the end of a short day). tune_malloc() keeps them mapped apart."""
    tuned = _probe(_FREED_BLOCK_PROBE, mode) == "True"
    assert tuned == (mode == "tuned")  # the default shows what the test would catch


_SEARCH_ARRAYS_PROBE = """
# not tuned: the mmap threshold fixed alone, as before (glibc's trim threshold stays 128 kB)
if sys.argv[1] != "tuned":
    assert libc.mallopt(memory.M_MMAP_THRESHOLD, memory.MMAP_THRESHOLD) == 1
size = 3 << 20  # a search's arrays at 10x, under the mmap threshold
blocks = [libc.malloc(size) for _ in range(4)]
for block in reversed(blocks):
    libc.free(block)
kept = memory.heap_stats()["free"] >= 4 * size  # there for the next search
memory.release()
print(kept, memory.heap_stats()["free"] < size)  # release() hands it back all the same
"""


@pytest.mark.parametrize("mode", ["tuned", "threshold only"])
def test_a_search_s_freed_arrays_wait_in_the_heap_for_the_next(mode: str) -> None:
    """Each search at 10x frees tens of MB of arrays; with glibc's trim threshold at 128 kB
    they went back to the system at once and the next search faulted them in again (questions'
    p95 57-67 against 48-53 ms). tune_malloc() keeps up to 32 MiB free at the heap's top;
    release(), when nobody is there, still gives it back."""
    assert (
        _probe(_SEARCH_ARRAYS_PROBE, mode) == f"{mode == 'tuned'} True"
    )  # untuned shows what the test would catch


def test_closed_screens_are_freed_with_their_last_frame(make_shell, qtbot) -> None:  # noqa: ANN001
    """PySide keeps some finished runnables alive; a library task that still held its
    callbacks and owner kept the closed screen that asked, and the screen its last video
    frame (3.7 MB): +17 MB of live heap over a day's 20 videos. Finished work now holds
    nothing of the screen."""
    import gc

    from ui.pictures import Picture
    from ui.qt import QCoreApplication, QEvent
    from ui.screens.qa import QAScreen
    from ui.screens.video import VideoScreen

    shell = make_shell()
    shell.resize(1920, 1080)
    files = _video_files(shell)
    kinds = (QAScreen, VideoScreen, Picture)
    gc.collect()
    before = {id(o) for o in gc.get_objects() if isinstance(o, kinds)}  # other tests' own
    for i in range(6):
        screen = shell.navigate("qa", query="vượt đèn đỏ")
        qtbot.wait(300)
        shell.back()
        screen = shell.navigate("video", file=files[i % len(files)])
        qtbot.waitUntil(lambda s=screen: s.player.position() > 800, timeout=15000)
        shell.back()
        del screen
        for _ in range(3):
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            qtbot.wait(5)
        gc.collect()
        alive = [o for o in gc.get_objects() if isinstance(o, kinds) and id(o) not in before]
        assert alive == [], f"after {i + 1} visits: {[type(o).__name__ for o in alive]}"
