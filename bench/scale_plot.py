"""The scale benchmark's cost-growth curves as a plain SVG (no plotting dependency).

.venv/bin/python bench/scale_plot.py [bench/results/scale.json] [docs/scale.svg]
"""

from __future__ import annotations

import json
import sys
from html import escape
from pathlib import Path

W, H, PAD = 300, 210, 44
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd")
# panel title, unit, [(label, path into a run, target or None)]
PANELS = [
    ("Latency, one core", "ms", [
        ("questions p95", ("questions", "p95_ms"), 150),
        ("questions p50", ("questions", "p50_ms"), 60),
        ("keywords p95", ("keywords", "p95_ms"), 30),
    ]),
    ("Memory", "MB", [
        ("serving, after 300 searches", ("serving_rss_after_300_mb",), 250),
        ("cold build peak", ("cold_build", "peak_rss_mb"), 800),
        ("incremental 1% peak", ("incremental_1pct", "peak_rss_mb"), None),
    ]),
    ("Build time", "s", [
        ("cold build", ("cold_build", "seconds"), 900),
        ("incremental 1%", ("incremental_1pct", "seconds"), 30),
    ]),
    ("Size on disk", "MB", [
        ("generation", ("generation_mb",), None),
        ("index", ("index_mb",), None),
    ]),
]  # fmt: skip


def _get(run: dict, path: tuple[str, ...]) -> float:
    value: object = run
    for key in path:
        value = value[key]  # type: ignore[index]
    return float(value)  # type: ignore[arg-type]


def _panel(x0: int, y0: int, title: str, unit: str, series: list, runs: list[dict]) -> list[str]:
    xs = [r["copies"] for r in runs]
    values = [[_get(r, path) for r in runs] for _, path, _ in series]
    targets = [t for *_, t in series if t is not None]
    top = max([v for vs in values for v in vs] + targets) * 1.1 or 1.0
    span = max(xs) - min(xs) or 1

    def px(x: float, y: float) -> tuple[float, float]:
        return (x0 + PAD + (x - min(xs)) / span * (W - PAD - 10), y0 + H - 30 - y / top * (H - 60))

    out = [f'<text x="{x0 + W / 2}" y="{y0 + 16}" text-anchor="middle" font-weight="bold">'
           f"{escape(title)} ({unit})</text>"]  # fmt: skip
    ax0, ay0 = px(min(xs), 0)
    ax1, ay1 = px(max(xs), top)
    out.append(f'<path d="M{ax0},{ay1} V{ay0} H{ax1}" stroke="#444" fill="none"/>')
    for x in xs:
        tx, ty = px(x, 0)
        out.append(f'<text x="{tx}" y="{ty + 14}" text-anchor="middle">{x}×</text>')
    for frac in (0.5, 1.0):
        tx, ty = px(min(xs), top / 1.1 * frac)
        out.append(
            f'<text x="{tx - 4}" y="{ty + 4}" text-anchor="end">{top / 1.1 * frac:.0f}</text>'
        )
    for i, ((label, _, target), vs) in enumerate(zip(series, values, strict=True)):
        colour = COLOURS[i % len(COLOURS)]
        points = " ".join(
            f"{px(x, v)[0]:.1f},{px(x, v)[1]:.1f}" for x, v in zip(xs, vs, strict=True)
        )
        out.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for x, v in zip(xs, vs, strict=True):
            cx, cy = px(x, v)
            out.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3" fill="{colour}"/>')
        if target is not None:
            _, ty = px(min(xs), target)
            out.append(
                f'<path d="M{ax0},{ty:.1f} H{ax1}" stroke="{colour}" stroke-dasharray="4 3"/>'
            )
        out.append(f'<text x="{x0 + PAD + 4}" y="{y0 + 32 + 13 * i}" fill="{colour}">'
                   f"{escape(label)}{' (dashed: target)' if target else ''}</text>")  # fmt: skip
    return out


def write_svg(report: dict, path: Path) -> None:
    runs = report["runs"]
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{2 * W + 20}" height="{2 * H + 40}" '
             'font-family="DejaVu Sans, sans-serif" font-size="11">',
             '<rect width="100%" height="100%" fill="white"/>',
             f'<text x="10" y="{2 * H + 30}">LawShelf scale benchmark, {escape(report["date"])}: '
             "shared corpus × N (bench/results/scale.json)</text>"]  # fmt: skip
    for i, (title, unit, series) in enumerate(PANELS):
        parts += _panel((i % 2) * (W + 10) + 5, (i // 2) * H + 5, title, unit, series, runs)
    parts.append("</svg>")
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")


if __name__ == "__main__":
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("bench/results/scale.json")
    dest = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("docs/scale.svg")
    write_svg(json.loads(src.read_text(encoding="utf-8")), dest)
