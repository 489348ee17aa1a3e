"""Dates as Vietnamese texts and residents write them. Imports nothing heavy: the kiosk's
shell formats its status line with it before the library (numpy, Whoosh) is loaded
(tests/ui/test_startup_imports.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime


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


def local_datetime(stamp: object) -> datetime | None:
    """A stored timestamp (ISO; one without an offset is UTC, as every stored time is) in the
    kiosk's local time zone; None when it is not a timestamp. The console and the screens
    read stored times through it, so they agree."""
    try:
        t = datetime.fromisoformat(str(stamp))
    except ValueError:
        return None
    return (t if t.tzinfo else t.replace(tzinfo=UTC)).astimezone()


def local_time(stamp: object) -> str:
    """A stored timestamp as the console shows it: local time with its offset, `2026-12-08
    02:00 (+07)`. A librarian in Hanoi reads the clock on the wall, not UTC. Anything that is
    not a timestamp is shown as it is."""
    t = local_datetime(stamp)
    return f"{t:%Y-%m-%d %H:%M} ({t:%Z})" if t else str(stamp)
