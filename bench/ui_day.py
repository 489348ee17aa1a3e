"""A kiosk's day, driven inside the app process by bench/ui_bench.py (issue 18).

Residents come and go: each visit searches (500 in the day), opens hits in the reader (300
documents), now and then a publication PDF (pages turned) or a video, and leaves; the idle
wipe then starts the media loop until the next visit, 8 hours of loop in all. The loop runs
on accelerated time: an infographic moves on as soon as it is painted, a video plays to its
end at LOOP_RATE times its speed (every frame is still decoded and painted, as on the wall).
Memory is sampled after every visit: RSS split into anonymous, file-backed and shared memory
(/proc status and smaps_rollup), Qt widgets and objects alive, Python objects, and the Python
heap when tracemalloc runs; at a few marks of the day every mapping's RSS is listed (grouped
by file, [anon], memfd, SysV shared memory) to name what grows.
"""

from __future__ import annotations

import gc
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LOOP_RATE = 16.0  # playback speed of loop videos; frames decoded are the same


@dataclass
class Plan:
    searches: int = 500
    documents: int = 300
    loop_hours: float = 8.0
    searches_per_visit: int = 3
    pdf_every: int = 5  # visits
    video_every: int = 8
    qa_every: int = 6


STATUS_FIELDS = ("VmRSS", "VmHWM", "RssAnon", "RssFile", "RssShmem")
ROLLUP_FIELDS = ("Pss_Anon", "Pss_File", "Pss_Shmem", "Anonymous")


def _kb_fields(path: str, wanted: tuple[str, ...]) -> dict[str, float]:
    out: dict[str, float] = {}
    for line in Path(path).read_text().splitlines():
        key = line.split(":")[0]
        if key in wanted:
            out[key.lower()] = round(int(line.split()[1]) / 1024, 1)
    return out


def memory(shell: Any) -> dict[str, float]:
    """What the process holds now (MB and counts): RSS split into anonymous, file-backed
    and shared memory (status), their proportional shares (smaps_rollup), Qt widgets and
    objects alive, Python objects."""
    from ui.qt import QApplication, QObject

    out = _kb_fields("/proc/self/status", STATUS_FIELDS)
    out.update(_kb_fields("/proc/self/smaps_rollup", ROLLUP_FIELDS))
    out["widgets"] = len(QApplication.allWidgets())
    out["qobjects"] = len(shell.findChildren(QObject))
    out["py_objects"] = len(gc.get_objects())
    out.update(malloc_stats())
    if tracemalloc.is_tracing():
        out["py_heap_mb"] = round(tracemalloc.get_traced_memory()[0] / 2**20, 1)
    return out


def malloc_stats() -> dict[str, float]:
    """ui.memory.heap_stats() in MB: `malloc_used` (live blocks), `malloc_free` (free but
    still mapped), `malloc_mapped` (blocks mapped on their own)."""
    from ui import memory as kiosk_memory

    return {f"malloc_{k}": round(v / 2**20, 1) for k, v in kiosk_memory.heap_stats().items()}


def _group(path: str) -> str:
    """What a mapping is, for grouping: the file, or its kind of memory."""
    if not path:
        return "[anon]"
    if path.startswith("/memfd:"):
        return "memfd:" + path[7:].split(" (deleted)")[0]
    if path.startswith("/SYSV"):
        return "[SYSV shm]"
    if path.startswith("/dev/shm/"):
        return "[/dev/shm]"
    if "/site-packages/" in path:
        return "site-packages/" + path.split("/site-packages/", 1)[1]
    return path


def mappings(pid: int | str = "self") -> dict[str, dict[str, float]]:
    """RSS, PSS and shared RSS per group of mappings (/proc/PID/smaps), in MB."""
    groups: dict[str, dict[str, float]] = {}
    current: dict[str, float] | None = None
    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        head = line.split(None, 5)
        if "-" in head[0] and len(head) >= 5 and ":" not in head[0]:
            name = _group(head[5].strip() if len(head) > 5 else "")
            current = groups.setdefault(name, {"rss": 0.0, "pss": 0.0, "shared": 0.0})
        elif current is not None and head[0] in ("Rss:", "Pss:", "Shared_Clean:", "Shared_Dirty:"):
            key = {"Rss:": "rss", "Pss:": "pss"}.get(head[0], "shared")
            current[key] += int(head[1]) / 1024
    return {k: {f: round(v, 2) for f, v in g.items()} for k, g in groups.items()}


