"""Personal data at the centre: every opening is logged, every purge reaches every copy.

Residents' names, phones and contacts arrive sealed to the publisher's key (sync.sealing).
Opening one is an act someone answers for (Decree 13/2023/NĐ-CP): `open_logged` writes who,
when and what to the access log *before* it decrypts, so nothing is shown unlogged. `purge`
drops the sealed data from the central database (VACUUMed) and from every batch file the
centre keeps (the archive, and the inbox when given), and logs that too.
"""

from __future__ import annotations

import getpass
import os
from pathlib import Path
from typing import Any

from sync import inbox as inbox_mod
from sync.central_store import CentralStore

STAFF_ENV = "LAWSHELF_STAFF"


def who_am_i(explicit: str | None = None) -> str:
    """The person acting: `--as NAME`, else LAWSHELF_STAFF, else the login name."""
    if explicit:
        return explicit
    if os.environ.get(STAFF_ENV):
        return os.environ[STAFF_ENV]
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid {os.getuid()}"


def open_logged(
    store: CentralStore,
    private_key: Any,
    rows: list[dict[str, Any]],
    *,
    who: str,
    action: str,
    subject: str,
) -> dict[str, dict[str, Any]]:
    """uuid -> opened personal data of `rows` that carry a sealed blob; logged first."""
    from sync.sealing import open_sealed

    sealed = [r for r in rows if r.get("sealed")]
    if not sealed:
        return {}
    store.log_access(who, action, subject, f"{len(sealed)} record(s): " + _ids(sealed))
    return {r["uuid"]: open_sealed(private_key, r["sealed"], record_id=r["uuid"]) for r in sealed}


def purge(
    store: CentralStore,
    table: str,
    rows: list[dict[str, Any]],
    *,
    who: str,
    subject: str,
    inbox: Path | None = None,
) -> tuple[int, int]:
    """Drop the sealed data of `rows` everywhere the centre holds it: (records, files)."""
    ids = [r["uuid"] for r in rows]
    if not ids:
        return 0, 0
    files = inbox_mod.purge_files(store, ids, inbox)
    n = store.purge_sealed(table, ids)
    store.log_access(who, "purge", subject, f"{n} record(s), {files} batch file(s)")
    return n, files


def _ids(rows: list[dict[str, Any]], shown: int = 20) -> str:
    ids = [r["uuid"][:8] for r in rows[:shown]]
    return ", ".join(ids) + (f" and {len(rows) - shown} more" if len(rows) > shown else "")
