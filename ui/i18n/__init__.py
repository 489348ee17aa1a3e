"""UI language through Qt's translation system.

Source strings are Vietnamese (the kiosk's default language, so it needs no catalogue
to run). English is the second language: catalogues `ui/i18n/*.en.json` map a Vietnamese
source string to its English text and are served by a QTranslator installed on the app.
Other areas add their own `<area>.en.json` beside `ui.en.json`; a test checks that every
`tr("...")` / `N_("...")` literal under ui/ has an English entry.

Why JSON rather than .ts/.qm: the catalogue is reviewed as plain text in the repo and
needs no lrelease step at install. It is compiled to .qm when a language is chosen (the
`lrelease` PySide6 ships), and a plain QTranslator serves it: Qt does
the lookup in C++, with no Python on the QML loader's thread (compile_catalogue).
"""

from __future__ import annotations

import json
import logging
import subprocess
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from offline_index.dates import vn_date
from offline_index.errors import LawShelfError
from offline_index.fsutil import atomic_write_text
from ui.qt import QCoreApplication, QTranslator, lrelease

log = logging.getLogger(__name__)
CONTEXT = "LawShelf"
LANGUAGES = ("vi", "en")
_DIR = Path(__file__).resolve().parent


def tr(text: str) -> str:
    """Translate a Vietnamese source string into the current UI language."""
    return QCoreApplication.translate(CONTEXT, text)


def number(n: int) -> str:
    """A count as the UI language writes it: `1.951` in Vietnamese, `1,951` in English."""
    grouped = f"{n:,}"
    return grouped.replace(",", ".") if _language == "vi" else grouped


def decimal(x: float, places: int = 1) -> str:
    """A measure as the UI language writes it: `57,1` in Vietnamese, `57.1` in English."""
    text = f"{x:.{places}f}"
    return text.replace(".", ",") if _language == "vi" else text


def day(value: object, missing: str = "—") -> str:
    """An ISO date (or the date of an ISO timestamp) as residents read it, dd/mm/yyyy, in
    either language; `missing` when there is none or it is not a date."""
    return vn_date(value) or missing


def error_message(exc: BaseException, fallback: str) -> str:
    """A known error's message in the UI language; `fallback` (already translated) for a bug.

    The layers below carry a Vietnamese `message_vi` for residents and an English `message`
    for logs. In English the Vietnamese text is looked up (errors.en.json); one built with
    values (`Văn bản không có Điều 5.`) has no entry and shows the English `message`."""
    if not isinstance(exc, LawShelfError):
        return fallback
    shown = tr(exc.message_vi)
    return exc.message if _language != "vi" and shown == exc.message_vi else shown


def N_(text: str) -> str:  # noqa: N802 - gettext convention
    """Mark a string for translation where it is defined; call tr() where it is shown."""
    return text


def load_catalogue(lang: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for path in sorted(_DIR.glob(f"*.{lang}.json")):
        try:
            out.update(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError) as exc:
            log.error("bad translation catalogue %s: %s", path, exc)
    return out


def compile_catalogue(catalogue: dict[str, str], lang: str, folder: Path) -> Path:
    """The catalogue as a .qm file in `folder`, which a plain QTranslator reads in C++.

    A translator written in Python froze the kiosk: Qt's QML loader thread asks the
    installed translators while it loads the on-screen keyboard, a Python override needs
    the interpreter lock, and the GUI thread holds that lock while it waits for the loader.
    The .qm is made with the `lrelease` PySide6 ships (15 ms for the 431 entries)."""
    ts, qm = folder / f"{lang}.ts", folder / f"{lang}.qm"
    atomic_write_text(ts, _ts(catalogue, lang))
    cmd = [str(lrelease()), "-silent", str(ts), "-qm", str(qm)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=60)
    return qm


def _ts(catalogue: dict[str, str], lang: str) -> str:
    """Qt Linguist's source format for one context holding the catalogue."""
    rows = "".join(
        f"<message><source>{escape(k)}</source><translation>{escape(v)}</translation></message>"
        for k, v in catalogue.items()
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
        f'<TS version="2.1" language="{lang}"><context><name>{CONTEXT}</name>{rows}'
        "</context></TS>\n"
    )


def _translator(lang: str) -> QTranslator | None:
    """A QTranslator with the language's catalogue; None (the UI stays Vietnamese) when the
    catalogue cannot be compiled or read. It is compiled in a private folder (mode 0700),
    removed once loaded: Qt keeps what it read, and no file another user could swap lies in
    the shared temporary folder."""
    translator = QTranslator()
    try:
        with tempfile.TemporaryDirectory(prefix="lawshelf-i18n-") as tmp:
            ok = translator.load(str(compile_catalogue(load_catalogue(lang), lang, Path(tmp))))
    except (OSError, subprocess.SubprocessError) as exc:
        log.error("cannot compile the %s catalogue: %s", lang, exc)
        return None
    if not ok:
        log.error("cannot read the compiled %s catalogue", lang)
        return None
    return translator


_installed: QTranslator | None = None
_language = "vi"


def set_language(lang: str) -> str:
    """Switch the UI language; screens created afterwards use it. Returns the language
    (Vietnamese when the other one's catalogue cannot be loaded)."""
    global _installed, _language
    app = QCoreApplication.instance()
    if _installed is not None and app is not None:
        app.removeTranslator(_installed)
        _installed = None
    lang = lang if lang in LANGUAGES else "vi"
    if lang != "vi" and app is not None:
        _installed = _translator(lang)
        if _installed is None:
            lang = "vi"
        else:
            app.installTranslator(_installed)
    _language = lang
    return lang


def language() -> str:
    return _language