def growth(
    before: dict[str, dict[str, float]], after: dict[str, dict[str, float]], top: int = 25
) -> list[dict[str, Any]]:
    """The groups whose RSS changed most between two `mappings()` snapshots."""
    rows = []
    for name in set(before) | set(after):
        a, b = before.get(name, {}).get("rss", 0.0), after.get(name, {}).get("rss", 0.0)
        rows.append({"mapping": name, "rss_from": a, "rss_to": b, "delta": round(b - a, 2)})
    rows.sort(key=lambda r: abs(r["delta"]), reverse=True)
    return rows[:top]


def biggest(snapshot: dict[str, dict[str, float]], top: int = 25) -> list[dict[str, Any]]:
    rows = [{"mapping": k, **v} for k, v in snapshot.items()]
    return sorted(rows, key=lambda r: r["rss"], reverse=True)[:top]


class Day:
    def __init__(
        self,
        shell: Any,
        pump: Callable[[float], None],
        until: Callable[..., None],
        queries: list[str],
        plan: Plan,
    ) -> None:
        self.shell, self.pump, self.until, self.queries, self.plan = (
            shell,
            pump,
            until,
            queries,
            plan,
        )
        self.done = {"searches": 0, "documents": 0, "pdf_pages": 0, "videos": 0, "qa": 0}
        self.loop = {"simulated_s": 0.0, "items": 0, "videos": 0, "frames": 0, "sessions": 0}
        self.samples: list[dict[str, float]] = []
        self.visits = 0

    # ------------------------------------------------------------ the day
    def run(self) -> dict[str, Any]:
        from ui import memory as kiosk_memory

        visits = -(-self.plan.searches // self.plan.searches_per_visit)
        loop_share = self.plan.loop_hours * 3600 / visits
        marks = {1, max(2, visits // 8), visits // 2, visits}  # where mappings are listed
        snapshots: dict[int, dict[str, dict[str, float]]] = {}
        t0 = time.monotonic()
        while self.done["searches"] < self.plan.searches:
            self.visit(visits)
            self.idle(loop_share)
            self.settle()
            kiosk_memory.release()  # the kiosk's tidy-up in the loop (every minute; time is sped up here)
            self.samples.append({"visit": self.visits, **self.done, **memory(self.shell)})
            if self.visits in marks or self.done["searches"] >= self.plan.searches:
                snapshots[self.visits] = mappings()
        return {
            "plan": self.plan.__dict__,
            "done": self.done,
            "loop": {**self.loop, "simulated_h": round(self.loop["simulated_s"] / 3600, 2)},
            "wall_s": round(time.monotonic() - t0, 1),
            "samples": self.samples,
            **self._mapping_report(snapshots),
        }

    @staticmethod
    def _mapping_report(snapshots: dict[int, dict[str, dict[str, float]]]) -> dict[str, Any]:
        """The biggest mappings at each mark, and what grew from the settled mark (1/8 of
        the day) to the end."""
        if not snapshots:
            return {}
        marks = sorted(snapshots)
        settled = marks[1] if len(marks) > 1 else marks[0]
        return {
            "mappings": {f"visit {m}": biggest(snapshots[m]) for m in marks},
            "mapping_growth": {
                "from_visit": settled,
                "to_visit": marks[-1],
                "groups": growth(snapshots[settled], snapshots[marks[-1]]),
            },
        }

    def visit(self, visits: int) -> None:
        self.visits += 1
        self.shell.go_home()
        want_docs = round(self.plan.documents * self.visits / visits) - self.done["documents"]
        for _ in range(self.plan.searches_per_visit):
            if self.done["searches"] >= self.plan.searches:
                break
            hits = self.search(self.queries[self.done["searches"] % len(self.queries)])
            articles = [h for h in hits if h.hit_type == "article"]
            if want_docs > 0 and articles:
                self.read(articles[self.done["searches"] % len(articles)])
                want_docs -= 1
        if self.visits % self.plan.pdf_every == 0:
            self.pdf()
        if self.visits % self.plan.video_every == 0:
            self.video()
        if self.visits % self.plan.qa_every == 0:
            self.qa()

    def settle(self) -> None:
        """Delete the screens closed meanwhile. app.exec() does this in the kiosk; this
        hand-driven loop must ask (QEventLoop.processEvents leaves DeferredDelete alone)."""
        from ui.qt import QCoreApplication, QEvent

        for _ in range(3):
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            self.pump(0.005)

    def _wait_event(self, name: str, timeout: float = 20.0) -> dict | None:
        from ui import events

        self.until(lambda: any(e["event"] == name for e in events.recent), timeout)
        return next((e for e in events.recent if e["event"] == name), None)

    def search(self, text: str) -> list[Any]:
        """On the visit's search screen (opened once, as a resident stays on it)."""
        from ui import events

        screen = self.shell.current
        if self.shell.current_name != "search":
            screen = self.shell.navigate("search")
        events.recent.clear()
        screen.query.setText(text)
        screen.search_now()
        self._wait_event("results")
        self.done["searches"] += 1
        return list(screen.answer.result.hits) if screen.answer else []

    def read(self, hit: Any) -> None:
        from ui import events

        events.recent.clear()
        reader = self.shell.navigate("reader", doc_id=hit.doc_id, article=hit.article, terms="x")
        self._wait_event("document_open")
        reader.next()  # turn an article, as readers do
        self.pump(0.02)
        self.done["documents"] += 1
        self.shell.back()
        self.settle()

    def pdf(self) -> None:
        from ui import events

        pubs = self.shell.ctx.call_library(
            lambda lib: [p.id for p in lib.publications() if p.file.lower().endswith(".pdf")]
        )
        if not pubs:
            return
        events.recent.clear()
        screen = self.shell.navigate("pdf", publication=pubs[self.visits % len(pubs)])
        for _ in range(3):
            self._wait_event("pdf_page")
            events.recent.clear()
            self.done["pdf_pages"] += 1
            screen.turn(1)
        self.shell.back()
        self.settle()

    def video(self) -> None:
        rows = self.shell.ctx.call_library(
            lambda lib: [m.file for m in lib.media() if m.type == "video"]
        )
        if not rows:
            return
        screen = self.shell.navigate("video", file=rows[self.visits % len(rows)])
        self.until(lambda: screen.player.position() > 1500, 15)  # 1.5 s watched
        self.done["videos"] += 1
        self.shell.back()
        self.settle()

    def qa(self) -> None:
        screen = self.shell.navigate("qa", query="vượt đèn đỏ")
        self.pump(0.3)
        self.done["qa"] += 1
        del screen

    # ------------------------------------------------------------ the loop
    def idle(self, seconds: float) -> None:
        """The resident walks away: wipe, then the loop for `seconds` of simulated time."""
        self.shell.go_idle()
        loop = self.shell.current
        self.until(lambda: bool(loop.items) or loop.index >= 0, 10)
        self.loop["sessions"] += 1
        simulated = 0.0
        while simulated < seconds and loop.items:
            item = loop.items[loop.index][0] if loop.index >= 0 else None
            if item is None:
                self.pump(0.05)
                continue
            simulated += item.duration_s
            self.loop["items"] += 1
            if item.type == "video":
                self._play_through(loop)
            else:
                loop.timer.stop()
                self.pump(0.01)
                loop.next_item()
        self.loop["simulated_s"] += simulated
        self.loop["frames"] = self.loop.get("frames", 0) + loop.frames
        self.shell.activity()  # a touch: Home
        self.until(lambda: not self.shell.in_loop, 5)
        self.settle()

    def _play_through(self, loop: Any) -> None:
        index = loop.index
        if loop.player is not None:
            loop.player.setPlaybackRate(LOOP_RATE)
        self.until(lambda: loop.index != index, 30)
        self.loop["videos"] += 1


def main() -> None:
    """`python bench/ui_day.py [bench/ui_bench.py options]`: the UI benchmark with the whole
    day, written to bench/results/ui_day.json (bench/ui_bench.py writes ui.json)."""
    import sys

    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    from bench import ui_bench

    if "--out" not in sys.argv:
        sys.argv += ["--out", str(root / "bench" / "results" / "ui_day.json")]
    ui_bench.main()


if __name__ == "__main__":
    main()
