"""The kiosk's time floor: the earliest "now" expiry is ever judged at, from what it trusts.

A kiosk's clock may be wrong by years, so signed metadata could look fresh long after it
expired. The floor is the newest of:

* the date this software was built (`SOFTWARE_DATE`: the kiosk cannot run before it existed);
* the `issued` date the publisher signed into the trusted root (offline root keys);
* the `issued` date of every timestamp this kiosk verified, kept per signing key.

So a new kiosk, never synced, already refuses metadata that expired before its root was
signed. Why per key: someone holding stolen online keys can sign a timestamp "issued" years
ahead and push the floor there, which would freeze the kiosk for good. Dates vouched for by
a timestamp key the current root no longer lists stop counting, so rotating that key
(`lawshelf keys recover-online`) also lowers the floor back to what honest keys signed.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils
from tuf.api.metadata import Metadata, Root

from offline_index.home import sync_metadata_dir, trusted_root_path
from sync import status
from sync.release import EXTRA

log = logging.getLogger(__name__)

# Bump with every software release: a clock showing an earlier date is certainly wrong.
SOFTWARE_DATE = datetime(2026, 12, 1, tzinfo=UTC)
LEGACY_KEY = ""  # floors recorded before keys were tracked: they always count


def trusted_root(home: Path) -> Root | None:
    """The newest root this kiosk trusts (the verified cache, else the installed one)."""
    for path in (sync_metadata_dir(home) / "root.json", trusted_root_path(home)):
        if path.is_file():
            try:
                return Metadata[Root].from_bytes(path.read_bytes()).signed
            except Exception as exc:  # noqa: BLE001 - a damaged file: the verifier says why
                log.warning("cannot read %s for the time floor: %s", path, exc)
    return None


def issued_of(signed: object) -> datetime | None:
    """The publisher's signed `x-lawshelf.issued` time of a root or timestamp, if any."""
    raw = getattr(signed, "unrecognized_fields", {}).get(EXTRA, {}).get("issued")
    try:
        return datetime.fromisoformat(raw) if raw else None
    except (TypeError, ValueError):
        return None


def current_floor(db: sqlite_utils.Database, home: Path) -> datetime:
    """The floor now: software date, trusted root, timestamps by keys the root still lists."""
    root = trusted_root(home)
    candidates = [SOFTWARE_DATE]
    if root is not None:
        candidates.append(issued_of(root) or SOFTWARE_DATE)
        keys = set(root.roles["timestamp"].keyids) | {LEGACY_KEY}
    else:
        keys = {LEGACY_KEY}
    for keyid, issued in db.execute("SELECT keyid, issued FROM sync_time_floor").fetchall():
        if keyid in keys:
            candidates.append(datetime.fromisoformat(issued))
    return max(candidates)


def record(
    db: sqlite_utils.Database, home: Path, keyids: list[str], issued: datetime | None
) -> datetime:
    """Note a verified timestamp's issue time under the keys that signed it; refresh the
    floor shown by `lawshelf status` (and used by contests). Returns the floor."""
    if issued is not None:
        with db.atomic():
            for keyid in keyids:
                db.execute(
                    "INSERT INTO sync_time_floor (keyid, issued) VALUES (?, ?)"
                    " ON CONFLICT (keyid) DO UPDATE SET issued = excluded.issued"
                    " WHERE excluded.issued > sync_time_floor.issued",
                    [keyid, issued.isoformat()],
                )
    floor = current_floor(db, home)
    status.update(db, time_floor=floor.isoformat())
    return floor
