"""Small SVG icons the style sheet draws (Qt style sheets take images only from files)."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent


def icon_path(name: str) -> str:
    """The icon's file as a style sheet `url()` wants it (forward slashes)."""
    return (HERE / f"{name}.svg").as_posix()
