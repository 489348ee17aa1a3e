"""The centre's fleet view and its usage report across kiosks.

A centre serving hundreds of kiosks must see at a glance which are behind (an older content
version than the newest release), silent for days, or failing (the last sync's error, which
every heartbeat carries, or batches the inbox refused). `fleet()` gives one row per
registered kiosk; `usage_report()` sums the kiosks' daily totals into the same
`kiosk.stats.UsageReport` the kiosk's own report uses, so the CSV and PDF exports are the
kiosk's own functions (`kiosk.stats.export_csv`, `export_pdf`).

Software (docs/updates.md): the heartbeat's `app` part gives the running version, a version
waiting for the next idle restart, and the last update's outcome; a refused, failed or
rolled-back version and its error are among the kiosk's problems.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from kiosk import stats
from sync.central_store import CentralStore


@dataclass
class FleetRow:
    kiosk_id: str
    state: str  # active | revoked (compromised|retired)
    note: str
    last_heard: str | None  # when the centre last collected a batch from it (centre clock)
    days_silent: int | None  # None: never heard from
    heartbeat_day: str | None
    content_version: str | None
    content_date: str | None
    app_version: str | None
    app_pending: str | None  # installed and checked, starts at the kiosk's next idle restart
    behind: bool | None  # older content than the newest release (None: unknown)
    sync_outcome: str | None
    error: str  # the last sync's error, or refused batches; "" when fine

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def fleet(
    store: CentralStore,
    *,
    stale_days: int | None = None,
    latest_version: int | None = None,
    now: datetime | None = None,
) -> list[FleetRow]:
    """One row per registered kiosk; with `stale_days`, only active kiosks not heard from
    for that many days (or never)."""
    now = now or datetime.now(UTC)
    rows = [_row(r, latest_version, now) for r in store.fleet()]
    if stale_days is None:
        return rows
    return [
        r
        for r in rows
        if r.state == "active" and (r.days_silent is None or r.days_silent >= stale_days)
    ]


APP_PROBLEMS = ("rolled_back", "failed_check", "failed_install", "failed_activation", "refused")


def _row(r: dict[str, Any], latest: int | None, now: datetime) -> FleetRow:
    hb = r["heartbeat"] or {}
    sync = hb.get("sync") or {}
    heard = r["last_heard"]
    silent = (now - datetime.fromisoformat(heard)).days if heard else None
    version = hb.get("content_version")
    behind = None
    if latest is not None and version is not None:
        behind = not str(version).isdigit() or int(version) < latest
    app = hb.get("app") or {}
    state = "active"
    if r["revoked_at"]:
        state = f"revoked ({r.get('revoked_reason') or 'compromised'})"
    return FleetRow(
        kiosk_id=r["kiosk_id"],
        state=state,
        note=r["note"] or "",
        last_heard=heard,
        days_silent=silent,
        heartbeat_day=hb.get("day"),
        content_version=version,
        content_date=hb.get("content_date"),
        app_version=app.get("version") or hb.get("app_version"),
        app_pending=app.get("pending"),
        behind=behind,
        sync_outcome=sync.get("outcome"),
        error="; ".join(_problems(hb, r["refused"])),
    )


def _problems(hb: dict[str, Any], refused: int) -> list[str]:
    """Why a kiosk needs attention: its last sync failed, the inbox refused its batches, or a
    software version was refused, failed or rolled back there."""
    problems = []
    sync = hb.get("sync") or {}
    if sync.get("outcome") == "failed":
        problems.append(f"sync exit {sync.get('exit_code')}: {sync.get('error') or '?'}")
    if refused:
        problems.append(f"{refused} batch(es) refused at the inbox")
    update = (hb.get("app") or {}).get("update") or {}
    if update.get("outcome") in APP_PROBLEMS:
        problems.append(f"app {update.get('version')} {update['outcome']}: {update.get('error')}")
    return problems


# ---------------------------------------------------------------- usage across kiosks


def usage_rows(
    store: CentralStore, start: date, end: date, kiosks: list[str] | None = None
) -> list[dict[str, Any]]:
    """Daily totals per kiosk (what `lawshelf kiosks usage` lists)."""
    return store.usage(start.isoformat(), end.isoformat(), kiosks)


def usage_report(
    store: CentralStore,
    start: date | None = None,
    end: date | None = None,
    *,
    kiosks: list[str] | None = None,
    min_count: int = 5,
) -> stats.UsageReport:
    """The kiosks' daily totals summed per day, as the kiosk's own UsageReport
    (kiosk.stats.build_report over every kiosk's uploaded rows).

    Labels are summed across kiosks and shown only at `min_count` or more, as on a kiosk
    (each kiosk already uploads only the labels it counted that often)."""
    end = end or date.today()
    start = start or end - timedelta(days=29)
    rows = usage_rows(store, start, end, kiosks)
    names = sorted({r["kiosk_id"] for r in rows})
    label = f"{len(names)} máy kiosk" + (f": {', '.join(names)}" if kiosks else "")
    daily: list[tuple[str, str, int]] = []
    items: list[tuple[str, str, str, int]] = []
    for r in rows:
        payload = {**r["payload"], "day": r["day"], "counts": r["counts"]}
        more_daily, more_items = stats.payload_rows(payload)
        daily += more_daily
        items += more_items
    return stats.build_report(start, end, daily, items, min_count=min_count, ward_name=label)
