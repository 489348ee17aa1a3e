"""The embedded demo library: its committed content source and the makers that regenerate it.

`CONTENT` is the content source (format v1) a fresh home is built from. The `*_make` modules
regenerate it from ../shared/data and the hand-written `*_data` modules; the library core
never imports them.
"""

from pathlib import Path

CONTENT = Path(__file__).resolve().parent / "content"
