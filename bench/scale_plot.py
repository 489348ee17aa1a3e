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

    legend = 13 * len(series)  # legend lines under the x axis
    bottom = y0 + H - 22 - legend

    def px(x: float, y: float) -> tuple[float, float]:
        return (
            x0 + PAD + (x - min(xs)) / span * (W - PAD - 10),
            bottom - y / top * (H - 50 - legend),
        )

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
        out.append(f'<text x="{x0 + PAD}" y="{bottom + 26 + 13 * i}" fill="{colour}">'
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


def markdown_table(report: dict) -> str:
    """The figures per N as the table in docs/benchmarks.md ("Scale")."""
    runs = report["runs"]

    def row(label: str, cell: object, target: str = "") -> str:
        cells = " | ".join(cell(r) for r in runs)  # type: ignore[operator]
        return f"| {label} | {cells} | {target} |"

    lines = [
        "| measure | " + " | ".join(f"{r['copies']}×" for r in runs) + " | target at 10× |",
        "|---|" + "---|" * len(runs) + "---|",
        row("documents / articles", lambda r: f"{r['documents']:,} / {r['articles']:,}"),
        row("questions p50 / p95 (ms, one core)",
            lambda r: f"{r['questions']['p50_ms']} / {r['questions']['p95_ms']}", "≤ 60 / ≤ 150"),
        row("keywords p50 / p95 (ms)",
            lambda r: f"{r['keywords']['p50_ms']} / {r['keywords']['p95_ms']}", "p95 ≤ 30"),
        row("serving RSS after 300 searches / peak (MB)",
            lambda r: f"{r['serving_rss_after_300_mb']} / {r['serving_peak_rss_mb']}", "≤ 250"),
        row("reopen, median of 5 (s)", lambda r: f"{r['reopen']['median_s']}", "≤ 0.5"),
        row("cold apply: time (s) / peak RSS (MB)",
            lambda r: f"{r['cold_build']['seconds']} / {r['cold_build']['peak_rss_mb']}",
            "≤ 900 / ≤ 800"),
        row("incremental apply, 1% of documents: time (s) / peak RSS (MB)",
            lambda r: f"{r['incremental_1pct']['seconds']} / {r['incremental_1pct']['peak_rss_mb']}",
            "≤ 30"),
        row("index / generation (MB)", lambda r: f"{r['index_mb']} / {r['generation_mb']}"),
        row("hit@10 / MRR@10 (729 questions)",
            lambda r: f"{r['quality']['hit@10']:.3f} / {r['quality']['mrr@10']:.3f}"),
        row("load average: before / serving / after",
            lambda r: " / ".join(str(v) for v in r["load_avg"].values())),
    ]  # fmt: skip
    return "\n".join(lines)
