"""Opening the kiosk state database from several threads at once (the GUI thread and the
state worker do, on a kiosk's first start): every opener sees the same migrated schema."""

from __future__ import annotations

import threading
from pathlib import Path

from kiosk.state import all_migrations, open_state


def _open_together(home: Path, n: int = 4) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(n)

    def open_it() -> None:
        start.wait()
        try:
            open_state(home).close()
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_concurrent_first_opens_migrate_once(tmp_path: Path) -> None:
    for round_ in range(20):  # the WAL switch race showed in about one round in five
        home = tmp_path / f"home{round_}"
        home.mkdir()
        assert _open_together(home) == []
        rows = list(open_state(home).query("SELECT count(*) AS n FROM _migrations"))
        assert rows[0]["n"] == len(all_migrations())
