"""UI language through Qt's translation system.

Source strings are Vietnamese (the kiosk's default language, so it needs no catalogue
to run). English is the second language: catalogues `ui/i18n/*.en.json` map a Vietnamese
source string to its English text and are served by a QTranslator installed on the app.
Other areas add their own `<area>.en.json` beside `ui.en.json`; a test checks that every
`tr("...")` / `N_("...")` literal under ui/ has an English entry.

Why JSON rather than .ts/.qm: the catalogue is reviewed as plain text in the repo and
needs no lrelease step at install; Qt still does the lookup (QCoreApplication.translate).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from offline_index.dates import vn_date
from offline_index.errors import LawShelfError
from ui.qt import QCoreApplication, QTranslator

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


class JsonTranslator(QTranslator):
    """A QTranslator backed by a dict; returns None (untranslated) for unknown strings."""

    def __init__(self, catalogue: dict[str, str]) -> None:
        super().__init__()
        self._cat = catalogue

    def translate(self, context, source, disambiguation=None, n=-1):  # noqa: ANN001, ANN201
        return self._cat.get(source)

    def isEmpty(self) -> bool:  # noqa: N802 - Qt override
        return not self._cat


_installed: JsonTranslator | None = None
_language = "vi"


def set_language(lang: str) -> str:
    """Switch the UI language; screens created afterwards use it. Returns the language."""
    global _installed, _language
    app = QCoreApplication.instance()
    if _installed is not None and app is not None:
        app.removeTranslator(_installed)
        _installed = None
    lang = lang if lang in LANGUAGES else "vi"
    if lang != "vi" and app is not None:
        _installed = JsonTranslator(load_catalogue(lang))
        app.installTranslator(_installed)
    _language = lang
    return lang


def language() -> str:
    return _language
