"""The embedded demo library: its committed content source and the makers that regenerate it.

`CONTENT` is the content source (format v1) a fresh home is built from. The `*_make` modules
regenerate it from ../shared/data and the hand-written `*_data` modules; the library core
never imports them.

Where it lives: in a checkout (and an editable install) beside this file. It is not in the
wheel (16 MB of data no app update should move again, docs/updates.md): the installer puts
it beside the app environments, APP_ROOT/demo-content (/opt/lawshelf/demo-content), which is
`<sys.prefix>/../../demo-content` for a program running from APP_ROOT/venvs/<name>.
"""

import json
import logging
import sys
from pathlib import Path

log = logging.getLogger(__name__)

_PACKAGED = Path(__file__).resolve().parent / "content"
_INSTALLED = Path(sys.prefix).resolve().parent.parent / "demo-content"

CONTENT = _PACKAGED if _PACKAGED.is_dir() or not _INSTALLED.is_dir() else _INSTALLED


def default_content(relative: str) -> tuple[Path, dict] | None:
    """A file of the demo content (`thesaurus/everyday.json`), the embedded default of a content
    type a release may leave out, with its path; None if it is not here.

    An app update does not move the installed demo content (docs/updates.md), so a kiosk
    installed before a content type existed has no default for it, and a health check may run
    a new version before the content is there: that content type then simply has no default.
    """
    path = CONTENT / relative
    try:
        return path, json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        log.warning("no default %s at %s: none is used", relative, path)
        return None
