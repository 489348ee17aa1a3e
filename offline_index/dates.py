"""Dates as Vietnamese texts and residents write them. Imports nothing heavy: the kiosk's
shell formats its status line with it before the library (numpy, Whoosh) is loaded
(tests/ui/test_startup_imports.py)."""

from __future__ import annotations

from datetime import date


def vn_date(day: object) -> str:
    """An ISO date (or a timestamp's date) as dd/mm/yyyy; "" when there is none or it is not
    a date. The one date format: the reader's currency notices (currency_view) and the UI's
    `ui.i18n.day` use it."""
    try:
        d = date.fromisoformat(str(day)[:10]) if day else None
    except ValueError:
        d = None
    return f"{d.day:02d}/{d.month:02d}/{d.year}" if d else ""


DATE_FORMATS_TEXT = "YYYY-MM-DD or dd/mm/yyyy"


def iso_date(text: str) -> str:
    """A date typed as `2026-12-07` or as Vietnamese write it, `07/12/2026` (day first), in
    ISO form. Raises ValueError for anything else: `12/07` alone or a month 13 is not guessed."""
    text = text.strip()
    day, sep, rest = text.partition("/")
    try:
        if not sep:
            return date.fromisoformat(text).isoformat()
        month, _, year = rest.partition("/")
        if len(year) != 4:
            raise ValueError(text)
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        raise ValueError(f"expected a date as {DATE_FORMATS_TEXT}; got {text!r}") from None
