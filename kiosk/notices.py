"""What the news, policy-dialogue and legal-aid pages show, and in what order: a session or an
event that has taken place is never offered to a resident as one still to come."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import sqlite_utils

from kiosk.contests_rules import SYSTEM_CLOCK, Clock, trusted_now, vn_at
from offline_index.model import Notice

# Notices whose date is the day something takes place (a dialogue session, a mobile legal-aid
# session), not the day they were written; a legal-aid contact that is a standing service has
# no date (docs/content-format.md, "Notice").
TAKES_PLACE = ("policy_dialogue", "legal_aid")


@dataclass(frozen=True)
class ShownNotice:
    notice: Notice
    held: bool  # a session that has taken place: shown as such, no opinions asked for


def arrange(notices: Sequence[Notice], today: date) -> list[ShownNotice]:
    """Sessions still to come first, the soonest first; then the rest in the order given
    (newest first): news, standing contacts, and dialogue sessions held, marked held. A
    legal-aid session held is left out: the page lists where a resident can still go."""
    coming: list[Notice] = []
    rest: list[ShownNotice] = []
    for n in notices:
        when = _day(n) if n.type in TAKES_PLACE else None
        if when is not None and when >= today:
            coming.append(n)
        elif when is None or n.type != "legal_aid":
            rest.append(ShownNotice(n, held=when is not None))
    coming.sort(key=lambda n: (_day(n), n.id))
    return [ShownNotice(n, held=False) for n in coming] + rest


def today_here(db: sqlite_utils.Database | None, clock: Clock = SYSTEM_CLOCK) -> date:
    """Today in Vietnam by the kiosk's clock, never before the last sync's time floor (a clock
    set back after a power cut does not bring a session back)."""
    return vn_at(trusted_now(db, clock)).date()


def _day(n: Notice) -> date | None:
    try:
        return date.fromisoformat((n.date or "")[:10])
    except ValueError:
        return None
