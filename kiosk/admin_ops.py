"""What the librarian screens show and do, without Qt: status, USB sticks, sync, import, export.

The admin screens only lay these out. The status is the same data as `lawshelf status
--json` (sync.status.read_status) plus what the librarian needs around it, with the last
sync result in plain Vietnamese.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlite_utils

from kiosk import admin, maintenance
from offline_index.errors import LawShelfError
from offline_index.home import library_root
from sync import outbox

if TYPE_CHECKING:
    from sync.run import SyncReport

log = logging.getLogger(__name__)
REPAIR_SHOWN = timedelta(days=30)  # among the status screen's recent problems this long

MOUNT_ROOTS = ("/media", "/run/media", "/mnt")
MAX_PDFS = 200
Progress = Callable[[str, int, int], None]  # (what, done, total), as sync's


# ---------------------------------------------------------------- status


def library_summary(home: Path) -> dict[str, Any]:
    from offline_index import generations as gens

    live = gens.live_generation(library_root(home))
    if live is None:
        return {"generation": None}
    try:
        m = gens.read_manifest(live)
    except LawShelfError as exc:
        return {"generation": live.name, "error": exc.message}
    return {
        "generation": live.name,
        "version": m.get("release_version"),
        "content_date": m.get("content_date"),
        "built_at": m.get("built_at"),
        "counts": m.get("counts", {}),
    }


def plain_sync_result(st: dict[str, Any]) -> str:
    """The last sync's result as a sentence a librarian understands (details in parentheses)."""
    from sync.status import error_vi

    outcome = st.get("outcome")
    if not st.get("last_attempt"):
        return "Máy chưa cập nhật lần nào."
    if outcome in ("failed", "interrupted"):
        why = error_vi(st.get("exit_code"), outcome, st.get("error_vi"))
        detail = f" (chi tiết: {st['error']})" if st.get("error") and outcome == "failed" else ""
        return f"Lần cập nhật gần nhất không thành công. {why}{detail}"
    if outcome == "running":
        return "Đang cập nhật dữ liệu…"
    if outcome == "up_to_date":
        return "Lần cập nhật gần nhất: dữ liệu đã là mới nhất."
    if outcome == "applied":
        return f"Lần cập nhật gần nhất thành công (bản {st.get('version')})."
    if outcome == "dry_run":
        return "Lần gần nhất chỉ kiểm tra, chưa áp dụng."
    if outcome == "cancelled":
        return "Lần cập nhật gần nhất đã được dừng theo yêu cầu; thư viện giữ nguyên."
    return f"Kết quả lần cập nhật gần nhất: {outcome or 'chưa rõ'}."


def app_summary(home: Path) -> dict[str, Any]:
    """The software: the version running now (a librarian quotes it on the phone), the one
    waiting for the next idle restart, and the last update's outcome (docs/updates.md)."""
    from sync import app_state

    app = app_state.status(app_state.app_root_for(), home)
    return {**app, "running": outbox.app_version()}


def status_summary(home: Path, db: sqlite_utils.Database) -> dict[str, Any]:
    """Everything the status screen shows, read fresh each time."""
    from sync.status import read_status

    st = read_status(db)
    disk = shutil.disk_usage(home)
    out: dict[str, Any] = {
        "sync": st,
        "sync_text": plain_sync_result(st),
        "library": library_summary(home),
        "disk_free": disk.free,
        "disk_total": disk.total,
        "maintenance": maintenance.is_on(home),
        "errors": admin.recent_events(db, limit=8),
        "sealing": sealing_summary(home),
        "app": app_summary(home),
    }
    try:
        out["outbox"] = outbox.status(db)
    except sqlite_utils.db.NotFoundError as exc:
        log.info("outbox status unavailable: %s", exc)
        out["outbox"] = {"pending": 0}
    repaired = st.get("state_repaired")
    if repaired and datetime.fromisoformat(repaired["at"]) > datetime.now(UTC) - REPAIR_SHOWN:
        out["errors"].insert(0, repair_event(repaired))
    if st.get("error"):
        out["errors"].insert(
            0,
            {
                "at": st.get("last_attempt") or "",
                "level": "error",
                "source": "sync",
                "message": st["error"],
            },
        )
    return out


def repair_event(r: dict[str, Any]) -> dict[str, Any]:
    """The state database's last repair (offline_index.sqlite_salvage) as a status-screen
    event: what was read back, what may be missing, and that the damaged file is kept."""
    if r["nothing_read"]:
        got = "không đọc lại được gì"
    else:
        got = f"đã chép lại {r['rows']} bản ghi"
        if r["incomplete"]:
            got += "; có thể thiếu một phần: " + ", ".join(r["incomplete"])
    message = (
        f"Cơ sở dữ liệu của máy bị hỏng và đã được dựng lại ({got}). Bản hỏng được giữ"
        f" nguyên ({r['kept_as']}); nếu thấy thiếu cài đặt hoặc bài dự thi, hãy báo kỹ thuật viên."
    )
    return {"at": r["at"], "level": "error", "source": "state", "message": message}


