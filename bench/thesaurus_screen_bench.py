"""The librarian's everyday-words screen with a table of hundreds of entries: GUI-thread time.

    .venv/bin/python bench/thesaurus_screen_bench.py [--home HOME] [--sizes 2000 5000]
                                                     [--out FILE]

Offscreen at 1920x1080, 102 dpi, on the demo library (built into HOME, or a temporary home,
first). Its own table is measured as it is, then padded to each of --sizes entries (copies
with a number added). The table is read on the library thread; what the GUI thread does is
timed here, each to a painted viewport: showing N entries (filter, model, row layout, paint;
the first of five measures every row's height, the others find them cached), one keystroke in
the filter box (typing `giay phep lai` letter by letter), and one scroll frame (the list moved
by 40 px and repainted, as a finger drag does). Normal and extra-large text.
Writes bench/results/thesaurus_screen.json with the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results" / "thesaurus_screen.json"
TYPED = "giay phep lai"


def _ms(values: list[float]) -> dict[str, float]:
    values = sorted(values)
    p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
    return {"p50_ms": round(statistics.median(values) * 1000, 2), "p95_ms": round(p95 * 1000, 2)}


def _painted(screen, fn) -> float:  # noqa: ANN001
    """Seconds for fn() and the view's layout and paint it causes."""
    start = time.perf_counter()
    fn()
    screen.view.executeDelayedItemsLayout()
    screen.view.viewport().repaint()
    return time.perf_counter() - start


def _entries(n: int, base: list) -> list:  # noqa: ANN001
    from offline_index.model import ThesaurusEntry

    out = list(base)
    for i in range(n - len(out)):
        b = base[i % len(base)]
        out.append(ThesaurusEntry(f"{b.everyday} {i}", b.legal, fields=b.fields, note=b.note))
    return out[:n]


def _measure(screen, entries: list) -> dict[str, object]:  # noqa: ANN001
    screen.filter.clear()
    screen.view.itemDelegate().set_theme(screen.theme)  # the first show measures every row
    show = [_painted(screen, lambda: screen.show_entries(entries)) for _ in range(5)]
    keys = []
    for _ in range(3):
        screen.filter.clear()
        for i in range(1, len(TYPED) + 1):
            keys.append(_painted(screen, lambda i=i: screen.filter.setText(TYPED[:i])))
    screen.filter.clear()
    _painted(screen, lambda: None)
    bar = screen.view.verticalScrollBar()
    frames = [_painted(screen, lambda: bar.setValue(bar.value() + 40)) for _ in range(200)]
    return {
        "entries": len(entries),
        "show": _ms(show),
        "keystroke": _ms(keys),
        "scroll_frame": _ms(frames),
    }


def run(home: Path, sizes: list[int]) -> dict[str, object]:
    from kiosk.settings import Settings
    from offline_index.library import ensure_library
    from ui import app as uiapp
    from ui.screenshots import _wait

    os.environ["LAWSHELF_UI_DPI"] = "102"
    lib = ensure_library(home)
    rows: list[dict[str, object]] = []
    for size in ("normal", "xlarge"):
        settings = Settings(library=str(lib), text_size=size)
        app, shell = uiapp.create(home, windowed=True, settings=settings)
        shell.resize(1920, 1080)
        _wait(app, lambda s=shell: not s.ctx.loading, 60)
        shell.enter_admin()
        screen = shell.navigate("admin_thesaurus")
        _wait(app, lambda s=screen: s.entries is not None, 20)
        base = list(screen.entries)
        for n in [len(base), *sizes]:
            rows.append({"text_size": size, **_measure(screen, _entries(n, base))})
        shell.ctx.ops.wait()
        shell.allow_close()
        shell.close()
    return {
        "what": "GUI-thread time to a painted list, offscreen 1920x1080 (bench/thesaurus_screen_bench.py)",
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "load_before": os.getloadavg(),
        "rows": rows,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 5000])
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    home = args.home or Path(tempfile.mkdtemp(prefix="lawshelf-thesaurus-bench-"))
    load = os.getloadavg()
    report = run(home, args.sizes)
    report["load_before"], report["load_after"] = load, os.getloadavg()
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for r in report["rows"]:
        print(json.dumps(r, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
