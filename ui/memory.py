"""Keep a kiosk that runs for months at a flat memory size (issue 18: 443 MB after a busy
afternoon, then +48 MB in 14 minutes of media loop).

Most of the growth was not live data but memory already freed and never given back:
glibc gives each thread that allocates its own arena (up to 8 per core: the library, state
and render workers, FFmpeg's decoder threads, Qt's), and every decoded video frame (3.7 MB
at 1280x720) and rendered PDF page is freed into whichever arena it came from. So:

- `tune_malloc()` at start-up, before the worker threads: two arenas are enough for a
  kiosk (one person at a time) and fragment far less; and blocks of 4 MiB and more (PDF
  pages and their pixmaps, big search arrays) are always mapped on their own, so freeing
  one gives it back at once. glibc's default raises that threshold to the largest block
  freed so far (up to 32 MB): after the first PDF page every such block was carved out of
  the heap and left holes there: over a short day's mix anonymous memory went from 171 to
  208 MB (samples up to 245) against 106 to 125 MB with the threshold fixed (issue 18). A 720p
  video frame (3.7 MB) stays under it: the same size comes back 25 times a second and
  reuses its chunk, where a mapping would cost ~1.7 ms of page faults per frame. Fixing
  the threshold also fixes glibc's trim threshold, at 128 kB: every search gave its arrays
  (a score per record, the best articles' text: tens of MB at 10x) back to the system when
  it ended and faulted them in again at the next, so the heap keeps up to 32 MiB free at
  its top between releases (issue 11: questions' p95 at 10x 57-67 → 48-53 ms, keywords'
  32-38 → 27-31 ms, serving RSS after 300 searches +16 MB);
- `release()` while nobody is there (the idle wipe, then every few minutes of media
  loop) and once the library is open: a full garbage collection, MuPDF's cache of decoded
  fonts and images emptied, the source lines a logged traceback cached dropped, and
  `malloc_trim(0)` to hand the free pages back to the system. What survives that collection
  (the library, the screens, Qt's wrappers) is then frozen (`gc.freeze()`): Python's own
  full collections, which start whenever enough objects have piled up, would otherwise walk
  all of it in the middle of a search or a tap, holding the interpreter and so the screen
  (14-21 ms with the demo library, 25-30 ms for the library alone at 10x). The next release
  unfreezes first, so what became garbage since (a closed screen, the library a sync
  replaced) is still collected.

Both do nothing where glibc is not the C library (Windows, musl).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import linecache
import logging
import sys
import time

log = logging.getLogger(__name__)

M_ARENA_MAX = -8  # glibc mallopt() parameters
M_MMAP_THRESHOLD = -3
M_TRIM_THRESHOLD = -1
KIOSK_ARENAS = 2
MMAP_THRESHOLD = 4 << 20  # a 720p frame (3.7 MB) is reused in the heap; pages are mapped
TRIM_THRESHOLD = 32 << 20  # free heap kept for the next search; release() trims it all


class _Mallinfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks")
        + ("uordblks", "fordblks", "keepcost")
    ]


def heap_stats() -> dict[str, int]:
    """glibc's own count over all arenas, in bytes (empty where there is none): `used` is
    what live blocks hold, `free` what is free but still mapped (fragmentation, or kept for
    reuse), `mapped` the blocks mapped on their own. A leak grows `used`; holes grow `free`."""
    libc = _libc()
    if libc is None or not hasattr(libc, "mallinfo2"):
        return {}
    libc.mallinfo2.restype = _Mallinfo2
    info = libc.mallinfo2()
    return {"used": info.uordblks, "free": info.fordblks, "mapped": info.hblkhd}


def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None
    return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None


def tune_malloc(arenas: int = KIOSK_ARENAS, mmap_threshold: int = MMAP_THRESHOLD) -> bool:
    """Cap glibc's malloc arenas, fix its mmap threshold and the free heap it keeps; call
    before worker threads start. True if applied."""
    libc = _libc()
    if libc is None:
        return False
    return (
        libc.mallopt(M_ARENA_MAX, arenas) == 1
        and libc.mallopt(M_MMAP_THRESHOLD, mmap_threshold) == 1
        and libc.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1
    )


def release() -> float:
    """Give freed memory back to the system; returns the seconds it took (tens of ms)."""
    t0 = time.monotonic()
    linecache.clearcache()  # a logged traceback through pymupdf cached 10 MB of its source
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    pymupdf = sys.modules.get("pymupdf")
    if pymupdf is not None:
        try:
            pymupdf.TOOLS.store_shrink(100)  # MuPDF's cache of decoded fonts and images
        except Exception:  # noqa: BLE001 - a cache that cannot shrink is not an error
            log.debug("MuPDF store not shrunk", exc_info=True)
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
    return time.monotonic() - t0
