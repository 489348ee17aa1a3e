"""The embedded demo library: its committed content source and the makers that regenerate it.

`CONTENT` is the content source (format v1) a fresh home is built from. The `*_make` modules
regenerate it from ../shared/data and the hand-written `*_data` modules; the library core
never imports them.

Where it lives: in a checkout (and an editable install) beside this file. It is not in the
wheel (16 MB of data no app update should move again, docs/updates.md): the installer puts
it beside the app environments, APP_ROOT/demo-content (/opt/lawshelf/demo-content), which is
`<sys.prefix>/../../demo-content` for a program running from APP_ROOT/venvs/<name>.
"""

import sys
from pathlib import Path

_PACKAGED = Path(__file__).resolve().parent / "content"
_INSTALLED = Path(sys.prefix).resolve().parent.parent / "demo-content"

CONTENT = _PACKAGED if _PACKAGED.is_dir() or not _INSTALLED.is_dir() else _INSTALLED