def sealing_summary(home: Path) -> dict[str, Any]:
    """Whether residents' entries and contact details can be taken here, and if not why:
    without the publisher's sealing key the kiosk offers no contest and no contact field."""
    from kiosk.questions import sealing_problem
    from sync.sealing import key_id, kiosk_public_key

    problem = sealing_problem(home)
    if problem is not None:
        return {"ready": False, "key_id": "", "problem": problem.message}
    return {"ready": True, "key_id": key_id(kiosk_public_key(home)).hex(), "problem": ""}


# ---------------------------------------------------------------- USB sticks


@dataclass
class Stick:
    """One mounted USB stick: a release tree on it (if any) and the PDFs a librarian may add."""

    path: Path
    release: Path | None = None
    pdfs: list[Path] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.name


def mount_roots() -> list[Path]:
    """Where automount puts sticks (udisks: /media/USER/LABEL, /run/media/USER/LABEL).

    LAWSHELF_USB_ROOTS (colon-separated) replaces them: tests point it at a folder.
    """
    raw = os.environ.get("LAWSHELF_USB_ROOTS")
    return [Path(p) for p in raw.split(":") if p] if raw else [Path(p) for p in MOUNT_ROOTS]


def _candidates(root: Path) -> list[Path]:
    """Mount points two levels deep at most (/media/LABEL and /media/USER/LABEL)."""
    out: list[Path] = []
    try:
        entries = sorted(p for p in root.iterdir() if p.is_dir())
    except OSError:
        return out
    for entry in entries:
        out.append(entry)
        if os.path.ismount(entry) or _release_root(entry) or _has_pdf(entry):
            continue
        try:
            out.extend(sorted(p for p in entry.iterdir() if p.is_dir()))
        except OSError:
            continue
    return out


def _release_root(path: Path) -> Path | None:
    for candidate in (path, path / "lawshelf"):
        if (candidate / "metadata" / "timestamp.json").is_file():
            return candidate
    return None


def _has_pdf(path: Path) -> bool:
    try:
        return any(p.suffix.lower() == ".pdf" for p in path.iterdir())
    except OSError:
        return False


def _pdfs(path: Path) -> list[Path]:
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(path):
        depth = len(Path(dirpath).relative_to(path).parts)
        dirnames[:] = [
            d
            for d in sorted(dirnames)
            if not d.startswith(".") and depth < 3 and d not in ("blobs", "metadata")
        ]
        found += [Path(dirpath) / f for f in sorted(filenames) if f.lower().endswith(".pdf")]
        if len(found) >= MAX_PDFS:
            break
    return found[:MAX_PDFS]


def find_sticks(roots: list[Path] | None = None) -> list[Stick]:
    """Sticks under the mount roots, with a release tree and/or PDFs on them.

    Under LAWSHELF_USB_ROOTS (no real mounts) every folder directly inside counts as a stick.
    """
    explicit = roots is not None or bool(os.environ.get("LAWSHELF_USB_ROOTS"))
    sticks = []
    for root in roots or mount_roots():
        for path in _candidates(root):
            stick = Stick(path, _release_root(path), _pdfs(path))
            direct = explicit and path.parent == root
            if stick.release or stick.pdfs or os.path.ismount(path) or direct:
                sticks.append(stick)
    return sticks


# ---------------------------------------------------------------- actions


def sync_now(
    home: Path,
    db: sqlite_utils.Database,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> SyncReport:
    """Sync from the configured source (URL or folder), like the nightly service.

    Setting `cancel` stops it (sync.run.SyncJob) with the live library untouched."""
    from kiosk import settings
    from sync.run import SyncJob

    values = settings.load(home, db)
    job = SyncJob(
        home,
        values.sync_source or None,
        progress=progress,
        cancel=cancel,
        deadline_s=values.sync_deadline_s,
    )
    return job.run()


def usb_changes(home: Path, release: Path, cancel: threading.Event | None = None) -> dict[str, Any]:
    """Verify a stick's release exactly like a sync and say what it would change."""
    from sync.run import verify_usb

    return verify_usb(home, release, cancel)


def usb_import(
    home: Path,
    release: Path,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> Any:
    from sync.run import SyncJob

    return SyncJob(home, release, progress=progress, cancel=cancel, upload=False).run()


def usb_export(home: Path, stick: Path) -> dict[str, Any]:
    """Write this kiosk's verified release to a stick for a neighbouring commune."""
    from sync.usb import export_usb

    return export_usb(home, stick / "lawshelf")


def record_error(db: sqlite_utils.Database, source: str, exc: BaseException) -> None:
    """Failed librarian actions show up under 'recent errors' on the status screen."""
    message = exc.message if isinstance(exc, LawShelfError) else repr(exc)
    try:
        admin.log_event(db, "error", source, message)
    except Exception:  # noqa: BLE001 - reporting must not raise over the real error
        log.exception("could not record an admin error")
