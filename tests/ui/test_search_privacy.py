"""What a resident types into search never reaches the disk or the outbox (issue 18: a name
and a phone number were found word for word in usage_topics and the WAL)."""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta
from pathlib import Path

from kiosk import stats
from kiosk.state import open_state
from tests.ui.conftest import type_text

NAME = "Phạm Thị Riêng Tư"
PHONE = "0977123456"
SEARCHES = (f"{NAME} {PHONE}", PHONE, "le thi pii 0912000111", "0912 000 111")


def _needles() -> list[bytes]:
    out = []
    for text in (NAME, PHONE, "0912000111", "0912 000 111", "le thi pii"):
        for form in ("NFC", "NFD"):
            s = unicodedata.normalize(form, text)
            for variant in {s, s.lower()}:
                out += [variant.encode("utf-8"), variant.encode("utf-16-le")]
    return out


def _leaks(root: Path) -> list[str]:
    needles = _needles()
    return [
        f"{path.name}: {n!r}"
        for path in root.rglob("*")
        if path.is_file()
        for data in [path.read_bytes()]
        for n in needles
        if n in data
    ]


def test_a_session_searching_a_name_and_a_phone_leaves_neither_on_disk(
    make_shell,  # noqa: ANN001
    qtbot,  # noqa: ANN001
    home: Path,
) -> None:
    shell = make_shell()
    search = shell.navigate("search")
    for text in SEARCHES:
        search.query.clear()
        type_text(search.query, text)
        search.search_now()
        qtbot.waitUntil(
            lambda t=text: search.answer is not None and search.answer.query == t, timeout=10000
        )
    shell.ctx.ops.wait()
    db = open_state(home)
    assert stats.usage_report(db, date.today(), date.today()).totals["search"] >= len(SEARCHES)
    labels = [r[0] for r in db.execute("SELECT label FROM usage_items WHERE event = 'search'")]
    assert labels  # counted under what answered them, in the library's words
    shell.go_idle()  # the resident leaves: the session is wiped
    shell.ctx.ops.wait()
    # The day's totals go to the outbox (k = 1: even a single search's label is sent).
    stats.queue_daily_totals(db, home, today=date.today() + timedelta(days=1), min_count=1)
    assert db.execute("SELECT count(*) FROM outbox WHERE kind = 'usage_daily'").fetchone()[0]
    # The kiosk is still running: state.sqlite, its WAL and SHM are scanned as they are.
    assert _leaks(home) == []
